"""Every figure of the public page against a count made here, object by object, from
the factories' rows (not through the queries insights uses)."""

import datetime
import zoneinfo
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext

from core.figures import public_count
from directory.models import Organization, Sector
from events.models import Event, Registration
from exchange.models import Call, Submission
from insights import services
from insights.models import Figure
from investments.models import InvestmentProject
from meetings.models import Meeting
from reviews.models import Decision, Review

pytestmark = pytest.mark.django_db


def _page(client, **params):
    response = client.get(reverse("insights:page"), params)
    assert response.status_code == 200
    return {table.chart.slug: table for table in response.context["tables"]}


def _cells(table, column=0) -> dict:
    return {row.label: row.counts[column] for row in table.rows}


def _public(org) -> bool:
    return org.is_public


def _quarter(moment) -> tuple:
    day = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()
    return (day.year, (day.month - 1) // 3 + 1)


def _expected(counter: Counter, labels=None) -> dict:
    return {
        (labels or {}).get(key, key): public_count(n) for key, n in counter.items() if n
    }


def test_organization_figures_match_counts(client, ecosystem):
    services.recompute_all()

    tables = _page(client)

    public = [org for org in Organization.objects.all() if _public(org)]
    kinds = dict(Organization.Kind.choices)
    assert _cells(tables["organizations-kind"]) == _expected(
        Counter(str(kinds[org.kind]) for org in public)
    )
    sizes = dict(Organization.Size.choices)
    size_counts = Counter(str(sizes.get(org.size, "")) for org in public)
    size_counts[gettext("Not given")] = size_counts.pop("")
    assert _cells(tables["organizations-size"]) == _expected(size_counts)
    abroad = Counter(
        str(org.country.name) for org in public if org.country.code != "UA"
    )
    assert _cells(tables["partners-abroad"]) == _expected(abroad)
    sections = Counter()
    for org in public:
        for code in {s.parent.code if s.parent else s.code for s in org.sectors.all()}:
            sections[code] += 1
    got = {row.key: row.counts[0] for row in tables["organizations-section"].rows}
    sections[""] = sum(1 for org in public if not org.sectors.exists())
    assert got == {code: public_count(n) for code, n in sections.items()}
    members = sum(
        1
        for org in public
        if org.cluster_status == "member" and org.cluster_member_since
    )
    assert tables["cluster-members"].rows[-1].counts[0] == public_count(members)


def test_exchange_and_journey_figures_match_counts(client, ecosystem):
    services.recompute_all()

    tables = _page(client)

    submitted = [
        s for s in Submission.objects.all() if s.status == Submission.Status.SUBMITTED
    ]
    released = {
        d.submission_id: d.outcome
        for d in Decision.objects.all()
        if d.status == Decision.Status.RELEASED
    }
    reviewed = {
        r.assignment.submission_id
        for r in Review.objects.all()
        if r.status == Review.Status.SUBMITTED
    }
    mentoring = {
        r.assignment.submission_id
        for r in Review.objects.all()
        if r.status == Review.Status.SUBMITTED and r.offers_mentoring
    }
    accepted = [s for s in submitted if released.get(s.pk) == "accept"]
    funnel = tables["exchange-funnel"]
    assert [row.key for row in funnel.rows][:5] == [
        "calls",
        "submitted",
        "reviewed",
        "accepted",
        "mentored",
    ]
    cells = {row.key: row.counts[0] for row in funnel.rows}
    assert cells["calls"] == public_count(
        sum(1 for call in Call.objects.all() if call.phase != "draft")
    )
    assert cells["submitted"] == public_count(len(submitted))
    assert cells["reviewed"] == public_count(
        sum(1 for s in submitted if s.pk in reviewed)
    )
    assert cells["accepted"] == public_count(len(accepted))
    assert cells["mentored"] == public_count(
        sum(1 for s in accepted if s.pk in mentoring)
    )
    assert cells["revise"] == public_count(
        sum(1 for s in submitted if released.get(s.pk) == "revise")
    )

    journey = {row.key: row.counts[0] for row in tables["journey"].rows}
    met = {
        m.request.submission_id
        for m in Meeting.objects.all()
        if m.status != Meeting.Status.CANCELLED and m.request.submission_id
    }
    assert journey["submitted"] == public_count(len(submitted))
    assert journey["accepted"] == public_count(len(accepted))
    assert journey["meeting"] == public_count(sum(1 for s in submitted if s.pk in met))
    with_interest = {
        p.source_submission_id
        for p in InvestmentProject.objects.all()
        if p.source_submission_id and p.interests.exists()
    }
    assert journey["interest"] == public_count(
        sum(1 for s in submitted if s.pk in with_interest)
    )
    assert tables["journey"].reading.startswith(gettext("All sectors"))


def test_investment_events_and_meeting_figures_match_counts(client, ecosystem):
    services.recompute_all()

    tables = _page(client)

    public = [p for p in InvestmentProject.objects.all() if p.is_public]
    funnel = {row.key: row for row in tables["investment-funnel"].rows}
    assert funnel["published"].counts[0] == public_count(len(public))
    ranks = ["new", "contacted", "meeting", "due_diligence", "letter_of_intent"]
    ranks.append("funded")

    def reached(stage):
        n = ranks.index(stage)
        return sum(
            1
            for p in public
            if any(
                i.stage != "declined" and ranks.index(i.stage) >= n
                for i in p.interests.all()
            )
        )

    assert funnel["interest"].counts[0] == public_count(
        sum(1 for p in public if p.interests.exists())
    )
    for stage in ("meeting", "due_diligence", "letter_of_intent", "funded"):
        assert funnel[stage].counts[0] == public_count(reached(stage)), stage
    # 6 published projects x 800,000 USD sought.
    assert funnel["published"].amount == sum(p.financing_sought for p in public)

    held = [e for e in Event.objects.all() if e.is_public and e.status == "published"]
    confirmed = [
        r
        for r in Registration.objects.all()
        if r.event in held and r.status == Registration.Status.CONFIRMED
    ]
    events = {row.key: row.counts for row in tables["events"].rows}
    assert events["meetup"] == [
        public_count(len(held)),
        public_count(len(confirmed)),
    ]
    outcomes = Counter(
        m.outcome for m in Meeting.objects.all() if m.status == "scheduled"
    )
    assert {row.key: row.counts[0] for row in tables["meetings"].rows} == {
        key: public_count(n) for key, n in outcomes.items()
    }


def test_quarter_filter_follows_the_local_quarter_boundary(client, ecosystem):
    services.recompute_all()

    q2 = _page(client, period="2026-Q2")["exchange-funnel"]
    q3 = _page(client, period="2026-Q3")["exchange-funnel"]
    year = _page(client, period="2026")["exchange-funnel"]

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    submitted = [s for s in Submission.objects.all() if s.submitted_at]
    in_q = Counter(_quarter(s.submitted_at) for s in submitted)
    # In UTC both batches fall on 30 June; in the deployment's zone they split.
    assert {s.submitted_at.astimezone(datetime.UTC).month for s in submitted} == {6}
    assert in_q == {(2026, 2): 2, (2026, 3): 6}
    assert {r.key: r.counts[0] for r in q2.rows}["submitted"] == public_count(2)
    assert {r.key: r.counts[0] for r in q3.rows}["submitted"] == public_count(6)
    assert {r.key: r.counts[0] for r in year.rows}["submitted"] == public_count(8)
    assert zone.key == settings.TIME_ZONE


def test_sector_filter_counts_organizations_of_the_section(client, ecosystem):
    services.recompute_all()

    tables = _page(client, sector="J")

    in_j = [
        org
        for org in Organization.objects.all()
        if org.is_public
        and any(
            (s.parent.code if s.parent else s.code) == "J" for s in org.sectors.all()
        )
    ]
    assert _cells(tables["organizations-kind"]) == _expected(
        Counter(str(org.get_kind_display()) for org in in_j)
    )
    section = Sector.objects.get(code="J")
    projects_in_j = [
        p
        for p in InvestmentProject.objects.all()
        if p.is_public and any(s.parent_id == section.pk for s in p.sectors.all())
    ]
    with_interest = [p for p in projects_in_j if p.interests.exists()]
    assert tables["investment-funnel"].reading == (
        f"{section.name}: {public_count(len(with_interest))} з "
        f"{public_count(len(projects_in_j))} проєктів знайшли зацікавлених інвесторів."
    )


def test_page_in_english_says_when_computed(client, ecosystem):
    services.recompute_all()

    response = client.get("/en/insights/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "Figures computed" in text
    assert "Organizations by kind" in text
    assert "fewer than 5" in text


def test_recompute_replaces_rows_and_refresh_is_debounced(
    django_capture_on_commit_callbacks, ecosystem
):
    services.recompute_all()
    before = Figure.objects.count()
    # The fixture's changes wait for a commit the test transaction never reaches.
    connection.run_on_commit.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        org = Organization.objects.filter(kind="startup").first()
        org.kind = Organization.Kind.IT_COMPANY
        org.save()
        org.save()

    assert [c for c in callbacks if c is services._flush] == [services._flush]
    assert Figure.objects.count() == before
    kind = Figure.objects.get(
        measure="organizations",
        dimension="kind",
        key="startup",
        period_kind="all",
        sector="",
    )
    assert kind.value == sum(
        1 for o in Organization.objects.all() if o.is_public and o.kind == "startup"
    )
