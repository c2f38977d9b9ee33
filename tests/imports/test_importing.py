"""The import engine: reading files, checking rows, dry run and apply."""

import codecs
import io

import pytest
from django.db import connection
from django.utils import translation

from core.models import AuditEntry
from directory import importing, search
from directory.models import ImportBatch, Organization
from tests.factories import OrganizationFactory
from tests.imports.conftest import (
    HEADER,
    KHARKIV,
    company_row,
    csv_bytes,
    valid_edrpou,
    valid_rntrc,
    xlsx_bytes,
)


def read(content: bytes, name="file.csv"):
    with importing.open_sheet(io.BytesIO(content), name) as sheet:
        return sheet, [(n, sheet.record(cells)) for n, cells in sheet.rows]


# Reading files.


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"),
    [
        ("utf-8", ",", False),
        ("utf-8", ";", True),
        ("cp1251", ";", False),
        ("cp1251", ",", False),
        ("utf-8", "\t", False),
    ],
)
def test_open_sheet_reads_csv_in_each_encoding_and_delimiter(encoding, delimiter, bom):
    content = csv_bytes(
        [["Харківська компанія, ТОВ", "", "startup", "", "", "", "", "", ""]],
        delimiter=delimiter,
        encoding=encoding,
    )
    if bom:
        content = codecs.BOM_UTF8 + content

    sheet, rows = read(content)

    assert list(sheet.columns.values()) == HEADER
    assert rows[0][0] == 2
    assert rows[0][1]["name_uk"] == "Харківська компанія, ТОВ"
    assert rows[0][1]["kind"] == "startup"


def test_open_sheet_reads_xlsx_with_typed_cells():
    content = xlsx_bytes(
        [["Компанія", "Company", "it_company", 1234567, None, None, None, None, None]]
    )

    _sheet, rows = read(content, "partners.xlsx")

    assert rows == [
        (
            2,
            {
                "name_uk": "Компанія",
                "name_en": "Company",
                "kind": "it_company",
                "edrpou": 1234567,
                "website": None,
                "email": None,
                "sectors": None,
                "tags": None,
                "place": None,
            },
        )
    ]


def test_open_sheet_accepts_ukrainian_headers_and_reports_unknown_ones():
    content = csv_bytes(
        [["Компанія", "41234569", "https://x.example.com", "щось"]],
        header=["Назва", "ЄДРПОУ", "Сайт", "Примітка"],
    )

    sheet, rows = read(content)

    assert sheet.columns == {0: "name_uk", 1: "edrpou", 2: "website"}
    assert sheet.ignored == ["Примітка"]
    assert rows[0][1] == {
        "name_uk": "Компанія",
        "edrpou": "41234569",
        "website": "https://x.example.com",
    }


def test_open_sheet_skips_blank_rows_keeping_spreadsheet_row_numbers():
    content = csv_bytes([company_row(1), [""] * len(HEADER), company_row(2)])

    _sheet, rows = read(content)

    assert [number for number, _record in rows] == [2, 4]


def test_open_sheet_without_a_name_column_explains_the_header():
    content = csv_bytes([["x"]], header=["something"])

    with (
        translation.override("en"),
        pytest.raises(importing.ImportFileError, match="name column"),
    ):
        read(content)


def test_open_sheet_rejects_old_excel_files():
    with pytest.raises(importing.ImportFileError, match=r"\.xls"):
        read(b"\xd0\xcf\x11\xe0rest", "old.xls")


# Checking rows: each error with its message.


def errors_of(vocabulary_rows: dict) -> list[str]:
    vocabulary = importing.Vocabulary()
    plan = importing.check_row(2, vocabulary_rows, vocabulary)
    with translation.override("en"):
        return importing.error_messages(plan.errors)


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"edrpou": "12345670"}, "bad EDRPOU 12345670: check digit"),
        ({"edrpou": "1234"}, "bad EDRPOU 1234: must be 8 digits"),
        ({"edrpou": "1234567x"}, "bad EDRPOU 1234567x: must be 8 digits"),
        ({"sectors": "62;99.9"}, "unknown sector 99.9"),
        ({"name_uk": "", "name_en": ""}, "missing name"),
        ({"kind": "spaceship"}, "unknown kind spaceship (expected one of: "),
        ({"email": "not-an-email"}, "invalid e-mail not-an-email"),
        ({"website": "http://"}, "invalid website http://"),
        ({"phone": "12"}, "invalid phone number 12"),
        ({"tags": "cobol-wizardry"}, "unknown tag cobol-wizardry"),
        ({"place": "Атлантида"}, "unknown place Атлантида"),
        ({"country": "Narnia"}, "unknown country Narnia"),
        ({"size": "huge"}, "unknown size huge (expected one of: "),
        ({"founded_year": "1700"}, "founded year 1700 is not a year between 1800"),
        ({"cluster_status": "maybe"}, "unknown cluster status maybe"),
        ({"cluster_member_since": "soon"}, "member since soon is not a date"),
        ({"visibility": "secret"}, "unknown visibility secret"),
        (
            {"rntrc": valid_rntrc(5)},
            "give either an EDRPOU or a taxpayer number, not both",
        ),
        ({"rntrc": "123"}, "bad taxpayer number 123: must be 10 digits"),
        (
            {"edrpou": "", "website": "", "rntrc": ""},
            "no EDRPOU, website or taxpayer number to identify the organization",
        ),
        ({"name_uk": "Я" * 300}, "name (Ukrainian) is longer than 255 characters"),
    ],
)
def test_check_row_reports_each_error_with_its_message(vocabulary, cells, message):
    record = dict(zip(HEADER, company_row(1), strict=True)) | cells

    errors = errors_of(record)

    assert len(errors) == 1
    assert errors[0].startswith(message)


def test_check_row_accepts_names_labels_and_loose_formats(vocabulary):
    record = {
        "name_uk": "  Компанія  ",
        "kind": "Стартап",
        "edrpou": 3000012,  # a number cell that lost its leading zero
        "website": "www.Example.com/ua",
        "sectors": "62, 63",
        "tags": "Machine learning; Веброзробка",
        "place": "Харків",
        "country": "Україна",
        "size": "35",
        "cluster_status": "так",
        "cluster_member_since": "01.05.2019",
        "visibility": "members only",
        "founded_year": 2015.0,
    }

    plan = importing.check_row(2, record, importing.Vocabulary())

    assert plan.errors == []
    assert plan.values["name_uk"] == "Компанія"
    assert plan.values["kind"] == "startup"
    assert plan.values["edrpou"] == "03000012"
    assert plan.values["website"] == "https://www.Example.com/ua"
    assert plan.domain == "example.com"
    assert plan.values["size"] == "10-49"
    assert plan.values["cluster_status"] == "member"
    assert str(plan.values["cluster_member_since"]) == "2019-05-01"
    assert plan.values["visibility"] == "members"
    assert plan.values["founded_year"] == 2015
    assert plan.values["country"] == "UA"
    assert len(plan.sectors) == 2
    assert len(plan.tags) == 2
    assert plan.key_kind == "edrpou"


def test_domain_of_normalizes_scheme_case_and_www():
    assert importing.domain_of("HTTPS://WWW.Example.COM/about") == "example.com"
    assert importing.domain_of("example.com") == "example.com"
    assert importing.domain_of("") == ""


# Dry run.


def test_check_import_reports_every_row_and_writes_no_organization(make_batch):
    existing = OrganizationFactory(
        name_uk="Компанія 2",
        name_en="Company 2",
        edrpou=valid_edrpou(2),
        website="https://company2.example.com",
        email="old@company2.example.com",
    )
    unchanged = OrganizationFactory(
        name_uk="Компанія 3",
        name_en="Company 3",
        edrpou=valid_edrpou(3),
        website="https://company3.example.com",
        email="info@company3.example.com",
    )
    before = Organization.objects.count()
    content = csv_bytes(
        [
            company_row(1),
            company_row(2, sectors="", tags="", place=""),
            company_row(3, sectors="", tags="", place=""),
            company_row(4, edrpou="12345670"),
            company_row(5, edrpou=valid_edrpou(1)),
        ]
    )
    batch = make_batch(content)

    importing.check_import(batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED
    assert (batch.total_rows, batch.processed_rows) == (5, 5)
    assert (
        batch.created_count,
        batch.updated_count,
        batch.unchanged_count,
        batch.rejected_count,
    ) == (1, 1, 1, 2)
    rows = {row.row: row for row in batch.rows.all()}
    assert rows[2].action == "create"
    assert (rows[2].key_kind, rows[2].key) == ("edrpou", valid_edrpou(1))
    assert rows[3].action == "update"
    assert rows[3].changes == ["email"]
    assert rows[3].organization_id == existing.pk
    assert rows[4].action == "unchanged"
    assert rows[4].organization_id == unchanged.pk
    with translation.override("en"):
        assert importing.error_messages(rows[5].errors) == [
            "bad EDRPOU 12345670: check digit"
        ]
        assert importing.error_messages(rows[6].errors) == [
            "duplicate of row 2 (same EDRPOU)"
        ]
    assert batch.report["phase"] == "dry_run"
    assert Organization.objects.count() == before


def test_check_import_flags_duplicate_websites_and_missing_kind(make_batch):
    content = csv_bytes(
        [
            company_row(1, edrpou=""),
            company_row(2, edrpou="", website="https://www.company1.example.com/"),
            company_row(3, kind=""),
        ]
    )
    batch = make_batch(content)

    importing.check_import(batch)

    with translation.override("en"):
        errors = {
            row.row: importing.error_messages(row.errors) for row in batch.rows.all()
        }
    assert errors == {
        2: [],
        3: ["duplicate of row 2 (same website)"],
        4: ["missing kind"],
    }


def test_check_import_of_unreadable_file_fails_with_message(make_batch):
    batch = make_batch(b"nothing,here\n1,2\n")

    with translation.override("en"):
        importing.check_import(batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "name column" in batch.error_message_en
    assert "стовпець назви" in batch.error_message_uk


# Apply.


def test_apply_import_creates_verified_organizations_with_links(make_batch, staff):
    content = csv_bytes(
        [company_row(1), company_row(2, tags="machine-learning;web-development")]
    )
    batch = make_batch(content)
    importing.check_import(batch)

    importing.apply_import(batch, user=staff)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.created_count == 2
    org = Organization.objects.get(edrpou=valid_edrpou(2))
    assert org.name_uk == "Компанія 2"
    assert org.slug == "kompaniia-2"
    assert org.verification == Organization.Verification.VERIFIED
    assert org.verified_by == staff
    assert org.place.code == KHARKIV
    assert sorted(org.sectors.values_list("code", flat=True)) == ["62", "63"]
    assert sorted(org.tags.values_list("slug", flat=True)) == [
        "machine-learning",
        "web-development",
    ]
    assert "компанія" in org.search_names
    assert (org.country.code, org.version, org.is_demo, org.logo.name) == (
        "UA",
        1,
        False,
        "",
    )
    assert org.created_at is not None
    org.full_clean()
    found = search.search_organizations(Organization.objects.all(), "Company 2")
    assert org in list(found)
    assert set(batch.rows.values_list("organization_id", flat=True)) == set(
        Organization.objects.filter(
            edrpou__in=[valid_edrpou(1), valid_edrpou(2)]
        ).values_list("pk", flat=True)
    )
    entry = AuditEntry.objects.get(action="import.applied")
    assert entry.actor == staff
    assert entry.details["created"] == 2


def test_apply_import_updates_changed_fields_only(make_batch, staff):
    org = OrganizationFactory(
        name_uk="Компанія 1",
        name_en="Old name",
        edrpou=valid_edrpou(1),
        description_uk="Опис лишається.",
        website="https://company1.example.com",
        email="info@company1.example.com",
        verification=Organization.Verification.PENDING,
    )
    batch = make_batch(csv_bytes([company_row(1, tags="")]))
    importing.check_import(batch)

    importing.apply_import(batch, user=staff)

    org.refresh_from_db()
    assert org.name_en == "Company 1"
    assert org.description_uk == "Опис лишається."
    assert org.version == 2
    assert org.verification == Organization.Verification.PENDING
    assert sorted(org.sectors.values_list("code", flat=True)) == ["62", "63"]
    row = batch.rows.get()
    assert row.action == "update"
    assert row.changes == ["name_en", "place", "sectors"]


def test_apply_import_matches_by_domain_then_sets_the_edrpou(make_batch, staff):
    org = OrganizationFactory(website="https://www.company1.example.com/", edrpou=None)
    batch = make_batch(csv_bytes([company_row(1)]))
    importing.check_import(batch)

    importing.apply_import(batch, user=staff)

    org.refresh_from_db()
    assert org.edrpou == valid_edrpou(1)
    assert batch.rows.get().organization_id == org.pk


def test_apply_import_twice_changes_nothing_the_second_time(make_batch, staff):
    rows = [company_row(n) for n in range(1, 6)]
    rows.append(company_row(6, edrpou="", website="https://six.example.com"))
    rows.append(company_row(7, edrpou="", website=""))
    first = make_batch(csv_bytes(rows))
    importing.check_import(first)
    importing.apply_import(first, user=staff)
    snapshot = list(
        Organization.objects.order_by("pk").values_list("pk", "updated_at", "version")
    )
    second = make_batch(csv_bytes(rows))

    importing.check_import(second)
    importing.apply_import(second, user=staff)

    second.refresh_from_db()
    assert first.created_count == 6  # the row without any key is rejected
    assert (second.created_count, second.updated_count, second.unchanged_count) == (
        0,
        0,
        6,
    )
    assert second.rejected_count == 1
    assert (
        list(
            Organization.objects.order_by("pk").values_list(
                "pk", "updated_at", "version"
            )
        )
        == snapshot
    )


def test_apply_import_rechecks_rows_against_current_data(make_batch, staff):
    batch = make_batch(csv_bytes([company_row(1)]))
    importing.check_import(batch)
    OrganizationFactory(edrpou=valid_edrpou(1), name_uk="Створена тим часом")

    importing.apply_import(batch, user=staff)

    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (0, 1)
    assert Organization.objects.filter(edrpou=valid_edrpou(1)).count() == 1


def test_apply_import_is_atomic_when_a_conflicting_row_appears_midway(
    make_batch, staff
):
    rows = [company_row(n) for n in range(1, 7)]
    batch = make_batch(csv_bytes(rows))
    importing.check_import(batch)
    before = Organization.objects.count()
    dry_run_rows = list(batch.rows.values_list("row", "action"))

    def insert_conflict(processed):
        # Someone else saves company 5 after the check of its chunk began.
        if processed == 2:
            Organization.objects.bulk_create(
                [
                    Organization(
                        name_uk="Конкурент",
                        slug="konkurent",
                        kind="it_company",
                        edrpou=valid_edrpou(5),
                    )
                ]
            )

    with translation.override("en"):
        batch_after = importing.apply_import(
            batch, user=staff, chunk_size=2, on_chunk=insert_conflict
        )

    batch.refresh_from_db()
    assert batch_after.status == ImportBatch.Status.FAILED
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.error_message_en.startswith("Unexpected error, nothing was written")
    assert "IntegrityError" in batch.error_message_en
    assert Organization.objects.count() == before
    assert not AuditEntry.objects.filter(action="import.applied").exists()
    assert list(batch.rows.values_list("row", "action")) == dry_run_rows


def test_apply_import_can_be_retried_after_a_failure(make_batch, staff):
    batch = make_batch(csv_bytes([company_row(1)]))
    importing.check_import(batch)
    batch.status = ImportBatch.Status.FAILED
    batch.save()

    assert importing.start_apply(batch, user=staff) is True

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLYING


def test_start_apply_refuses_an_unchecked_or_applied_batch(make_batch, staff):
    batch = make_batch(csv_bytes([company_row(1)]))

    assert importing.start_apply(batch, user=staff) is False

    importing.check_import(batch)
    importing.apply_import(batch, user=staff)
    assert importing.start_apply(batch, user=staff) is False


def test_slugs_are_unique_against_existing_and_new_ones(make_batch, staff):
    OrganizationFactory(slug="kompaniia")
    rows = [
        company_row(1, name_uk="Компанія"),
        company_row(2, name_uk="Компанія"),
    ]
    batch = make_batch(csv_bytes(rows))
    importing.check_import(batch)

    importing.apply_import(batch, user=staff)

    slugs = sorted(
        Organization.objects.filter(
            edrpou__in=[valid_edrpou(1), valid_edrpou(2)]
        ).values_list("slug", flat=True)
    )
    assert slugs == ["kompaniia-2", "kompaniia-3"]


def test_apply_import_of_an_xlsx_file(make_batch, staff):
    batch = make_batch(
        xlsx_bytes([company_row(1), company_row(2, email="bad")]), "partners.xlsx"
    )
    importing.check_import(batch)

    importing.apply_import(batch, user=staff)

    batch.refresh_from_db()
    assert (batch.created_count, batch.rejected_count) == (1, 1)


def test_rejected_rows_are_exactly_the_bad_rows_with_their_errors(make_batch):
    rows = [
        company_row(1),
        company_row(2, edrpou="12345670"),
        company_row(3),
        company_row(4, sectors="99.9", email="nope"),
    ]
    batch = make_batch(csv_bytes(rows))
    importing.check_import(batch)

    with translation.override("en"):
        result = list(importing.rejected_rows(batch))

    assert result == [
        [*HEADER, "errors"],
        [*rows[1], "bad EDRPOU 12345670: check digit"],
        [*rows[3], "invalid e-mail nope; unknown sector 99.9"],
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has a single writer"
)
def test_apply_progress_is_visible_to_other_connections_while_running(
    vocabulary, staff
):
    from django.core.files.base import ContentFile
    from django.db import connections

    batch = ImportBatch(original_name="p.csv", created_by=staff)
    batch.file.save("p.csv", ContentFile(csv_bytes([company_row(n) for n in range(6)])))
    importing.check_import(batch)
    seen = []

    def look(processed):
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT processed_rows FROM directory_importbatch WHERE id = %s",
                    [batch.pk],
                )
                seen.append(cursor.fetchone()[0])
        finally:
            other.close()

    importing.apply_import(batch, user=staff, chunk_size=2, on_chunk=look)

    assert seen == [2, 4, 6]
    assert Organization.objects.count() == 6
