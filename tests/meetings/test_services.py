"""Services of the meetings app: requests, proposed times, B2B runs, disruption."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from meetings import services
from meetings.models import B2BSession, Meeting, MeetingRequest, ProposedTime
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory

pytestmark = pytest.mark.django_db(transaction=False)

UTC = dt.UTC


def weekdays(start, end):
    return [(d, dt.time(start), dt.time(end)) for d in range(5)]


def test_request_meeting_emails_the_recipient(
    kyiv_user, denver_user, django_capture_on_commit_callbacks
):
    kyiv_user.preferred_language = "uk"
    kyiv_user.save()

    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_meeting(
            denver_user, recipient=kyiv_user, message="Pilot in Kharkiv?"
        )

    assert request.status == MeetingRequest.Status.PENDING
    assert request.expires_at == pytest.approx(
        timezone.now() + dt.timedelta(hours=72), abs=dt.timedelta(minutes=1)
    )
    assert [m.to for m in mail.outbox] == [[kyiv_user.email]]
    assert denver_user.get_full_name() in mail.outbox[0].subject
    assert "Pilot in Kharkiv?" in mail.outbox[0].body


def test_request_meeting_refuses_yourself_and_duplicates(kyiv_user, pending):
    with pytest.raises(ValidationError):
        services.request_meeting(kyiv_user, recipient=kyiv_user)
    with pytest.raises(ValidationError):
        services.request_meeting(pending.requester, recipient=pending.recipient)


def test_only_the_recipient_accepts(pending, denver_user, kyiv_user):
    with pytest.raises(PermissionDenied):
        services.accept_request(pending, by=denver_user)

    services.accept_request(pending, by=kyiv_user)

    pending.refresh_from_db()
    assert pending.status == MeetingRequest.Status.ACCEPTED
    assert pending.responded_at is not None


def test_decline_tells_the_requester(
    pending, kyiv_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_request(pending, by=kyiv_user)

    assert pending.status == MeetingRequest.Status.DECLINED
    assert mail.outbox[0].to == [pending.requester.email]
    assert "declined" in mail.outbox[0].subject


def test_expired_requests_stop_blocking(pending, kyiv_user):
    pending.expires_at = timezone.now() - dt.timedelta(minutes=1)
    pending.save()
    fresh = MeetingRequestFactory()

    count = services.expire_requests()

    pending.refresh_from_db()
    fresh.refresh_from_db()
    assert count == 1
    assert pending.status == MeetingRequest.Status.EXPIRED
    assert fresh.status == MeetingRequest.Status.PENDING
    with pytest.raises(PermissionDenied):
        services.accept_request(pending, by=kyiv_user)


def test_expire_command_prints_a_summary(pending):
    from io import StringIO

    from django.core.management import call_command

    pending.expires_at = timezone.now() - dt.timedelta(hours=1)
    pending.save()
    out = StringIO()

    call_command("expire_meeting_requests", stdout=out)

    assert out.getvalue().strip() == "1 meeting request(s) expired."


def test_propose_time_outside_common_hours_is_refused(pending, kyiv_user, denver_user):
    services.set_working_hours(kyiv_user, weekdays(9, 18))
    services.set_working_hours(denver_user, weekdays(9, 18))
    start = dt.datetime(2031, 1, 13, 12, tzinfo=UTC)  # a Monday, winter: no overlap

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.propose_time(
            pending,
            by=denver_user,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
        )

    assert "outside the working hours" in error.value.message_dict["starts_at"][0]


def test_accepting_a_proposed_time_makes_a_meeting(
    pending, kyiv_user, denver_user, django_capture_on_commit_callbacks
):
    services.set_working_hours(kyiv_user, weekdays(9, 19))
    services.set_working_hours(denver_user, weekdays(8, 17))
    start = dt.datetime(2031, 1, 13, 15, tzinfo=UTC)  # 17:00 Kyiv, 08:00 Denver
    with django_capture_on_commit_callbacks(execute=True):
        proposed = services.propose_time(
            pending,
            by=denver_user,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
        )
    with pytest.raises(PermissionDenied):
        services.accept_proposed_time(proposed, by=denver_user)

    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.accept_proposed_time(proposed, by=kyiv_user)

    pending.refresh_from_db()
    assert pending.status == MeetingRequest.Status.ACCEPTED
    assert meeting.starts_at == start
    assert ProposedTime.objects.get().status == ProposedTime.Status.ACCEPTED
    proposal_mail, confirmation = mail.outbox
    assert proposal_mail.to == [kyiv_user.email]
    # In Olena's language (Ukrainian month names) and zone; Jim's time beside it.
    assert "13 січня 2031, 17:00 (Europe/Kyiv)" in proposal_mail.body
    assert "08:00 (America/Denver)" in proposal_mail.body
    assert confirmation.to == [denver_user.email]
    assert "08:00 (America/Denver)" in confirmation.body


def test_cancel_request_cancels_its_meetings(kyiv_user):
    meeting = MeetingFactory(request__recipient=kyiv_user)

    services.cancel_request(meeting.request, by=kyiv_user)

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_record_outcome_per_side(kyiv_user):
    meeting = MeetingFactory(request__recipient=kyiv_user)
    stranger = UserFactory()

    services.record_outcome(meeting, by=kyiv_user, outcome="partnership")
    with pytest.raises(PermissionDenied):
        services.record_outcome(meeting, by=stranger, outcome="nothing")

    meeting.refresh_from_db()
    assert (meeting.recipient_outcome, meeting.requester_outcome) == ("partnership", "")
    assert meeting.outcome == "partnership"


# B2B --------------------------------------------------------------------------------


def scheduled(session):
    return {
        m.request_id: (m.slot_id, m.table_id)
        for m in session.meetings.filter(status=Meeting.Status.SCHEDULED)
    }


def test_schedule_session_respects_rules_and_people(b2b, editor):
    session = b2b["session"]

    result = services.schedule_session(session, by=editor)

    plan = scheduled(session)
    assert set(plan) == {r.pk for r in b2b["requests"]}
    assert b2b["forbidden"].pk not in plan
    # Delegate 0 has two meetings: they are in different slots.
    first, second = b2b["requests"][0].pk, b2b["requests"][1].pk
    assert plan[first][0] != plan[second][0]
    # One table: never two meetings in one slot.
    assert len({slot for slot, _t in plan.values()}) == 3
    session.refresh_from_db()
    assert session.run_status == B2BSession.RunStatus.DONE
    assert session.run_summary["scheduled"] == 3
    assert result.status == "OPTIMAL"


def test_start_scheduler_runs_in_the_background(
    b2b, editor, django_capture_on_commit_callbacks
):
    session = b2b["session"]

    with django_capture_on_commit_callbacks(execute=True):
        services.start_scheduler(session, by=editor)

    session.refresh_from_db()
    assert session.run_progress == 100
    assert len(scheduled(session)) == 3
    # Each of the six people of the three meetings is told.
    assert len(mail.outbox) == 6


def test_rerun_keeps_pinned_meetings(b2b, editor):
    session = b2b["session"]
    services.schedule_session(session, by=editor)
    meeting = session.meetings.get(request=b2b["requests"][2])
    end = b2b["slots"][-1].ends_at
    (last,) = services.add_slots(
        session, by=editor, starts_at=end, ends_at=end + dt.timedelta(minutes=20)
    )
    # Nobody ticked the new slot: a hand-placed meeting may still go there.
    services.move_meeting(meeting, by=editor, slot=last, table=session.tables.get())

    services.schedule_session(session, by=editor)

    meeting.refresh_from_db()
    assert meeting.is_pinned
    assert meeting.slot_id == last.pk
    assert len(scheduled(session)) == 3


def test_only_organizers_run_the_scheduler(b2b):
    with pytest.raises(PermissionDenied):
        services.start_scheduler(b2b["session"], by=b2b["delegates"][0].user)


def test_disruption_moves_affected_meetings_later_or_postpones(
    b2b, editor, django_capture_on_commit_callbacks
):
    session = b2b["session"]
    services.schedule_session(session, by=editor)
    first_slot = b2b["slots"][0]
    hit = session.meetings.get(slot=first_slot)
    untouched = {m.pk: m.slot_id for m in session.meetings.exclude(pk=hit.pk)}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.handle_disruption(
            session,
            by=editor,
            starts_at=first_slot.starts_at,
            ends_at=first_slot.ends_at,
        )

    hit.refresh_from_db()
    first_slot.refresh_from_db()
    assert first_slot.is_disrupted
    # Slots 2 and 3 are full (one table), so the hit meeting is postponed.
    assert counts == {"moved": 0, "postponed": 1, "affected": 1}
    assert hit.status == Meeting.Status.POSTPONED
    assert {m.pk: m.slot_id for m in session.meetings.exclude(pk=hit.pk)} == untouched
    told = sorted(address for m in mail.outbox for address in m.to)
    expected = sorted([hit.request.requester.email, hit.request.recipient.email] * 2)
    assert told == expected


def test_disruption_moves_into_a_free_later_slot(b2b, editor):
    session = b2b["session"]
    services.add_tables(session, by=editor, count=1)
    services.schedule_session(session, by=editor)
    first_slot = b2b["slots"][0]
    hit = list(session.meetings.filter(slot=first_slot))

    counts = services.handle_disruption(
        session, by=editor, starts_at=first_slot.starts_at, ends_at=first_slot.ends_at
    )

    assert counts["affected"] == len(hit)
    assert counts["moved"] == len(hit)
    assert counts["postponed"] == 0
    for meeting in hit:
        meeting.refresh_from_db()
        assert meeting.slot.starts_at >= first_slot.ends_at
    plan = scheduled(session)
    people_slots = [
        (uid, slot)
        for request_id, (slot, _t) in plan.items()
        for uid in MeetingRequest.objects.filter(pk=request_id).values_list(
            "requester_id", "recipient_id"
        )[0]
    ]
    assert len(people_slots) == len(set(people_slots))
