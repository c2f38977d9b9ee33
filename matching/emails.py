"""E-mails about needs and offers, in each editor's language first, then the other."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.emails import absolute_url
from matching.models import NeedOffer

logger = logging.getLogger(__name__)


def mail_editors(need_offer: NeedOffer, template: str, **context) -> int:
    """Send `template` to every active editor of the need or offer's organization."""
    editors = [
        membership.user
        for membership in need_offer.organization.memberships.select_related("user")
        if membership.is_editor and membership.user.is_active
    ]
    messages = []
    for user in editors:
        first = user.preferred_language or settings.LANGUAGE_CODE
        languages = [first, *(c for c, _n in settings.LANGUAGES if c != first)]
        subject, bodies = "", []
        for index, language in enumerate(languages):
            with translation.override(language):
                full = {
                    "need_offer": need_offer,
                    "user": user,
                    "page_url": absolute_url(need_offer.get_absolute_url()),
                    "edit_url": absolute_url(
                        reverse("matching:needoffer-edit", kwargs={"pk": need_offer.pk})
                    ),
                    "mine_url": absolute_url(reverse("matching:needoffer-mine")),
                    **context,
                }
                if index == 0:
                    subject = render_to_string(
                        f"matching/emails/{template}_subject.txt", full
                    )
                bodies.append(
                    render_to_string(f"matching/emails/{template}.txt", full).strip()
                )
        messages.append(
            EmailMessage(
                subject=" ".join(subject.split()),
                body=("\n\n" + "~" * 40 + "\n\n").join(bodies) + "\n",
                to=[user.email],
            )
        )
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except Exception:
        logger.exception("Could not send %d matching e-mails", len(messages))
    return len(messages)
