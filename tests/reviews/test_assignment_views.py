"""The assignment page: who may open it, running with confirmation, manual
changes through htmx, and query counts."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from reviews.models import Assignment, ConflictOfInterest, Review
from tests.exchange.factories import CallFactory
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.reviews.test_conflicts import make_reviewer, submitted


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def call(db):
    return CallFactory(reviews_per_submission=2)


@pytest.fixture
def staff(db):
    return UserFactory(role=Role.STAFF, email="staff@mist.test")


@pytest.fixture
def organizer_editor(call):
    user = UserFactory(role=Role.EDITOR, email="organizer@abq.test")
    MembershipFactory(user=user, organization=call.organizer)
    return user


def page_url(call, **query):
    url = reverse("reviews:assignment", kwargs={"slug": call.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("organizer_editor", 200),
        ("editor_elsewhere", 404),
        ("reviewer", 404),
        ("anonymous", 302),
    ],
)
def test_assignment_page_access(client, call, staff, organizer_editor, who, status):
    users = {
        "staff": staff,
        "organizer_editor": organizer_editor,
        "editor_elsewhere": MembershipFactory().user,
        "reviewer": make_reviewer(call).user,
    }
    if who in users:
        client.force_login(users[who])

    response = client.get(page_url(call))

    assert response.status_code == status


def test_assignment_page_shows_matrix_and_reasons(client, call, staff):
    startup = OrganizationFactory(kind="startup")
    submission = submitted(call, startup, title_uk="Дрон-доставка")
    helper = make_reviewer(call)
    helper.user.full_name = "Helen Helper"
    helper.user.save()
    Assignment.objects.create(submission=submission, call_reviewer=helper)
    english_only = make_reviewer(call, languages=["en"])
    english_only.user.full_name = "Eddie English"
    english_only.user.save()
    client.force_login(staff)

    response = client.get(page_url(call))

    text = response.content.decode()
    assert "Дрон-доставка" in text
    assert "Helen Helper" in text
    assert "1 of 2 reviewers missing: no eligible reviewer (1 doesn&#x27;t read" in text
    assert response.context["summary"]["under_assigned"] == 1


def test_run_asks_for_confirmation_before_replacing(client, call, staff):
    submission = submitted(call)
    reviewer = make_reviewer(call)
    Assignment.objects.create(
        submission=submission, call_reviewer=reviewer, source=Assignment.Source.AUTO
    )
    client.force_login(staff)
    url = reverse("reviews:assignment-run", kwargs={"slug": call.slug})

    first = client.post(url)
    confirmed = client.post(url, {"confirm": "yes"}, follow=True)

    assert first.status_code == 200
    assert "Assign automatically?" in first.content.decode()
    assert confirmed.redirect_chain[-1][0].startswith(page_url(call))
    assert "Automatic assignment done" in confirmed.content.decode()


def test_run_assigns_and_reports_gaps(client, call, organizer_editor):
    submission = submitted(call)
    reviewer = make_reviewer(call)
    client.force_login(organizer_editor)

    response = client.post(
        reverse("reviews:assignment-run", kwargs={"slug": call.slug}), follow=True
    )

    assert list(Assignment.objects.values_list("submission", "call_reviewer")) == [
        (submission.pk, reviewer.pk)
    ]
    assert "1 submission still lacks reviewers" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("?filter=unfilled")


def test_run_needs_a_manager(client, call):
    submitted(call)
    make_reviewer(call)
    client.force_login(MembershipFactory().user)

    response = client.post(
        reverse("reviews:assignment-run", kwargs={"slug": call.slug})
    )

    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_add_through_htmx_returns_the_row(client, call, staff):
    submission = submitted(call)
    reviewer = make_reviewer(call)
    client.force_login(staff)

    response = client.post(
        reverse("reviews:assignment-add", kwargs={"slug": call.slug}),
        {"submission": submission.pk, "call_reviewer": reviewer.pk},
        headers={"HX-Request": "true"},
    )

    text = response.content.decode()
    assert text.lstrip().startswith(f'<tr id="submission-{submission.pk}"')
    assert Assignment.objects.get().source == Assignment.Source.MANUAL


def test_add_refused_shows_the_reason_in_the_row(client, call, organizer_editor):
    startup = OrganizationFactory(kind="startup", name_uk="Дрон", name_en="Drone")
    submission = submitted(call, startup)
    reviewer = make_reviewer(call)
    reviewer.ties.add(startup)
    client.force_login(organizer_editor)

    response = client.post(
        reverse("reviews:assignment-add", kwargs={"slug": call.slug}),
        {"submission": submission.pk, "call_reviewer": reviewer.pk},
        headers={"HX-Request": "true"},
    )

    assert "This reviewer cannot be assigned: Declared tie: Дрон / Drone." in (
        response.content.decode()
    )
    assert 'name="override_reason"' not in response.content.decode()
    assert not Assignment.objects.exists()


def test_staff_override_through_the_page(client, call, staff):
    startup = OrganizationFactory(kind="startup")
    submission = submitted(call, startup)
    reviewer = make_reviewer(call)
    reviewer.ties.add(startup)
    client.force_login(staff)

    response = client.post(
        reverse("reviews:assignment-add", kwargs={"slug": call.slug}),
        {
            "submission": submission.pk,
            "call_reviewer": reviewer.pk,
            "override_reason": "Tie ended in 2019",
        },
    )

    assert response.status_code == 302
    assert Assignment.objects.filter(call_reviewer=reviewer).exists()


def test_remove_and_pin(client, call, staff):
    assignment = Assignment.objects.create(
        submission=submitted(call),
        call_reviewer=make_reviewer(call),
        source=Assignment.Source.AUTO,
    )
    client.force_login(staff)

    pinned = client.post(
        reverse("reviews:assignment-pin", kwargs={"pk": assignment.pk}),
        {"pinned": "1"},
        headers={"HX-Request": "true"},
    )
    assignment.refresh_from_db()
    was_pinned = assignment.is_pinned
    removed = client.post(
        reverse("reviews:assignment-remove", kwargs={"pk": assignment.pk})
    )

    assert pinned.status_code == 200
    assert "Unpin" in pinned.content.decode()
    assert was_pinned is True
    assert removed.status_code == 302
    assert not Assignment.objects.exists()


def test_remove_refuses_a_submitted_review(client, call, staff):
    assignment = Assignment.objects.create(
        submission=submitted(call), call_reviewer=make_reviewer(call)
    )
    Review.objects.create(assignment=assignment, status=Review.Status.SUBMITTED)
    client.force_login(staff)

    response = client.post(
        reverse("reviews:assignment-remove", kwargs={"pk": assignment.pk}),
        headers={"HX-Request": "true"},
    )

    assert "cannot be removed" in response.content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_remove_and_pin_need_a_manager(client, call):
    assignment = Assignment.objects.create(
        submission=submitted(call), call_reviewer=make_reviewer(call)
    )
    client.force_login(assignment.call_reviewer.user)

    removed = client.post(
        reverse("reviews:assignment-remove", kwargs={"pk": assignment.pk})
    )
    pinned = client.post(
        reverse("reviews:assignment-pin", kwargs={"pk": assignment.pk})
    )

    assert (removed.status_code, pinned.status_code) == (404, 404)
    assert Assignment.objects.get().is_pinned is False


def test_search_and_unfilled_filter(client, call, staff):
    full = submitted(call, title_uk="Повний")
    submitted(call, title_uk="Порожній")
    for reviewer in (make_reviewer(call), make_reviewer(call)):
        Assignment.objects.create(submission=full, call_reviewer=reviewer)
    client.force_login(staff)

    unfilled = client.get(page_url(call, filter="unfilled"))
    searched = client.get(page_url(call, q="Повний"))

    assert [s.title_uk for s in unfilled.context["items"]] == ["Порожній"]
    assert [s.title_uk for s in searched.context["items"]] == ["Повний"]


def _populate(call, count):
    reviewers = [make_reviewer(call) for _ in range(count)]
    for index in range(count):
        submission = submitted(call, OrganizationFactory(kind="startup"))
        Assignment.objects.create(submission=submission, call_reviewer=reviewers[index])
        ConflictOfInterest.objects.create(
            submission=submission,
            call_reviewer=reviewers[(index + 1) % count],
            reason=ConflictOfInterest.Reason.DECLARED_TIE,
        )


@pytest.mark.parametrize("count", [1, 5])
@pytest.mark.parametrize("view", ["submissions", "reviewers", "conflicts"])
def test_assignment_page_query_count(
    client, call, staff, count, view, django_assert_max_num_queries
):
    _populate(call, count)
    client.force_login(staff)

    # session, user, call, counts, then the page's rows: constant in `count`
    with django_assert_max_num_queries(16 if view == "submissions" else 12):
        response = client.get(page_url(call, view=view))

    assert len(response.context["items"]) == count


def test_add_with_bad_ids(client, call, staff):
    submission = submitted(call)
    client.force_login(staff)
    url = reverse("reviews:assignment-add", kwargs={"slug": call.slug})

    bad_submission = client.post(url, {"submission": "x", "call_reviewer": "1"})
    no_reviewer = client.post(
        url,
        {"submission": submission.pk, "call_reviewer": "nope"},
        headers={"HX-Request": "true"},
    )

    assert bad_submission.status_code == 404
    assert "Choose a reviewer." in no_reviewer.content.decode()
    assert not Assignment.objects.exists()


def test_htmx_filter_renders_only_the_results(client, call, staff):
    submitted(call, title_uk="Повний")
    reviewer = make_reviewer(call, max_load=4)
    reviewer.user.full_name = "Rita Reviewer"
    reviewer.user.save()
    client.force_login(staff)

    response = client.get(
        page_url(call, q="Повний"),
        headers={"HX-Request": "true", "HX-Target": "assignment-results"},
    )

    text = response.content.decode()
    assert text.lstrip().startswith('<section id="assignment-results"')
    assert "Повний" in text
    assert "Rita Reviewer (0/4)" in text
    assert "<html" not in text
