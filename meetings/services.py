"""Use cases of meetings: requests, proposed times, B2B schedules, disruption."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record
from core.services import check_span
from core.tasks import enqueue
from meetings import permissions, queries, scheduler, tasks
from meetings.models import (
    Availability,
    B2BSession,
    Meeting,
    MeetingRequest,
    ProposedTime,
    SessionParticipant,
    Slot,
    Table,
    WorkingHours,
)
from meetings.queries import session_requests
from meetings.timewindows import within_common_hours

logger = logging.getLogger(__name__)

# How long the organizer waits for the scheduler at most (seconds).
SCHEDULER_TIME_LIMIT = 20.0


def _ttl() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "MIST_MEETING_REQUEST_TTL_HOURS", 72))


# Requests ---------------------------------------------------------------------------


def request_meeting(
    requester,
    *,
    recipient,
    recipient_organization=None,
    requester_organization=None,
    event=None,
    message: str = "",
    priority: int = 1,
    submission=None,
    investment_project=None,
) -> MeetingRequest:
    """Ask `recipient` for a meeting; they are e-mailed; it expires after the TTL.
    It may be about a submission or an investment project the requester may see
    (the journey's link from a call, or from a project, to meetings)."""
    if not permissions.can_request_meeting(requester):
        raise PermissionDenied
    if submission is not None and not queries.may_meet_about_submission(
        requester, submission
    ):
        raise PermissionDenied
    if investment_project is not None and not queries.may_meet_about_project(
        requester, investment_project
    ):
        raise PermissionDenied
    if recipient.pk == requester.pk:
        raise ValidationError(
            {"recipient": _("You cannot ask yourself for a meeting.")}
        )
    duplicate = MeetingRequest.objects.filter(
        requester=requester,
        recipient=recipient,
        event=event,
        status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED],
    )
    if duplicate.exists():
        raise ValidationError(
            {"recipient": _("You already have an open request to this person.")}
        )
    request = MeetingRequest.objects.create(
        requester=requester,
        requester_organization=requester_organization,
        recipient=recipient,
        recipient_organization=recipient_organization,
        event=event,
        message=message,
        priority=max(1, int(priority)),
        expires_at=timezone.now() + _ttl(),
        submission=submission,
        investment_project=investment_project,
    )
    record("meetings.request", request, actor=requester)
    enqueue(tasks.notify_request_task, "received", request.pk, recipient.pk)
    return request


def _answer(request: MeetingRequest, *, by, status: str) -> MeetingRequest:
    # The row is locked and checked again: two answers at once must not both count.
    with transaction.atomic():
        locked = MeetingRequest.objects.select_for_update().get(pk=request.pk)
        if not permissions.can_answer_request(by, locked):
            raise PermissionDenied
        expired = locked.expires_at and locked.expires_at <= timezone.now()
        if expired:
            locked.status = MeetingRequest.Status.EXPIRED
            locked.save(update_fields=["status", "updated_at"])
        else:
            locked.status = status
            locked.responded_at = timezone.now()
            locked.save(update_fields=["status", "responded_at", "updated_at"])
            record(f"meetings.request_{status}", locked, actor=by)
            enqueue(tasks.notify_request_task, status, locked.pk, locked.requester_id)
    request.status, request.responded_at = locked.status, locked.responded_at
    if expired:
        raise ValidationError(_("This request has expired."))
    return request


def accept_request(request: MeetingRequest, *, by) -> MeetingRequest:
    """The recipient agrees to meet (the time comes from proposals or a B2B run)."""
    return _answer(request, by=by, status=MeetingRequest.Status.ACCEPTED)


def decline_request(request: MeetingRequest, *, by) -> MeetingRequest:
    """The recipient says no."""
    return _answer(request, by=by, status=MeetingRequest.Status.DECLINED)


@transaction.atomic
def cancel_request(request: MeetingRequest, *, by) -> MeetingRequest:
    """Either side calls the request off; its meetings are cancelled."""
    if not permissions.can_cancel_request(by, request):
        raise PermissionDenied
    request.status = MeetingRequest.Status.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    request.meetings.update(status=Meeting.Status.CANCELLED, slot=None, table=None)
    request.proposed_times.filter(status=ProposedTime.Status.PROPOSED).update(
        status=ProposedTime.Status.WITHDRAWN
    )
    record("meetings.request_cancelled", request, actor=by)
    other = request.other_side(by)
    enqueue(tasks.notify_request_task, "cancelled", request.pk, other.pk)
    return request


def expire_requests(*, now: dt.datetime | None = None) -> int:
    """Pending requests past their expiry stop blocking; the requester is told."""
    now = now or timezone.now()
    expired = list(
        MeetingRequest.objects.filter(
            status=MeetingRequest.Status.PENDING, expires_at__lte=now
        ).values_list("pk", "requester_id")
    )
    if not expired:
        return 0
    with transaction.atomic():
        MeetingRequest.objects.filter(pk__in=[pk for pk, _ in expired]).update(
            status=MeetingRequest.Status.EXPIRED, updated_at=now
        )
        ProposedTime.objects.filter(
            request_id__in=[pk for pk, _ in expired],
            status=ProposedTime.Status.PROPOSED,
        ).update(status=ProposedTime.Status.WITHDRAWN)
        for pk, requester_id in expired:
            enqueue(tasks.notify_request_task, "expired", pk, requester_id)
    return len(expired)


# Proposed times ---------------------------------------------------------------------


def propose_time(
    request: MeetingRequest, *, by, starts_at: dt.datetime, ends_at: dt.datetime
) -> ProposedTime:
    """Propose a time inside both people's working hours; the other side is told."""
    if not permissions.can_propose_time(by, request):
        raise PermissionDenied
    check_span(starts_at, ends_at)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Propose a time in the future.")})
    if not within_common_hours(
        request.requester, request.recipient, starts_at, ends_at
    ):
        raise ValidationError(
            {
                "starts_at": _(
                    "This time is outside the working hours you both share. "
                    "Pick one of the common windows listed."
                )
            }
        )
    proposed = ProposedTime.objects.create(
        request=request, proposed_by=by, starts_at=starts_at, ends_at=ends_at
    )
    record("meetings.time_proposed", request, actor=by, starts_at=str(starts_at))
    enqueue(tasks.notify_proposed_time_task, proposed.pk, request.other_side(by).pk)
    return proposed


@transaction.atomic
def accept_proposed_time(proposed: ProposedTime, *, by) -> Meeting:
    """The other side takes a proposed time: the request is accepted, a meeting made."""
    if not permissions.can_accept_time(by, proposed):
        raise PermissionDenied
    request = proposed.request
    proposed.status = ProposedTime.Status.ACCEPTED
    proposed.save(update_fields=["status", "updated_at"])
    request.proposed_times.filter(status=ProposedTime.Status.PROPOSED).exclude(
        pk=proposed.pk
    ).update(status=ProposedTime.Status.WITHDRAWN)
    if request.status == MeetingRequest.Status.PENDING:
        request.status = MeetingRequest.Status.ACCEPTED
        request.responded_at = timezone.now()
        request.save(update_fields=["status", "responded_at", "updated_at"])
    meeting = (
        request.meetings.filter(session__isnull=True)
        .exclude(status=Meeting.Status.CANCELLED)
        .first()
    )
    if meeting is None:
        meeting = Meeting(request=request)
    else:
        meeting.sequence += 1
    meeting.starts_at = proposed.starts_at
    meeting.ends_at = proposed.ends_at
    meeting.status = Meeting.Status.SCHEDULED
    meeting.save()
    record("meetings.time_accepted", request, actor=by, meeting=meeting.pk)
    enqueue(tasks.notify_meeting_task, "confirmed", meeting.pk, proposed.proposed_by_id)
    return meeting


# Outcomes ---------------------------------------------------------------------------


def record_outcome(
    meeting: Meeting, *, by, outcome: str, note: str = "", interest=None
) -> Meeting:
    """One side records what came of the meeting (stamped with when); `outcome` holds
    the latest. An expression of interest that followed is linked when the side may
    see it (and it concerns the meeting's investment project, if it has one)."""
    if not permissions.can_record_outcome(by, meeting):
        raise PermissionDenied
    if outcome not in Meeting.Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if interest is not None:
        if outcome != Meeting.Outcome.INTEREST:
            raise ValidationError(
                {"interest": _("Link an interest only to “Expression of interest”.")}
            )
        if (
            not queries.interests_for_outcome(by, meeting)
            .filter(pk=interest.pk)
            .exists()
        ):
            raise ValidationError(
                {"interest": _("Choose one of the expressions of interest listed.")}
            )
    now = timezone.now()
    if by.pk == meeting.request.requester_id:
        meeting.requester_outcome = outcome
        meeting.requester_outcome_at = now
    else:
        meeting.recipient_outcome = outcome
        meeting.recipient_outcome_at = now
    meeting.outcome = outcome
    if note:
        meeting.outcome_note = note
    if interest is not None:
        meeting.interest = interest
    meeting.save(
        update_fields=[
            "requester_outcome",
            "recipient_outcome",
            "requester_outcome_at",
            "recipient_outcome_at",
            "outcome",
            "outcome_note",
            "interest",
            "updated_at",
        ]
    )
    record(
        "meetings.outcome",
        meeting,
        actor=by,
        outcome=outcome,
        interest=interest.pk if interest is not None else None,
    )
    return meeting


def remind_outcomes(*, now: dt.datetime | None = None) -> int:
    """The day after a meeting ended, e-mail each side that has not said what came of
    it, once per meeting; returns how many e-mails were queued."""
    now = now or timezone.now()
    due = list(queries.meetings_due_outcome_reminder(now=now))
    sent = 0
    for meeting in due:
        people = []
        if meeting.requester_outcome_at is None:
            people.append(meeting.request.requester_id)
        if meeting.recipient_outcome_at is None:
            people.append(meeting.request.recipient_id)
        for user_id in people:
            enqueue(tasks.notify_outcome_reminder_task, meeting.pk, user_id)
            sent += 1
    Meeting.objects.filter(pk__in=[m.pk for m in due]).update(outcome_reminded_at=now)
    return sent


def set_working_hours(user, rows: list[tuple[int, dt.time, dt.time]]) -> None:
    """Replace the user's working hours with `rows` (weekday, start, end)."""
    for _weekday, start, end in rows:
        if end <= start:
            raise ValidationError(_("Each end time must be after its start time."))
    with transaction.atomic():
        WorkingHours.objects.filter(user=user).delete()
        WorkingHours.objects.bulk_create(
            WorkingHours(user=user, weekday=w, start=s, end=e) for w, s, e in rows
        )


# B2B sessions -----------------------------------------------------------------------


def _organizer_only(user, session: B2BSession) -> None:
    if not permissions.can_organize_session(user, session):
        raise PermissionDenied


def create_session(
    event,
    *,
    by,
    title: str,
    slot_minutes: int = 20,
    rule: str = B2BSession.Rule.ACROSS_GROUPS,
) -> B2BSession:
    """A B2B session at an event, run by its organizer."""
    if not permissions.can_create_session(by, event):
        raise PermissionDenied
    session = B2BSession.objects.create(
        event=event, title=title, slot_minutes=slot_minutes, rule=rule, created_by=by
    )
    record("meetings.session_created", session, actor=by)
    return session


def add_slots(
    session: B2BSession, *, by, starts_at: dt.datetime, ends_at: dt.datetime
) -> list[Slot]:
    """Cut [starts_at, ends_at) into slots of the session's length."""
    _organizer_only(by, session)
    check_span(starts_at, ends_at)
    length = dt.timedelta(minutes=session.slot_minutes)
    slots = []
    start = starts_at
    while start + length <= ends_at:
        slots.append(Slot(session=session, starts_at=start, ends_at=start + length))
        start += length
    if not slots:
        raise ValidationError({"ends_at": _("The range is shorter than one slot.")})
    slots = Slot.objects.bulk_create(slots)
    # Everyone is available in a new slot until they untick it.
    Availability.objects.bulk_create(
        Availability(participant=p, slot=s)
        for p in session.participants.all()
        for s in slots
    )
    return slots


def _available_everywhere(participant: SessionParticipant) -> None:
    """A new participant starts available in every open slot (they untick some)."""
    Availability.objects.bulk_create(
        Availability(participant=participant, slot=s)
        for s in participant.session.slots.filter(is_disrupted=False)
    )


def add_tables(
    session: B2BSession, *, by, count: int, capacity: int = 1
) -> list[Table]:
    """Add `count` tables named by number after the existing ones."""
    _organizer_only(by, session)
    start = session.tables.count()
    return Table.objects.bulk_create(
        Table(session=session, name=str(start + i + 1), capacity=capacity)
        for i in range(count)
    )


def add_participant(
    session: B2BSession, *, by, user, organization=None, group: str
) -> SessionParticipant:
    """Add a person to the session in a group (delegation or local)."""
    _organizer_only(by, session)
    participant, created = SessionParticipant.objects.update_or_create(
        session=session,
        user=user,
        defaults={"organization": organization, "group": group},
    )
    if created:
        _available_everywhere(participant)
    return participant


def group_of(registration) -> str:
    """Guests whose organization is abroad form the delegation; everyone else
    (no organization, or one at home) is local."""
    organization = registration.organization
    country = str(organization.country or "") if organization is not None else ""
    if country not in ("", settings.MIST_HOME_COUNTRY):
        return SessionParticipant.Group.DELEGATION
    return SessionParticipant.Group.LOCAL


def add_registered_participants(session: B2BSession, *, by) -> int:
    """Add every confirmed registration of the event, grouped by `group_of`."""
    from events.models import Registration

    _organizer_only(by, session)
    added = 0
    registrations = Registration.objects.filter(
        event=session.event, status=Registration.Status.CONFIRMED
    ).select_related("organization", "user")
    for registration in registrations:
        participant, created = SessionParticipant.objects.get_or_create(
            session=session,
            user=registration.user,
            defaults={
                "organization": registration.organization,
                "group": group_of(registration),
            },
        )
        if created:
            _available_everywhere(participant)
            added += 1
    return added


def set_availability(participant: SessionParticipant, *, by, slot_ids) -> None:
    """The participant (or the organizer) marks the slots they can meet in."""
    if by.pk != participant.user_id and not permissions.can_organize_session(
        by, participant.session
    ):
        raise PermissionDenied
    slot_ids = set(
        Slot.objects.filter(session=participant.session, pk__in=slot_ids).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        participant.availabilities.exclude(slot_id__in=slot_ids).delete()
        have = set(participant.availabilities.values_list("slot_id", flat=True))
        Availability.objects.bulk_create(
            Availability(participant=participant, slot_id=s) for s in slot_ids - have
        )


def may_meet(session: B2BSession, group_a: str, group_b: str) -> bool:
    """The session's who-may-meet rule for two participants' groups."""
    if session.rule == B2BSession.Rule.ACROSS_GROUPS:
        return group_a != group_b
    return True


def start_scheduler(session: B2BSession, *, by) -> None:
    """Queue a scheduler run; the page polls `run_progress`."""
    _organizer_only(by, session)
    updated = (
        B2BSession.objects.filter(pk=session.pk)
        .exclude(run_status=B2BSession.RunStatus.RUNNING)
        .update(run_status=B2BSession.RunStatus.RUNNING, run_progress=0)
    )
    if not updated:
        raise ValidationError(_("The scheduler is already running."))
    session.run_status = B2BSession.RunStatus.RUNNING
    record("meetings.scheduler_started", session, actor=by)
    enqueue(tasks.run_scheduler_task, session.pk, by.pk)


def _instance(session: B2BSession, *, slots, keep_fixed=()):
    """The scheduler's input from the database: only allowed pairs are passed."""
    participants = list(session.participants.all())
    group = {p.user_id: p.group for p in participants}
    slot_ids = {s.pk for s in slots}
    available: dict[int, set] = {p.user_id: set() for p in participants}
    for user_id, slot_id in Availability.objects.filter(
        participant__session=session
    ).values_list("participant__user_id", "slot_id"):
        if slot_id in slot_ids:
            available[user_id].add(slot_id)
    requests = []
    for request in session_requests(session):
        allowed = may_meet(
            session, group[request.requester_id], group[request.recipient_id]
        )
        requests.append(
            scheduler.Request(
                request.pk,
                (request.requester_id, request.recipient_id),
                request.priority,
                allowed,
            )
        )
    # Pinned meetings' people are available in their own slot even if they unticked it.
    for meeting in keep_fixed:
        for uid in (meeting.request.requester_id, meeting.request.recipient_id):
            available.setdefault(uid, set()).add(meeting.slot_id)
    return (
        [scheduler.Slot(s.pk, s.starts_at, s.ends_at) for s in slots],
        [scheduler.Table(t.pk, t.capacity) for t in session.tables.all()],
        [scheduler.Participant(uid, frozenset(s)) for uid, s in available.items()],
        requests,
    )


def _save_schedule(session, result, slots_by_id, *, only=None) -> dict[str, list]:
    """Write the result into Meeting rows; returns meeting ids by what happened."""
    existing = {
        m.request_id: m
        for m in session.meetings.exclude(status=Meeting.Status.CANCELLED)
    }
    changes: dict[str, list] = {"scheduled": [], "moved": [], "postponed": []}
    request_ids = set(result.assignments) | (
        set(only) if only is not None else set(existing)
    )
    for request_id in request_ids:
        meeting = existing.get(request_id)
        if request_id in result.assignments:
            slot_id, table_id = result.assignments[request_id]
            slot = slots_by_id[slot_id]
            if meeting is None:
                meeting = Meeting(request_id=request_id, session=session)
                kind = "scheduled"
            elif (
                meeting.slot_id == slot_id
                and meeting.table_id == table_id
                and meeting.status == Meeting.Status.SCHEDULED
            ):
                continue
            else:
                meeting.sequence += 1
                kind = "moved" if meeting.slot_id else "scheduled"
            meeting.slot_id, meeting.table_id = slot_id, table_id
            meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
            meeting.status = Meeting.Status.SCHEDULED
            meeting.save()
            changes[kind].append(meeting.pk)
        elif meeting is not None and meeting.status != Meeting.Status.POSTPONED:
            meeting.status = Meeting.Status.POSTPONED
            meeting.slot = meeting.table = None
            meeting.is_pinned = False
            meeting.sequence += 1
            meeting.save()
            changes["postponed"].append(meeting.pk)
    return changes


def _notify_changes(changes: dict[str, list]) -> None:
    for kind, meeting_ids in changes.items():
        for meeting in Meeting.objects.filter(pk__in=meeting_ids).select_related(
            "request"
        ):
            for user_id in (meeting.request.requester_id, meeting.request.recipient_id):
                enqueue(tasks.notify_meeting_task, kind, meeting.pk, user_id)


def schedule_session(
    session: B2BSession, *, by=None, notify: bool = True
) -> scheduler.Result:
    """Run the scheduler on the session's accepted requests, around pinned meetings;
    everyone whose meeting is new, moved or postponed is e-mailed (unless `notify`
    is off, as for demo data)."""
    slots = list(session.slots.filter(is_disrupted=False))
    slots_by_id = {s.pk: s for s in slots}
    pinned = list(
        session.meetings.filter(
            is_pinned=True, status=Meeting.Status.SCHEDULED, slot_id__in=slots_by_id
        ).select_related("request")
    )
    instance = _instance(session, slots=slots, keep_fixed=pinned)
    pins = [scheduler.Pin(m.request_id, m.slot_id, m.table_id) for m in pinned]

    def progress(fraction: float) -> None:
        B2BSession.objects.filter(pk=session.pk).update(
            run_progress=int(fraction * 100)
        )

    try:
        result = scheduler.solve(
            *instance, pins=pins, time_limit=SCHEDULER_TIME_LIMIT, progress=progress
        )
    except Exception:
        logger.exception("Scheduler failed for session %s", session.pk)
        B2BSession.objects.filter(pk=session.pk).update(
            run_status=B2BSession.RunStatus.FAILED
        )
        raise
    with transaction.atomic():
        changes = _save_schedule(session, result, slots_by_id)
        summary = {
            "requests": len(instance[3]),
            "scheduled": len(result.assignments),
            "unscheduled": len(result.unscheduled),
            "objective": result.objective,
            "bound": result.bound,
            "status": result.status,
            "seconds": round(result.seconds, 2),
            "finished_at": timezone.now().isoformat(),
        }
        B2BSession.objects.filter(pk=session.pk).update(
            run_status=B2BSession.RunStatus.DONE, run_progress=100, run_summary=summary
        )
        session.run_status, session.run_summary = B2BSession.RunStatus.DONE, summary
        record("meetings.scheduled", session, actor=by, **summary)
        if notify:
            _notify_changes(changes)
    return result


def set_pinned(meeting: Meeting, *, by, pinned: bool) -> Meeting:
    """Pin a meeting to its slot and table (reruns keep it) or release it."""
    _organizer_only(by, meeting.session)
    if pinned and meeting.slot_id is None:
        raise ValidationError(_("Only a meeting with a slot can be pinned."))
    meeting.is_pinned = pinned
    meeting.save(update_fields=["is_pinned", "updated_at"])
    record("meetings.pinned" if pinned else "meetings.unpinned", meeting, actor=by)
    return meeting


def move_meeting(meeting: Meeting, *, by, slot: Slot, table: Table) -> Meeting:
    """Put a meeting by hand into a slot and table, pinned there."""
    _organizer_only(by, meeting.session)
    if slot.session_id != meeting.session_id or table.session_id != meeting.session_id:
        raise ValidationError(_("That slot or table belongs to another session."))
    people = (meeting.request.requester_id, meeting.request.recipient_id)
    busy = Meeting.objects.filter(
        session=meeting.session, slot=slot, status=Meeting.Status.SCHEDULED
    ).exclude(pk=meeting.pk)
    if (
        busy.filter(request__requester_id__in=people).exists()
        or busy.filter(request__recipient_id__in=people).exists()
    ):
        raise ValidationError(_("One of the two already has a meeting in that slot."))
    if busy.filter(table=table).count() >= table.capacity:
        raise ValidationError(_("That table is full in that slot."))
    meeting.slot, meeting.table = slot, table
    meeting.starts_at, meeting.ends_at = slot.starts_at, slot.ends_at
    meeting.status = Meeting.Status.SCHEDULED
    meeting.is_pinned = True
    meeting.sequence += 1
    meeting.save()
    record("meetings.moved", meeting, actor=by, slot=slot.pk, table=table.pk)
    _notify_changes({"moved": [meeting.pk]})
    return meeting


def disrupted_meetings(session: B2BSession, starts_at, ends_at):
    """Scheduled meetings whose slot overlaps [starts_at, ends_at)."""
    return session.meetings.filter(
        status=Meeting.Status.SCHEDULED,
        slot__starts_at__lt=ends_at,
        slot__ends_at__gt=starts_at,
    ).select_related("request", "slot")


def handle_disruption(
    session: B2BSession, *, by, starts_at: dt.datetime, ends_at: dt.datetime
) -> dict[str, int]:
    """Mark the slots in the range lost and move every meeting in them, in one action.

    Meetings outside the range stay where they are (as pins); the affected ones go to
    free slots after the range, or are postponed when none is left. Everyone affected
    is e-mailed.
    """
    _organizer_only(by, session)
    check_span(starts_at, ends_at)
    with transaction.atomic():
        lost = session.slots.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
        affected = list(disrupted_meetings(session, starts_at, ends_at))
        lost.update(is_disrupted=True)
        Meeting.objects.filter(pk__in=[m.pk for m in affected]).update(is_pinned=False)
    affected_ids = {m.request_id for m in affected}
    later = list(session.slots.filter(is_disrupted=False, starts_at__gte=ends_at))
    slots_by_id = {s.pk: s for s in later}
    kept = list(
        session.meetings.filter(
            status=Meeting.Status.SCHEDULED, slot_id__in=slots_by_id
        ).select_related("request")
    )
    slots, tables, people, requests = _instance(session, slots=later, keep_fixed=kept)
    kept_ids = {m.request_id for m in kept}
    requests = [r for r in requests if r.id in affected_ids or r.id in kept_ids]
    # Affected meetings were allowed once; the rule may not drop them now.
    requests = [
        scheduler.Request(r.id, r.participants, r.weight, True)
        if r.id in affected_ids
        else r
        for r in requests
    ]
    pins = [scheduler.Pin(m.request_id, m.slot_id, m.table_id) for m in kept]
    result = scheduler.solve(
        slots, tables, people, requests, pins=pins, time_limit=SCHEDULER_TIME_LIMIT
    )
    with transaction.atomic():
        changes = _save_schedule(session, result, slots_by_id, only=affected_ids)
        counts = {
            "moved": len(changes["moved"]),
            "postponed": len(changes["postponed"]),
        }
        record(
            "meetings.disruption",
            session,
            actor=by,
            starts_at=starts_at.isoformat(),
            ends_at=ends_at.isoformat(),
            **counts,
        )
        _notify_changes(changes)
        people_ids = {
            uid
            for m in affected
            for uid in (m.request.requester_id, m.request.recipient_id)
        }
        for user_id in sorted(people_ids):
            enqueue(
                tasks.notify_disruption_task,
                session.pk,
                user_id,
                counts["moved"],
                counts["postponed"],
            )
    counts["affected"] = len(affected)
    return counts
