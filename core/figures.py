"""The small-number rule for published figures.

A public figure that counts people or organizations is shown only when it counts at
least `MIST_SMALL_NUMBER` (5); below that (zero included) pages, CSV files and the API
show "fewer than 5" instead, so that nobody can be singled out by combining filters.
Every public count goes through `public_count`; staff views may show the exact number.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext


def small_number() -> int:
    return settings.MIST_SMALL_NUMBER


@dataclass(frozen=True)
class PublicCount:
    """A count as it may be published: `value` is None when it is too small to show."""

    value: int | None

    @property
    def is_suppressed(self) -> bool:
        return self.value is None

    def as_data(self) -> int | str:
        """For CSV and the API: the number, or "<5" when it is suppressed."""
        return f"<{small_number()}" if self.value is None else self.value

    def __str__(self) -> str:
        if self.value is None:
            return gettext("fewer than %(n)s") % {"n": small_number()}
        return str(self.value)


def public_count(n: int) -> PublicCount:
    """`n` as it may be published under the small-number rule."""
    return PublicCount(n if n >= small_number() else None)
