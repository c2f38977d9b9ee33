"""Use cases of delegation visits, against the database."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.visits.factories import (
    ProgrammeItemFactory,
    VisitFactory,
    VisitInvitationFactory,
    site_time,
)
from visits import services
from visits.models import ItemOutcome, ProgrammeItem, Visit, VisitInvitation


def test_create_visit_is_for_staff_and_starts_as_draft(host):
    partner = OrganizationFactory(country="US")

    visit = services.create_visit(
        by=host,
        organization=partner,
        title_uk="Візит",
        title_en="Visit",
        starts_on=dt.date(2031, 5, 12),
        ends_on=dt.date(2031, 5, 14),
    )

    assert visit.status == Visit.Status.DRAFT
    assert visit.host == host
    with pytest.raises(PermissionDenied):
        services.create_visit(
            by=UserFactory(role=Role.EDITOR),
            organization=partner,
            title_uk="Візит",
            title_en="Visit",
            starts_on=dt.date(2031, 5, 12),
            ends_on=dt.date(2031, 5, 14),
        )


def test_create_visit_rejects_last_day_before_first(host):
    with pytest.raises(ValidationError) as error:
        services.create_visit(
            by=host,
            organization=OrganizationFactory(),
            title_uk="Візит",
            title_en="Visit",
            starts_on=dt.date(2031, 5, 12),
            ends_on=dt.date(2031, 5, 10),
        )

    assert "ends_on" in error.value.error_dict


def test_add_member_twice_is_refused(visit, host):
    person = UserFactory()
    services.add_member(visit, by=host, user=person)

    with pytest.raises(ValidationError):
        services.add_member(visit, by=host, user=person)

    assert list(visit.members.values_list("user_id", flat=True)) == [person.pk]


def test_status_follows_the_allowed_transitions(visit, host):
    services.set_status(visit, Visit.Status.DONE, by=host)

    assert visit.status == Visit.Status.DONE
    with pytest.raises(ValidationError):
        services.set_status(visit, Visit.Status.CANCELLED, by=host)


def test_add_item_outside_the_visit_days_is_refused(visit, host):
    before = site_time(visit.starts_on - dt.timedelta(days=1), 10)

    with pytest.raises(ValidationError) as error:
        services.add_item(
            visit,
            by=host,
            kind=ProgrammeItem.Kind.MEAL,
            title_uk="Обід",
            starts_at=before,
            ends_at=before + dt.timedelta(hours=1),
        )

    assert "starts_at" in error.value.error_dict
    assert visit.items.count() == 0


def test_moving_an_item_raises_sequences_and_tells_everyone_concerned(
    visit, host, member, local_org, local_editor, django_capture_on_commit_callbacks
):
    item = ProgrammeItemFactory(visit=visit, organization=local_org)
    before = visit.sequence
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_item(
            item,
            by=host,
            starts_at=item.starts_at + dt.timedelta(hours=1),
            ends_at=item.ends_at + dt.timedelta(hours=1),
        )

    item.refresh_from_db()
    visit.refresh_from_db()
    assert item.sequence == 1
    assert visit.sequence == before + 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([host.email, member.email, local_editor.email])
    to_ann = next(m for m in mail.outbox if m.to == [member.email])
    assert "your time" in to_ann.body
    assert "America/Los_Angeles" in to_ann.body


def test_only_the_host_or_staff_change_the_programme(visit, member):
    item = ProgrammeItemFactory(visit=visit)

    with pytest.raises(PermissionDenied):
        services.cancel_item(item, by=member)

    item.refresh_from_db()
    assert item.status == ProgrammeItem.Status.SCHEDULED


def test_invite_e_mails_the_editors_and_accepting_adds_a_company_visit(
    visit, host, local_org, local_editor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    starts = site_time(visit.starts_on, 14)

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_organization(
            visit,
            by=host,
            organization=local_org,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            reasons="Both work on robotics",
        )

    assert [m.to for m in mail.outbox] == [[local_editor.email]]
    assert "Both work on robotics" in mail.outbox[0].body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answered = services.answer_invitation(invitation, by=local_editor, accept=True)

    assert answered.status == VisitInvitation.Status.ACCEPTED
    assert answered.answered_by == local_editor
    item = answered.item
    assert item.kind == ProgrammeItem.Kind.COMPANY_VISIT
    assert item.organization == local_org
    assert (item.starts_at, item.ends_at) == (starts, starts + dt.timedelta(hours=1))
    assert [m.to for m in mail.outbox] == [[host.email]]


def test_declining_adds_nothing_and_a_second_answer_is_refused(
    visit, local_org, local_editor
):
    invitation = VisitInvitationFactory(visit=visit, organization=local_org)

    services.answer_invitation(invitation, by=local_editor, accept=False)

    assert visit.items.count() == 0
    with pytest.raises(PermissionDenied):
        services.answer_invitation(invitation, by=local_editor, accept=True)


def test_only_the_invited_organizations_editors_answer(visit, local_org):
    invitation = VisitInvitationFactory(visit=visit, organization=local_org)
    elsewhere = UserFactory()
    MembershipFactory(user=elsewhere, organization=OrganizationFactory())

    with pytest.raises(PermissionDenied):
        services.answer_invitation(invitation, by=elsewhere, accept=True)


def test_inviting_the_same_organization_twice_while_pending_is_refused(
    visit, host, local_org
):
    VisitInvitationFactory(visit=visit, organization=local_org)
    starts = site_time(visit.starts_on, 16)

    with pytest.raises(ValidationError):
        services.invite_organization(
            visit,
            by=host,
            organization=local_org,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
        )


def _day_items(visit):
    day = visit.starts_on
    morning = ProgrammeItemFactory(
        visit=visit, starts_at=site_time(day, 10), ends_at=site_time(day, 11)
    )
    lunch = ProgrammeItemFactory(
        visit=visit,
        kind=ProgrammeItem.Kind.MEAL,
        starts_at=site_time(day, 13),
        ends_at=site_time(day, 14),
    )
    factory = ProgrammeItemFactory(
        visit=visit, starts_at=site_time(day, 15), ends_at=site_time(day, 17)
    )
    dinner = ProgrammeItemFactory(
        visit=visit,
        kind=ProgrammeItem.Kind.MEAL,
        starts_at=site_time(day, 19),
        ends_at=site_time(day, 20, 30),
    )
    return morning, lunch, factory, dinner


def test_disruption_moves_the_afternoon_later_and_postpones_what_no_longer_fits(
    visit, host, member, django_capture_on_commit_callbacks
):
    morning, lunch, factory, dinner = _day_items(visit)
    day = visit.starts_on
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.apply_disruption(
            visit,
            by=host,
            starts_at=site_time(day, 13, 30),
            ends_at=site_time(day, 17, 30),
            reason="air-raid alert",
        )

    for item in (morning, lunch, factory, dinner):
        item.refresh_from_db()
    assert (morning.starts_at, morning.sequence) == (site_time(day, 10), 0)
    assert (lunch.starts_at, lunch.ends_at) == (
        site_time(day, 17, 30),
        site_time(day, 18, 30),
    )
    assert (factory.starts_at, factory.ends_at) == (
        site_time(day, 18, 30),
        site_time(day, 20, 30),
    )
    assert dinner.status == ProgrammeItem.Status.POSTPONED
    assert dinner.starts_at == site_time(day, 19)
    assert (lunch.sequence, factory.sequence, dinner.sequence) == (1, 1, 1)
    assert counts["moved"] == 2
    assert counts["postponed"] == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([host.email, member.email])
    to_ann = next(m for m in mail.outbox if m.to == [member.email])
    assert "air-raid alert" in to_ann.subject
    assert "postponed" in to_ann.body


def test_disruption_with_nothing_in_range_changes_nothing(visit, host):
    morning, *_rest = _day_items(visit)
    day = visit.starts_on

    counts = services.apply_disruption(
        visit, by=host, starts_at=site_time(day, 7), ends_at=site_time(day, 8)
    )

    morning.refresh_from_db()
    assert (counts["moved"], counts["postponed"]) == (0, 0)
    assert morning.sequence == 0


def test_disruption_moves_the_linked_b2b_sessions_meetings(
    visit, host, member, local_org, local_editor
):
    from meetings.models import Meeting, MeetingRequest
    from tests.events.factories import EventFactory

    day = visit.starts_on
    event = EventFactory(
        organizer=OrganizationFactory(),
        starts_at=site_time(day, 9),
        ends_at=site_time(day, 18),
    )
    VisitInvitationFactory(
        visit=visit, organization=local_org, status=VisitInvitation.Status.ACCEPTED
    )
    item = services.add_b2b_session(
        visit,
        by=host,
        event=event,
        starts_at=site_time(day, 14),
        ends_at=site_time(day, 16),
        slot_minutes=30,
    )
    session = item.session
    assert set(session.participants.values_list("user_id", "group")) == {
        (member.pk, "delegation"),
        (local_editor.pk, "local"),
    }
    request = MeetingRequest.objects.create(
        requester=member, recipient=local_editor, event=event, status="accepted"
    )
    first = session.slots.order_by("starts_at").first()
    Meeting.objects.create(
        request=request,
        session=session,
        slot=first,
        table=session.tables.first(),
        starts_at=first.starts_at,
        ends_at=first.ends_at,
    )

    counts = services.apply_disruption(
        visit, by=host, starts_at=site_time(day, 14), ends_at=site_time(day, 14, 30)
    )

    meeting = Meeting.objects.get(request=request)
    assert counts["meetings_moved"] == 1
    assert meeting.starts_at == site_time(day, 14, 30)
    item.refresh_from_db()
    assert item.sequence == 1


def test_outcomes_come_from_both_sides(visit, member, local_org, local_editor):
    start = timezone.now() - dt.timedelta(hours=3)
    visit.starts_on = timezone.localdate(start)
    visit.save()
    item = ProgrammeItemFactory(
        visit=visit,
        organization=local_org,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )

    services.record_outcome(
        item, by=member, outcome="follow_up", agreed="A pilot in May"
    )
    services.record_outcome(item, by=local_editor, outcome="partnership")
    services.record_outcome(item, by=member, outcome="partnership", agreed="A pilot")

    sides = dict(item.outcomes.values_list("side", "outcome"))
    assert sides == {
        ItemOutcome.Side.DELEGATION: "partnership",
        ItemOutcome.Side.HOST: "partnership",
    }
    assert item.outcomes.get(side="delegation").agreed == "A pilot"


def test_outcome_before_the_item_or_from_an_outsider_is_refused(visit, member):
    item = ProgrammeItemFactory(visit=visit)  # in ten days

    with pytest.raises(PermissionDenied):
        services.record_outcome(item, by=member, outcome="nothing")
    item.starts_at = timezone.now() - dt.timedelta(hours=2)
    item.ends_at = timezone.now() - dt.timedelta(hours=1)
    item.save()
    with pytest.raises(PermissionDenied):
        services.record_outcome(item, by=UserFactory(), outcome="nothing")


def test_follow_ups_need_text_and_the_owner_ticks_them_off(visit, host, member):
    with pytest.raises(ValidationError):
        services.add_follow_up(
            visit, by=host, text="  ", owner=member, due_on=dt.date(2031, 6, 1)
        )

    follow_up = services.add_follow_up(
        visit, by=host, text="Send the NDA", owner=member, due_on=dt.date(2031, 6, 1)
    )
    services.set_follow_up_done(follow_up, by=member)

    follow_up.refresh_from_db()
    assert follow_up.is_done is True
    with pytest.raises(PermissionDenied):
        services.set_follow_up_done(follow_up, by=UserFactory(), done=False)


def test_an_other_visits_invitation_does_not_open_this_one(local_org, local_editor):
    from visits import permissions

    invited = VisitFactory()
    VisitInvitationFactory(visit=invited, organization=local_org)
    other = VisitFactory()

    assert permissions.can_view_visit(local_editor, invited) is True
    assert permissions.can_view_visit(local_editor, other) is False


def test_outcome_reminders_go_to_each_side_that_has_not_answered_once(
    visit, host, member, local_org, local_editor, django_capture_on_commit_callbacks
):
    now = timezone.now()
    item = ProgrammeItemFactory(
        visit=visit,
        organization=local_org,
        starts_at=now - dt.timedelta(days=2),
        ends_at=now - dt.timedelta(days=2) + dt.timedelta(hours=1),
    )
    ItemOutcome.objects.create(item=item, side="host", outcome="follow_up")
    ProgrammeItemFactory(visit=visit, starts_at=item.starts_at, ends_at=item.ends_at)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.remind_outcomes(now=now)
    again = services.remind_outcomes(now=now)

    assert sent == 2
    assert again == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([host.email, member.email])
    assert f"/items/{item.pk}/outcome/" in mail.outbox[0].body
