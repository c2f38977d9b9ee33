"""Reads of needs, offers and profiles; the visibility rules views and API share."""

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.permissions import is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from directory.models import Organization, Sector, Tag
from matching.models import NeedOffer

SORTS = ("newest", "expiring", "title")


def _with_card_data(queryset: QuerySet[NeedOffer]) -> QuerySet[NeedOffer]:
    return queryset.select_related(
        "organization", "place", "organization__place"
    ).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("slug")),
        Prefetch("sectors", queryset=Sector.objects.order_by("code")),
    )


def needs_offers_published() -> QuerySet[NeedOffer]:
    """Published, still valid needs and offers of verified organizations."""
    return _with_card_data(
        NeedOffer.objects.published().filter(
            organization__verification=Organization.Verification.VERIFIED
        )
    )


def needs_offers_visible_to(user) -> QuerySet[NeedOffer]:
    """Published ones for everyone; also every one of the organizations `user`
    edits; everything for staff."""
    if is_cluster_staff(user):
        return _with_card_data(NeedOffer.objects.all())
    if not is_signed_in(user):
        return needs_offers_published()
    published = NeedOffer.objects.published().filter(
        organization__verification=Organization.Verification.VERIFIED
    )
    return _with_card_data(
        NeedOffer.objects.filter(
            Q(pk__in=published.values("pk"))
            | Q(organization_id__in=edited_organization_ids(user))
        )
    )


def needs_offers_of(user) -> QuerySet[NeedOffer]:
    """Every need and offer of the organizations `user` edits, newest first."""
    return _with_card_data(
        NeedOffer.objects.filter(
            organization_id__in=edited_organization_ids(user)
        ).order_by("-created_at")
    )


def needs_offers_awaiting_review() -> QuerySet[NeedOffer]:
    return _with_card_data(
        NeedOffer.objects.filter(status=NeedOffer.Status.PENDING).order_by(
            "submitted_at", "pk"
        )
    )


def needs_offers_expiring(days: int, *, today=None) -> QuerySet[NeedOffer]:
    """Published ones ending within `days` days whose owners were not reminded."""
    today = today or timezone.localdate()
    return NeedOffer.objects.filter(
        status=NeedOffer.Status.PUBLISHED,
        reminded_at__isnull=True,
        valid_until__gte=today,
        valid_until__lte=today + timezone.timedelta(days=days),
    ).select_related("organization")


def filter_needs_offers(
    queryset: QuerySet[NeedOffer],
    *,
    kind: str = "",
    category: str = "",
    tag=None,
    sector=None,
    place=None,
) -> QuerySet[NeedOffer]:
    if kind:
        queryset = queryset.filter(kind=kind)
    if category:
        queryset = queryset.filter(category=category)
    if tag is not None:
        queryset = queryset.filter(
            pk__in=NeedOffer.tags.through.objects.filter(tag_id=tag.pk).values(
                "needoffer_id"
            )
        )
    if sector is not None:
        through = NeedOffer.sectors.through.objects.filter(
            Q(sector_id=sector.pk) | Q(sector__parent_id=sector.pk)
        )
        queryset = queryset.filter(pk__in=through.values("needoffer_id"))
    if place is not None:
        from directory.queries import place_and_parts

        parts = place_and_parts(place)
        queryset = queryset.filter(
            Q(place_id__in=parts)
            | Q(place__isnull=True, organization__place_id__in=parts)
        )
    return queryset


def projects_public():
    """Public investment projects, or None while the investments app has none."""
    from matching.recommend import PUBLIC_PROJECT_STATUSES, project_model

    model = project_model(check_table=True)
    if model is None:
        return None

    return model.objects.filter(status__in=PUBLIC_PROJECT_STATUSES).select_related(
        "owner"
    )


def event_participants(event_id: int) -> set[int] | None:
    """Organizations registered (confirmed) for an event, or None without events."""
    try:
        registration = apps.get_model("events", "Registration")
    except LookupError:
        return None
    return set(
        registration.objects.filter(
            event_id=event_id, status="confirmed", organization__isnull=False
        ).values_list("organization_id", flat=True)
    )
