"""E-mails about needs and offers, in each editor's language first, then the other."""

from django.urls import reverse

from core import mail
from directory.emails import editors_of
from matching.models import NeedOffer


def mail_editors(need_offer: NeedOffer, template: str, **context) -> int:
    """Send `template` to every active editor of the need or offer's organization."""
    edit_kwargs = {"pk": need_offer.pk}
    return mail.send(
        f"matching/emails/{template}",
        {
            "need_offer": need_offer,
            "page_url": lambda: mail.absolute_url(need_offer.get_absolute_url()),
            "edit_url": lambda: mail.absolute_url(
                reverse("matching:needoffer-edit", kwargs=edit_kwargs)
            ),
            "mine_url": lambda: mail.absolute_url(reverse("matching:needoffer-mine")),
            **context,
        },
        to=editors_of(need_offer.organization),
        other_languages=True,
        kind="need_offer",
    )
