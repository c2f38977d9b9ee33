# ruff: noqa: E501
"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Twenty published needs and offers of demo organizations, and match profiles for the
demo investor and the demo reviewer (a partner in Albuquerque). Idempotent: needs
and offers are found again by organization and English title, profiles by user.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from directory.models import Organization, Tag
from matching import recommend
from matching.models import MatchProfile, NeedOffer

# (kind, category, tags, title_uk, title_en, description_uk, description_en);
# the first fourteen go to organizations in Ukraine, the rest to partners abroad.
NEEDS_OFFERS = [
    ("need", "pilot_partner", ["energy-efficiency", "iot"], "Партнер для пілоту енергомоніторингу", "Partner for an energy monitoring pilot", "Шукаємо школу чи лікарню в Харкові для пілоту датчиків енергоспоживання.", "We look for a Kharkiv school or hospital to pilot energy sensors."),
    ("offer", "internship", ["data-science", "machine-learning"], "Стажування з аналізу даних", "Data analysis internship", "Три місця стажування для студентів на літо.", "Three summer internship places for students."),
    ("need", "investment", ["e-health", "artificial-intelligence"], "Посівні інвестиції в медичний ШІ", "Seed investment in medical AI", "Залучаємо 500 тис. доларів на клінічну валідацію.", "Raising $500k for clinical validation."),
    ("offer", "expertise", ["cybersecurity"], "Аудит кібербезпеки для громад", "Cybersecurity audits for communities", "Безкоштовний аудит для комунальних підприємств.", "Free security audits for municipal utilities."),
    ("need", "customer_introduction", ["saas", "erp-crm"], "Знайомство з клієнтами в США", "Introductions to US customers", "Шукаємо знайомства з виробничими компаніями в США.", "Looking for introductions to US manufacturers."),
    ("need", "equipment", ["drones", "agritech"], "Агродрони для пілоту", "Agricultural drones for a pilot", "Потрібні два дрони для обприскування на сезон.", "We need two spraying drones for one season."),
    ("offer", "pilot_partner", ["urban-mobility", "smart-city"], "Пілот аналітики пасажиропотоків", "Ridership analytics pilot", "Пропонуємо місту безкоштовний пілот аналітики.", "We offer the city a free analytics pilot."),
    ("need", "expertise", ["edtech", "product-development"], "Ментори з виходу на ринок США", "Mentors for entering the US market", "Edtech-стартап шукає менторів.", "An edtech startup looks for mentors."),
    ("offer", "equipment", ["3d-printing"], "3D-друк прототипів", "3D printing of prototypes", "Надаємо доступ до промислових 3D-принтерів.", "Access to industrial 3D printers."),
    ("need", "pilot_partner", ["demining", "computer-vision"], "Полігон для випробувань розмінування", "Test site for demining trials", "Шукаємо партнера з полігоном на Харківщині.", "Looking for a partner with a test site in Kharkiv oblast."),
    ("offer", "internship", ["qa-testing", "it-education"], "Стажування для тестувальників", "QA internships", "Стажування для випускників курсів тестування.", "Internships for QA course graduates."),
    ("need", "investment", ["renewable-energy"], "Інвестиції в сонячні станції", "Investment in solar plants", "Шукаємо 1 млн доларів на станції для лікарень.", "Seeking $1M for hospital solar plants."),
    ("offer", "expertise", ["bim", "reconstruction"], "BIM-моделювання для відбудови", "BIM modelling for rebuilding", "Допомагаємо громадам із проєктами відбудови.", "We help communities with rebuilding designs."),
    ("need", "customer_introduction", ["fintech", "payments"], "Партнери-банки в Європі", "Partner banks in Europe", "Шукаємо банки для інтеграції платежів.", "Looking for banks to integrate payments."),
    ("need", "pilot_partner", ["energy-efficiency", "renewable-energy"], "Пілотні партнери в Харкові для мікромереж", "Kharkiv pilot partners for microgrids", "Компанія з Альбукерке шукає харківських партнерів для пілоту мікромереж.", "An Albuquerque company seeks Kharkiv partners to pilot microgrids."),
    ("offer", "expertise", ["product-development", "saas"], "Менторство від підприємців із США", "Mentoring by US founders", "Безкоштовні сесії для харківських стартапів.", "Free sessions for Kharkiv startups."),
    ("offer", "investment", ["saas", "artificial-intelligence"], "Посівні інвестиції до 250 тис. доларів", "Seed investment up to $250k", "Інвестуємо в українські SaaS-стартапи.", "We invest in Ukrainian SaaS startups."),
    ("need", "expertise", ["generative-ai", "nlp"], "Команда інженерів NLP", "A team of NLP engineers", "Шукаємо команду з п'яти інженерів в Україні.", "Looking for a team of five engineers in Ukraine."),
    ("offer", "customer_introduction", ["e-health"], "Знайомство з лікарнями Нью-Мексико", "Introductions to New Mexico hospitals", "Познайомимо з інноваційними підрозділами лікарень.", "We introduce you to hospital innovation units."),
    ("need", "equipment", ["electronics", "embedded-systems"], "Постачальники друкованих плат", "PCB suppliers", "Шукаємо виробників плат в Україні.", "Looking for PCB manufacturers in Ukraine."),
]  # fmt: skip
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
    today = timezone.localdate()
    created = 0
    for owner, row in zip(owners, NEEDS_OFFERS, strict=True):
        kind, category, slugs, title_uk, title_en, text_uk, text_en = row
        need_offer, was_created = NeedOffer.objects.get_or_create(
            organization=owner,
            title_en=title_en,
            defaults={
                "kind": kind,
                "category": category,
                "title_uk": title_uk,
                "description_uk": text_uk,
                "description_en": text_en,
                "status": NeedOffer.Status.PUBLISHED,
                "published_at": timezone.now(),
                "submitted_at": timezone.now(),
                "valid_until": today + datetime.timedelta(days=90),
            },
        )
        if was_created:
            need_offer.match_terms = recommend.need_offer_terms(need_offer)
            need_offer.save(update_fields=["match_terms"])
            need_offer.tags.set([tags[s] for s in slugs if s in tags])
            created += 1
    profiles = 0
    investor = User.objects.filter(email="investor@mist.local").first()
    if investor is not None:
        profiles += _profile(
            investor,
            intents=["investing", "partnering"],
            tags=["energy-efficiency", "smart-city", "e-health", "renewable-energy"],
            countries=["UA"],
            ticket=(100_000, 2_000_000),
            about_en="Impact investment in energy efficiency, smart city and health "
            "projects of Kharkiv.",
            tag_map=tags,
        )
    reviewer = User.objects.filter(email="reviewer@mist.local").first()
    if reviewer is not None:
        profiles += _profile(
            reviewer,
            intents=["partnering", "mentoring"],
            tags=["edtech", "artificial-intelligence", "energy-efficiency"],
            countries=["UA"],
            ticket=(None, None),
            about_en="A partner from Albuquerque looking for Kharkiv companies in "
            "education technology and energy efficiency, and startups to mentor.",
            tag_map=tags,
        )
    recommend.invalidate_index()
    return f"matching: {created} needs and offers, {profiles} match profiles created"


def _profile(user, *, intents, tags, countries, ticket, about_en, tag_map) -> int:
    if MatchProfile.objects.filter(user=user).exists():
        return 0
    profile = MatchProfile(
        user=user,
        intents=intents,
        countries=countries,
        ticket_min=ticket[0],
        ticket_max=ticket[1],
        ticket_currency="USD",
        about_en=about_en,
    )
    profile.match_terms = recommend.profile_terms(profile)
    profile.save()
    profile.tags.set([tag_map[slug] for slug in tags if slug in tag_map])
    return 1
