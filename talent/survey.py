"""Import of survey answers into aggregate-only records (no person, never shown).

The template (docs/talent-survey.md): a CSV (comma, semicolon or tab) or XLSX file
with a header row and the columns

    answer_id, intent, timeframe, country_now, seniority, skills, conditions

`answer_id` is the survey's own key of the answer (importing a file again updates
or leaves those rows, never doubles them); `skills` are technology tag identifiers
and `conditions` condition codes, each separated by "|" (or by commas or semicolons
that the file's own separator does not use). Dry run → report → apply,
with per-row errors, as every import in Mist (core.importing).
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core import audit
from core.importing import (
    Action,
    Importer,
    ImportFileError,
    Report,
    RowError,
    numbered_rows,
    read_text,
    sniff_delimiter,
)
from directory.models import Tag
from talent import aggregates
from talent.models import Condition, Seniority, SpecialistProfile

COLUMNS = (
    "answer_id",
    "intent",
    "timeframe",
    "country_now",
    "seniority",
    "skills",
    "conditions",
)
REQUIRED = ("answer_id", "intent")


@dataclass
class SurveyRow:
    number: int
    key: str
    values: dict
    skills: list
    action: str = ""


@dataclass
class SurveyReport(Report):
    errors: list = field(default_factory=list)
    file_error: str = ""


def _table(data: bytes, name: str) -> list[list]:
    if name.lower().endswith(".xlsx"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        except Exception as error:
            raise ImportFileError(
                _("The file is not a spreadsheet Mist can read.")
            ) from error
        sheet = workbook.worksheets[0]
        return [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    text = read_text(data)
    first = text.splitlines()[0] if text else ""
    return list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(first)))


def _split(value: str) -> list[str]:
    for separator in (",", ";"):
        value = value.replace(separator, "|")
    return [part.strip() for part in value.split("|") if part.strip()]


def _parse(data: bytes, name: str, errors: list) -> list[SurveyRow]:
    table = _table(data, name)
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [cell.strip().lower() for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(
            _("Columns missing: %(columns)s."), {"columns": ", ".join(missing)}
        )
    tags = dict(Tag.objects.values_list("slug", "pk"))
    rows, seen = [], {}
    for number, cells in numbered_rows(table[1:]):
        record = {
            column: (cells[header.index(column)] if column in header else "").strip()
            for column in COLUMNS
            if column in header and header.index(column) < len(cells)
        }
        row_errors = []

        def bad(column, message, row_errors=row_errors, number=number):
            row_errors.append(RowError(number, column, message))

        key = record.get("answer_id", "")
        if not key:
            bad("answer_id", gettext("Required."))
        elif len(key) > 64:
            bad("answer_id", gettext("Longer than %(max)s characters.") % {"max": 64})
        elif key in seen:
            bad(
                "answer_id",
                gettext("Row %(row)s has the same answer.") % {"row": seen[key]},
            )
        intent = record.get("intent", "")
        if intent not in SpecialistProfile.Intent.values:
            bad("intent", _choices_message(SpecialistProfile.Intent.values))
        timeframe = record.get("timeframe", "")
        if timeframe and timeframe not in SpecialistProfile.Timeframe.values:
            bad("timeframe", _choices_message(SpecialistProfile.Timeframe.values))
        country = record.get("country_now", "").upper()
        if country and country not in dict(countries):
            bad("country_now", gettext("Not a country code (ISO 3166, e.g. PL)."))
        seniority = record.get("seniority", "")
        if seniority and seniority not in Seniority.values:
            bad("seniority", _choices_message(Seniority.values))
        skills = _split(record.get("skills", ""))
        unknown = [slug for slug in skills if slug not in tags]
        if unknown:
            bad(
                "skills",
                gettext("Unknown technology tags: %(tags)s.")
                % {"tags": ", ".join(unknown)},
            )
        conditions = _split(record.get("conditions", ""))
        if any(code not in Condition.values for code in conditions):
            bad("conditions", _choices_message(Condition.values))
        if row_errors:
            errors.extend(row_errors)
            continue
        seen[key] = number
        rows.append(
            SurveyRow(
                number,
                key,
                {
                    "intent": intent,
                    "timeframe": timeframe,
                    "country_now": country,
                    "seniority": seniority,
                    "conditions": [c for c in Condition.values if c in conditions],
                },
                sorted(tags[slug] for slug in set(skills)),
            )
        )
    return rows


def _choices_message(values) -> str:
    return gettext("Use one of: %(values)s.") % {"values": ", ".join(values)}


class SurveyImport(Importer):
    """Survey answers are matched by their `answer_id`."""

    def __init__(self, data: bytes, name: str):
        self.data, self.name = data, name
        self.written = None

    def plan(self) -> tuple[SurveyReport, list[SurveyRow]]:
        report = SurveyReport()
        report.rows = _parse(self.data, self.name, report.errors)
        existing = {
            profile.survey_key: profile
            for profile in SpecialistProfile.objects.filter(
                survey_key__in=[row.key for row in report.rows]
            ).prefetch_related("skills")
        }
        for row in report.rows:
            current = existing.get(row.key)
            if current is None:
                row.action = Action.CREATE
            elif (
                all(
                    str(getattr(current, name)) == str(value)
                    for name, value in row.values.items()
                )
                and sorted(tag.pk for tag in current.skills.all()) == row.skills
            ):
                row.action = Action.UNCHANGED
            else:
                row.action = Action.UPDATE
        return report, report.rows

    def write(self, row: SurveyRow, *, by) -> None:
        profile, _created = SpecialistProfile.objects.update_or_create(
            survey_key=row.key,
            defaults={
                **row.values,
                "user": None,
                "visibility": SpecialistProfile.Visibility.AGGREGATE,
            },
        )
        profile.skills.set(row.skills)
        self.written = profile

    def applied(self, report: SurveyReport, *, by) -> None:
        if self.written is not None:
            audit.record(
                "talent.survey_imported", self.written, actor=by, **report.counts()
            )
        transaction.on_commit(aggregates.invalidate)


def _unless_unreadable(step) -> SurveyReport:
    try:
        return step()
    except ImportFileError as error:
        return SurveyReport(file_error=str(error))


def check_survey(data: bytes, name: str) -> SurveyReport:
    """The dry run: parse, validate and say what each good row would do."""
    return _unless_unreadable(SurveyImport(data, name).check)


def import_survey(data: bytes, name: str, *, by=None) -> SurveyReport:
    """Write the good rows as aggregate-only records; bad rows are reported."""
    return _unless_unreadable(lambda: SurveyImport(data, name).apply(by=by))
