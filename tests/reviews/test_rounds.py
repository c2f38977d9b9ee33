"""The second review round (revise and resubmit): services, pages and the whole
journey, on whichever database the run uses (SQLite and PostgreSQL alike)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEntry
from exchange import services as exchange_services
from exchange.forms import SubmissionForm
from exchange.models import Submission, SubmissionVersion
from notifications.models import Notification, Preference
from reviews import services
from reviews.models import Assignment, ConflictOfInterest, Decision, Review
from tests.factories import UserFactory
from tests.reviews.factories import CallReviewerFactory

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")


def _scores(criteria, values=(4, 8)):
    return {criteria[0].pk: values[0], criteria[1].pk: values[1]}


def _review_round_one(assignment, reviewer, criteria, comments="Add a budget."):
    services.confirm_no_conflict(assignment, by=reviewer)
    return services.save_review(
        assignment,
        by=reviewer,
        scores=_scores(criteria),
        comments_to_submitters=comments,
        confidential_notes="Budget looks thin.",
        recommendation="revise",
        submit=True,
    )


def _revise(submission, staff, *, days=14):
    until = timezone.now() + datetime.timedelta(days=days)
    services.record_decision(
        submission, by=staff, outcome=Decision.Outcome.REVISE, resubmit_by=until
    )
    services.release_decisions(submission.call, by=staff)
    submission.refresh_from_db()
    return until


def _form_data(submission, **changes) -> dict:
    data = {}
    for name, value in SubmissionForm.initial_from(submission).items():
        if name == "tags":
            data[name] = [tag.pk for tag in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = value
        else:
            data[name] = str(value)
    data.update(changes)
    return data


# Services


def test_release_of_revise_reopens_and_assigns_the_same_reviewers(
    submission,
    assignment,
    reviewer,
    submitter,
    criteria,
    staff,
    django_capture_on_commit_callbacks,
):
    submitter.preferred_language = "en"
    submitter.save()
    _review_round_one(assignment, reviewer, criteria)

    with django_capture_on_commit_callbacks(execute=True):
        until = _revise(submission, staff)

    assert submission.review_round == 2
    assert submission.resubmit_until == until
    again = Assignment.objects.get(submission=submission, round=2)
    assert again.call_reviewer_id == assignment.call_reviewer_id
    assert again.no_conflict_confirmed_at == assignment.no_conflict_confirmed_at
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[submitter.email].endswith(": send a revised version")
    assert mail.outbox[0].body.count("Add a budget.") == 0  # comments stay on the site
    assert "round 2" in subjects[reviewer.email]
    assert set(Notification.objects.values_list("user__email", "kind")) == {
        (submitter.email, "submission"),
        (reviewer.email, "review"),
    }
    assert AuditEntry.objects.filter(action="reviews.round_opened").count() == 1


def test_a_reviewer_with_a_new_conflict_is_not_assigned_again(
    submission, assignment, reviewer, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria)
    ConflictOfInterest.objects.create(
        call_reviewer=assignment.call_reviewer,
        submission=submission,
        reason=ConflictOfInterest.Reason.DECLARED_BY_REVIEWER,
        detail="I joined their advisory board.",
    )

    _revise(submission, staff)

    assert submission.review_round == 2
    assert not Assignment.objects.filter(submission=submission, round=2).exists()


def test_round_one_review_stays_read_only(
    submission, assignment, reviewer, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)
    assignment.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.save_review(
            assignment,
            by=reviewer,
            scores=_scores(criteria, (1, 1)),
            recommendation="decline",
            submit=True,
        )

    review = Review.objects.get(assignment=assignment)
    assert review.recommendation == "revise"
    assert sorted(review.scores.values_list("value", flat=True)) == [4, 8]


def test_reviews_are_per_round_on_the_same_rubric(
    submission, assignment, reviewer, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)
    again = Assignment.objects.get(submission=submission, round=2)

    second = services.save_review(
        again,
        by=reviewer,
        scores=_scores(criteria, (5, 10)),
        comments_to_submitters="Much better.",
        recommendation="accept",
        submit=True,
    )

    assert second.pk != assignment.review.pk
    assert list(
        Review.objects.order_by("assignment__round").values_list(
            "assignment__round", "recommendation"
        )
    ) == [(1, "revise"), (2, "accept")]


def test_organizer_chooses_other_reviewers_for_the_round(
    call,
    submission,
    assignment,
    reviewer,
    criteria,
    staff,
    django_capture_on_commit_callbacks,
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)
    other = CallReviewerFactory(
        call=call, user=UserFactory(email="second@valley.example")
    )

    with django_capture_on_commit_callbacks(execute=True):
        created = services.set_round_reviewers(submission, reviewers=[other], by=staff)

    assert [a.call_reviewer for a in created] == [other]
    assert list(
        Assignment.objects.filter(submission=submission, round=2).values_list(
            "call_reviewer", flat=True
        )
    ) == [other.pk]
    assert [m.to for m in mail.outbox] == [["second@valley.example"]]
    # Round 1 is untouched.
    assert Assignment.objects.filter(submission=submission, round=1).count() == 1


def test_round_reviewers_refuse_a_conflicted_reviewer(
    call, submission, assignment, reviewer, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)
    other = CallReviewerFactory(call=call)
    ConflictOfInterest.objects.create(
        call_reviewer=other,
        submission=submission,
        reason=ConflictOfInterest.Reason.DECLARED_BY_REVIEWER,
    )

    with pytest.raises(ValidationError) as error:
        services.set_round_reviewers(submission, reviewers=[other], by=staff)

    assert error.value.message_dict == {
        "reviewers": [
            f"{other.user.get_full_name()} має конфлікт інтересів із цією заявкою."
        ]
    }
    assert not Assignment.objects.filter(call_reviewer=other).exists()


def test_round_reviewers_need_an_organizer(
    submission, assignment, reviewer, criteria, staff, editor
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)

    with pytest.raises(PermissionDenied):
        services.set_round_reviewers(
            submission, reviewers=[assignment.call_reviewer], by=editor
        )


def test_late_version_is_refused_with_the_deadline(submission, submitter, staff):
    _revise(submission, staff)
    Submission.objects.filter(pk=submission.pk).update(
        resubmit_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    submission.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        exchange_services.update_submission(
            submission, by=submitter, solution_en="Too late."
        )

    assert "Albuquerque" in str(error.value) or "Альбукерке" in str(error.value)
    submission.refresh_from_db()
    assert submission.solution_en == ""
    assert submission.version == 1


def test_new_round_decision_replaces_the_released_revise(
    submission, assignment, reviewer, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)

    decision = services.record_decision(
        submission, by=staff, outcome=Decision.Outcome.ACCEPT
    )

    assert (decision.round, decision.status) == (2, Decision.Status.PENDING)
    assert decision.resubmit_by is None
    services.release_decisions(submission.call, by=staff)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RELEASED
    with pytest.raises(ValidationError):
        services.record_decision(submission, by=staff, outcome="decline")


def test_release_refuses_a_revise_whose_deadline_passed(submission, staff):
    services.record_decision(
        submission,
        by=staff,
        outcome=Decision.Outcome.REVISE,
        resubmit_by=timezone.now() - datetime.timedelta(hours=1),
    )

    with pytest.raises(ValidationError):
        services.release_decisions(submission.call, by=staff)

    assert Decision.objects.get().status == Decision.Status.PENDING
    submission.refresh_from_db()
    assert submission.review_round == 1


# Pages


def test_edit_page_shows_the_comments_beside_the_form(
    client, submission, assignment, reviewer, submitter, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria, comments="Add a budget table.")
    _revise(submission, staff)
    client.force_login(submitter)

    with translation.override("en"):
        url = reverse("exchange:submission-edit", kwargs={"pk": submission.pk})

    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Add a budget table." in content
    assert "Budget looks thin." not in content  # confidential notes never shown
    assert "Rita Reviewer" in content  # not a blind call
    assert "Review round 2: revise and resubmit." in content


def test_late_edit_page_keeps_the_text_and_says_why(
    client, submission, submitter, staff
):
    _revise(submission, staff)
    Submission.objects.filter(pk=submission.pk).update(
        resubmit_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    submission.refresh_from_db()
    client.force_login(submitter)

    with translation.override("en"):
        url = reverse("exchange:submission-edit", kwargs={"pk": submission.pk})

    response = client.post(
        url, _form_data(submission, solution_en="A late improvement.")
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "A late improvement." in content
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert errors[0].startswith("The deadline for the revised version passed on ")
    assert "Albuquerque time" in errors[0]
    with translation.override("uk"):
        url = reverse("exchange:submission-edit", kwargs={"pk": submission.pk})
    response = client.post(url, _form_data(submission, solution_en="Запізно."))
    assert (
        response.context["form"]
        .non_field_errors()[0]
        .startswith("Строк подання доопрацьованої версії минув ")
    )
    assert SubmissionVersion.objects.filter(submission=submission).count() == 1


def test_round_reviewers_page_ticks_the_same_reviewers(
    client, submission, assignment, reviewer, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)
    client.force_login(staff)

    response = client.get(
        reverse("reviews:round-reviewers", kwargs={"pk": submission.pk})
    )

    assert response.status_code == 200
    assert response.context["form"].initial["reviewers"] == [
        assignment.call_reviewer_id
    ]


def test_dashboard_row_of_round_two_awaits_its_own_decision(
    client, call, submission, assignment, reviewer, criteria, staff
):
    _review_round_one(assignment, reviewer, criteria)
    _revise(submission, staff)
    client.force_login(staff)

    response = client.get(
        reverse("reviews:dashboard", kwargs={"slug": call.slug}), {"decision": "none"}
    )

    [row] = response.context["rows"]
    assert (row.pk, row.round, row.decision, row.assigned, row.submitted) == (
        submission.pk,
        2,
        "",
        1,
        0,
    )


def test_submission_page_tells_the_submitters_of_the_revision(
    client, submission, submitter, staff
):
    _revise(submission, staff)
    client.force_login(submitter)
    with translation.override("en"):
        url = submission.get_absolute_url()

    content = client.get(url).content.decode()

    assert "Review round 2: revise and resubmit." in content
    assert (
        reverse("exchange:submission-edit", kwargs={"pk": submission.pk})[3:] in content
    )


def test_decision_form_of_round_two_starts_blank(client, submission, staff):
    _revise(submission, staff)
    client.force_login(staff)

    response = client.get(
        reverse("reviews:decision-edit", kwargs={"pk": submission.pk})
    )

    assert response.context["form"].initial == {}
    assert response.context["released"] is False


def test_round_reviewers_page_is_not_for_round_one(client, submission, staff):
    client.force_login(staff)

    response = client.get(
        reverse("reviews:round-reviewers", kwargs={"pk": submission.pk})
    )

    assert response.status_code == 403


def test_in_app_notice_honours_the_preference_off(
    submission, assignment, reviewer, criteria, staff, submitter
):
    Preference.objects.create(user=submitter, kind="submission", channel="off")
    _review_round_one(assignment, reviewer, criteria)
    services.confirm_no_conflict(assignment, by=reviewer)

    exchange_services.post_message(submission, "Is the budget in UAH?", by=reviewer)
    exchange_services.post_message(submission, "Yes, in UAH.", by=submitter)

    assert list(Notification.objects.values_list("user__email", "kind")) == [
        (reviewer.email, "review")
    ]


# The whole journey


def test_second_round_end_to_end(
    client, call, submission, assignment, reviewer, submitter, criteria, staff
):
    call.time_zone = "America/Los_Angeles"
    call.save()
    next_year = timezone.now().year + 1
    # Round 1: the reviewer confirms no conflict and reviews.
    client.force_login(reviewer)
    review_url = reverse("reviews:review-edit", kwargs={"pk": submission.pk})
    client.post(
        reverse("reviews:review-conflict", kwargs={"pk": submission.pk}),
        {"answer": "none"},
    )
    round_one = {
        f"score_{criteria[0].pk}": "3",
        f"score_{criteria[1].pk}": "6",
        "comments_to_submitters": "Show the budget per quarter.",
        "recommendation": "revise",
        "action": "submit",
    }
    assert client.post(review_url, round_one).status_code == 302

    # The organizer decides "revise and resubmit" by a deadline in the call's zone
    # and releases it: the submission reopens, the reviewer is assigned again.
    client.force_login(staff)
    client.post(
        reverse("reviews:decision-edit", kwargs={"pk": submission.pk}),
        {"outcome": "revise", "resubmit_by": f"{next_year}-03-01T17:00"},
    )
    client.post(
        reverse("reviews:decision-release", kwargs={"slug": call.slug}),
        {"confirm": "yes"},
    )
    submission.refresh_from_db()
    assert submission.review_round == 2
    assert submission.resubmit_until == datetime.datetime(
        next_year, 3, 1, 17, 0, tzinfo=LA
    )
    assert Assignment.objects.filter(submission=submission, round=2).count() == 1

    # The organizer adds a second reviewer to the round.
    other = CallReviewerFactory(
        call=call, user=UserFactory(email="second@valley.example")
    )
    response = client.post(
        reverse("reviews:round-reviewers", kwargs={"pk": submission.pk}),
        {"reviewers": [assignment.call_reviewer_id, other.pk]},
    )
    assert response.status_code == 302
    assert set(
        Assignment.objects.filter(submission=submission, round=2).values_list(
            "call_reviewer", flat=True
        )
    ) == {assignment.call_reviewer_id, other.pk}

    # The submitters read the comments and send a new version.
    client.force_login(submitter)
    edit_url = reverse("exchange:submission-edit", kwargs={"pk": submission.pk})
    assert "Show the budget per quarter." in client.get(edit_url).content.decode()
    response = client.post(
        edit_url,
        _form_data(
            submission,
            solution_uk=submission.solution_uk + " Бюджет поквартально додано.",
        ),
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.version == 2

    # The reviewer sees what changed since they reviewed, and reviews round 2.
    client.force_login(reviewer)
    page = client.get(review_url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["since"] == 1
    assert "поквартально" in "".join(str(c.merged) for c in page.context["changes"])
    assert page.context["previous"].recommendation == "revise"
    round_two = dict(
        round_one,
        **{
            f"score_{criteria[0].pk}": "5",
            "comments_to_submitters": "The budget is clear now.",
            "recommendation": "accept",
        },
    )
    assert client.post(review_url, round_two).status_code == 302
    assert list(
        Review.objects.filter(assignment__call_reviewer=assignment.call_reviewer)
        .order_by("assignment__round")
        .values_list("assignment__round", "recommendation", "reviewed_version")
    ) == [(1, "revise", 1), (2, "accept", 2)]

    # The dashboard shows the round, its reviews, and filters by round.
    client.force_login(staff)
    dashboard = reverse("reviews:dashboard", kwargs={"slug": call.slug})
    rows = client.get(dashboard, {"round": "2"}).context["rows"]
    assert [(r.pk, r.round, r.submitted, r.assigned) for r in rows] == [
        (submission.pk, 2, 1, 2)
    ]
    assert client.get(dashboard, {"round": "1"}).context["rows"] == []

    # The final decision follows.
    client.post(
        reverse("reviews:decision-edit", kwargs={"pk": submission.pk}),
        {"outcome": "accept"},
    )
    client.post(
        reverse("reviews:decision-release", kwargs={"slug": call.slug}),
        {"confirm": "yes"},
    )
    decision = Decision.objects.get(submission=submission)
    assert (decision.round, decision.outcome, decision.status) == (
        2,
        "accept",
        Decision.Status.RELEASED,
    )
    # The final decision closes the revision: no more new versions.
    submission.refresh_from_db()
    assert (submission.review_round, submission.resubmit_until) == (2, None)
    client.force_login(submitter)
    assert client.get(edit_url).status_code == 403
    feedback = client.get(
        reverse("reviews:submission-feedback", kwargs={"pk": submission.pk})
    )
    assert [(r["round"], r["comments"]) for r in feedback.context["reviews"]] == [
        (2, "The budget is clear now."),
        (1, "Show the budget per quarter."),
    ]


def test_api_refuses_a_late_version_saying_when_the_deadline_passed(
    client, submission, submitter, staff
):
    _revise(submission, staff)
    Submission.objects.filter(pk=submission.pk).update(
        resubmit_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(submitter)

    response = client.patch(
        reverse("api:exchange-submission-detail", kwargs={"pk": submission.pk}),
        {"solution_en": "Too late."},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 403
    assert response.json()["detail"].startswith(
        "The deadline for the revised version passed on "
    )
    submission.refresh_from_db()
    assert (submission.solution_en, submission.version) == ("", 1)


def test_api_shows_the_round(client, submission, submitter, staff):
    _revise(submission, staff)
    client.force_login(submitter)

    data = client.get(
        reverse("api:exchange-submission-detail", kwargs={"pk": submission.pk})
    ).json()

    assert data["review_round"] == 2
    assert data["resubmit_until"] is not None
