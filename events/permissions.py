"""Who may see, run and join events. Pure predicates, no HTTP."""

from django.utils import timezone

from accounts.permissions import (
    acts_for_any_organization,
    is_cluster_staff,
    is_signed_in,
)
from directory.permissions import is_editor_of
from events.models import Event, Registration


def can_create_event(user) -> bool:
    """Cluster staff, and editors of an organization (for events it organizes)."""
    return is_cluster_staff(user) or acts_for_any_organization(user)


def can_edit_event(user, event: Event) -> bool:
    """Cluster staff and the editors of the organizer."""
    return is_cluster_staff(user) or is_editor_of(user, event.organizer)


def can_register(user, event: Event) -> bool:
    """Signed-in people may join a published event that has not ended."""
    return (
        is_signed_in(user)
        and event.status == Event.Status.PUBLISHED
        and event.ends_at > timezone.now()
    )


def can_cancel_registration(user, registration: Registration) -> bool:
    """The person themself, or whoever runs the event."""
    if registration.status == Registration.Status.CANCELLED:
        return False
    return registration.user_id == getattr(user, "pk", None) or can_edit_event(
        user, registration.event
    )


def can_see_participants(user, event: Event) -> bool:
    return can_edit_event(user, event)


def can_publish_event(user, event: Event) -> bool:
    return can_edit_event(user, event) and event.status == Event.Status.DRAFT


def can_cancel_event(user, event: Event) -> bool:
    return can_edit_event(user, event) and event.status != Event.Status.CANCELLED


def can_give_up_place(user, registration: Registration) -> bool:
    """What the event's page offers its registered person: giving up their place
    until the event ends, unless the event itself was cancelled."""
    event = registration.event
    return (
        event.status != Event.Status.CANCELLED
        and event.ends_at >= timezone.now()
        and can_cancel_registration(user, registration)
    )


def may_register_after_sign_in(user, event: Event) -> bool:
    """A visitor who is not signed in, on a published event that has not ended:
    the page asks them to sign in to register."""
    return (
        not is_signed_in(user)
        and event.status == Event.Status.PUBLISHED
        and event.ends_at >= timezone.now()
    )
