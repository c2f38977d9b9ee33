"""What insights publishes: the small-number rule on every public figure (page, CSV,
API, the aggregates dataset), no private data in any open dataset or format, the
open data page and the DCAT-AP catalogue."""

import csv
import io
import json
import re
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.figures import public_count, small_number
from directory.models import Organization
from events.models import Event
from insights import charts, datasets, services
from insights.models import Figure
from investments.models import InvestmentProject, ProjectDocument
from matching.models import NeedOffer
from meetings.models import Meeting
from tests.events.factories import EventFactory
from tests.factories import OrganizationFactory
from tests.investments.factories import DocumentFactory, InterestFactory, ProjectFactory
from tests.matching.factories import NeedOfferFactory
from tests.meetings.factories import MeetingFactory, MeetingRequestFactory
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db
CELL = re.compile(r'<td class="text-end text-nowrap">([^<]*)</td>')


def _filters():
    """Every (period, sector) that has public figures."""
    rows = (
        Figure.objects.filter(is_public=True)
        .values_list("period_kind", "period_start", "sector")
        .distinct()
    )
    out = set()
    for kind, start, sector in rows:
        if kind == "all":
            period = "all"
        elif kind == "year":
            period = str(start.year)
        else:
            period = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        out.add((period, sector))
    return sorted(out)


def _is_published(value) -> bool:
    """A published count: at least the threshold, or the "<5" mark."""
    if value == f"<{small_number()}":
        return True
    return int(value) >= small_number()


def test_small_numbers_never_published_on_page_csv_or_api(client, ecosystem):
    services.recompute_all()
    suppressed = 0

    for period, sector in _filters():
        params = {"period": period, "sector": sector}
        page = client.get(reverse("insights:page"), params)
        html = page.content.decode()
        for cell in CELL.findall(html):
            cell = cell.strip().replace("\xa0", "").replace(" ", "")
            if cell in ("—", ""):
                continue
            if not cell.isdigit():
                assert cell == str(public_count(0)).replace(" ", ""), cell
                suppressed += 1
                continue
            assert int(cell) >= small_number(), (period, sector, cell)
        for table in page.context["tables"]:
            for row in table.rows:
                for count in row.counts:
                    assert count.is_suppressed or count.value >= small_number()
        for chart in charts.CHARTS:
            response = client.get(
                reverse("insights:chart-csv", kwargs={"slug": chart.slug}), params
            )
            rows = list(
                csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")))
            )
            width = len(chart.series)
            for row in rows[1:]:
                for value in row[1 : 1 + width]:
                    assert _is_published(value), (chart.slug, period, row)
            cache.clear()  # the API's rate limit for anonymous callers
            api = client.get(f"/api/v1/insights/{chart.slug}/", params).json()
            for row in api["rows"]:
                for value in row["values"].values():
                    assert _is_published(str(value)), (chart.slug, period, row)
                    if value == "<5":
                        assert row["amount"] is None

    dataset = client.get(
        reverse("insights:dataset-download", kwargs={"slug": "insights", "fmt": "csv"})
    )
    rows = list(csv.DictReader(io.StringIO(dataset.getvalue().decode("utf-8-sig"))))
    assert (
        len(rows)
        == Figure.objects.filter(is_public=True).exclude(measure="meta").count()
    )
    for row in rows:
        assert _is_published(row["value"]), row
        if row["value"].startswith("<"):
            assert row["amount"] == ""
    assert suppressed > 0  # the ecosystem has small groups, so the rule was exercised
    assert not any(row["measure"] in ("pipeline", "reviewer_load") for row in rows)


MARKER = "PRIVMARK"
RNTRC_MARKER = "7777733333"


@pytest.fixture
def private_world(ecosystem):
    """Every private field of the world filled with a marker."""
    OrganizationFactory(
        name_uk=f"{MARKER} members",
        name_en=f"{MARKER} members",
        description_en=MARKER,
        email=f"{MARKER.lower()}@example.org",
        visibility=Organization.Visibility.MEMBERS,
    )
    OrganizationFactory(
        name_uk=f"{MARKER} pending",
        verification=Organization.Verification.PENDING,
    )
    OrganizationFactory(kind="business", edrpou=None, rntrc=RNTRC_MARKER)
    draft = ProjectFactory(
        status=InvestmentProject.Status.DRAFT,
        title_uk=f"{MARKER} draft",
        title_en=f"{MARKER} draft",
        published_at=None,
    )
    public_project = ecosystem["projects"][0]
    DocumentFactory(
        project=public_project,
        title_uk=f"{MARKER} limited",
        title_en=f"{MARKER} limited",
        access=ProjectDocument.Access.LIMITED,
    )
    DocumentFactory(project=draft, title_en=f"{MARKER} of a draft")
    InterestFactory(
        project=public_project, message=MARKER, officer_note=MARKER, amount=7
    )
    request = MeetingRequestFactory(message=MARKER)
    MeetingFactory(
        request=request, outcome_note=MARKER, outcome=Meeting.Outcome.NOTHING
    )
    ReviewFactory(confidential_notes=MARKER, comments_to_submitters=MARKER)
    EventFactory(title_uk=MARKER, title_en=MARKER, is_public=False)
    EventFactory(title_uk=f"{MARKER} draft", status=Event.Status.DRAFT)
    NeedOfferFactory(title_en=MARKER, status=NeedOffer.Status.PENDING)
    members = OrganizationFactory(visibility=Organization.Visibility.MEMBERS)
    NeedOfferFactory(organization=members, title_en=f"{MARKER} of members")
    return ecosystem


def _text_of(response) -> str:
    body = (
        b"".join(response.streaming_content)
        if response.streaming
        else (response.content)
    )
    # Not response.close(): that signals the end of the request, which closes the
    # database connection of the test's transaction on PostgreSQL.
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()
    if body[:2] == b"PK":  # XLSX: search inside every part of the workbook
        with zipfile.ZipFile(io.BytesIO(body)) as workbook:
            return "".join(
                workbook.read(name).decode("utf-8", "replace")
                for name in workbook.namelist()
            )
    return body.decode("utf-8", "replace")


def test_no_private_marker_in_any_open_dataset_or_format(client, private_world):
    services.recompute_all()
    pages = [
        reverse("insights:open-data"),
        reverse("insights:page"),
        "/open-data/catalog.jsonld",
        "/api/v1/insights/",
    ]
    for dataset in datasets.DATASETS:
        pages += [distribution.path() for distribution in dataset.distributions]
    pages += [f"/api/v1/insights/{chart.slug}/" for chart in charts.CHARTS]
    pages += [
        reverse("insights:chart-csv", kwargs={"slug": chart.slug})
        for chart in charts.CHARTS
    ]

    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = _text_of(response)
        assert MARKER not in text, path
        assert MARKER.lower() not in text, path
        assert RNTRC_MARKER not in text, path


def test_open_data_page_lists_every_dataset_with_dictionary(client, ecosystem):
    services.recompute_all()

    response = client.get("/en/insights/open-data/")

    text = response.content.decode()
    assert response.status_code == 200
    for dataset in datasets.DATASETS:
        assert str(dataset.title) in text
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in text
    assert "https://creativecommons.org/licenses/by/4.0/" in text
    entry = {e["dataset"].slug: e for e in response.context["entries"]}
    assert entry["organizations"]["stats"]["rows"] == sum(
        1 for org in Organization.objects.all() if org.is_public
    )
    # Meanings in both languages whatever the page's language.
    assert entry["events"]["columns"][0]["meaning"]["en"] == "Identifier of the event"


@pytest.mark.parametrize("slug", [d.slug for d in datasets.DATASETS])
def test_data_dictionary_names_every_column_of_the_download(client, ecosystem, slug):
    services.recompute_all()
    dataset = datasets.DATASETS_BY_SLUG[slug]
    csv_distribution = next(d for d in dataset.distributions if d.format == "CSV")

    response = client.get(csv_distribution.path())

    header = next(csv.reader(io.StringIO(_text_of(response).lstrip("\ufeff"))))
    assert header == [column.name for column in dataset.columns]


def test_dcat_catalogue_has_the_required_properties(client, ecosystem):
    response = client.get("/open-data/catalog.jsonld")

    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["dct:publisher"]["foaf:name"]
    items = catalogue["dcat:dataset"]
    assert [item["dct:identifier"] for item in items] == [
        d.slug for d in datasets.DATASETS
    ]
    for item in items:
        assert item["@type"] == "dcat:Dataset"
        assert {t["@language"] for t in item["dct:title"]} == {"uk", "en"}
        assert all(t["@value"] for t in item["dct:title"] + item["dct:description"])
        assert item["dct:publisher"]["foaf:name"]
        assert (
            item["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
        )
        assert item["dcat:distribution"]
        for distribution in item["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution"
            assert distribution["dcat:accessURL"]["@id"].startswith(
                "http://testserver/"
            )
            assert distribution["dcat:mediaType"]["@id"].startswith(
                "http://www.iana.org/assignments/media-types/"
            )
            assert distribution["dct:license"]["@id"]
            path = distribution["dcat:accessURL"]["@id"].removeprefix(
                "http://testserver"
            )
            response = client.get(path)
            assert response.status_code == 200, path
            assert _text_of(response)


def test_licence_follows_the_setting(client, ecosystem, settings):
    settings.MIST_OPEN_DATA_LICENSE = "https://example.org/licence"

    catalogue = client.get("/open-data/catalog.jsonld").json()

    assert catalogue["dct:license"]["@id"] == "https://example.org/licence"


def test_footer_links_the_open_data_page(client, db):
    response = client.get("/en/directory/")

    assert 'href="/en/insights/open-data/"' in response.content.decode()


def test_needs_offers_download_lists_their_sectors_and_tags(client, db):
    # The download once added a second prefetch of sectors and tags to a queryset
    # that had them already, and failed as soon as one need or offer was public.
    from directory.models import Sector
    from tests.factories import TagFactory

    need = NeedOfferFactory(organization=OrganizationFactory(), country="DE")
    need.tags.set([TagFactory(slug="cloud"), TagFactory(slug="ai")])
    need.sectors.set(Sector.objects.order_by("code")[:1])
    path = reverse(
        "insights:dataset-download", kwargs={"slug": "needs-offers", "fmt": "csv"}
    )

    response = client.get(path)

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(_text_of(response).lstrip("\ufeff"))))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["tags"] == "ai, cloud"
    assert row["sectors"] == need.sectors.get().code
    assert row["country"] == "DE"
    assert row["published_at"] == need.published_at.isoformat()
