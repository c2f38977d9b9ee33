"""Cache busting only: a saved or deleted exchange rate makes pages read rates anew."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from investments.models import ExchangeRate


@receiver([post_save, post_delete], sender=ExchangeRate)
def forget_rates(sender, **kwargs):
    from investments.money import forget_cached_rates

    forget_cached_rates()
