"""Reads of the directory, with the visibility rules views, exports and API share."""

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import models
from django.db.models import Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.safestring import SafeString
from django_countries import countries

from accounts.permissions import is_cluster_staff
from accounts.queries import edited_organization_ids, editor_memberships
from core.diff import DiffSegment, diff_words, render_diff
from core.translation import active_language
from directory.models import Organization, Place, ProfileRevision, Sector, Tag


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Organizations `user` may see: verified public ones for everyone, members-only
    ones for signed-in people, their own for editors, everything alive for staff."""
    alive = Organization.objects.alive()
    if is_cluster_staff(user):
        return alive
    verified = Q(verification=Organization.Verification.VERIFIED)
    if user is None or not user.is_authenticated:
        return alive.filter(verified, visibility=Organization.Visibility.PUBLIC)
    return alive.filter(verified | Q(pk__in=edited_organization_ids(user)))


def organizations_listed_for(user) -> QuerySet[Organization]:
    """What the public directory lists for `user`: verified organizations only (an
    editor's pending one stays on "My organizations"), with card data preloaded."""
    return with_card_data(
        organizations_visible_to(user).filter(
            verification=Organization.Verification.VERIFIED
        )
    )


CARD_SECTORS, CARD_TAGS = "card_sectors", "card_tags"


def with_card_data(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Load what a directory card or an API row shows in a constant number of
    queries: the sectors and tags as plain lists (read them with sectors_of and
    tags_of), which costs a quarter of what a prefetch into each row's related
    managers does."""
    return queryset.select_related("place").prefetch_related(
        Prefetch(
            "sectors", queryset=Sector.objects.order_by("code"), to_attr=CARD_SECTORS
        ),
        Prefetch("tags", queryset=Tag.objects.order_by("slug"), to_attr=CARD_TAGS),
    )


def sectors_of(organization: Organization) -> list[Sector]:
    """The organization's sectors by code: loaded by with_card_data, else read."""
    loaded = getattr(organization, CARD_SECTORS, None)
    return loaded if loaded is not None else list(organization.sectors.all())


def tags_of(organization: Organization) -> list[Tag]:
    """The organization's tags by slug: loaded by with_card_data, else read."""
    loaded = getattr(organization, CARD_TAGS, None)
    return loaded if loaded is not None else list(organization.tags.all())


def organization_for_page(user, slug: str) -> Organization | None:
    """One organization `user` may see, with everything its page shows."""
    # Staff may open a deleted organization's page to see what was removed.
    base = Organization.objects.all() if is_cluster_staff(user) else None
    queryset = (
        (base if base is not None else organizations_visible_to(user))
        .select_related("place", "place__parent")
        .prefetch_related(
            Prefetch(
                "sectors",
                queryset=Sector.objects.select_related("parent").order_by("code"),
            ),
            Prefetch("tags", queryset=Tag.objects.order_by("slug")),
        )
    )
    return queryset.filter(slug=slug).first()


# Filtering and sorting the directory.

SORTS = ("relevance", "name", "-name", "newest", "founded")


def sector_and_divisions(sector: Sector) -> Q:
    """A section stands for itself and all its divisions (a condition on the
    organization–sector link table)."""
    return Q(sector_id=sector.pk) | Q(sector__parent_id=sector.pk)


def place_and_parts(place: Place) -> list[int]:
    """A place stands for itself and everything inside it (a city for its
    districts, an oblast for its raions, communities and cities)."""
    children: dict[int, list[int]] = {}
    for pk, parent_id in Place.objects.values_list("pk", "parent_id"):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    ids, todo = [], [place.pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo += children.get(pk, [])
    return ids


def filter_organizations(
    queryset: QuerySet[Organization],
    *,
    kind: str = "",
    sector: Sector | None = None,
    tag: Tag | None = None,
    place: Place | None = None,
    country: str = "",
    cluster_member: str = "",
) -> QuerySet[Organization]:
    """Narrow `queryset` by the directory's filters; empty values do not filter."""
    if kind:
        queryset = queryset.filter(kind=kind)
    if sector is not None:
        through = Organization.sectors.through.objects.filter(
            sector_and_divisions(sector)
        )
        queryset = queryset.filter(pk__in=through.values("organization_id"))
    if tag is not None:
        through = Organization.tags.through.objects.filter(tag_id=tag.pk)
        queryset = queryset.filter(pk__in=through.values("organization_id"))
    if place is not None:
        queryset = queryset.filter(place_id__in=place_and_parts(place))
    if country:
        queryset = queryset.filter(country=country)
    if cluster_member == "yes":
        queryset = queryset.filter(cluster_status=Organization.ClusterStatus.MEMBER)
    elif cluster_member == "no":
        queryset = queryset.exclude(cluster_status=Organization.ClusterStatus.MEMBER)
    return queryset


def name_in(language: str):
    """The name column a reader of `language` sees (English falls back to Ukrainian)."""
    if language == "en":
        return Coalesce(NullIf(F("name_en"), Value("")), F("name_uk"))
    return F("name_uk")


# The orderings of the organization list, by the names the API takes; ties break on
# the primary key so pages never overlap.
ORGANIZATION_ORDERINGS = {
    "name_uk": ["name_uk", "pk"],
    "-name_uk": ["-name_uk", "-pk"],
    # An empty English name sorts as the Ukrainian one.
    "name_en": [name_in("en").asc(), "pk"],
    "-name_en": [name_in("en").desc(), "-pk"],
    "created_at": ["created_at", "pk"],
    "-created_at": ["-created_at", "-pk"],
    "founded_year": [F("founded_year").asc(nulls_last=True), "name_uk", "pk"],
    "-founded_year": [F("founded_year").desc(nulls_last=True), "name_uk", "pk"],
}
# The page's sort choices, as orderings of the table above.
PAGE_SORTS = {
    "name": "name_{language}",
    "-name": "-name_{language}",
    "newest": "-created_at",
    "founded": "founded_year",
}


def order_organizations(
    queryset: QuerySet[Organization], ordering: str
) -> QuerySet[Organization]:
    """Order by a key of ORGANIZATION_ORDERINGS."""
    return queryset.order_by(*ORGANIZATION_ORDERINGS[ordering])


def organization_ordering(
    sort: str, *, searching: bool, language: str | None = None
) -> str:
    """The page's `sort` as a key of ORGANIZATION_ORDERINGS, or "relevance" (the
    search's own order: the default while searching, meaningless without)."""
    if searching and sort in ("", "relevance"):
        return "relevance"
    key = PAGE_SORTS.get(sort, PAGE_SORTS["name"])
    return key.format(language=language or active_language())


def sort_organizations(
    queryset: QuerySet[Organization], sort: str, *, language: str | None = None
) -> QuerySet[Organization]:
    """Order by the page's `sort` (see PAGE_SORTS); "relevance" keeps the search's
    order."""
    if sort == "relevance":
        return queryset
    return order_organizations(
        queryset, organization_ordering(sort, searching=False, language=language)
    )


# Choices for the directory's filters.


# Reference vocabularies change only through migrations and the admin site; their
# filter choices are cached per language for a few minutes instead of being built
# on every directory page view.
VOCABULARY_CACHE_SECONDS = 300


def _cached_per_language(name: str, compute):
    key = f"directory:{name}:{active_language()}"
    return cache.get_or_set(key, compute, VOCABULARY_CACHE_SECONDS)


def sector_choices() -> list[tuple[str, str]]:
    """Sections followed by their divisions, indented, keyed by KVED code."""
    return _cached_per_language("sector-choices", _sector_choices)


def tag_choices() -> list[tuple[str, str]]:
    """Technology tags by slug, named in the active language."""
    return _cached_per_language(
        "tag-choices",
        lambda: [(tag.slug, str(tag.name)) for tag in Tag.objects.order_by("slug")],
    )


def place_choices() -> list[tuple[str, str]]:
    """Places in a tree order: each one followed by its parts, indented."""
    return _cached_per_language("place-choices", _place_choices)


def _sector_choices() -> list[tuple[str, str]]:
    sectors = Sector.objects.order_by("code").select_related("parent")
    sections = [s for s in sectors if s.level == Sector.Level.SECTION]
    divisions: dict[int | None, list[Sector]] = {}
    for sector in sectors:
        if sector.level == Sector.Level.DIVISION:
            divisions.setdefault(sector.parent_id, []).append(sector)
    choices = []
    for section in sections:
        choices.append((section.code, f"{section.code} · {section.name}"))
        choices += [
            (d.code, f"\u2003{d.code} · {d.name}")
            for d in divisions.get(section.pk, [])
        ]
    # Divisions without a section (should not happen with real KVED data).
    choices += [(d.code, f"{d.code} · {d.name}") for d in divisions.get(None, [])]
    return choices


def _place_choices() -> list[tuple[str, str]]:
    places = list(Place.objects.order_by("code"))
    children: dict[int | None, list[Place]] = {}
    for place in places:
        children.setdefault(place.parent_id, []).append(place)
    known = {p.pk for p in places}
    roots = [p for p in places if p.parent_id is None or p.parent_id not in known]
    choices: list[tuple[str, str]] = []

    def walk(place: Place, depth: int) -> None:
        choices.append((place.code, "\u2003" * depth + str(place.name)))
        for child in sorted(children.get(place.pk, []), key=lambda p: str(p.name)):
            walk(child, depth + 1)

    for root in sorted(roots, key=lambda p: str(p.name)):
        walk(root, 0)
    return choices


def countries_in_directory(user) -> list[str]:
    """Country codes of the organizations `user` can find, for the country filter.

    A DISTINCT over the whole directory costs ~90 ms at 100,000 rows, on every page
    view; the answer changes rarely, so it is cached for a few minutes per audience.
    """
    if is_cluster_staff(user):
        audience, visible = "staff", organizations_visible_to(user)
    elif user is not None and user.is_authenticated:
        # Every signed-in person sees all verified organizations, public or not.
        audience = "members"
        visible = Organization.objects.alive().filter(
            verification=Organization.Verification.VERIFIED
        )
    else:
        audience, visible = "public", organizations_visible_to(None)

    def compute() -> list[str]:
        return sorted(
            set(visible.order_by().values_list("country", flat=True).distinct())
        )

    return cache.get_or_set(f"directory:countries:{audience}", compute, 300)


# Pages for signed-in people and staff.


def organizations_edited_by(user) -> QuerySet[Organization]:
    """The organizations `user` edits, with their pending profile changes counted."""
    return (
        Organization.objects.alive()
        .filter(pk__in=edited_organization_ids(user))
        .select_related("place")
        .annotate(
            pending_changes=Count(
                "revisions",
                filter=Q(revisions__status=ProfileRevision.Status.PENDING),
            )
        )
        .order_by("name_uk")
    )


def organizations_awaiting_verification() -> QuerySet[Organization]:
    """New organizations waiting for staff to verify them, oldest first."""
    return (
        with_card_data(
            Organization.objects.alive().filter(
                verification=Organization.Verification.PENDING
            )
        )
        .prefetch_related(Prefetch("memberships", queryset=editor_memberships()))
        .order_by("created_at", "pk")
    )


def revisions_awaiting_moderation() -> QuerySet[ProfileRevision]:
    """Proposed profile changes waiting for staff, oldest first."""
    return (
        ProfileRevision.objects.filter(
            status=ProfileRevision.Status.PENDING,
            organization__deleted_at__isnull=True,
        )
        .select_related("organization", "organization__place", "proposed_by")
        .prefetch_related("organization__sectors", "organization__tags")
        .order_by("created_at", "pk")
    )


def pending_revision_of(organization: Organization) -> ProfileRevision | None:
    """The profile change of `organization` that waits for moderation, if any."""
    return (
        organization.revisions.filter(status=ProfileRevision.Status.PENDING)
        .order_by("-created_at")
        .first()
    )


def moderation_counts() -> dict[str, int]:
    """How many items each moderation tab holds."""
    return {
        "organizations": organizations_awaiting_verification().count(),
        "changes": revisions_awaiting_moderation().count(),
    }


def directory_figures() -> dict[str, int]:
    """Numbers for the landing page, counted over what everyone may see."""
    public = organizations_visible_to(None)
    figures = public.aggregate(
        organizations=Count("pk"),
        cluster_members=Count(
            "pk", filter=Q(cluster_status=Organization.ClusterStatus.MEMBER)
        ),
        kinds=Count("kind", distinct=True),
    )
    return figures


# Describing proposed changes, field by field.


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a profile: its label, the old and new values and, for
    long texts, their word-by-word difference."""

    field: str
    label: str
    old: Any
    new: Any
    segments: tuple[DiffSegment, ...] | None = None

    @property
    def is_long_text(self) -> bool:
        return self.segments is not None

    @property
    def merged(self) -> SafeString:
        """Both texts in one, deletions and insertions marked (escaped HTML)."""
        return render_diff(list(self.segments or ()))


def _display(organization: Organization, field: str, value, lookups) -> Any:
    model_field = Organization._meta.get_field(field)
    if field in ("sectors", "tags"):
        names = [str(lookups[field].get(pk, pk)) for pk in value or []]
        return ", ".join(names)
    if field == "place":
        return str(lookups["place"].get(value, "")) if value else ""
    if field == "logo":
        return value or ""
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if field == "country":
        return countries.name(value) if value else ""
    if value is None:
        return ""
    return value


def profile_value(organization: Organization, field: str):
    """A profile field's value as stored in a ProfileRevision (JSON-friendly)."""
    if field in ("sectors", "tags"):
        return sorted(obj.pk for obj in getattr(organization, field).all())
    if field == "place":
        return organization.place_id
    if field == "logo":
        return organization.logo.name or ""
    if field == "country":
        return str(organization.country)
    value = getattr(organization, field)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def describe_changes(revisions: list[ProfileRevision]) -> dict[int, list[FieldChange]]:
    """For each revision, its changed fields with current (old) and proposed (new)
    values, readable; looks names up in one query per vocabulary."""
    ids: dict[str, set] = {"sectors": set(), "tags": set(), "place": set()}
    for revision in revisions:
        organization = revision.organization
        for field in ("sectors", "tags"):
            if field in revision.changes:
                ids[field] |= set(revision.changes[field])
                ids[field] |= {obj.pk for obj in getattr(organization, field).all()}
        if "place" in revision.changes:
            ids["place"] |= {revision.changes["place"], organization.place_id}
    lookups = {
        "sectors": Sector.objects.in_bulk(ids["sectors"]) if ids["sectors"] else {},
        "tags": Tag.objects.in_bulk(ids["tags"]) if ids["tags"] else {},
        "place": Place.objects.in_bulk(ids["place"] - {None}) if ids["place"] else {},
    }
    described = {}
    for revision in revisions:
        organization = revision.organization
        rows = []
        for field, new in revision.changes.items():
            try:
                model_field = Organization._meta.get_field(field)
            except Exception:  # a field removed since the revision was made
                continue
            old = _display(
                organization, field, profile_value(organization, field), lookups
            )
            new = _display(organization, field, new, lookups)
            segments = None
            if isinstance(model_field, models.TextField):
                segments = tuple(diff_words(str(old), str(new)))
            rows.append(
                FieldChange(
                    field=field,
                    label=str(model_field.verbose_name),
                    old=old,
                    new=new,
                    segments=segments,
                )
            )
        described[revision.pk] = rows
    return described


# Where a place lies, for postal addresses (KATOTTG categories: O region, K city of
# special status, M city, X settlement, C village).
SETTLEMENT_CATEGORIES = ("K", "M", "X", "C")


@dataclass(frozen=True)
class PlaceAddress:
    """The settlement and the region a place lies in (either may be missing)."""

    locality: Place | None
    region: Place | None


def address_of_place(place: Place | None) -> PlaceAddress:
    """The settlement and region of `place` (a city district gives its city), in one
    query: KATOTTG codes begin with the codes of the places they lie in."""
    if place is None:
        return PlaceAddress(None, None)
    code = place.code
    candidates = Place.objects.filter(
        Q(category__in=("O", "K"), code__startswith=code[:4])
        | Q(category__in=SETTLEMENT_CATEGORIES, code__startswith=code[:12])
    ).only("code", "category", "name_uk", "name_en")
    locality = region = None
    for candidate in candidates:
        if candidate.category in ("O", "K"):
            region = candidate
        if (
            candidate.category in SETTLEMENT_CATEGORIES
            and candidate.code[:12] == (code[:12])
        ):
            locality = candidate
    if place.category == "K":
        locality = region = place
    return PlaceAddress(locality, region)
