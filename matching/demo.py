"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Twenty published needs and offers of demo organizations, and match profiles for the
demo investor and the demo reviewer (a partner in Albuquerque). Idempotent: needs
and offers are found again by organization and English title, profiles by user.
"""

from django.db import transaction

from accounts.models import User
from core import demo
from directory.models import Organization, Tag
from matching import recommend
from matching.models import MatchProfile, NeedOffer

# Needs and offers: the first fourteen go to organizations in Ukraine, the rest to
# partners abroad. Match profiles of demo users, by e-mail.
DATA = demo.load(__file__)
NEEDS_OFFERS = DATA["needs_offers"]
LOCAL_COUNT = 14


def _demo_organizations():
    verified = Organization.objects.alive().filter(
        is_demo=True, verification=Organization.Verification.VERIFIED
    )
    local = list(verified.filter(country="UA").order_by("slug")[:LOCAL_COUNT])
    abroad = list(
        verified.exclude(country="UA").order_by("slug")[
            : len(NEEDS_OFFERS) - LOCAL_COUNT
        ]
    )
    return local, abroad


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    local, abroad = _demo_organizations()
    if not local:
        return "matching: no demo organizations, nothing to do"
    tags = {tag.slug: tag for tag in Tag.objects.all()}
    owners = [
        *(local[i % len(local)] for i in range(LOCAL_COUNT)),
        *((abroad or local)[i % len(abroad or local)] for i in range(6)),
    ]
    created = 0
    for owner, row in zip(owners, NEEDS_OFFERS, strict=True):
        fields = {k: v for k, v in row.items() if k not in ("title_en", "tags")}
        need_offer, was_created = NeedOffer.objects.get_or_create(
            organization=owner,
            title_en=row["title_en"],
            defaults=demo.values(NeedOffer, DATA["need_offer"] | fields),
        )
        if was_created:
            need_offer.match_terms = recommend.need_offer_terms(need_offer)
            need_offer.save(update_fields=["match_terms"])
            need_offer.tags.set([tags[s] for s in row["tags"] if s in tags])
            created += 1
    profiles = 0
    for spec in DATA["profiles"]:
        user = User.objects.filter(email=spec["user"]).first()
        if user is not None:
            profiles += _profile(user, spec, tag_map=tags)
    recommend.rebuild_index()
    return f"matching: {created} needs and offers, {profiles} match profiles created"


def _profile(user, spec: dict, *, tag_map) -> int:
    if MatchProfile.objects.filter(user=user).exists():
        return 0
    profile = MatchProfile(
        user=user,
        intents=spec["intents"],
        countries=spec["countries"],
        ticket_min=spec["ticket_min"],
        ticket_max=spec["ticket_max"],
        ticket_currency="USD",
        about_en=spec["about_en"],
    )
    profile.match_terms = recommend.profile_terms(profile)
    profile.save()
    profile.tags.set([tag_map[slug] for slug in spec["tags"] if slug in tag_map])
    return 1
