"""Generate synthetic organizations quickly, for benchmarks (not demo data).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mist_bench \\
        .venv/bin/python bench/make_organizations.py 100000

Writes into the database DATABASE_URL names (migrating it first) with bulk_create
in batches, filling the search columns with build_search_fields() as importers
do. Names and descriptions are bilingual and built from inflected Ukrainian
phrases, so Ukrainian searches hit a realistic share of rows. Other benches import
make_organizations() after setting up Django themselves.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (Ukrainian, English): what kind of body the name says it is.
NAME_HEADS = [
    ("Компанія", "Company"),
    ("Студія", "Studio"),
    ("Лабораторія", "Lab"),
    ("Агенція", "Agency"),
    ("Інститут", "Institute"),
    ("Фонд", "Fund"),
    ("Центр", "Centre"),
    ("Університет", "University"),
    ("Асоціація", "Association"),
    ("Група", "Group"),
    ("Інкубатор", "Incubator"),
    ("Комунальне підприємство", "Communal Enterprise"),
]
# Syllables of made-up brand names (Cyrillic, with a Latin spelling).
SYLLABLES = [
    ("ка", "ka"), ("ро", "ro"), ("ві", "vi"), ("та", "ta"), ("лі", "li"),
    ("сан", "san"), ("тек", "tek"), ("нор", "nor"), ("мі", "mi"), ("дат", "dat"),
    ("зо", "zo"), ("пер", "per"), ("ус", "us"), ("гра", "hra"), ("фе", "fe"),
    ("кс", "ks"), ("бі", "bi"), ("ос", "os"), ("ні", "ni"), ("рон", "ron"),
]  # fmt: skip
# (Ukrainian genitive, English): fields of work, inflected as text uses them.
FIELDS = [
    ("енергетики", "energy"),
    ("охорони здоров'я", "healthcare"),
    ("освіти", "education"),
    ("логістики", "logistics"),
    ("агросектору", "agriculture"),
    ("фінансових послуг", "financial services"),
    ("кібербезпеки", "cybersecurity"),
    ("штучного інтелекту", "artificial intelligence"),
    ("розумного міста", "smart city"),
    ("відбудови інфраструктури", "infrastructure reconstruction"),
    ("громадського транспорту", "public transport"),
    ("електронного урядування", "e-government"),
    ("оборонних технологій", "defence technology"),
    ("мобільних застосунків", "mobile applications"),
    ("електронної комерції", "e-commerce"),
    ("ігрової індустрії", "game development"),
    ("телекомунікацій", "telecommunications"),
    ("водопостачання", "water supply"),
    ("будівництва", "construction"),
    ("машинобудування", "mechanical engineering"),
    ("фармацевтики", "pharmaceuticals"),
    ("страхування", "insurance"),
    ("туризму", "tourism"),
    ("креативних індустрій", "creative industries"),
    ("космічних технологій", "space technology"),
    ("харчової промисловості", "food industry"),
    ("медіа", "media"),
    ("юридичних послуг", "legal services"),
    ("нерухомості", "real estate"),
    ("ветеранського бізнесу", "veteran business"),
]
# Technologies named in descriptions, as they are written.
TECHNOLOGIES = [
    ("Python", "Python"), ("Java", "Java"), ("Kotlin", "Kotlin"), ("Go", "Go"),
    ("React", "React"), ("блокчейн", "blockchain"), ("дрони", "drones"),
    ("комп'ютерний зір", "computer vision"), ("інтернет речей", "Internet of Things"),
    ("хмарні обчислення", "cloud computing"), ("DevOps", "DevOps"),
    ("вбудовані системи", "embedded systems"), ("робототехніка", "robotics"),
    ("великі мовні моделі", "large language models"), ("SAP", "SAP"),
    ("геоінформаційні системи", "GIS"), ("3D-друк", "3D printing"),
    ("доповнена реальність", "augmented reality"), ("біоінформатика", "bioinformatics"),
    ("квантові обчислення", "quantum computing"), ("Rust", "Rust"), (".NET", ".NET"),
    ("мікросервіси", "microservices"), ("аналітика даних", "data analytics"),
]  # fmt: skip
# Sentences with {field} or {tech}: (Ukrainian, English).
SENTENCES = [
    ("Розробляємо програмне забезпечення для {uk}.", "We develop software for {en}."),
    (
        "Реалізуємо інвестиційні проєкти у сфері {uk}.",
        "We deliver investment projects in {en}.",
    ),
    (
        "Навчаємо студентів університетів Харкова основам {uk}.",
        "We teach university students the basics of {en}.",
    ),
    (
        "Шукаємо партнерів серед міжнародних компаній для {uk}.",
        "Looking for international partners in {en}.",
    ),
    ("Консультуємо міську раду з питань {uk}.", "Advising the city council on {en}."),
    (
        "Будуємо хмарні рішення для {uk}.",
        "Building cloud solutions for {en}.",
    ),
    ("Виготовляємо обладнання для {uk}.", "Manufacturing equipment for {en}."),
    ("Проводимо наукові дослідження в галузі {uk}.", "Doing research in {en}."),
    ("Запускаємо стартапи у сфері {uk}.", "Launching startups in {en}."),
    ("Автоматизуємо бізнес-процеси підприємств {uk}.", "Automating {en} businesses."),
    (
        "Підтримуємо ветеранів, які починають справу в галузі {uk}.",
        "Backing veterans in {en}.",
    ),
    ("Інвестуємо в компанії ранньої стадії у сфері {uk}.", "Investing early in {en}."),
    ("Організовуємо хакатони та конференції з {uk}.", "Running hackathons on {en}."),
    ("Тестуємо якість продуктів для {uk}.", "Testing product quality for {en}."),
    ("Проєктуємо інтерфейси для {uk}.", "Designing interfaces for {en}."),
    ("Наш стек: {tech_uk}.", "Our stack: {tech_en}."),
    ("Експертиза команди: {tech_uk}.", "Team expertise: {tech_en}."),
    (
        "Працюємо з {tech_uk} для клієнтів з Європи та США.",
        "Using {tech_en} for clients in Europe and the US.",
    ),
    ("Працюємо в Харкові з {year} року.", "Based in Kharkiv since {year}."),
    ("Маємо офіс у {office}.", "We have an office in {office_en}."),
    (
        "Допомагаємо громадам Харківщини з питань {uk}.",
        "Helping Kharkiv communities with {en}.",
    ),
    (
        "Експортуємо послуги з {uk} до Польщі й Німеччини.",
        "Exporting {en} services to Poland and Germany.",
    ),
]
OFFICES = [
    ("Києві", "Kyiv"), ("Львові", "Lviv"), ("Варшаві", "Warsaw"), ("Берліні", "Berlin"),
    ("Альбукерке", "Albuquerque"), ("Сан-Франциско", "San Francisco"),
    ("Дніпрі", "Dnipro"), ("Таллінні", "Tallinn"),
]  # fmt: skip
LOCALITIES = ["Харків", "Київ", "Львів", "Дніпро", "Albuquerque", "San Jose", "Вінниця"]


def _brand(rng: random.Random) -> tuple[str, str]:
    parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))]
    uk = "".join(p[0] for p in parts)
    en = "".join(p[1] for p in parts)
    return uk.capitalize(), en.capitalize()


def organization_fields(rng: random.Random, index: int, prefix: str) -> dict:
    """The fields of one synthetic organization (also used by other benches)."""
    from directory.models import Organization

    head_uk, head_en = rng.choice(NAME_HEADS)
    brand_uk, brand_en = _brand(rng)
    field_uk, field_en = rng.choice(FIELDS)
    techs = rng.sample(TECHNOLOGIES, 3)
    office_uk, office_en = rng.choice(OFFICES)
    values = {
        "uk": field_uk,
        "en": field_en,
        "tech_uk": ", ".join(t[0] for t in techs),
        "tech_en": ", ".join(t[1] for t in techs),
        "year": rng.randint(1995, 2024),
        "office": office_uk,
        "office_en": office_en,
    }
    sentences = rng.sample(SENTENCES, 3)
    description_uk = " ".join(s[0].format(**values) for s in sentences)
    description_en = " ".join(s[1].format(**values) for s in sentences)
    roll = rng.random()
    return {
        "name_uk": f"{head_uk} «{brand_uk}»",
        "name_en": f"{brand_en} {head_en}" if rng.random() < 0.8 else "",
        "slug": f"{prefix}-{index}",
        "kind": rng.choice(Organization.Kind.values),
        "description_uk": description_uk,
        "description_en": description_en if rng.random() < 0.85 else "",
        "locality": rng.choice(LOCALITIES),
        "size": rng.choice(Organization.Size.values),
        "founded_year": rng.randint(1950, 2025),
        "cluster_status": (
            Organization.ClusterStatus.MEMBER
            if roll < 0.3
            else Organization.ClusterStatus.NONE
        ),
        "verification": (
            Organization.Verification.VERIFIED
            if rng.random() < 0.9
            else Organization.Verification.PENDING
        ),
        "visibility": (
            Organization.Visibility.PUBLIC
            if rng.random() < 0.95
            else Organization.Visibility.MEMBERS
        ),
        "is_demo": True,
    }


def make_organizations(
    count: int, *, seed: int = 0, prefix: str = "bench", batch_size: int = 2000
) -> int:
    """Create `count` synthetic organizations; returns how many were created."""
    from django.db import transaction

    from directory.models import Organization
    from directory.search import build_search_fields

    rng = random.Random(seed)
    start = Organization.objects.filter(slug__startswith=f"{prefix}-").count()
    created = 0
    while created < count:
        batch = []
        for index in range(start + created, start + min(count, created + batch_size)):
            organization = Organization(**organization_fields(rng, index, prefix))
            organization.search_document, organization.search_names = (
                build_search_fields(organization)
            )
            batch.append(organization)
        with transaction.atomic():
            Organization.objects.bulk_create(batch, batch_size=500)
        created += len(batch)
    return created


def setup_django() -> None:
    """Django for a script run from the repository root (DATABASE_URL decides)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("TASKS_MODE", "eager")
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--prefix", default="bench")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    created = make_organizations(args.count, seed=args.seed, prefix=args.prefix)
    elapsed = time.perf_counter() - began
    print(f"created {created} organizations in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
