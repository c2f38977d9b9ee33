"""Pages and API of the meetings app: own data only, query counts, the PDF, the feed."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingRequest
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory

UTC = dt.UTC


@pytest.fixture
def meeting(kyiv_user, denver_user):
    """Jim (Denver) meets Olena (Kyiv) on 12 May 2031 at 15:00 UTC."""
    start = dt.datetime(2031, 5, 12, 15, tzinfo=UTC)
    return MeetingFactory(
        request__requester=denver_user,
        request__recipient=kyiv_user,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
    )


def test_request_form_lists_the_organizations_members(client, denver_user):
    company = OrganizationFactory()
    people = [UserFactory(full_name=n) for n in ("Олена Коваль", "Ігор Бойко")]
    for person in people:
        MembershipFactory(user=person, organization=company)
    client.force_login(denver_user)
    url = reverse("meetings:request-create") + f"?organization={company.pk}"

    response = client.get(url)

    assert set(response.context["form"].fields["recipient"].queryset) == set(people)


def test_request_form_creates_a_request(
    client, denver_user, django_capture_on_commit_callbacks
):
    company = OrganizationFactory()
    person = UserFactory()
    MembershipFactory(user=person, organization=company)
    client.force_login(denver_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:request-create"),
            {"organization": company.pk, "recipient": person.pk, "message": "Hello"},
        )

    request = MeetingRequest.objects.get()
    assert response.status_code == 302
    assert (request.recipient, request.recipient_organization) == (person, company)


def test_request_form_keeps_input_and_shows_errors(client, denver_user):
    company = OrganizationFactory()
    person = UserFactory()
    MembershipFactory(user=person, organization=company)
    client.force_login(denver_user)

    response = client.post(
        reverse("meetings:request-create"),
        {"organization": company.pk, "recipient": person.pk, "message": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["message"]
    assert MeetingRequest.objects.count() == 0


def test_other_peoples_requests_are_404(client, pending):
    stranger = UserFactory()
    staff = UserFactory(role="staff")
    for user in (stranger, staff):
        client.force_login(user)
        assert client.get(pending.get_absolute_url()).status_code == 404
        assert (
            client.post(
                reverse("meetings:request-accept", args=[pending.pk])
            ).status_code
            == 404
        )


def test_request_detail_shows_proposed_times_in_both_zones(client, pending, kyiv_user):
    start = dt.datetime(2031, 3, 18, 15, tzinfo=UTC)
    pending.proposed_times.create(
        proposed_by=pending.requester,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    client.force_login(kyiv_user)

    response = client.get(pending.get_absolute_url())

    text = response.content.decode()
    assert "17:00–18:00" in text  # Kyiv (UTC+2 on 18 March)
    assert "09:00–10:00" in text  # Denver (UTC-6 since 14 March)


def test_accept_from_the_list_page(client, pending, kyiv_user):
    client.force_login(kyiv_user)
    back = reverse("meetings:request-list")

    response = client.post(
        reverse("meetings:request-accept", args=[pending.pk]), {"next": back}
    )

    pending.refresh_from_db()
    assert response.url == back
    assert pending.status == MeetingRequest.Status.ACCEPTED


@pytest.mark.parametrize("count", [1, 4])
def test_request_list_query_count(
    client, kyiv_user, count, django_assert_max_num_queries
):
    MeetingRequestFactory.create_batch(count, recipient=kyiv_user)
    client.force_login(kyiv_user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:request-list"))

    assert len(response.context["requests"]) == count


@pytest.mark.parametrize("count", [1, 4])
def test_agenda_query_count(client, kyiv_user, count, django_assert_max_num_queries):
    MeetingFactory.create_batch(count, request__recipient=kyiv_user)
    client.force_login(kyiv_user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:agenda"))

    assert sum(len(items) for _e, items in response.context["groups"]) == count


def test_agenda_shows_my_time_and_theirs(client, meeting, kyiv_user, denver_user):
    other = MeetingFactory()  # someone else's meeting
    client.force_login(denver_user)

    response = client.get(reverse("meetings:agenda"))

    text = response.content.decode()
    assert "09:00–09:30" in text  # Denver, MDT
    assert "18:00" in text  # Kyiv, EEST
    assert other.request.recipient.get_full_name() not in text


def test_agenda_pdf_is_bilingual(client, meeting, denver_user):
    import io

    from pypdf import PdfReader

    client.force_login(denver_user)

    response = client.get(reverse("meetings:agenda-pdf"))

    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "My meetings" in text
    assert "09:00–09:30" in text
    assert meeting.request.recipient.get_full_name() in text


def test_personal_feed_has_my_meetings_only(client, meeting, denver_user):
    from events.services import calendar_token_of

    MeetingFactory()  # not Jim's
    token = calendar_token_of(denver_user).token

    response = client.get(reverse("events:personal-feed", kwargs={"token": token}))

    calendar = icalendar.Calendar.from_ical(response.content)
    items = [c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("meeting-")]
    assert len(items) == 1
    start = items[0].decoded("dtstart")
    assert str(start.tzinfo) == "America/Denver"
    assert (start.hour, start.minute) == (9, 0)
    assert items[0]["dtstart"].params["TZID"] == "America/Denver"


def test_outcome_form_records_my_side(client, meeting, kyiv_user):
    client.force_login(kyiv_user)

    client.post(
        reverse("meetings:meeting-outcome", args=[meeting.pk]), {"outcome": "interest"}
    )

    meeting.refresh_from_db()
    assert meeting.recipient_outcome == "interest"


def test_session_pages_only_for_organizers(client, b2b, editor):
    session = b2b["session"]
    delegate = b2b["delegates"][0].user

    client.force_login(delegate)
    assert client.get(session.get_absolute_url()).status_code == 403
    assert (
        client.post(reverse("meetings:session-run", args=[session.pk])).status_code
        == 403
    )

    client.force_login(editor)
    assert client.get(session.get_absolute_url()).status_code == 200


def test_run_from_the_page_fills_the_grid(
    client, b2b, editor, django_capture_on_commit_callbacks
):
    session = b2b["session"]
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:session-run", args=[session.pk]))
    response = client.get(session.get_absolute_url())

    cells = [
        m for row in response.context["grid"] for cell in row["cells"] for m in cell
    ]
    assert len(cells) == 3
    progress = client.get(
        reverse("meetings:session-progress", args=[session.pk]) + "?was=running",
        headers={"HX-Request": "true"},
    )
    assert progress["HX-Refresh"] == "true"


def test_disruption_asks_before_moving(client, b2b, editor):
    session = b2b["session"]
    services.schedule_session(session, by=editor)
    first = b2b["slots"][0]
    local = first.starts_at.astimezone(session.zone)
    data = {
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + dt.timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"),
    }
    client.force_login(editor)

    preview = client.post(
        reverse("meetings:session-disruption", args=[session.pk]), data
    )
    assert len(preview.context["affected"]) == 1
    assert not Meeting.objects.filter(status=Meeting.Status.POSTPONED).exists()

    client.post(
        reverse("meetings:session-disruption", args=[session.pk]),
        {**data, "confirm": "on"},
    )
    assert Meeting.objects.filter(status=Meeting.Status.POSTPONED).count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_session_detail_query_count(
    client, b2b, editor, count, django_assert_max_num_queries
):
    services.schedule_session(b2b["session"], by=editor)
    client.force_login(editor)

    with django_assert_max_num_queries(20):
        response = client.get(b2b["session"].get_absolute_url())

    assert response.status_code == 200


def test_api_lists_only_my_requests_and_meetings(client, meeting, denver_user):
    MeetingFactory()
    MeetingRequestFactory()
    client.force_login(denver_user)

    requests = client.get("/api/v1/meeting-requests/").json()
    meetings = client.get("/api/v1/meetings/").json()

    assert [r["id"] for r in requests["results"]] == [meeting.request_id]
    assert requests["results"][0]["direction"] == "outgoing"
    assert [m["id"] for m in meetings["results"]] == [meeting.pk]
    assert meetings["results"][0]["local_starts_at"].startswith("2031-05-12T09:00")


def test_api_hides_other_peoples_meeting(client, meeting):
    client.force_login(UserFactory(role="staff"))

    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert client.get("/api/v1/meetings/").json()["count"] == 0


def test_api_anonymous_is_refused(client):
    assert client.get("/api/v1/meetings/").status_code in (401, 403)


@pytest.mark.parametrize("count", [1, 4])
def test_api_meetings_query_count(
    client, denver_user, count, django_assert_max_num_queries
):
    MeetingFactory.create_batch(count, request__requester=denver_user)
    client.force_login(denver_user)

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/meetings/")

    assert response.json()["count"] == count


def test_expired_requests_disappear_from_open_ones(pending):
    pending.expires_at = timezone.now() - dt.timedelta(seconds=1)
    pending.save()

    services.expire_requests()

    assert not MeetingRequest.objects.filter(
        status=MeetingRequest.Status.PENDING
    ).exists()


@pytest.mark.parametrize(("language", "other"), [("uk", "en"), ("en", "uk")])
def test_agenda_pdf_is_tagged_in_the_page_language(
    client, meeting, denver_user, language, other
):
    from django.utils import translation

    from tests.pdf_checks import assert_accessible_pdf

    client.force_login(denver_user)
    with translation.override(language):
        url = reverse("meetings:agenda-pdf")
    title = f"{_in(language, 'My meetings')} / {_in(other, 'My meetings')}"

    response = client.get(url)

    assert response["Content-Language"] == language
    assert_accessible_pdf(response.content, language=language, title=title)


def _in(language: str, text: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(text)
