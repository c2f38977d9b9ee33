"""Computing the insights figures into snapshot rows (insights.Figure).

Every measure is one or two aggregate queries grouped by quarter (in the deployment's
time zone, settings.TIME_ZONE), key and, for the per-sector rows, KVED section; the
quarters then roll up into years and all time, and the rows are written with
bulk_create. `recompute_all()` replaces every row in one transaction;
`schedule_refresh()` (called after changes, debounced) and the nightly task run it in
the background.
"""

import datetime
import threading
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Now, TruncQuarter
from django.utils import timezone, translation
from django_countries import countries

from core import tasks
from directory.models import Organization, Place, Sector
from directory.queries import organizations_visible_to
from events.models import Event, Registration
from events.queries import public_events
from exchange.models import Call, Submission
from insights.models import Figure
from investments import money
from investments.models import FundingSource, Interest
from investments.queries import CURRENCIES, amount_in, projects_visible_to
from meetings.models import Meeting, MeetingRequest
from reviews.models import Assignment, Decision, Review

AMOUNT_CURRENCY = "USD"
REFRESH_PENDING_KEY = "insights:refresh-pending"
# A refresh whose task never ran (a worker down) stops holding changes back after this.
REFRESH_PENDING_SECONDS = 60
CENT = Decimal("0.01")

# Funnel stages in order; each counts what reached at least that stage.
EXCHANGE_STAGES = ("calls", "submitted", "reviewed", "accepted", "mentored", "revise")
INVESTMENT_STAGES = (
    "published",
    "interest",
    "meeting",
    "due_diligence",
    "letter_of_intent",
    "funded",
)
JOURNEY_STAGES = ("submitted", "accepted", "meeting", "interest", "funding")
STAGE_RANK = {
    Interest.Stage.NEW: 1,
    Interest.Stage.DECLINED: 1,
    Interest.Stage.CONTACTED: 2,
    Interest.Stage.MEETING: 3,
    Interest.Stage.DUE_DILIGENCE: 4,
    Interest.Stage.LETTER_OF_INTENT: 5,
    Interest.Stage.FUNDED: 6,
}
INVESTMENT_STAGE_RANK = {
    "interest": 1,
    "meeting": 3,
    "due_diligence": 4,
    "letter_of_intent": 5,
    "funded": 6,
}

Key = tuple  # (quarter start, sector, key, series)


def zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _as_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(zone())
        return value.date()
    return value


def _section(path: str):
    """The KVED section code of a sector link (a division stands for its section)."""
    return Coalesce(f"{path}__parent__code", f"{path}__code")


@dataclass
class Measure:
    """Aggregated buckets of one measure and dimension, before rolling up."""

    measure: str
    dimension: str
    is_public: bool = True
    stock: bool = False  # counted as at the end of each period (cumulative)
    all_time_only: bool = False

    def __post_init__(self):
        self.buckets: dict[Key, list] = defaultdict(lambda: [0, None])
        self.labels: dict[str, tuple[str, str]] = {}
        self.positions: dict[str, int] = {}

    def add(self, quarter, sector: str, key: str, value: int, amount=None, series=""):
        bucket = self.buckets[(_as_date(quarter), sector, key or "", series)]
        bucket[0] += value or 0
        if amount is not None:
            bucket[1] = (bucket[1] or Decimal(0)) + Decimal(amount)

    def add_rows(self, rows: Iterable[dict], *, key="k", value="v", amount=None):
        """Rows of an aggregate query with `q` (quarter), optional `s` (section)."""
        for row in rows:
            self.add(
                row["q"],
                row.get("s") or "",
                str(row[key]) if row[key] is not None else "",
                row[value],
                row.get(amount) if amount else None,
            )


def _grouped(
    queryset: QuerySet,
    *,
    date: str,
    key,
    sector_path: str | None,
    aggregates: dict,
    is_date: bool = False,
) -> list[dict]:
    """`aggregates` of `queryset` by quarter and key, for all sectors (s="") and,
    when `sector_path` is given, per KVED section. A date-time is bucketed in the
    deployment's zone; a plain date (`is_date`) as it is."""
    quarter = TruncQuarter(date) if is_date else TruncQuarter(date, tzinfo=zone())
    base = queryset.annotate(q=quarter, k=key).exclude(**{f"{date}__isnull": True})
    rows = list(base.values("q", "k").annotate(**aggregates).order_by())
    if sector_path:
        rows += list(
            base.annotate(s=_section(sector_path))
            .exclude(s__isnull=True)
            .values("q", "s", "k")
            .annotate(**aggregates)
            .order_by()
        )
    return rows


def _count(field="pk", **filters):
    return Count(field, distinct=True, filter=Q(**filters) if filters else None)


# Labels of keys, in both languages.


def _choice_labels(choices) -> dict[str, tuple[str, str]]:
    labels = {}
    for value, label in choices:
        with translation.override("uk"):
            uk = str(label)
        with translation.override("en"):
            en = str(label)
        labels[str(value)] = (uk, en)
    return labels


def _country_labels(codes) -> dict[str, tuple[str, str]]:
    labels = {}
    for code in codes:
        with translation.override("uk"):
            uk = str(countries.name(code))
        with translation.override("en"):
            en = str(countries.name(code))
        labels[code] = (uk or code, en or code)
    return labels


# Measures.


def _organization_measures() -> list[Measure]:
    public = organizations_visible_to(None)
    created = "created_at"
    result = []
    for dimension, key, choices in (
        ("kind", F("kind"), Organization.Kind.choices),
        ("size", F("size"), Organization.Size.choices),
        ("district", F("place__code"), None),
    ):
        measure = Measure("organizations", dimension, stock=True)
        measure.add_rows(
            _grouped(
                public,
                date=created,
                key=key,
                sector_path="sectors",
                aggregates={"v": _count()},
            )
        )
        if choices:
            measure.labels = _choice_labels(choices)
            measure.positions = {value: i for i, (value, _) in enumerate(choices)}
        else:
            codes = {key[2] for key in measure.buckets}
            measure.labels = {
                place.code: (place.name_uk, place.name_en or place.name_uk)
                for place in Place.objects.filter(code__in=codes)
            }
        result.append(measure)

    by_section = Measure("organizations", "section", stock=True)
    by_section.add_rows(
        _grouped(
            public,
            date=created,
            key=_section("sectors"),
            sector_path=None,
            aggregates={"v": _count()},
        )
    )
    by_section.labels = {
        sector.code: (sector.name_uk, sector.name_en)
        for sector in Sector.objects.filter(level=Sector.Level.SECTION)
    }
    by_section.positions = {code: i for i, code in enumerate(sorted(by_section.labels))}
    result.append(by_section)

    abroad = Measure("partners_abroad", "country", stock=True)
    abroad.add_rows(
        _grouped(
            public.exclude(country=settings.MIST_HOME_COUNTRY),
            date=created,
            key=F("country"),
            sector_path="sectors",
            aggregates={"v": _count()},
        )
    )
    abroad.labels = _country_labels({key[2] for key in abroad.buckets})
    result.append(abroad)

    members = Measure("cluster_members", "quarter", stock=True)
    members.add_rows(
        _grouped(
            public.filter(cluster_status=Organization.ClusterStatus.MEMBER),
            date="cluster_member_since",
            key=Value("members"),
            sector_path="sectors",
            aggregates={"v": _count()},
            is_date=True,
        )
    )
    result.append(members)
    return result


def _exchange_measures() -> list[Measure]:
    funnel = Measure("exchange_funnel", "stage")
    calls = Call.objects.exclude(phase=Call.Phase.DRAFT)
    funnel.add_rows(
        _grouped(
            calls,
            date="opens_at",
            key=Value("calls"),
            sector_path=None,
            aggregates={"v": _count()},
        )
    )
    released = Q(decision__status=Decision.Status.RELEASED)
    reviewed = Q(assignments__review__status=Review.Status.SUBMITTED)
    stages = {
        "submitted": _count(),
        "reviewed": _count(**{"assignments__review__status": Review.Status.SUBMITTED}),
        "accepted": Count(
            "pk",
            distinct=True,
            filter=released & Q(decision__outcome=Decision.Outcome.ACCEPT),
        ),
        "mentored": Count(
            "pk",
            distinct=True,
            filter=released
            & Q(decision__outcome=Decision.Outcome.ACCEPT)
            & reviewed
            & Q(assignments__review__offers_mentoring=True),
        ),
        "revise": Count(
            "pk",
            distinct=True,
            filter=released & Q(decision__outcome=Decision.Outcome.REVISE),
        ),
    }
    _add_submission_stages(funnel, stages, order=EXCHANGE_STAGES)
    return [funnel]


def _add_submission_stages(measure: Measure, stages: dict, *, order) -> None:
    """Submitted submissions per quarter and sector, one count per stage (an
    aggregate each, added in their order); the chart shows the stages in `order`."""
    submitted = Submission.objects.filter(status=Submission.Status.SUBMITTED)
    for row in _grouped(
        submitted,
        date="submitted_at",
        key=Value(""),
        sector_path="sectors",
        aggregates=stages,
    ):
        for stage in stages:
            measure.add(row["q"], row.get("s") or "", stage, row[stage])
    measure.positions = {stage: i for i, stage in enumerate(order)}


def _rates() -> dict:
    return money.rates_on(CURRENCIES)


def _investment_measures(rates: dict) -> list[Measure]:
    funnel = Measure("investment_funnel", "stage")
    public = projects_visible_to(None)
    sought = amount_in(rates, AMOUNT_CURRENCY, "financing_sought", "financing_currency")
    for row in _grouped(
        public.annotate(sought_usd=sought),
        date="published_at",
        key=Value("published"),
        sector_path="sectors",
        aggregates={"v": _count(), "a": Sum("sought_usd")},
    ):
        funnel.add(row["q"], row.get("s") or "", "published", row["v"], row["a"])

    rank = Case(
        *(When(stage=stage, then=Value(n)) for stage, n in STAGE_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    interests = Interest.objects.filter(project__in=public).annotate(
        rank=rank, usd=amount_in(rates, AMOUNT_CURRENCY, "amount", "currency")
    )
    aggregates = {}
    for stage, n in INVESTMENT_STAGE_RANK.items():
        aggregates[f"v_{stage}"] = Count(
            "project_id", distinct=True, filter=Q(rank__gte=n)
        )
        aggregates[f"a_{stage}"] = Sum("usd", filter=Q(rank__gte=n))
    for row in _grouped(
        interests,
        date="project__published_at",
        key=Value(""),
        sector_path="project__sectors",
        aggregates=aggregates,
    ):
        for stage in INVESTMENT_STAGE_RANK:
            funnel.add(
                row["q"],
                row.get("s") or "",
                stage,
                row[f"v_{stage}"],
                row[f"a_{stage}"],
            )
    funnel.positions = {stage: i for i, stage in enumerate(INVESTMENT_STAGES)}
    return [funnel]


def _event_measures(now) -> list[Measure]:
    held = Measure("events", "kind")
    events = public_events().filter(starts_at__lte=now)
    for row in _grouped(
        events,
        date="starts_at",
        key=F("kind"),
        sector_path=None,
        aggregates={"v": _count()},
    ):
        held.add(row["q"], "", row["k"], row["v"], series="events")
    registrations = Registration.objects.filter(
        event__in=events, status=Registration.Status.CONFIRMED
    )
    for row in _grouped(
        registrations,
        date="event__starts_at",
        key=F("event__kind"),
        sector_path=None,
        aggregates={"v": _count("user_id")},
    ):
        held.add(row["q"], "", row["k"], row["v"], series="attendance")
    held.labels = _choice_labels(Event.Kind.choices)
    held.positions = {value: i for i, value in enumerate(Event.Kind.values)}
    return [held]


def _meeting_measures(now) -> list[Measure]:
    outcomes = Measure("meetings", "outcome")
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, starts_at__lte=now
    )
    outcomes.add_rows(
        _grouped(
            meetings,
            date="starts_at",
            key=F("outcome"),
            sector_path=None,
            aggregates={"v": _count()},
        )
    )
    outcomes.labels = _choice_labels([*Meeting.Outcome.choices, ("", _not_recorded())])
    outcomes.positions = {
        value: i for i, value in enumerate([*Meeting.Outcome.values, ""])
    }
    return [outcomes]


def _not_recorded():
    from django.utils.translation import gettext_lazy

    return gettext_lazy("Outcome not recorded")


def _journey_reached() -> dict[str, QuerySet]:
    """For each stage after acceptance, the ids of the submissions that reached it
    (through a meeting about it or the investment project made from it), as
    uncorrelated subqueries: the database hashes them once."""
    held = Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
    about = held.filter(request__submission__isnull=False)
    via_project = "request__investment_project__source_submission_id"
    return {
        "meeting": (
            about.values_list("request__submission_id"),
            held.filter(**{f"{via_project}__isnull": False}).values_list(via_project),
        ),
        "interest": (
            Interest.objects.filter(
                project__source_submission__isnull=False
            ).values_list("project__source_submission_id"),
            about.filter(interest__isnull=False).values_list("request__submission_id"),
        ),
        "funding": (
            FundingSource.objects.filter(
                project__source_submission__isnull=False, interest__isnull=False
            ).values_list("project__source_submission_id"),
            Interest.objects.filter(
                project__source_submission__isnull=False,
                stage=Interest.Stage.FUNDED,
            ).values_list("project__source_submission_id"),
        ),
    }


def _journey_measures() -> list[Measure]:
    by_stage = Measure("journey", "stage")
    accepted = Q(
        decision__status=Decision.Status.RELEASED,
        decision__outcome=Decision.Outcome.ACCEPT,
    )
    reached = _journey_reached()
    aggregates = {
        "submitted": _count(),
        "accepted": Count("pk", distinct=True, filter=accepted),
    }
    for stage, (first, second) in reached.items():
        aggregates[stage] = Count(
            "pk", distinct=True, filter=Q(pk__in=first) | Q(pk__in=second)
        )
    _add_submission_stages(by_stage, aggregates, order=JOURNEY_STAGES)

    # Partner country: the country of an organization abroad that met about the
    # submission or expressed interest in the project made from it.
    by_country = Measure("journey", "country")
    home = settings.MIST_HOME_COUNTRY
    pairs = set()
    requests = MeetingRequest.objects.filter(
        meetings__in=Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
    )
    for side in ("requester_organization", "recipient_organization"):
        for path in ("submission_id", "investment_project__source_submission_id"):
            pairs.update(
                requests.filter(**{f"{path}__isnull": False})
                .exclude(**{f"{side}__country": home})
                .exclude(**{f"{side}__isnull": True})
                .values_list(path, f"{side}__country")
                .order_by()
                .distinct()
            )
    pairs.update(
        Interest.objects.filter(project__source_submission__isnull=False)
        .exclude(organization__country=home)
        .exclude(organization__isnull=True)
        .values_list("project__source_submission_id", "organization__country")
        .order_by()
        .distinct()
    )
    countries_of: dict[int, set[str]] = defaultdict(set)
    for submission_id, country in pairs:
        countries_of[submission_id].add(country)
    if countries_of:
        ids = {
            stage: {row[0] for query in queries for row in query}
            for stage, queries in reached.items()
        }
        ids["accepted"] = set(
            Decision.objects.filter(
                status=Decision.Status.RELEASED, outcome=Decision.Outcome.ACCEPT
            ).values_list("submission_id", flat=True)
        )
        rows = (
            Submission.objects.filter(
                status=Submission.Status.SUBMITTED, pk__in=list(countries_of)
            )
            .annotate(q=TruncQuarter("submitted_at", tzinfo=zone()))
            .values_list("pk", "q")
        )
        for pk, quarter in rows:
            for country in countries_of[pk]:
                by_country.add(quarter, "", country, 1, series="submitted")
                for stage in ("accepted", "meeting", "interest", "funding"):
                    if pk in ids[stage]:
                        by_country.add(quarter, "", country, 1, series=stage)
    by_country.labels = _country_labels({key[2] for key in by_country.buckets})
    return [by_stage, by_country]


def _days(duration) -> Decimal | None:
    if duration is None:
        return None
    return Decimal(duration.total_seconds() / 86400).quantize(CENT)


def _staff_measures(now) -> list[Measure]:
    """What may not be public: pipeline stages per investor kind, reviewers' load,
    time from submission to decision, time an interest waits in its stage."""
    pipeline = Measure("pipeline", "investor_kind", is_public=False)
    rows = (
        Interest.objects.annotate(
            q=TruncQuarter("created_at", tzinfo=zone()), k=F("organization__kind")
        )
        .values("q", "k", "stage")
        .annotate(v=_count())
        .order_by()
    )
    for row in rows:
        pipeline.add(row["q"], "", row["k"], row["v"], series=row["stage"])
    pipeline.labels = _choice_labels(Organization.Kind.choices)

    load = Measure("reviewer_load", "reviewer", is_public=False)
    for row in (
        Assignment.objects.annotate(
            q=TruncQuarter("created_at", tzinfo=zone()), k=F("call_reviewer__user_id")
        )
        .values("q", "k")
        .annotate(
            v=_count(),
            done=_count(review__status=Review.Status.SUBMITTED),
        )
        .order_by()
    ):
        load.add(row["q"], "", str(row["k"]), row["v"], series="assigned")
        load.add(row["q"], "", str(row["k"]), row["done"], series="submitted")
    from accounts.models import User

    users = User.objects.filter(pk__in={int(key[2]) for key in load.buckets})
    load.labels = {
        str(user.pk): (user.get_full_name() or user.email,) * 2 for user in users
    }

    decision_days = Measure("decision_days", "call", is_public=False)
    waited = ExpressionWrapper(
        F("created_at") - F("submission__submitted_at"), output_field=DurationField()
    )
    for row in (
        Decision.objects.filter(submission__submitted_at__isnull=False)
        .annotate(
            q=TruncQuarter("submission__submitted_at", tzinfo=zone()),
            k=F("submission__call__slug"),
        )
        .values("q", "k")
        .annotate(v=_count(), a=Sum(waited))
        .order_by()
    ):
        decision_days.add(row["q"], "", row["k"], row["v"], _days(row["a"]))
    decision_days.labels = {
        call.slug: (call.title_uk or call.slug, call.title_en or call.title_uk)
        for call in Call.objects.filter(
            slug__in={key[2] for key in decision_days.buckets}
        )
    }

    waits = Measure("stage_wait", "stage", is_public=False, all_time_only=True)
    since = Coalesce("stage_changed_at", "created_at")
    waiting = ExpressionWrapper(Now() - since, output_field=DurationField())
    for row in (
        Interest.objects.exclude(
            stage__in=[Interest.Stage.FUNDED, Interest.Stage.DECLINED]
        )
        .values("stage")
        .annotate(v=_count(), a=Sum(waiting))
        .order_by()
    ):
        waits.add(None, "", row["stage"], row["v"], _days(row["a"]))
    waits.labels = _choice_labels(Interest.Stage.choices)
    waits.positions = {value: i for i, value in enumerate(Interest.Stage.values)}
    return [pipeline, load, decision_days, waits]


# Rolling quarters up into years and all time, and writing the rows.


def _periods_of(quarter: datetime.date) -> list[tuple[str, datetime.date | None]]:
    return [
        (Figure.PeriodKind.QUARTER, quarter),
        (Figure.PeriodKind.YEAR, datetime.date(quarter.year, 1, 1)),
        (Figure.PeriodKind.ALL, None),
    ]


def _quarters_between(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day = datetime.date(day.year + (day.month == 10), (day.month + 2) % 12 + 1, 1)


def _rolled_up(measure: Measure, today: datetime.date) -> dict:
    """{(period_kind, period_start, sector, key, series): [value, amount]}."""
    out: dict = defaultdict(lambda: [0, None])

    def put(target, value, amount):
        cell = out[target]
        cell[0] += value
        if amount is not None:
            cell[1] = (cell[1] or Decimal(0)) + amount

    if measure.all_time_only:
        for (_, sector, key, series), (value, amount) in measure.buckets.items():
            put((Figure.PeriodKind.ALL, None, sector, key, series), value, amount)
        return out
    if not measure.stock:
        for (quarter, sector, key, series), (value, amount) in measure.buckets.items():
            if quarter is None:
                continue
            for kind, start in _periods_of(quarter):
                put((kind, start, sector, key, series), value, amount)
        return out
    # Stock: everything up to the end of each quarter (a time series keeps only
    # its quarters, for all time).
    by_quarter: dict = defaultdict(list)
    for (quarter, sector, key, series), (value, _) in measure.buckets.items():
        if quarter is not None:
            by_quarter[quarter].append(((sector, key, series), value))
    if not by_quarter:
        return out
    series_only = measure.dimension == "quarter"
    running: dict = defaultdict(int)
    for quarter in _quarters_between(min(by_quarter), quarter_start(today)):
        for cell, value in by_quarter.get(quarter, ()):
            running[cell] += value
        for (sector, key, series), total in running.items():
            if series_only:
                target = (Figure.PeriodKind.ALL, None, sector, quarter.isoformat(), "")
                out[target] = [total, None]
                continue
            out[(Figure.PeriodKind.QUARTER, quarter, sector, key, series)] = [
                total,
                None,
            ]
            # A year's figure is its last quarter's (overwritten quarter by quarter).
            year = datetime.date(quarter.year, 1, 1)
            out[(Figure.PeriodKind.YEAR, year, sector, key, series)] = [total, None]
            out[(Figure.PeriodKind.ALL, None, sector, key, series)] = [total, None]
    return out


def _meta_figures(rates: dict, now) -> list[Figure]:
    dates = [rate.rate_date for rate in rates.values() if rate.rate_date]
    rate_date = min(dates).isoformat() if dates else ""
    return [
        Figure(
            period_kind=Figure.PeriodKind.ALL,
            measure="meta",
            dimension="rates",
            key=AMOUNT_CURRENCY,
            label_uk=rate_date,
            label_en=rate_date,
            computed_at=now,
        )
    ]


MEASURE_GROUPS: dict[str, Callable] = {
    "organizations": lambda now, rates: _organization_measures(),
    "exchange": lambda now, rates: _exchange_measures(),
    "investments": lambda now, rates: _investment_measures(rates),
    "events": lambda now, rates: _event_measures(now),
    "meetings": lambda now, rates: _meeting_measures(now),
    "journey": lambda now, rates: _journey_measures(),
    "staff": lambda now, rates: _staff_measures(now),
}
# Which groups a change to a model touches (the debounced refresh recomputes only them).
GROUPS_OF_MODEL = {
    "directory.organization": ("organizations",),
    "exchange.call": ("exchange",),
    "exchange.submission": ("exchange", "journey"),
    "reviews.review": ("exchange", "staff"),
    "reviews.assignment": ("staff",),
    "reviews.decision": ("exchange", "journey", "staff"),
    "investments.investmentproject": ("investments", "journey"),
    "investments.interest": ("investments", "journey", "staff"),
    "investments.fundingsource": ("journey",),
    "investments.exchangerate": ("investments",),
    "events.event": ("events",),
    "events.registration": ("events",),
    "meetings.meetingrequest": ("journey",),
    "meetings.meeting": ("meetings", "journey"),
}
GROUP_MEASURES = {
    "organizations": ("organizations", "partners_abroad", "cluster_members"),
    "exchange": ("exchange_funnel",),
    "investments": ("investment_funnel", "meta"),
    "events": ("events",),
    "meetings": ("meetings",),
    "journey": ("journey",),
    "staff": ("pipeline", "reviewer_load", "decision_days", "stage_wait"),
}


COLUMNS = (
    "period_kind",
    "period_start",
    "sector",
    "measure",
    "dimension",
    "key",
    "series",
    "label_uk",
    "label_en",
    "position",
    "value",
    "amount",
    "is_public",
    "computed_at",
)


def _figure_rows(measures: list[Measure], now) -> list[tuple]:
    """The rows to write, as database values in COLUMNS order (tens of thousands:
    plain tuples, not model instances)."""
    ops = connection.ops
    today = timezone.localtime(now, zone()).date()
    stamp = ops.adapt_datetimefield_value(now)
    dates: dict = {}
    rows = []
    for measure in measures:
        for (kind, start, sector, key, series), (value, amount) in _rolled_up(
            measure, today
        ).items():
            label_uk, label_en = measure.labels.get(key, (key, key))
            if start not in dates:
                dates[start] = ops.adapt_datefield_value(start)
            rows.append(
                (
                    kind,
                    dates[start],
                    sector,
                    measure.measure,
                    measure.dimension,
                    key,
                    series,
                    str(label_uk)[:300],
                    str(label_en or label_uk)[:300],
                    measure.positions.get(key, 1000),
                    value,
                    ops.adapt_decimalfield_value(amount.quantize(CENT), 20, 2)
                    if amount is not None
                    else None,
                    measure.is_public,
                    stamp,
                )
            )
    return rows


def _insert(rows: list[tuple]) -> None:
    """Write the rows: COPY on PostgreSQL, else many per INSERT statement."""
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(Figure._meta.db_table), ", ".join(quote(column) for column in COLUMNS)
    )
    one = "({})".format(", ".join(["%s"] * len(COLUMNS)))
    limit = connection.features.max_query_params or 30_000
    size = max(1, min(1000, limit // len(COLUMNS)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: the fastest way in, by far, for tens of thousands of rows.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(Figure._meta.db_table),
                ", ".join(quote(column) for column in COLUMNS),
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for begin in range(0, len(rows), size):
            batch = rows[begin : begin + size]
            cursor.execute(
                head + ", ".join([one] * len(batch)),
                [value for row in batch for value in row],
            )


def recompute(groups: Iterable[str] | None = None) -> int:
    """Recompute the figures of `groups` (all by default); returns the rows written."""
    groups = list(groups or MEASURE_GROUPS)
    now = timezone.now()
    rates = _rates()
    measures = []
    for group in groups:
        measures += MEASURE_GROUPS[group](now, rates)
    rows = _figure_rows(measures, now)
    names = {name for group in groups for name in GROUP_MEASURES[group]}
    with transaction.atomic():
        deleted = Figure.objects.filter(measure__in=names)
        if "investments" not in groups:
            deleted = deleted.exclude(measure="meta")
        deleted.delete()
        _insert(rows)
        if "investments" in groups:
            Figure.objects.bulk_create(_meta_figures(rates, now))
        _write_index(now)
    return len(rows)


def _write_index(now) -> None:
    """The periods that have figures and the time of computing, as a few "meta"
    rows the pages read in one query (rather than scanning every figure)."""
    Figure.objects.filter(measure="meta", dimension__in=["period", "computed"]).delete()
    periods = (
        Figure.objects.exclude(period_kind=Figure.PeriodKind.ALL)
        .exclude(measure="meta")
        .values_list("period_kind", "period_start")
        .distinct()
        .order_by()
    )
    rows = [
        Figure(
            measure="meta",
            dimension="period",
            period_kind=kind,
            period_start=start,
            computed_at=now,
        )
        for kind, start in periods
    ]
    rows.append(
        Figure(
            measure="meta",
            dimension="computed",
            period_kind=Figure.PeriodKind.ALL,
            computed_at=now,
        )
    )
    Figure.objects.bulk_create(rows)


def recompute_all() -> int:
    """Recompute every figure from scratch; returns the rows written."""
    return recompute(None)


_local = threading.local()


def schedule_refresh(groups: Iterable[str] | None = None) -> None:
    """Recompute `groups` (all by default) in the background after the current
    transaction commits. Debounced: the changes of one transaction make one refresh,
    and changes arriving while a refresh waits join it rather than start another."""
    pending = getattr(_local, "groups", None)
    if pending is None:
        pending = _local.groups = set()
    pending.update(groups or MEASURE_GROUPS)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _flush()
        return
    if not any(callback[1] is _flush for callback in connection.run_on_commit):
        transaction.on_commit(_flush)


def _flush() -> None:
    groups = sorted(getattr(_local, "groups", None) or MEASURE_GROUPS)
    _local.groups = set()
    if cache.add(REFRESH_PENDING_KEY, groups, REFRESH_PENDING_SECONDS):
        from insights import tasks as insight_tasks

        tasks.enqueue(insight_tasks.refresh_insights)
        return
    waiting = cache.get(REFRESH_PENDING_KEY) or []
    cache.set(
        REFRESH_PENDING_KEY, sorted(set(waiting) | set(groups)), REFRESH_PENDING_SECONDS
    )


def run_pending_refresh() -> int:
    """The debounced refresh: recompute the groups waiting, if any."""
    groups = cache.get(REFRESH_PENDING_KEY)
    cache.delete(REFRESH_PENDING_KEY)
    if not groups:
        return 0
    return recompute(groups)
