"""Reads of delegation visits, with the visibility rules views share."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from accounts.permissions import is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from visits import permissions
from visits.models import FollowUp, ItemOutcome, ProgrammeItem, Visit, VisitInvitation


def visits_visible_to(user) -> QuerySet[Visit]:
    """Every visit for staff; else hosted, joined, invited or public ones."""
    queryset = Visit.objects.select_related("organization", "host")
    if is_cluster_staff(user):
        return queryset
    if not is_signed_in(user):
        return queryset.none()
    edited = edited_organization_ids(user)
    visible = (
        Q(host=user)
        | Q(members__user=user)
        | Q(invitations__organization__in=edited)
        | (Q(is_public=True) & ~Q(status=Visit.Status.DRAFT))
    )
    ids = Visit.objects.filter(visible).values("pk")
    return queryset.filter(pk__in=ids)


def visits_for_list(user) -> QuerySet[Visit]:
    """The staff list: each visit with its counts."""
    return (
        visits_visible_to(user)
        .annotate(
            n_members=Count("members", distinct=True),
            n_items=Count("items", distinct=True),
            n_pending=Count(
                "invitations",
                filter=Q(invitations__status=VisitInvitation.Status.PENDING),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "-pk")
    )


def visits_of(user) -> QuerySet[Visit]:
    """The visits a person takes part in as a member or host."""
    if not is_signed_in(user):
        return Visit.objects.none()
    ids = Visit.objects.filter(Q(host=user) | Q(members__user=user)).values("pk")
    return Visit.objects.filter(pk__in=ids).select_related("organization", "host")


def programme_for(user, visit: Visit) -> QuerySet[ProgrammeItem]:
    """The items `user` sees: all for the host and members, only their own
    organization's for an invited organization's editors."""
    items = visit.items.select_related("organization", "session", "event")
    if permissions.sees_whole_programme(user, visit):
        return items
    return items.filter(organization_id__in=edited_organization_ids(user))


def programme_of_organization(visit: Visit, organization) -> QuerySet[ProgrammeItem]:
    """The items a host organization takes part in."""
    return visit.items.filter(organization=organization).select_related(
        "organization", "session", "event"
    )


def invitations_for(user, visit: Visit) -> QuerySet[VisitInvitation]:
    """Every invitation for the host; an editor's own organizations' otherwise."""
    invitations = visit.invitations.select_related("organization", "answered_by")
    if permissions.can_manage_visit(user, visit):
        return invitations
    return invitations.filter(organization_id__in=edited_organization_ids(user))


def invitations_to_my_organizations(user) -> QuerySet[VisitInvitation]:
    """Invitations to the organizations the user edits, newest visit first."""
    return (
        VisitInvitation.objects.filter(
            organization_id__in=edited_organization_ids(user)
        )
        .exclude(visit__status=Visit.Status.DRAFT)
        .select_related("visit", "visit__organization", "organization")
        .order_by("-visit__starts_on", "starts_at", "pk")
    )


def outcomes_of(visit: Visit) -> QuerySet[ItemOutcome]:
    return ItemOutcome.objects.filter(item__visit=visit).select_related(
        "item", "item__organization", "recorded_by"
    )


def follow_ups_of(visit: Visit) -> QuerySet[FollowUp]:
    return visit.follow_ups.select_related("owner", "item")


# Items whose outcome is asked for: those that ended in the last fortnight.
OUTCOME_REMINDER_WINDOW = dt.timedelta(days=14)


def items_due_outcome_reminder(*, now: dt.datetime) -> QuerySet[ProgrammeItem]:
    """Items with a host organization that ended at least a day ago (within the
    window), where a side has not said what came of them, never reminded yet."""
    return (
        ProgrammeItem.objects.filter(
            status=ProgrammeItem.Status.SCHEDULED,
            organization__isnull=False,
            ends_at__lte=now - dt.timedelta(days=1),
            ends_at__gt=now - OUTCOME_REMINDER_WINDOW,
            outcome_reminded_at__isnull=True,
        )
        .exclude(visit__status=Visit.Status.CANCELLED)
        .annotate(n_outcomes=Count("outcomes"))
        .filter(n_outcomes__lt=2)
        .select_related("visit", "visit__host", "organization")
        .prefetch_related("outcomes")
        .order_by("pk")
    )


def items_in_range(visit: Visit, starts_at, ends_at) -> QuerySet[ProgrammeItem]:
    """Scheduled items overlapping [starts_at, ends_at)."""
    return visit.items.filter(
        status=ProgrammeItem.Status.SCHEDULED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).select_related("session", "organization")
