"""Demo data of talent, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Three published roles of demo organizations in Ukraine, three specialist profiles
(one at each visibility level) and the return plan's steps. Idempotent: roles are
found again by organization and English title, profiles by user, steps by title.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core import demo
from directory.models import Organization, Tag
from talent import aggregates
from talent.models import CONSENT_VERSION, PlanStep, Role, SpecialistProfile
from talent.services import profile_terms, role_terms

DATA = demo.load(__file__)


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary."""
    organizations = list(
        Organization.objects.alive()
        .filter(
            is_demo=True,
            verification=Organization.Verification.VERIFIED,
            country="UA",
        )
        .order_by("slug")[: len(DATA["roles"])]
    )
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    now = timezone.now()
    roles = 0
    for organization, row in zip(organizations, DATA["roles"], strict=False):
        fields = {k: v for k, v in row.items() if k != "skills"}
        role, created = Role.objects.get_or_create(
            organization=organization,
            title_en=row["title_en"],
            defaults=demo.values(Role, DATA["role"] | fields, now=now),
        )
        if created:
            role.skills.set([tags[s] for s in row["skills"] if s in tags])
            role.match_terms = role_terms(role)
            role.save(update_fields=["match_terms"])
            roles += 1
    profiles = 0
    for row in DATA["profiles"]:
        user, _created = User.objects.get_or_create(
            email=row["email"],
            defaults={"full_name": row["full_name"], "preferred_language": "uk"},
        )
        fields = {
            k: v for k, v in row.items() if k not in ("email", "full_name", "skills")
        }
        profile, created = SpecialistProfile.objects.get_or_create(
            user=user,
            defaults={**fields, "consent_at": now, "consent_version": CONSENT_VERSION},
        )
        if created:
            profile.skills.set([tags[s] for s in row["skills"] if s in tags])
            profile.match_terms = profile_terms(profile)
            profile.save(update_fields=["match_terms"])
            profiles += 1
    for position, row in enumerate(DATA["plan_steps"]):
        PlanStep.objects.get_or_create(
            title_en=row["title_en"], defaults={**row, "position": position}
        )
    transaction.on_commit(aggregates.invalidate)
    return f"talent: {roles} roles, {profiles} specialist profiles"
