"""What a person can be notified about, and what happens by default.

Each sender names its kind (`core.mail.send(..., kind="event")`); security e-mails
(password reset, two-factor, sign-in) name none, so no preference can stop them.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Channel:
    """How a kind reaches its reader (values stored in Preference.channel)."""

    IN_APP = "in_app"
    EMAIL = "email"
    DIGEST = "digest"
    OFF = "off"

    CHOICES = (
        (IN_APP, _("In the app only")),
        (EMAIL, _("E-mail at once")),
        (DIGEST, _("Daily digest")),
        (OFF, _("Off")),
    )


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    default: str = Channel.EMAIL


KINDS = (
    Kind("submission", _("My submissions: questions, requests and decisions")),
    Kind("review", _("Reviewing: invitations and new assignments")),
    Kind("organization", _("My organizations: moderation and new editors")),
    Kind("invitation", _("Invitations")),
    Kind("need_offer", _("My needs and offers")),
    Kind("meeting", _("Meeting requests, meetings and programme changes")),
    Kind("event", _("Events I registered for")),
    Kind("investment", _("Investor interest")),
    Kind("talent", _("Talent return: roles and invitations")),
)
BY_CODE = {kind.code: kind for kind in KINDS}
# The digest itself: it is not a preference, but its e-mail carries an unsubscribe
# link (which moves every kind read in the digest to the app only).
DIGEST = "digest"


def default_channel(code: str) -> str:
    """The channel of `code` for someone who never chose one."""
    kind = BY_CODE.get(code)
    return kind.default if kind else Channel.EMAIL
