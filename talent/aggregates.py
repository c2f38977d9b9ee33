"""What the city learns: counts over every specialist profile (aggregate-only ones
and survey imports included), computed set-based (GROUP BY) and cached until any
profile, role or invitation changes. Every published cell goes through
`core.figures.public_count`: fewer than 5 shows "fewer than 5" (pages, CSV, API).
"""

import uuid
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django_countries import countries

from core.figures import PublicCount, public_count
from talent.models import Condition, Invitation, Role, SpecialistProfile

VERSION_KEY = "talent:aggregates-version"
CACHE_KEY = "talent:aggregates:{version}"


def invalidate(*args, **kwargs) -> None:
    """A profile, role or invitation changed: the next read recomputes (and every
    process rebuilds its index of open roles, talent.matches)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def version() -> str:
    """The current version of talent's data, shared by every process."""
    found = cache.get(VERSION_KEY)
    if found is None:
        found = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, found, None):
            found = cache.get(VERSION_KEY) or found
    return found


def raw_counts() -> dict:
    """Exact counts (never published as they are): a few GROUP BY queries."""
    profiles = SpecialistProfile.objects.all()
    by = {}
    for name in ("intent", "timeframe", "country_now", "seniority"):
        by[name] = dict(profiles.values_list(name).annotate(n=Count("pk")).order_by())
    by["intent_timeframe"] = {
        (intent, timeframe): n
        for intent, timeframe, n in profiles.values_list("intent", "timeframe")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by["skill"] = dict(
        SpecialistProfile.skills.through.objects.values_list("tag__name_uk")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by["skill_en"] = dict(
        SpecialistProfile.skills.through.objects.values_list(
            "tag__name_uk", "tag__name_en"
        )
        .distinct()
        .order_by()
    )
    conditions = Counter()
    for listed in profiles.values_list("conditions", flat=True).iterator(
        chunk_size=5000
    ):
        conditions.update(set(listed or ()))
    by["condition"] = dict(conditions)
    by["total"] = profiles.count()
    role_rows = Role.objects.filter(
        status__in=(Role.Status.PUBLISHED, Role.Status.EXPIRED, Role.Status.FILLED)
    )
    by["roles"] = {
        mode: (posted, filled)
        for mode, posted, filled in role_rows.values_list("work_mode")
        .annotate(
            posted=Count("pk"), filled=Count("pk", filter=Q(status=Role.Status.FILLED))
        )
        .values_list("work_mode", "posted", "filled")
        .order_by()
    }
    by["invitations"] = Invitation.objects.aggregate(
        sent=Count("pk"),
        accepted=Count("pk", filter=Q(status=Invitation.Status.ACCEPTED)),
    )
    return by


def counts() -> dict:
    """`raw_counts`, cached until the next change."""
    key = CACHE_KEY.format(version=version())
    found = cache.get(key)
    if found is None:
        found = raw_counts()
        cache.set(key, found, 3600)
    return found


@dataclass(frozen=True)
class Cell:
    label: str
    count: PublicCount


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    header: str
    cells: list


def _cells(choices, counts_: dict) -> list[Cell]:
    """One cell per choice, in the choices' order."""
    return [
        Cell(str(label), public_count(counts_.get(value, 0)))
        for value, label in choices
    ]


def _ranked(counts_: dict, label) -> list[Cell]:
    """One cell per counted value, the largest first; `label(value)` names it."""
    ranked = sorted(counts_.items(), key=lambda item: (-item[1], item[0]))
    return [Cell(label(value), public_count(n)) for value, n in ranked]


def _skill_label(by: dict):
    """Skills are counted by their Ukrainian name; English pages show the English."""
    if _language() == "en":
        return lambda name: by["skill_en"].get(name, name)
    return lambda name: name


def _country_label(code: str) -> str:
    return str(countries.name(code)) if code else _("Not said")


def _by_work_mode(roles: dict, index: int) -> list[Cell]:
    """Roles per work mode: `index` 0 counts the posted ones, 1 the filled."""
    return _cells(
        Role.WorkMode.choices,
        {mode: counted[index] for mode, counted in roles.items()},
    )


def _profile_tables(by: dict, timeframes) -> list[Table]:
    return [
        Table(
            "total",
            _("Specialists in the layer"),
            _("Specialists"),
            [Cell(_("All"), public_count(by["total"]))],
        ),
        Table(
            "intent",
            _("By intent"),
            _("Intent"),
            _cells(SpecialistProfile.Intent.choices, by["intent"]),
        ),
        Table(
            "timeframe",
            _("By timeframe"),
            _("Timeframe"),
            _cells(timeframes, by["timeframe"]),
        ),
        Table(
            "condition",
            _("Conditions that matter most"),
            _("Condition"),
            sorted(
                _cells(Condition.choices, by["condition"]),
                key=lambda cell: -(cell.count.value or 0),
            ),
        ),
        Table(
            "skill", _("By skill"), _("Skill"), _ranked(by["skill"], _skill_label(by))
        ),
        Table(
            "country",
            _("By country where they live now"),
            _("Country"),
            _ranked(by["country_now"], _country_label),
        ),
    ]


def _role_tables(by: dict) -> list[Table]:
    return [
        Table(
            "roles_posted",
            _("Roles posted, by type"),
            _("Type"),
            _by_work_mode(by["roles"], 0),
        ),
        Table(
            "roles_filled",
            _("Roles filled, by type"),
            _("Type"),
            _by_work_mode(by["roles"], 1),
        ),
        Table(
            "invitations",
            _("Invitations"),
            _("Invitations"),
            [
                Cell(_("Sent"), public_count(by["invitations"]["sent"])),
                Cell(_("Accepted"), public_count(by["invitations"]["accepted"])),
            ],
        ),
    ]


def _intent_by_timeframe(by: dict, timeframes) -> Table:
    return Table(
        "intent_timeframe",
        _("Intent by timeframe"),
        _("Intent / timeframe"),
        [
            Cell(
                f"{intent_label} / {time_label}",
                public_count(by["intent_timeframe"].get((intent, time), 0)),
            )
            for intent, intent_label in SpecialistProfile.Intent.choices
            for time, time_label in timeframes
        ],
    )


def tables(*, staff: bool = False) -> list[Table]:
    """The published tables, every cell under the small-number rule. Staff also
    get intent by timeframe."""
    by = counts()
    timeframes = [*SpecialistProfile.Timeframe.choices, ("", _("Not said"))]
    result = _profile_tables(by, timeframes) + _role_tables(by)
    if staff:
        result.append(_intent_by_timeframe(by, timeframes))
    return result


def _language() -> str:
    from core.translation import active_language

    return active_language()


def csv_rows(*, staff: bool = False):
    """The tables as spreadsheet rows: table, label, count ("<5" when suppressed)."""
    yield [_("Table"), _("Label"), _("Count")]
    for table in tables(staff=staff):
        for cell in table.cells:
            yield [str(table.title), cell.label, cell.count.as_data()]


def as_data(*, staff: bool = False) -> dict:
    """The tables for the API."""
    return {
        table.key: [
            {"label": cell.label, "count": cell.count.as_data()} for cell in table.cells
        ]
        for table in tables(staff=staff)
    }
