"""Cache busting only: a saved or deleted exchange rate makes pages read rates anew;
`projects_created` tells the caches of other apps about projects written in bulk."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from investments.models import ExchangeRate


@receiver([post_save, post_delete], sender=ExchangeRate)
def forget_rates(sender, **kwargs):
    from investments.money import forget_cached_rates

    forget_cached_rates()


# Sent by a bulk write of new projects (bulk_create sends no post_save), once per
# batch, inside its transaction, with `projects`: the new InvestmentProject
# instances, their rows written. For caches only (the recommendation index, the
# insights figures), as post_save is.
projects_created = Signal()
