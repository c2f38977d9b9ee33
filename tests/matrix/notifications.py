"""Permission-matrix rows of the `notifications` app (see tests/matrix/__init__.py).

Every signed-in subject has one notification of its own; the world's other user has
one too. A notification is its owner's alone (404 for anyone else); the unsubscribe
link needs no session, only a valid signed token."""

from notifications import services
from notifications.kinds import KINDS, Channel
from tests.matrix.base import (
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Row,
    everyone,
    signed_in,
)
from tests.notifications.factories import NotificationFactory

BAD_REQUEST = 400


def build(world) -> None:
    world.extra["others_notification"] = NotificationFactory(user=world.other_user)


def setup_actor(role, world, user) -> None:
    if user is not None:
        world.extra["own_notification"] = NotificationFactory(user=user)


def own(world) -> dict:
    notification = world.extra.get("own_notification")
    if notification is None:  # the anonymous subject has none
        notification = world.extra["others_notification"]
    return {"pk": notification.pk}


def others(world) -> dict:
    return {"pk": world.extra["others_notification"].pk}


def token(world) -> dict:
    return {"token": services.unsubscribe_token(world.other_user, "event")}


def bad_token(world) -> dict:
    return {"token": token(world)["token"][:-2] + "xx"}


def preferences(world) -> dict:
    return {kind.code: Channel.DIGEST for kind in KINDS}


def one_click(world) -> dict:
    return {"List-Unsubscribe": "One-Click"}


ROWS: list[Row] = [
    Row("notifications:notification-list", signed_in(OK)),
    Row("notifications:bell", everyone(OK)),
    Row("notifications:notification-open", signed_in(REDIRECT), kwargs=own, note="own"),
    Row("notifications:notification-open", signed_in(NOT_FOUND), kwargs=others),
    Row("notifications:mark-all-read", signed_in(REDIRECT), method="post"),
    Row("notifications:mark-all-read", signed_in(NOT_ALLOWED)),
    Row("notifications:preferences", signed_in(OK)),
    Row(
        "notifications:preferences",
        signed_in(REDIRECT),
        method="post",
        data=preferences,
    ),
    Row("notifications:unsubscribe", everyone(OK), kwargs=token),
    Row(
        "notifications:unsubscribe",
        everyone(OK),
        kwargs=token,
        method="post",
        data=one_click,
    ),
    Row(
        "notifications:unsubscribe", everyone(BAD_REQUEST), kwargs=bad_token, note="bad"
    ),
    Row(
        "notifications:unsubscribe",
        everyone(BAD_REQUEST),
        kwargs=bad_token,
        method="post",
        data=one_click,
        note="bad",
    ),
]
