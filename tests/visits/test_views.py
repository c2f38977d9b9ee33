"""Pages of delegation visits: who sees what, the forms, PDFs and query counts."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from tests.factories import OrganizationFactory, TagFactory, UserFactory
from tests.visits.factories import (
    ProgrammeItemFactory,
    VisitFactory,
    VisitInvitationFactory,
    VisitMemberFactory,
    site_time,
)
from visits.models import ItemOutcome, ProgrammeItem, Visit, VisitInvitation


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [1, 3])
def test_visit_list_query_count(client, host, count, django_assert_max_num_queries):
    VisitFactory.create_batch(count, host=host)
    client.force_login(host)
    client.get(reverse("visits:visit-list"))

    with django_assert_max_num_queries(12):
        response = client.get(reverse("visits:visit-list"))

    assert len(response.context["visits"]) == count


def test_visit_list_costs_the_same_for_one_and_three(client, host):
    client.force_login(host)
    url = reverse("visits:visit-list")
    VisitFactory(host=host)
    client.get(url)
    one = _queries(client, url)
    VisitFactory.create_batch(2, host=host)

    assert _queries(client, url) == one


def test_programme_costs_the_same_for_one_and_three_items(client, visit, member):
    client.force_login(member)
    url = visit.get_absolute_url()
    ProgrammeItemFactory(visit=visit, organization=OrganizationFactory())
    client.get(url)
    one = _queries(client, url)
    ProgrammeItemFactory.create_batch(
        2, visit=visit, organization=OrganizationFactory()
    )

    assert _queries(client, url) == one


def test_my_visits_costs_the_same_for_one_and_three(client, local_editor):
    client.force_login(local_editor)
    url = reverse("visits:my-visits")
    organization = local_editor.memberships.first().organization
    VisitInvitationFactory(organization=organization)
    client.get(url)
    one = _queries(client, url)
    VisitInvitationFactory.create_batch(2, organization=organization)

    assert _queries(client, url) == one


def test_member_sees_the_programme_in_kyiv_time_and_their_own(client, visit, member):
    ProgrammeItemFactory(
        visit=visit,
        title_en="Factory tour",
        starts_at=site_time(visit.starts_on, 15),
        ends_at=site_time(visit.starts_on, 16),
    )
    client.force_login(member)

    response = client.get(f"/en/visits/{visit.pk}/")

    html = response.content.decode()
    assert "Factory tour" in html
    assert "15:00–16:00" in html
    assert "America/Los_Angeles" in html
    ann_time = site_time(visit.starts_on, 15).astimezone(
        __import__("zoneinfo").ZoneInfo("America/Los_Angeles")
    )
    assert f"{ann_time:%H:%M}–" in html
    assert (
        reverse("events:personal-feed", kwargs={"token": member.calendar_token.token})
        in html
    )


def test_invited_editor_sees_only_their_items_and_outsiders_get_404(
    client, visit, local_org, local_editor
):
    VisitInvitationFactory(visit=visit, organization=local_org)
    ProgrammeItemFactory(visit=visit, organization=local_org, title_en="Our demo")
    ProgrammeItemFactory(visit=visit, title_en="Dinner with the mayor")
    client.force_login(local_editor)

    html = client.get(f"/en/visits/{visit.pk}/").content.decode()

    assert "Our demo" in html
    assert "Dinner with the mayor" not in html
    client.force_login(UserFactory(role=Role.INVESTOR))
    assert client.get(f"/en/visits/{visit.pk}/").status_code == 404


def test_public_visit_is_shown_to_everyone_signed_in_but_a_draft_is_not(client, db):
    public = VisitFactory(is_public=True)
    draft = VisitFactory(is_public=True, status=Visit.Status.DRAFT)
    client.force_login(UserFactory(role=Role.INVESTOR))

    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_create_visit_form_keeps_input_and_says_what_is_wrong(client, host):
    partner = OrganizationFactory(country="US")
    client.force_login(host)

    response = client.post(
        "/en/visits/new/",
        {
            "organization": partner.pk,
            "title_uk": "Візит",
            "title_en": "Visit",
            "starts_on": "2031-05-12",
            "ends_on": "2031-05-10",
        },
    )

    assert response.status_code == 200
    assert "The last day must not be before the first." in response.content.decode()
    assert 'value="Visit"' in response.content.decode()
    assert Visit.objects.count() == 0


def test_create_visit_then_members(client, host, member):
    partner = OrganizationFactory(country="US")
    client.force_login(host)

    response = client.post(
        "/en/visits/new/",
        {
            "organization": partner.pk,
            "title_uk": "Візит",
            "title_en": "Visit",
            "starts_on": "2031-05-12",
            "ends_on": "2031-05-14",
            "host": host.pk,
        },
    )
    visit = Visit.objects.get(title_en="Visit")
    assert response.url == reverse("visits:visit-members", kwargs={"pk": visit.pk})
    client.post(response.url, {"email": member.email})
    bad = client.post(response.url, {"email": "nobody@example.org"})

    assert list(visit.members.values_list("user", flat=True)) == [member.pk]
    assert "No account uses this address" in bad.content.decode()


def test_item_form_reads_times_in_the_site_zone_whatever_the_hosts_zone(
    client, host, visit
):
    host.time_zone = "America/New_York"
    host.save()
    client.force_login(host)
    day = visit.starts_on.isoformat()

    client.post(
        f"/en/visits/{visit.pk}/items/new/",
        {
            "kind": "meal",
            "title_uk": "Обід",
            "title_en": "Lunch",
            "starts_at": f"{day}T13:00",
            "ends_at": f"{day}T14:00",
        },
    )

    item = visit.items.get()
    assert item.starts_at == site_time(visit.starts_on, 13)


def test_editor_accepts_an_invitation_on_the_page(
    client, visit, local_org, local_editor
):
    invitation = VisitInvitationFactory(visit=visit, organization=local_org)
    client.force_login(local_editor)

    page = client.get(f"/en/visits/{visit.pk}/invitations/")
    response = client.post(
        reverse(
            "visits:invitation-accept",
            kwargs={"pk": visit.pk, "invitation_pk": invitation.pk},
        )
    )

    assert "Accept" in page.content.decode()
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == VisitInvitation.Status.ACCEPTED
    assert invitation.item.organization == local_org


def test_host_invites_from_the_proposal_with_reasons_prefilled(
    client, host, visit, member
):
    robotics = TagFactory(slug="robotics", name_en="Robotics")
    visit.tags.add(robotics)
    local = OrganizationFactory(name_en="Kharkiv Robotics", country="UA")
    local.tags.add(robotics)
    client.force_login(host)

    proposal = client.get(f"/en/visits/{visit.pk}/proposal/").content.decode()
    form = client.get(
        f"/en/visits/{visit.pk}/invitations/?organization={local.pk}&reasons=Robotics"
    )

    assert "Kharkiv Robotics" in proposal
    assert "Robotics" in proposal
    assert form.context["form"].initial["organization"] == str(local.pk)


def test_disruption_page_shows_the_plan_then_applies_it(client, host, visit, member):
    day = visit.starts_on
    item = ProgrammeItemFactory(
        visit=visit, starts_at=site_time(day, 14), ends_at=site_time(day, 15)
    )
    client.force_login(host)
    data = {
        "starts_at": f"{day.isoformat()}T13:30",
        "ends_at": f"{day.isoformat()}T15:00",
        "reason": "air_raid",
    }

    preview = client.post(f"/en/visits/{visit.pk}/disruption/", data)
    item.refresh_from_db()
    assert item.starts_at == site_time(day, 14)
    assert "15:00" in preview.content.decode()
    client.post(f"/en/visits/{visit.pk}/disruption/", {**data, "confirm": "on"})

    item.refresh_from_db()
    assert item.starts_at == site_time(day, 15)
    assert item.sequence == 1


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Visit programme / Програма візиту: Silicon Valley delegation"),
        ("uk", "Програма візиту / Visit programme: Делегація з Кремнієвої долини"),
    ],
)
def test_member_downloads_a_tagged_bilingual_programme_pdf(
    client, visit, member, language, title
):
    import io

    from pypdf import PdfReader

    from tests.pdf_checks import assert_accessible_pdf

    ProgrammeItemFactory(
        visit=visit,
        title_uk="Обід",
        title_en="Lunch",
        starts_at=site_time(visit.starts_on, 13),
        ends_at=site_time(visit.starts_on, 14),
    )
    client.force_login(member)

    response = client.get(f"/{language}/visits/{visit.pk}/programme.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert_accessible_pdf(response.content, language=language, title=title)
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Обід" in text
    assert "Lunch" in text
    assert "13:00–14:00" in text
    assert "America/Los_Angeles" in text


def test_organization_programme_pdf_is_for_its_editors_only(
    client, visit, local_org, local_editor
):
    VisitInvitationFactory(visit=visit, organization=local_org)
    ProgrammeItemFactory(visit=visit, organization=local_org)
    other = OrganizationFactory()
    client.force_login(local_editor)

    mine = client.get(
        f"/en/visits/{visit.pk}/programme.pdf?organization={local_org.pk}"
    )
    theirs = client.get(f"/en/visits/{visit.pk}/programme.pdf?organization={other.pk}")

    assert mine.status_code == 200
    assert theirs.status_code == 404


def test_report_shows_both_sides_and_follow_ups(client, host, visit, member, local_org):
    start = timezone.now() - dt.timedelta(days=1)
    item = ProgrammeItemFactory(
        visit=visit,
        organization=local_org,
        title_en="Kharkiv Robotics",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    ItemOutcome.objects.create(
        item=item, side="delegation", outcome="partnership", agreed="Pilot in May"
    )
    ItemOutcome.objects.create(item=item, side="host", outcome="follow_up")
    client.force_login(host)
    client.post(
        f"/en/visits/{visit.pk}/follow-ups/",
        {"text": "Send the NDA", "owner": member.pk, "due_on": "2031-06-01"},
    )

    html = client.get(f"/en/visits/{visit.pk}/report/").content.decode()
    pdf = client.get(f"/en/visits/{visit.pk}/report.pdf")

    assert "Pilot in May" in html
    assert "Partnership" in html
    assert "Follow-up agreed" in html
    assert "Send the NDA" in html
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "Partnership / Партнерство" in text
    assert "Pilot in May" in text
    assert "Send the NDA" in text


def test_outcome_page_records_the_delegations_side(client, visit, member):
    start = timezone.now() - dt.timedelta(hours=2)
    item = ProgrammeItemFactory(
        visit=visit, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    client.force_login(member)

    client.post(
        f"/en/visits/{visit.pk}/items/{item.pk}/outcome/",
        {"outcome": "interest", "agreed": "They will send a proposal"},
    )

    outcome = item.outcomes.get()
    assert (outcome.side, outcome.outcome) == ("delegation", "interest")


def test_cancel_item_is_a_post_with_a_confirmation(client, host, visit):
    item = ProgrammeItemFactory(visit=visit)
    client.force_login(host)

    page = client.get(visit.get_absolute_url()).content.decode()
    client.post(
        reverse("visits:item-cancel", kwargs={"pk": visit.pk, "item_pk": item.pk})
    )

    assert "data-confirm" in page
    item.refresh_from_db()
    assert item.status == ProgrammeItem.Status.CANCELLED


def test_members_list_of_another_visit_is_hidden(client, member):
    other = VisitFactory()
    VisitMemberFactory(visit=other)
    client.force_login(member)

    assert client.get(f"/en/visits/{other.pk}/").status_code == 404


def test_host_adds_a_b2b_session_for_the_delegation_and_accepted_organizations(
    client, host, visit, member, local_org, local_editor
):
    from tests.events.factories import EventFactory

    event = EventFactory(organizer=OrganizationFactory(), title_en="Forum")
    VisitInvitationFactory(
        visit=visit, organization=local_org, status=VisitInvitation.Status.ACCEPTED
    )
    client.force_login(host)
    day = visit.starts_on.isoformat()

    response = client.post(
        f"/en/visits/{visit.pk}/b2b/",
        {
            "event": event.pk,
            "starts_at": f"{day}T14:00",
            "ends_at": f"{day}T15:00",
            "slot_minutes": 20,
            "tables": 2,
        },
    )

    item = visit.items.get(kind=ProgrammeItem.Kind.B2B_SESSION)
    assert response.url == item.session.get_absolute_url()
    assert item.session.slots.count() == 3
    assert item.session.tables.count() == 2
    assert set(item.session.participants.values_list("user_id", "group")) == {
        (member.pk, "delegation"),
        (local_editor.pk, "local"),
    }
