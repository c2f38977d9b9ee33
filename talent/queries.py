"""Reads of talent; the visibility rules views, API and exports share.

A profile at "aggregate only" (and every survey import) is never returned by
`profiles_visible_to`, for any user: it exists only as a count in aggregates.
"""

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from accounts.permissions import is_cluster_staff, is_signed_in
from accounts.queries import edited_organization_ids
from directory.models import Organization, Tag
from talent.models import Invitation, Role, SpecialistProfile

SORTS = ("newest", "expiring", "title")
_HOME_CACHE = "_mist_talent_home_organization_ids"


def home_organizations() -> QuerySet[Organization]:
    """Verified, not deleted organizations of the city's directory."""
    return Organization.objects.filter(
        deleted_at__isnull=True,
        verification=Organization.Verification.VERIFIED,
        country=settings.MIST_HOME_COUNTRY,
    )


def home_organization_ids(user) -> frozenset[int]:
    """The verified local organizations `user` edits (once per request)."""
    if not is_signed_in(user):
        return frozenset()
    cached = getattr(user, _HOME_CACHE, None)
    if cached is None:
        edited = edited_organization_ids(user)
        cached = (
            frozenset(
                home_organizations().filter(pk__in=edited).values_list("pk", flat=True)
            )
            if edited
            else frozenset()
        )
        setattr(user, _HOME_CACHE, cached)
    return cached


def editable_home_organizations(user) -> QuerySet[Organization]:
    """The verified local organizations `user` edits, by name."""
    return Organization.objects.filter(pk__in=home_organization_ids(user)).order_by(
        "name_uk"
    )


def role_organizations(user) -> QuerySet[Organization]:
    """Where `user` may post roles: staff at every verified local organization."""
    if is_cluster_staff(user):
        return home_organizations().order_by("name_uk")
    return editable_home_organizations(user)


def _with_profile_data(queryset: QuerySet[SpecialistProfile]):
    return queryset.select_related("user", "place_before").prefetch_related(
        Prefetch("skills", queryset=Tag.objects.order_by("slug"))
    )


def profile_of(user) -> SpecialistProfile | None:
    """The person's own profile, or None."""
    if not is_signed_in(user):
        return None
    return _with_profile_data(SpecialistProfile.objects.filter(user=user)).first()


def profiles_visible_to(user) -> QuerySet[SpecialistProfile]:
    """Public cards for everyone; organizations-level ones for editors of verified
    local organizations; never aggregate-only ones or survey imports."""
    levels = [SpecialistProfile.Visibility.PUBLIC]
    if home_organization_ids(user):
        levels.append(SpecialistProfile.Visibility.ORGANIZATIONS)
    return _with_profile_data(
        SpecialistProfile.objects.filter(
            user__isnull=False, user__is_active=True, visibility__in=levels
        )
    )


def _with_role_data(queryset: QuerySet[Role]) -> QuerySet[Role]:
    return queryset.select_related("organization").prefetch_related(
        Prefetch("skills", queryset=Tag.objects.order_by("slug"))
    )


def roles_published() -> QuerySet[Role]:
    """Published, still valid roles of verified organizations."""
    return _with_role_data(Role.objects.published())


def roles_visible_to(user) -> QuerySet[Role]:
    """Published ones for everyone; every one of the organizations `user` edits;
    everything for staff."""
    if is_cluster_staff(user):
        return _with_role_data(Role.objects.all())
    edited = edited_organization_ids(user)
    if not edited:
        return roles_published()
    return _with_role_data(
        Role.objects.filter(
            Q(pk__in=Role.objects.published().values("pk"))
            | Q(organization_id__in=edited)
        )
    )


def roles_of(user) -> QuerySet[Role]:
    """Every role of the organizations `user` edits, newest first."""
    return _with_role_data(
        Role.objects.filter(organization_id__in=edited_organization_ids(user))
    ).order_by("-created_at", "-pk")


def roles_awaiting_review() -> QuerySet[Role]:
    return _with_role_data(
        Role.objects.filter(status=Role.Status.PENDING).order_by("submitted_at", "pk")
    )


def filter_roles(
    queryset: QuerySet[Role], *, work_mode="", seniority="", offer="", tag=None
):
    if work_mode:
        queryset = queryset.filter(work_mode=work_mode)
    if seniority:
        queryset = queryset.filter(seniority=seniority)
    if offer:
        queryset = queryset.filter(offers__icontains=f'"{offer}"')
    if tag is not None:
        queryset = queryset.filter(
            pk__in=Role.skills.through.objects.filter(tag_id=tag.pk).values("role_id")
        )
    return queryset


def _with_invitation_data(queryset: QuerySet[Invitation]) -> QuerySet[Invitation]:
    return queryset.select_related(
        "organization", "role", "profile", "profile__user", "invited_by"
    )


def invitations_for(user) -> QuerySet[Invitation]:
    """Invitations the person received, and those sent by organizations they edit."""
    if not is_signed_in(user):
        return Invitation.objects.none()
    # A person who went back to "aggregate only" disappears from the invitations
    # organizations sent them too.
    sent = Q(organization_id__in=edited_organization_ids(user)) & ~Q(
        profile__visibility=SpecialistProfile.Visibility.AGGREGATE
    )
    return _with_invitation_data(
        Invitation.objects.filter(Q(profile__user=user) | sent)
    ).order_by("-created_at", "-pk")


def invitations_received(user) -> QuerySet[Invitation]:
    return invitations_for(user).filter(profile__user=user)


def invitations_sent(user) -> QuerySet[Invitation]:
    return invitations_for(user).exclude(profile__user=user)
