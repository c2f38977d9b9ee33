"""Fixtures for the import tests: the vocabulary rows refer to, and file builders."""

import csv
import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from stdnum.ua import edrpou as stdnum_edrpou
from stdnum.ua import rntrc as stdnum_rntrc

from directory.models import ImportBatch, Sector
from tests.factories import PlaceFactory, SectorFactory, TagFactory

KHARKIV = "UA63120270010096107"
HEADER = [
    "name_uk",
    "name_en",
    "kind",
    "edrpou",
    "website",
    "email",
    "sectors",
    "tags",
    "place",
]


def valid_edrpou(number: int) -> str:
    base = f"{3000000 + number:07d}"
    return base + stdnum_edrpou.calc_check_digit(base)


def valid_rntrc(number: int) -> str:
    base = f"{300000000 + number:09d}"
    return base + stdnum_rntrc.calc_check_digit(base)


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def company_row(number: int, **changes) -> list:
    """A valid row of HEADER for company `number`."""
    values = {
        "name_uk": f"Компанія {number}",
        "name_en": f"Company {number}",
        "kind": "it_company",
        "edrpou": valid_edrpou(number),
        "website": f"https://company{number}.example.com",
        "email": f"info@company{number}.example.com",
        "sectors": "62;63",
        "tags": "machine-learning",
        "place": KHARKIV,
    }
    values.update(changes)
    return [values[column] for column in HEADER]


@pytest.fixture
def vocabulary(db):
    """The sectors, tags and place the rows name (present from the reference data
    migration; created here when it is missing)."""
    section = SectorFactory(code="J", level=Sector.Level.SECTION)
    SectorFactory(code="62", level=Sector.Level.DIVISION, parent=section)
    SectorFactory(code="63", level=Sector.Level.DIVISION, parent=section)
    TagFactory(
        slug="machine-learning", name_uk="Машинне навчання", name_en="Machine learning"
    )
    TagFactory(slug="web-development", name_uk="Веброзробка", name_en="Web development")
    PlaceFactory(code=KHARKIV, category="M", name_uk="Харків", name_en="Kharkiv")


@pytest.fixture
def make_batch(vocabulary, staff):
    """An uploaded batch holding `content` (not checked yet)."""

    def make(content: bytes, name: str = "partners.csv") -> ImportBatch:
        batch = ImportBatch(original_name=name, created_by=staff)
        batch.file.save(name, ContentFile(content), save=False)
        batch.save()
        return batch

    return make
