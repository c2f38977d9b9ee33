"""Validators shared by forms and API serializers."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates people plan with: anything outside is a typo (704 for 2024) or a probe,
# and far-off years carry historical zone offsets (Kyiv in 704: +02:02).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def validate_plausible_date(value: datetime.date | datetime.datetime | None) -> None:
    """A date or time between the years EARLIEST_YEAR and LATEST_YEAR."""
    if value is None:
        return
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(earliest)s and %(latest)s."),
            code="implausible_date",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


def check_plausible_dates(form, *names: str) -> None:
    """Give the date fields `names` of a form instance the plausible-date check."""
    for name in names:
        if name in form.fields:
            form.fields[name].validators.append(validate_plausible_date)
