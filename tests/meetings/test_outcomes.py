"""Meeting outcomes from both sides, the interest that followed, the reminder the day
after, and meetings about a submission or an investment project (issue 13)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import AuditEntry
from meetings import queries, services
from meetings.models import Meeting, MeetingRequest
from tests.exchange.factories import SubmissionFactory
from tests.factories import UserFactory, accepted_submission
from tests.investments.factories import InterestFactory, ProjectFactory, investor_user
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory


def _past_meeting(hours_ago=30, **request_fields):
    start = timezone.now() - dt.timedelta(hours=hours_ago)
    return MeetingFactory(
        request=MeetingRequestFactory(
            status=MeetingRequest.Status.ACCEPTED, **request_fields
        ),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )


def test_both_sides_record_their_own_outcome_with_the_time(db):
    meeting = _past_meeting()
    requester, recipient = meeting.request.requester, meeting.request.recipient

    services.record_outcome(meeting, by=requester, outcome=Meeting.Outcome.FOLLOW_UP)
    services.record_outcome(
        meeting, by=recipient, outcome=Meeting.Outcome.PARTNERSHIP, note="Pilot."
    )

    meeting.refresh_from_db()
    assert meeting.requester_outcome == Meeting.Outcome.FOLLOW_UP
    assert meeting.recipient_outcome == Meeting.Outcome.PARTNERSHIP
    assert meeting.requester_outcome_at is not None
    assert meeting.recipient_outcome_at >= meeting.requester_outcome_at
    assert meeting.outcome_note == "Pilot."
    assert AuditEntry.objects.filter(action="meetings.outcome").count() == 2


def test_outcome_counts_count_each_meeting_once_per_outcome(db):
    both_partnership = _past_meeting()
    split = _past_meeting()
    _past_meeting()  # held, no answer
    _future = MeetingFactory()  # not held yet
    for meeting in (both_partnership,):
        for person in (meeting.request.requester, meeting.request.recipient):
            services.record_outcome(
                meeting, by=person, outcome=Meeting.Outcome.PARTNERSHIP
            )
    services.record_outcome(
        split, by=split.request.requester, outcome=Meeting.Outcome.PARTNERSHIP
    )
    services.record_outcome(
        split, by=split.request.recipient, outcome=Meeting.Outcome.NOTHING
    )

    counts = queries.outcome_counts()

    assert counts["held"] == Meeting.objects.filter(ends_at__lte=timezone.now()).count()
    assert counts["held"] == 3
    assert counts["answered"] == 2
    assert counts[Meeting.Outcome.PARTNERSHIP] == 2
    assert counts[Meeting.Outcome.NOTHING] == 1
    assert counts[Meeting.Outcome.FOLLOW_UP] == 0
    assert [row["value"] for row in counts["rows"]] == Meeting.Outcome.values


def test_expression_of_interest_links_the_investors_interest_on_the_project(db):
    project = ProjectFactory()
    investor = investor_user()
    interest = InterestFactory(project=project, investor=investor)
    InterestFactory(project=project)  # someone else's: not theirs to link
    meeting = _past_meeting(requester=investor, investment_project=project)

    services.record_outcome(
        meeting, by=investor, outcome=Meeting.Outcome.INTEREST, interest=interest
    )

    meeting.refresh_from_db()
    assert meeting.interest == interest
    assert list(interest.meetings.all()) == [meeting]


def test_an_interest_the_side_may_not_see_is_refused(db):
    project = ProjectFactory()
    others = InterestFactory(project=project)
    meeting = _past_meeting(investment_project=project)

    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            meeting,
            by=meeting.request.recipient,
            outcome=Meeting.Outcome.INTEREST,
            interest=others,
        )

    assert "interest" in error.value.message_dict
    meeting.refresh_from_db()
    assert meeting.interest is None
    assert meeting.recipient_outcome_at is None


def test_an_interest_of_another_project_is_refused(db):
    investor = investor_user()
    other_project_interest = InterestFactory(investor=investor)
    meeting = _past_meeting(requester=investor, investment_project=ProjectFactory())

    with pytest.raises(ValidationError):
        services.record_outcome(
            meeting,
            by=investor,
            outcome=Meeting.Outcome.INTEREST,
            interest=other_project_interest,
        )


def test_outcome_form_offers_the_own_interests_and_links_one(client, db):
    project = ProjectFactory()
    investor = investor_user()
    interest = InterestFactory(project=project, investor=investor)
    meeting = _past_meeting(requester=investor, investment_project=project)
    client.force_login(investor)
    url = reverse("meetings:meeting-outcome", kwargs={"pk": meeting.pk})

    page = client.get(url)
    response = client.post(
        url, {"outcome": Meeting.Outcome.INTEREST, "interest": interest.pk}
    )

    assert list(page.context["form"].fields["interest"].queryset) == [interest]
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.interest, meeting.requester_outcome) == (interest, "interest")


def test_outcome_form_refuses_an_interest_with_another_outcome(client, db):
    project = ProjectFactory()
    investor = investor_user()
    interest = InterestFactory(project=project, investor=investor)
    meeting = _past_meeting(requester=investor, investment_project=project)
    client.force_login(investor)

    response = client.post(
        reverse("meetings:meeting-outcome", kwargs={"pk": meeting.pk}),
        {"outcome": Meeting.Outcome.NOTHING, "interest": interest.pk},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["interest"]
    meeting.refresh_from_db()
    assert meeting.requester_outcome == ""


def test_reminder_goes_once_to_each_silent_side_in_their_language(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mist.example.org"
    ukrainian = UserFactory(preferred_language="uk", full_name="Олена Коваль")
    english = UserFactory(preferred_language="en", full_name="Jim Baker")
    meeting = _past_meeting(requester=english, recipient=ukrainian)
    answered = _past_meeting()
    services.record_outcome(
        answered, by=answered.request.requester, outcome=Meeting.Outcome.NOTHING
    )
    services.record_outcome(
        answered, by=answered.request.recipient, outcome=Meeting.Outcome.NOTHING
    )
    _past_meeting(hours_ago=3)  # ended today: not yet
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        with_commit = services.remind_outcomes()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.remind_outcomes()

    assert (with_commit, again) == (2, 0)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {ukrainian.email, english.email}
    assert by_address[ukrainian.email].subject == ("Що вийшло із зустрічі з Jim Baker?")
    assert by_address[english.email].subject == (
        "What came of your meeting with Олена Коваль?"
    )
    assert f"/meetings/{meeting.pk}/outcome/" in by_address[english.email].body
    meeting.refresh_from_db()
    assert meeting.outcome_reminded_at is not None


def test_reminder_skips_the_side_that_answered(db, django_capture_on_commit_callbacks):
    meeting = _past_meeting()
    services.record_outcome(
        meeting, by=meeting.request.requester, outcome=Meeting.Outcome.FOLLOW_UP
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.remind_outcomes()

    assert [m.to for m in mail.outbox] == [[meeting.request.recipient.email]]


def test_remind_outcomes_command_prints_the_count(db):
    from io import StringIO

    from django.core.management import call_command

    _past_meeting()
    out = StringIO()

    call_command("remind_meeting_outcomes", stdout=out)

    assert out.getvalue().strip() == "2 outcome reminder(s) sent."


def test_beat_schedule_runs_the_reminder(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "meetings.remind_outcomes" in tasks


def test_request_about_a_visible_project_records_it(client, db):
    project = ProjectFactory()
    person = UserFactory()
    from tests.factories import MembershipFactory

    MembershipFactory(organization=project.owner, is_editor=False)
    recipient = project.owner.memberships.first().user
    client.force_login(person)

    response = client.post(
        reverse("meetings:request-create"),
        {
            "organization": project.owner.pk,
            "project": project.pk,
            "recipient": recipient.pk,
            "message": "About the lighting project.",
        },
    )

    assert response.status_code == 302
    request = MeetingRequest.objects.get(requester=person)
    assert request.investment_project == project
    assert request.submission is None


def test_request_about_a_draft_project_is_404(client, db):
    project = ProjectFactory(status="draft")
    client.force_login(UserFactory())

    response = client.get(reverse("meetings:request-create"), {"project": project.pk})

    assert response.status_code == 404


def test_request_about_a_hidden_submission_is_refused(db):
    hidden = SubmissionFactory(status="submitted")
    requester, recipient = UserFactory(), UserFactory()

    with pytest.raises(PermissionDenied):
        services.request_meeting(requester, recipient=recipient, submission=hidden)

    assert not MeetingRequest.objects.exists()


def test_request_about_an_accepted_submission_is_allowed_to_anyone(db):
    submission = accepted_submission()
    requester, recipient = UserFactory(), UserFactory()

    request = services.request_meeting(
        requester, recipient=recipient, submission=submission
    )

    assert request.submission == submission
    assert UserFactory(role=Role.INVESTOR)  # any signed-in role may ask


def test_request_page_shows_the_project_it_is_about(client, db):
    project = ProjectFactory(title_en="Smart lighting")
    request = MeetingRequestFactory(investment_project=project)
    client.force_login(request.recipient)

    response = client.get(request.get_absolute_url())

    assert response.context["about_project"] == project
    assert project.code in response.content.decode()


def test_request_page_hides_a_submission_the_side_may_not_see(client, db):
    hidden = SubmissionFactory(status="submitted", title_uk="Таємна заявка")
    request = MeetingRequestFactory(submission=hidden)
    client.force_login(request.recipient)

    response = client.get(request.get_absolute_url())

    assert response.context["about_submission"] is None
    assert "Таємна заявка" not in response.content.decode()
