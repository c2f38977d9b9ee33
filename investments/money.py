"""Money across currencies: dated exchange rates (UAH per unit) from ExchangeRate."""

import contextlib
import datetime
import threading
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext

from investments.models import ExchangeRate

BASE = "UAH"
CENT = Decimal("0.01")


class RateMissing(LookupError):
    """No exchange rate on or before the date for a currency."""

    def __init__(self, currency: str, on: datetime.date):
        super().__init__(f"No exchange rate for {currency} on or before {on}")
        self.currency = currency
        self.on = on


@dataclass(frozen=True)
class Rate:
    """UAH per unit of a currency, as of a date, from a source."""

    currency: str
    uah_per_unit: Decimal
    rate_date: datetime.date | None
    source: str = ""


@dataclass(frozen=True)
class Conversion:
    """A converted amount and the rate used (units of `to` per one unit of `from`)."""

    amount: Decimal
    rate: Decimal
    from_currency: str
    to_currency: str
    # The older date of the two rates used (None when no conversion was needed).
    rate_date: datetime.date | None
    source: str = ""


_held = threading.local()


@contextlib.contextmanager
def rates_held(loaded: dict[str, Rate] | None = None, currencies=()):
    """Inside, `latest_rate` reads each currency's rate of a date once: a bulk
    import checks thousands of projects against the same few rates, and nothing
    inside changes them. `loaded`: today's rates of `currencies` already read
    (rates_on, cached), so that none is read again."""
    outer = getattr(_held, "rates", None)
    if outer is None:
        today = timezone.localdate()
        _held.rates = {
            (currency, today): (loaded or {}).get(currency)
            for currency in currencies
            if currency != BASE
        }
    try:
        yield
    finally:
        if outer is None:
            _held.rates = None


def latest_rate(currency: str, on: datetime.date | None = None) -> Rate:
    """The latest rate of `currency` on or before `on` (today by default)."""
    on = on or timezone.localdate()
    if currency == BASE:
        return Rate(BASE, Decimal(1), None)
    held = getattr(_held, "rates", None)
    if held is not None:
        if (currency, on) not in held:
            held[currency, on] = _read_rate(currency, on)
        found = held[currency, on]
    else:
        found = _read_rate(currency, on)
    if found is None:
        raise RateMissing(currency, on)
    return found


def _read_rate(currency: str, on: datetime.date) -> Rate | None:
    row = (
        ExchangeRate.objects.filter(currency=currency, rate_date__lte=on)
        .order_by("-rate_date")
        .first()
    )
    if row is None:
        return None
    return Rate(currency, row.uah_per_unit, row.rate_date, row.source)


# Rates of a date are read once per this many seconds (a page shows several figures).
RATES_CACHE_SECONDS = 60
RATES_VERSION_KEY = "investments:rates:version"


def rates_on(currencies, on: datetime.date | None = None) -> dict[str, Rate]:
    """Latest rates of several currencies (skipping ones without a rate).

    One query for the last 45 days of all of them (NBU publishes daily); a currency
    with no rate in that window is looked up on its own. Cached for a minute.
    """
    on = on or timezone.localdate()
    wanted = sorted(set(currencies) - {BASE})
    version = cache.get(RATES_VERSION_KEY, 0)
    key = f"investments:rates:{version}:{on.isoformat()}:{','.join(wanted)}"
    found = cache.get(key)
    if found is not None:
        return found
    found = {}
    rows = ExchangeRate.objects.filter(
        currency__in=wanted,
        rate_date__lte=on,
        rate_date__gt=on - datetime.timedelta(days=45),
    ).order_by("currency", "-rate_date")
    for row in rows:
        if row.currency not in found:
            found[row.currency] = Rate(
                row.currency, row.uah_per_unit, row.rate_date, row.source
            )
    for currency in wanted:
        if currency not in found:
            try:
                found[currency] = latest_rate(currency, on)
            except RateMissing:
                continue
    cache.set(key, found, RATES_CACHE_SECONDS)
    return found


def forget_cached_rates() -> None:
    """Call after importing rates so that pages show them at once."""
    try:
        cache.incr(RATES_VERSION_KEY)
    except ValueError:
        cache.set(RATES_VERSION_KEY, 1, None)


def factor(rates: dict[str, Rate], from_currency: str, to_currency: str) -> Decimal:
    """Units of `to_currency` per unit of `from_currency` from already loaded rates."""
    if from_currency == to_currency:
        return Decimal(1)
    for currency in (from_currency, to_currency):
        if currency not in rates and currency != BASE:
            raise RateMissing(currency, timezone.localdate())
    source = rates[from_currency].uah_per_unit if from_currency != BASE else Decimal(1)
    target = rates[to_currency].uah_per_unit if to_currency != BASE else Decimal(1)
    return source / target


def convert(
    amount: Decimal,
    from_currency: str,
    to_currency: str,
    on: datetime.date | None = None,
) -> Conversion:
    """`amount` in `to_currency` at the latest rates on or before `on`, and the rate.

    Raises RateMissing when either currency has no rate by then.
    """
    amount = Decimal(amount)
    if from_currency == to_currency:
        return Conversion(amount, Decimal(1), from_currency, to_currency, None)
    source = latest_rate(from_currency, on)
    target = latest_rate(to_currency, on)
    rate = source.uah_per_unit / target.uah_per_unit
    dates = [d for d in (source.rate_date, target.rate_date) if d]
    return Conversion(
        (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP),
        rate,
        from_currency,
        to_currency,
        min(dates) if dates else None,
        source.source or target.source,
    )


def short_amount(amount: Decimal) -> str:
    """48 200 000 -> "48.2 M"; 950 000 -> "950 K"; for headline figures."""
    amount = Decimal(amount or 0)
    if abs(amount) >= Decimal(10) ** 9:
        number = (amount / Decimal(10) ** 9).quantize(Decimal("0.1"))
        return gettext("%(number)s B") % {"number": number}
    if abs(amount) >= Decimal(10) ** 6:
        number = (amount / Decimal(10) ** 6).quantize(Decimal("0.1"))
        return gettext("%(number)s M") % {"number": number}
    if abs(amount) >= 1000:
        number = (amount / 1000).quantize(Decimal("1"))
        return gettext("%(number)s K") % {"number": number}
    return str(amount.quantize(Decimal("1")))
