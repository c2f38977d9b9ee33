"""Use cases of delegation visits: the visit and its members, the programme,
invitations, the B2B session, a disrupted day, outcomes and follow-ups."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.queries import editor_memberships
from core.audit import record
from core.services import check_span
from visits import emails, permissions
from visits.models import (
    VISIT_FIELDS,
    FollowUp,
    ItemOutcome,
    ProgrammeItem,
    Visit,
    VisitInvitation,
    VisitMember,
)

# A disrupted item is moved later the same day only if it still ends by then
# (local time of the deployment); otherwise it is postponed.
DAY_ENDS = dt.time(21, 0)

ALLOWED_TRANSITIONS = {
    Visit.Status.DRAFT: {Visit.Status.PLANNED, Visit.Status.CANCELLED},
    Visit.Status.PLANNED: {
        Visit.Status.DONE,
        Visit.Status.CANCELLED,
        Visit.Status.DRAFT,
    },
    Visit.Status.DONE: {Visit.Status.PLANNED},
    Visit.Status.CANCELLED: {Visit.Status.DRAFT},
}


def _manager_only(user, visit: Visit) -> None:
    if not permissions.can_manage_visit(user, visit):
        raise PermissionDenied


def _bump(visit: Visit) -> None:
    """Every change raises the visit's SEQUENCE, so calendars take it."""
    Visit.objects.filter(pk=visit.pk).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )
    visit.refresh_from_db(fields=["sequence", "updated_at"])


def editors_of(organization_id: int | None) -> list:
    """The people who act for an organization (who receive its invitations)."""
    if organization_id is None:
        return []
    return [
        membership.user
        for membership in editor_memberships([organization_id], active_only=True)
    ]


def people_of(visit: Visit) -> list:
    """The host and the delegation members."""
    people = [m.user for m in visit.members.select_related("user")]
    if visit.host is not None and visit.host not in people:
        people.append(visit.host)
    return people


def concerned_by(item: ProgrammeItem) -> list:
    """Everyone an item concerns: the delegation, the host, its organization."""
    people = people_of(item.visit)
    for user in editors_of(item.organization_id):
        if user not in people:
            people.append(user)
    return people


def _check_dates(starts_on, ends_on) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(
            {"ends_on": _("The last day must not be before the first.")}
        )


# The visit ---------------------------------------------------------------------


@transaction.atomic
def create_visit(*, by, tags=(), sectors=(), **fields) -> Visit:
    """A new visit in draft, hosted by `by` unless a host is named."""
    if not permissions.can_create_visit(by):
        raise PermissionDenied
    _check_dates(fields.get("starts_on"), fields.get("ends_on"))
    data = {name: fields[name] for name in VISIT_FIELDS if name in fields}
    data.setdefault("host", by)
    if data["host"] is None:
        data["host"] = by
    visit = Visit.objects.create(**data)
    visit.tags.set(tags)
    visit.sectors.set(sectors)
    record("visits.created", visit, actor=by)
    return visit


@transaction.atomic
def update_visit(visit: Visit, *, by, tags=None, sectors=None, **fields) -> Visit:
    """Change the visit's details; SEQUENCE rises."""
    _manager_only(by, visit)
    _check_dates(
        fields.get("starts_on", visit.starts_on), fields.get("ends_on", visit.ends_on)
    )
    for name in VISIT_FIELDS:
        if name in fields:
            setattr(visit, name, fields[name])
    if visit.host_id is None:
        visit.host = by
    visit.save()
    if tags is not None:
        visit.tags.set(tags)
    if sectors is not None:
        visit.sectors.set(sectors)
    _bump(visit)
    record("visits.updated", visit, actor=by)
    return visit


def set_status(visit: Visit, new: str, *, by) -> Visit:
    """Move the visit along draft → planned → done (or cancelled)."""
    _manager_only(by, visit)
    if new not in ALLOWED_TRANSITIONS.get(visit.status, set()):
        raise ValidationError(_("A visit cannot go from this status to that one."))
    visit.status = new
    visit.save(update_fields=["status", "updated_at"])
    _bump(visit)
    record("visits.status", visit, actor=by, status=new)
    return visit


def add_member(visit: Visit, *, by, user) -> VisitMember:
    """Add a person to the delegation (they sign in with their own account)."""
    _manager_only(by, visit)
    member, created = VisitMember.objects.get_or_create(visit=visit, user=user)
    if not created:
        raise ValidationError({"user": _("This person is already in the delegation.")})
    visit.__dict__.pop("_member_ids", None)
    record("visits.member_added", visit, actor=by, user=user.pk)
    return member


def remove_member(member: VisitMember, *, by) -> None:
    """Take a person off the delegation."""
    _manager_only(by, member.visit)
    record("visits.member_removed", member.visit, actor=by, user=member.user_id)
    member.delete()


# The programme -----------------------------------------------------------------


ITEM_FIELDS = (
    "kind",
    "title_uk",
    "title_en",
    "place",
    "starts_at",
    "ends_at",
    "organization",
    "session",
    "event",
)


def _check_item_times(visit: Visit, starts_at, ends_at) -> None:
    check_span(starts_at, ends_at)
    local = timezone.localtime(starts_at).date()
    if not visit.starts_on <= local <= visit.ends_on:
        raise ValidationError(
            {"starts_at": _("The item must fall within the days of the visit.")}
        )


@transaction.atomic
def add_item(visit: Visit, *, by, notify: bool = True, **fields) -> ProgrammeItem:
    """Add an item to the programme; everyone it concerns is told."""
    _manager_only(by, visit)
    _check_item_times(visit, fields["starts_at"], fields["ends_at"])
    data = {name: fields[name] for name in ITEM_FIELDS if name in fields}
    item = ProgrammeItem.objects.create(visit=visit, **data)
    _bump(visit)
    record("visits.item_added", visit, actor=by, item=item.pk)
    if notify and visit.status == Visit.Status.PLANNED:
        for user in concerned_by(item):
            emails.notify_change(item, user, kind="added")
    return item


@transaction.atomic
def update_item(item: ProgrammeItem, *, by, **fields) -> ProgrammeItem:
    """Change an item; a new time raises its SEQUENCE and tells everyone concerned."""
    _manager_only(by, item.visit)
    starts_at = fields.get("starts_at", item.starts_at)
    ends_at = fields.get("ends_at", item.ends_at)
    _check_item_times(item.visit, starts_at, ends_at)
    moved = starts_at != item.starts_at or ends_at != item.ends_at
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    if moved and item.status == ProgrammeItem.Status.POSTPONED:
        item.status = ProgrammeItem.Status.SCHEDULED
    item.sequence += 1
    item.save()
    _bump(item.visit)
    record("visits.item_updated", item.visit, actor=by, item=item.pk)
    if moved and item.visit.status == Visit.Status.PLANNED:
        for user in concerned_by(item):
            emails.notify_change(item, user, kind="moved")
    return item


@transaction.atomic
def cancel_item(item: ProgrammeItem, *, by) -> ProgrammeItem:
    """Call an item off (it stays in the programme, struck out)."""
    _manager_only(by, item.visit)
    item.status = ProgrammeItem.Status.CANCELLED
    item.sequence += 1
    item.save(update_fields=["status", "sequence", "updated_at"])
    _bump(item.visit)
    record("visits.item_cancelled", item.visit, actor=by, item=item.pk)
    if item.visit.status == Visit.Status.PLANNED:
        for user in concerned_by(item):
            emails.notify_change(item, user, kind="cancelled")
    return item


# Invitations -------------------------------------------------------------------


@transaction.atomic
def invite_organization(
    visit: Visit,
    *,
    by,
    organization,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    message: str = "",
    reasons: str = "",
) -> VisitInvitation:
    """Invite a local organization to meet the delegation at a proposed time; its
    editors are e-mailed."""
    _manager_only(by, visit)
    _check_item_times(visit, starts_at, ends_at)
    if organization.pk == visit.organization_id:
        raise ValidationError(
            {"organization": _("The delegation's own organization cannot be invited.")}
        )
    if visit.invitations.filter(
        organization=organization, status=VisitInvitation.Status.PENDING
    ).exists():
        raise ValidationError(
            {"organization": _("This organization already has a pending invitation.")}
        )
    invitation = VisitInvitation.objects.create(
        visit=visit,
        organization=organization,
        starts_at=starts_at,
        ends_at=ends_at,
        message=message,
        reasons=reasons,
        invited_by=by,
    )
    record("visits.invited", visit, actor=by, organization=organization.pk)
    for user in editors_of(organization.pk):
        emails.notify_invitation(invitation, user)
    return invitation


def answer_invitation(
    invitation: VisitInvitation, *, by, accept: bool
) -> VisitInvitation:
    """The invited organization accepts (a company visit joins the programme) or
    declines; the host is told."""
    with transaction.atomic():
        locked = VisitInvitation.objects.select_for_update().get(pk=invitation.pk)
        locked.visit = invitation.visit
        locked.organization = invitation.organization
        if not permissions.can_answer_invitation(by, locked):
            raise PermissionDenied
        locked.status = (
            VisitInvitation.Status.ACCEPTED
            if accept
            else VisitInvitation.Status.DECLINED
        )
        locked.answered_by = by
        locked.answered_at = timezone.now()
        if accept:
            organization = locked.organization
            locked.item = ProgrammeItem.objects.create(
                visit=locked.visit,
                kind=ProgrammeItem.Kind.COMPANY_VISIT,
                title_uk=organization.name_uk,
                title_en=organization.name_en or "",
                place=organization.address,
                starts_at=locked.starts_at,
                ends_at=locked.ends_at,
                organization=organization,
            )
            _bump(locked.visit)
        locked.save()
        record(
            "visits.invitation_answered", locked.visit, actor=by, status=locked.status
        )
        for user in people_of(locked.visit):
            if permissions.can_manage_visit(user, locked.visit):
                emails.notify_answer(locked, user)
    return locked


# The B2B session ---------------------------------------------------------------


@transaction.atomic
def add_b2b_session(
    visit: Visit,
    *,
    by,
    event,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    slot_minutes: int = 20,
    tables: int = 1,
    title: str = "",
) -> ProgrammeItem:
    """A B2B session (meetings' own) at `event` for the delegation and the
    organizations that accepted: members join as the delegation, the accepted
    organizations' editors as locals; the item joins the programme."""
    from meetings import services as meetings
    from meetings.models import SessionParticipant

    _manager_only(by, visit)
    _check_item_times(visit, starts_at, ends_at)
    session = meetings.create_session(
        event, by=by, title=title or f"B2B: {visit}", slot_minutes=slot_minutes
    )
    meetings.add_slots(session, by=by, starts_at=starts_at, ends_at=ends_at)
    meetings.add_tables(session, by=by, count=tables)
    for member in visit.members.select_related("user"):
        meetings.add_participant(
            session,
            by=by,
            user=member.user,
            organization=visit.organization,
            group=SessionParticipant.Group.DELEGATION,
        )
    accepted = visit.invitations.filter(status=VisitInvitation.Status.ACCEPTED)
    for invitation in accepted.select_related("organization"):
        for user in editors_of(invitation.organization_id):
            meetings.add_participant(
                session,
                by=by,
                user=user,
                organization=invitation.organization,
                group=SessionParticipant.Group.LOCAL,
            )
    return add_item(
        visit,
        by=by,
        kind=ProgrammeItem.Kind.B2B_SESSION,
        title_uk=session.title,
        title_en=session.title,
        place=event.venue_uk or event.venue_en,
        starts_at=starts_at,
        ends_at=ends_at,
        session=session,
        event=event,
    )


def schedule_b2b(item: ProgrammeItem, *, by):
    """Run meetings' scheduler on the item's B2B session."""
    from meetings import services as meetings

    _manager_only(by, item.visit)
    if item.session is None:
        raise ValidationError(_("This item has no B2B session."))
    return meetings.schedule_session(item.session, by=by)


# A disrupted day ---------------------------------------------------------------


def disrupted_items(visit: Visit, starts_at, ends_at) -> list[ProgrammeItem]:
    """Scheduled items overlapping the lost time."""
    from visits.queries import items_in_range

    return list(items_in_range(visit, starts_at, ends_at))


def plan_day(visit: Visit, starts_at, ends_at) -> list[tuple[ProgrammeItem, object]]:
    """(item, new start or None for postponed) for every item that must change:
    items in the lost time move to its end, in order, and push later items of
    the same day along; what would end after DAY_ENDS is postponed."""
    zone = timezone.get_default_timezone()
    day = starts_at.astimezone(zone).date()
    day_ends = dt.datetime.combine(day, DAY_ENDS, tzinfo=zone)
    day_items = visit.items.filter(
        status=ProgrammeItem.Status.SCHEDULED,
        session__isnull=True,
        ends_at__gt=starts_at,
        starts_at__lt=day_ends + dt.timedelta(hours=3),
    ).order_by("starts_at", "pk")
    plan = []
    cursor = ends_at
    for item in day_items:
        hit = item.starts_at < ends_at and item.ends_at > starts_at
        if not hit and item.starts_at >= cursor:
            continue
        length = item.ends_at - item.starts_at
        new_start = max(cursor, item.starts_at)
        if new_start + length > day_ends:
            plan.append((item, None))
            continue
        plan.append((item, new_start))
        cursor = new_start + length
    return plan


def apply_disruption(
    visit: Visit,
    *,
    by,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str = "",
) -> dict[str, int]:
    """One action for an air-raid alert or a power cut: every item of the day in
    the lost time moves later the same day (later items move along) or is
    postponed; a B2B session in it goes through meetings' own disruption; SEQUENCE
    rises and everyone affected is e-mailed."""
    from meetings import services as meetings

    _manager_only(by, visit)
    check_span(starts_at, ends_at)
    reason = reason or _("air-raid alert or power cut")
    counts = {"moved": 0, "postponed": 0, "meetings_moved": 0, "meetings_postponed": 0}
    changed = []
    with transaction.atomic():
        for item, new_start in plan_day(visit, starts_at, ends_at):
            if new_start is None:
                item.status = ProgrammeItem.Status.POSTPONED
                counts["postponed"] += 1
            else:
                length = item.ends_at - item.starts_at
                item.starts_at, item.ends_at = new_start, new_start + length
                counts["moved"] += 1
            item.sequence += 1
            item.save(
                update_fields=[
                    "starts_at",
                    "ends_at",
                    "status",
                    "sequence",
                    "updated_at",
                ]
            )
            changed.append(item)
        sessions = [
            item
            for item in disrupted_items(visit, starts_at, ends_at)
            if item.session_id is not None
        ]
        for item in sessions:
            result = meetings.handle_disruption(
                item.session, by=by, starts_at=starts_at, ends_at=ends_at
            )
            counts["meetings_moved"] += result["moved"]
            counts["meetings_postponed"] += result["postponed"]
            item.sequence += 1
            item.save(update_fields=["sequence", "updated_at"])
            changed.append(item)
        _bump(visit)
        record(
            "visits.disruption",
            visit,
            actor=by,
            starts_at=starts_at.isoformat(),
            ends_at=ends_at.isoformat(),
            **counts,
        )
        told: dict[int, tuple] = {}
        for item in changed:
            for user in concerned_by(item):
                told.setdefault(user.pk, (user, []))[1].append(item)
        for user, items in told.values():
            emails.notify_disruption(visit, user, items=items, reason=reason)
        counts["people"] = len(told)
    return counts


# After the visit ---------------------------------------------------------------


def record_outcome(
    item: ProgrammeItem, *, by, outcome: str, agreed: str = ""
) -> ItemOutcome:
    """One side (the delegation, or the host organization) says what came of an
    item; a second answer from the same side replaces the first."""
    if not permissions.can_record_outcome(by, item):
        raise PermissionDenied
    if outcome not in ItemOutcome.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    side = permissions.outcome_side(by, item)
    result, _created = ItemOutcome.objects.update_or_create(
        item=item,
        side=side,
        defaults={"outcome": outcome, "agreed": agreed, "recorded_by": by},
    )
    record("visits.outcome", item.visit, actor=by, item=item.pk, side=side)
    return result


def remind_outcomes(*, now: dt.datetime | None = None) -> int:
    """The day after a company visit ended, e-mail each side that has not said what
    came of it (the delegation: its members and host; the host organization: its
    editors), once per item; returns how many e-mails were queued."""
    from visits.queries import items_due_outcome_reminder

    now = now or timezone.now()
    due = list(items_due_outcome_reminder(now=now))
    sent = 0
    for item in due:
        sides = {outcome.side for outcome in item.outcomes.all()}
        people = []
        if ItemOutcome.Side.DELEGATION not in sides:
            people += people_of(item.visit)
        if ItemOutcome.Side.HOST not in sides:
            people += editors_of(item.organization_id)
        for user in people:
            sent += emails.remind_outcome(item, user)
    ProgrammeItem.objects.filter(pk__in=[item.pk for item in due]).update(
        outcome_reminded_at=now
    )
    return sent


def add_follow_up(
    visit: Visit, *, by, text: str, owner, due_on: dt.date, item=None
) -> FollowUp:
    """What follows the visit, owned by one person with a due date."""
    _manager_only(by, visit)
    if not text.strip():
        raise ValidationError({"text": _("Say what follows.")})
    if item is not None and item.visit_id != visit.pk:
        raise ValidationError({"item": _("Choose an item of this visit.")})
    follow_up = FollowUp.objects.create(
        visit=visit, text=text.strip(), owner=owner, due_on=due_on, item=item
    )
    record("visits.follow_up", visit, actor=by, follow_up=follow_up.pk)
    return follow_up


def set_follow_up_done(follow_up: FollowUp, *, by, done: bool = True) -> FollowUp:
    """The owner or the host ticks a follow-up off."""
    if not (
        permissions.can_manage_visit(by, follow_up.visit)
        or follow_up.owner_id == getattr(by, "pk", None)
    ):
        raise PermissionDenied
    follow_up.is_done = done
    follow_up.save(update_fields=["is_done", "updated_at"])
    return follow_up
