"""E-mails to an organization's editors: their language first, then the other."""

from django.urls import reverse

from accounts.models import User
from accounts.queries import editor_memberships
from core import mail
from directory.models import Organization


def editors_of(organization: Organization) -> list[User]:
    """The active editors of `organization`, who hear about its moderation."""
    return [m.user for m in editor_memberships([organization.pk], active_only=True)]


def mail_editors(organization: Organization, template: str, **context) -> None:
    """E-mail each editor about `organization`, once the transaction commits."""
    mail.send(
        f"directory/emails/{template}",
        {
            "organization": organization,
            "page_url": lambda: mail.absolute_url(organization.get_absolute_url()),
            "edit_url": lambda: mail.absolute_url(
                reverse(
                    "directory:organization-edit", kwargs={"slug": organization.slug}
                )
            ),
            **context,
        },
        to=editors_of(organization),
        other_languages=True,
        kind="organization",
    )
