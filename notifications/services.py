"""Writes of the notification centre: record, mark read, preferences, unsubscribe,
the daily digest."""

import datetime
import zoneinfo

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from core import mail
from notifications import queries
from notifications.kinds import BY_CODE, DIGEST, Channel
from notifications.models import DigestRun, Notification, Preference

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
DIGEST_HOUR = 8


def _link_of(context: dict, language: str) -> str:
    """The page an e-mail points at (`url`, else `page_url`), built in its language."""
    value = context.get("url") or context.get("page_url") or ""
    if callable(value):
        with translation.override(language):
            value = value()
    return str(value)[:500]


def record_mail(delivery: mail.Delivery) -> None:
    """The core.mail hook (MIST_MAIL_HOOKS): note the e-mail in the person's centre
    and let their preference decide whether it goes now, in the digest or not."""
    user = delivery.recipient
    if delivery.kind == DIGEST:
        delivery.headers.update(unsubscribe_headers(user, DIGEST, delivery.language))
        return
    channel = queries.channel_for(user, delivery.kind)
    if channel == Channel.OFF:
        delivery.send = False
        return
    Notification.objects.create(
        user=user,
        kind=delivery.kind,
        title=delivery.subject[:300],
        link=_link_of(delivery.context, delivery.language),
        in_digest=channel == Channel.DIGEST,
    )
    if delivery.in_app_only:
        # core.mail.notify(): nothing to send, whatever the channel.
        delivery.send = False
        return
    if channel == Channel.EMAIL:
        delivery.headers.update(
            unsubscribe_headers(user, delivery.kind, delivery.language)
        )
    else:
        delivery.send = False


def unsubscribe_token(user, kind: str) -> str:
    """A signed, dated token naming the person and the kind; no session needed."""
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; raises signing.BadSignature (forged, altered
    or expired: SignatureExpired is a BadSignature)."""
    data = signing.loads(
        token,
        salt=UNSUBSCRIBE_SALT,
        max_age=datetime.timedelta(days=settings.MIST_UNSUBSCRIBE_MAX_AGE_DAYS),
    )
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Malformed unsubscribe token")
    kind = data.get("k")
    if kind != DIGEST and kind not in BY_CODE:
        raise signing.BadSignature("Unknown kind")
    return data["u"], kind


def unsubscribe_headers(user, kind: str, language: str) -> dict:
    """RFC 2369 and RFC 8058 headers: a one-click unsubscribe for this kind."""
    with translation.override(language):
        path = reverse(
            "notifications:unsubscribe",
            kwargs={"token": unsubscribe_token(user, kind)},
        )
    return {
        "List-Unsubscribe": f"<{mail.absolute_url(path)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def unsubscribe(user, kind: str) -> None:
    """Stop e-mails of `kind` (they stay in the app); for the digest, every kind
    read in the digest."""
    if kind == DIGEST:
        Preference.objects.filter(user=user, channel=Channel.DIGEST).update(
            channel=Channel.IN_APP
        )
        return
    if queries.channel_for(user, kind) in (Channel.EMAIL, Channel.DIGEST):
        set_preferences(user, {kind: Channel.IN_APP})


@transaction.atomic
def set_preferences(user, channels: dict[str, str]) -> None:
    """Store the person's channel per kind (unknown kinds and channels ignored)."""
    valid = {code for code, _label in Channel.CHOICES}
    for kind, channel in channels.items():
        if kind in BY_CODE and channel in valid:
            Preference.objects.update_or_create(
                user=user, kind=kind, defaults={"channel": channel}
            )


def mark_read(notification: Notification, *, now=None) -> None:
    """Mark one notification read (once: the first reading time stays)."""
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )


def mark_all_read(user, *, now=None) -> int:
    """Mark every unread notification of `user` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def _zone_of(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """Send each person whose local time is past 08:00 and who has not had today's
    digest one e-mail with the notifications waiting for it; returns how many."""
    now = now or timezone.now()
    sent = 0
    for user in queries.people_with_digest_items():
        today = now.astimezone(_zone_of(user)).date()
        if now.astimezone(_zone_of(user)).hour < DIGEST_HOUR:
            continue
        if user.last_digest_on is not None and user.last_digest_on >= today:
            continue
        sent += send_digest(user, today=today)
    return sent


@transaction.atomic
def send_digest(user, *, today: datetime.date) -> int:
    """One digest e-mail to `user` with what waited for it; returns 1 if sent."""
    items = list(
        Notification.objects.select_for_update()
        .filter(user=user, in_digest=True)
        .order_by("created_at", "pk")
    )
    if not items:
        return 0
    Notification.objects.filter(pk__in=[item.pk for item in items]).update(
        in_digest=False
    )
    DigestRun.objects.update_or_create(user=user, defaults={"last_sent_on": today})
    context = {
        "items": items,
        "url": lambda: mail.absolute_url(reverse("notifications:notification-list")),
        "preferences_url": lambda: mail.absolute_url(
            reverse("notifications:preferences")
        ),
    }
    mail.send("notifications/emails/digest", context, to=user, kind=DIGEST)
    return 1
