"""Cluster staff imports the partner list: dry run, apply, rejected rows back."""

import csv
import io

import pytest
from playwright.sync_api import expect
from stdnum.ua import edrpou as stdnum_edrpou

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = ["name_uk", "name_en", "kind", "edrpou", "website", "sectors", "tags", "place"]
KHARKIV = "UA63120270010096107"


def edrpou(number: int) -> str:
    base = f"{3100000 + number:07d}"
    return base + stdnum_edrpou.calc_check_digit(base)


def bad_checksum(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def partner_rows() -> list[list[str]]:
    """50 rows: rows 3, 4 and 5 of the file (the header is row 1) are bad."""
    rows = []
    for number in range(1, 51):
        rows.append(
            [
                f"Партнер кластера {number}",
                f"Cluster Partner {number}",
                "it_company",
                edrpou(number),
                f"https://partner{number}.example.com",
                "62;63",
                "machine-learning",
                KHARKIV,
            ]
        )
    rows[1][3] = bad_checksum(rows[1][3])
    rows[2][5] = "62;99.9"
    rows[3][0] = rows[3][1] = ""
    return rows


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def test_staff_imports_fifty_rows_of_which_three_are_rejected(
    page, live_server, page_errors, login, settings, user_menu
):
    # The embedded default: the dry run and the apply run in a background thread
    # and the page follows their progress.
    settings.TASKS_MODE = "thread"
    UserFactory(role=Role.STAFF, email="staff@example.org")
    rows = partner_rows()
    login("staff@example.org")

    user_menu().get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Upload a file").click()
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "partners.csv", "mimeType": "text/csv", "buffer": as_csv(rows)}]
    )
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="Dry run")).to_be_visible()
    expect(page.get_by_text("Dry run finished", exact=True)).to_be_visible()
    page.get_by_role("link", name="Reject", exact=True).click()
    rejected = page.get_by_role("table").get_by_role("row")
    expect(rejected).to_have_count(4)  # the header and 3 rows
    expect(rejected.nth(1)).to_contain_text(f"bad EDRPOU {rows[1][3]}: check digit")
    expect(rejected.nth(2)).to_contain_text("unknown sector 99.9")
    expect(rejected.nth(3)).to_contain_text("missing name")
    expect(rejected.nth(1).get_by_role("rowheader")).to_have_text("3")
    expect(rejected.nth(3).get_by_role("rowheader")).to_have_text("5")

    page.get_by_label("I checked the dry run").check()
    page.get_by_role("button", name="Apply the import").click()

    # The page follows the background apply until it is done.
    expect(page.get_by_role("heading", name="Result")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.get_by_text("Applied", exact=True)).to_be_visible()
    created = page.get_by_role("definition").first
    expect(created).to_have_text("47")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith("partners-rejected-")
    text = download.path().read_text(encoding="utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text)))
    assert [r["website"] for r in records] == [
        "https://partner2.example.com",
        "https://partner3.example.com",
        "https://partner4.example.com",
    ]
    assert "check digit" in records[0]["errors"]
    assert "99.9" in records[1]["errors"]
    assert "missing name" in records[2]["errors"]

    nav = page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Directory").click()
    expect(page.get_by_role("heading", name="Found 47 organizations")).to_be_visible()
    page.get_by_role("searchbox").fill("Cluster Partner")
    page.get_by_role("searchbox").press("Enter")
    expect(page.get_by_role("heading", name="Found 47 organizations")).to_contain_text(
        "Cluster Partner"
    )
    first = page.get_by_role("link", name="Cluster Partner 1", exact=True)
    expect(first).to_be_visible()
    assert page_errors == []
