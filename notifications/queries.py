"""Reads of the notification centre: a person sees only their own notifications."""

from django.db.models import F, QuerySet

from accounts.models import User
from notifications.kinds import KINDS, default_channel
from notifications.models import Notification, Preference


def notifications_visible_to(user) -> QuerySet[Notification]:
    """The person's own notifications, newest first (nothing for anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


# The bell shows "99+" beyond this: counting stops there, so the query costs the
# same for someone with 100 unread notifications as with 100,000.
UNREAD_SHOWN = 99


def unread_count(user) -> int:
    """The bell's number, at most UNREAD_SHOWN + 1: one COUNT over the partial
    unread index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    return unread.order_by()[: UNREAD_SHOWN + 1].count()


def channel_for(user, kind: str) -> str:
    """The channel the person chose for `kind`, else the kind's default."""
    chosen = (
        Preference.objects.filter(user=user, kind=kind)
        .values_list("channel", flat=True)
        .first()
    )
    return chosen or default_channel(kind)


def channels_of(user) -> dict[str, str]:
    """Every kind's channel for the person (their choice, else the default)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind.code: chosen.get(kind.code, kind.default) for kind in KINDS}


def people_with_digest_items() -> QuerySet[User]:
    """Active people with notifications waiting for the digest, with the day of
    their last digest as `last_digest_on`."""
    return (
        User.objects.filter(is_active=True, notifications__in_digest=True)
        .distinct()
        .annotate(last_digest_on=F("notification_digest__last_sent_on"))
        .order_by("pk")
    )
