"""Import pages: who may use them, the dry run, progress, apply, downloads."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from directory import importing
from directory.models import ImportBatch, ImportRow, Organization
from tests.factories import UserFactory
from tests.imports.conftest import HEADER, company_row, csv_bytes


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def checked_batch(make_batch):
    batch = make_batch(
        csv_bytes([company_row(1), company_row(2, edrpou="12345670"), company_row(3)])
    )
    importing.check_import(batch)
    return batch


def import_urls(batch):
    return [
        ("get", reverse("directory:import-list")),
        ("get", reverse("directory:import-upload")),
        ("get", reverse("directory:import-detail", kwargs={"pk": batch.pk})),
        ("get", reverse("directory:import-file", kwargs={"pk": batch.pk})),
        ("post", reverse("directory:import-apply", kwargs={"pk": batch.pk})),
        (
            "get",
            reverse("directory:import-rejected", kwargs={"pk": batch.pk, "fmt": "csv"}),
        ),
        ("get", reverse("directory:import-template", kwargs={"fmt": "csv"})),
    ]


def test_import_pages_send_anonymous_visitors_to_sign_in(client, checked_batch):
    for method, url in import_urls(checked_batch):
        response = getattr(client, method)(url)

        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "role", [Role.EDITOR, Role.CITY_OFFICER, Role.REVIEWER, Role.INVESTOR]
)
def test_import_pages_are_forbidden_to_everyone_but_staff(client, checked_batch, role):
    client.force_login(UserFactory(role=role))

    for method, url in import_urls(checked_batch):
        response = getattr(client, method)(url)

        assert response.status_code == 403, url
    checked_batch.refresh_from_db()
    assert checked_batch.status == ImportBatch.Status.CHECKED


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_import_pages_open_for_staff_and_admins(client, checked_batch, role):
    client.force_login(UserFactory(role=role))

    for method, url in import_urls(checked_batch):
        if method == "get":
            response = client.get(url)
            if response.streaming:  # read to the end: that closes the file
                b"".join(response.streaming_content)
            assert response.status_code == 200, url


def test_upload_runs_the_dry_run_and_shows_the_errors(
    staff_client, vocabulary, django_capture_on_commit_callbacks
):
    rows = [company_row(n) for n in range(1, 51)]
    rows[4] = company_row(5, edrpou="12345670")
    rows[19] = company_row(20, sectors="99.9")
    rows[41] = company_row(42, name_uk="", name_en="")
    upload = SimpleUploadedFile("partners.csv", csv_bytes(rows), "text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("directory:import-upload"), {"file": upload}
        )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportBatch.Status.CHECKED
    assert (batch.created_count, batch.rejected_count) == (47, 3)
    with translation.override("en"):
        page = staff_client.get(
            reverse("directory:import-detail", kwargs={"pk": batch.pk}),
            headers={"accept-language": "en"},
        )
    text = page.content.decode()
    assert page.context["rows"][0].row == 6  # rejects first
    assert [row.row for row in page.context["rows"][:3]] == [6, 21, 43]
    assert "12345670" in text
    assert "99.9" in text
    assert 'hx-trigger="every 1s"' not in text
    assert Organization.objects.filter(edrpou__isnull=False).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("directory:import-apply", kwargs={"pk": batch.pk}),
            {"confirm": "yes"},
        )

    batch.refresh_from_db()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.created_count == 47
    assert Organization.objects.filter(edrpou__isnull=False).count() == 47


def test_upload_refuses_other_file_types_keeping_the_form(staff_client, vocabulary):
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.4", "application/pdf")

    response = staff_client.post(reverse("directory:import-upload"), {"file": upload})

    assert response.status_code == 400
    assert "notes.pdf" in response.context["error"]
    assert ImportBatch.objects.count() == 0


def test_upload_without_a_file_says_so(staff_client):
    response = staff_client.post(reverse("directory:import-upload"), {})

    assert response.status_code == 400
    assert response.context["error"]


def test_apply_needs_the_confirmation(staff_client, checked_batch):
    response = staff_client.post(
        reverse("directory:import-apply", kwargs={"pk": checked_batch.pk})
    )

    checked_batch.refresh_from_db()
    assert response.status_code == 302
    assert checked_batch.status == ImportBatch.Status.CHECKED
    assert Organization.objects.filter(edrpou__isnull=False).count() == 0


def test_apply_over_htmx_redirects_the_client(
    staff_client, checked_batch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("directory:import-apply", kwargs={"pk": checked_batch.pk}),
            {"confirm": "yes"},
            headers={"hx-request": "true"},
        )

    assert response.status_code == 200
    assert response["HX-Redirect"] == checked_batch.get_absolute_url()
    checked_batch.refresh_from_db()
    assert checked_batch.created_count == 2


def test_detail_polls_while_running_and_the_fragment_stops_when_done(
    staff_client, checked_batch
):
    ImportBatch.objects.filter(pk=checked_batch.pk).update(
        status=ImportBatch.Status.APPLYING, processed_rows=1
    )
    url = reverse("directory:import-detail", kwargs={"pk": checked_batch.pk})

    running = staff_client.get(url)
    ImportBatch.objects.filter(pk=checked_batch.pk).update(
        status=ImportBatch.Status.CHECKED
    )
    fragment = staff_client.get(url, headers={"hx-request": "true"})

    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert '<meta http-equiv="refresh"' in running.content.decode()
    assert running.context["processed"] == 1
    assert running.context["percent"] == 33
    assert 'hx-trigger="every 1s"' not in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert 'id="import-batch"' in fragment.content.decode()


def test_detail_filters_rows_by_action(staff_client, checked_batch):
    url = reverse("directory:import-detail", kwargs={"pk": checked_batch.pk})

    response = staff_client.get(url, {"action": "create"})

    assert [row.row for row in response.context["rows"]] == [2, 4]


def test_detail_marks_the_row_filter_in_use_next_to_the_apply_form(
    staff_client, checked_batch
):
    url = reverse("directory:import-detail", kwargs={"pk": checked_batch.pk})
    apply_url = reverse("directory:import-apply", kwargs={"pk": checked_batch.pk})

    html = staff_client.get(url, {"action": "create"}).content.decode()

    assert f'<form method="post" action="{apply_url}"' in html
    assert html.count('class="nav-link active"') == 1
    assert '?action=create" aria-current="page">' in html


@pytest.mark.parametrize("count", [1, 3])
def test_import_list_query_count(
    staff_client, make_batch, count, django_assert_num_queries
):
    for _n in range(count):
        make_batch(csv_bytes([company_row(1)]))

    with django_assert_num_queries(4):
        response = staff_client.get(reverse("directory:import-list"))

    assert len(response.context["batches"]) == count


@pytest.mark.parametrize("rows", [1, 5])
def test_import_detail_query_count(
    staff_client, make_batch, rows, django_assert_num_queries
):
    batch = make_batch(csv_bytes([company_row(n) for n in range(rows)]))
    importing.check_import(batch)

    with django_assert_num_queries(5):
        response = staff_client.get(
            reverse("directory:import-detail", kwargs={"pk": batch.pk})
        )

    assert len(response.context["rows"]) == rows


def test_rejected_rows_download_as_csv(staff_client, checked_batch):
    with translation.override("en"):
        url = reverse(
            "directory:import-rejected",
            kwargs={"pk": checked_batch.pk, "fmt": "csv"},
        )

    response = staff_client.get(url)

    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert response["Content-Disposition"].startswith(
        'attachment; filename="partners-rejected-'
    )
    assert rows[0] == [*HEADER, "errors"]
    assert len(rows) == 2
    assert rows[1][:-1] == company_row(2, edrpou="12345670")
    assert rows[1][-1]


def test_rejected_rows_download_as_xlsx(staff_client, checked_batch):
    with translation.override("en"):
        url = reverse(
            "directory:import-rejected",
            kwargs={"pk": checked_batch.pk, "fmt": "xlsx"},
        )

    response = staff_client.get(url)

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert rows[0] == [*HEADER, "errors"]
    assert len(rows) == 2
    assert rows[1][3] == "12345670"


def test_rejected_rows_of_unknown_format_is_404(staff_client, checked_batch):
    url = reverse(
        "directory:import-rejected", kwargs={"pk": checked_batch.pk, "fmt": "pdf"}
    )

    assert staff_client.get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_round_trips_through_the_dry_run(staff_client, make_batch, fmt):
    response = staff_client.get(
        reverse("directory:import-template", kwargs={"fmt": fmt})
    )
    content = b"".join(response.streaming_content)
    batch = make_batch(content, f"template.{fmt}")

    importing.check_import(batch)

    batch.refresh_from_db()
    row = batch.rows.get()
    assert row.errors == []
    assert row.action == ImportRow.Action.CREATE
    assert batch.report["ignored_columns"] == []


def test_staff_download_the_uploaded_file_under_its_own_name(staff_client, make_batch):
    content = csv_bytes([company_row(1)])
    batch = make_batch(content, name="Партнери кластера.csv")
    url = reverse("directory:import-file", kwargs={"pk": batch.pk})

    page = staff_client.get(batch.get_absolute_url())
    response = staff_client.get(url)

    assert f'href="{url}"' in page.content.decode()
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%9F%D0%B0%D1%80%D1%82%D0%BD%D0%B5%D1%80%D0%B8"
        "%20%D0%BA%D0%BB%D0%B0%D1%81%D1%82%D0%B5%D1%80%D0%B0.csv"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "Партнери" not in batch.file.name


def test_import_file_missing_from_storage_is_not_found(staff_client, make_batch):
    batch = make_batch(csv_bytes([company_row(1)]))
    batch.file.storage.delete(batch.file.name)

    response = staff_client.get(
        reverse("directory:import-file", kwargs={"pk": batch.pk})
    )

    assert response.status_code == 404
