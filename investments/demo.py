"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Twelve Kharkiv Smart City and reconstruction projects, published, with budget lines,
funding, indicators and documents; the demo investor verified, with two interests.
Idempotent: projects are keyed by code and left alone when they exist.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from directory.models import Organization, Place
from investments.models import (
    BudgetLine,
    ExchangeRate,
    FundingSource,
    Indicator,
    Interest,
    InvestmentProject,
    InvestorVerification,
    ProjectChange,
    ProjectDocument,
)

D = Decimal
DISTRICTS = {
    "shevchenkivskyi": ("UA63120270010948820", "50.0050", "36.2290"),
    "kyivskyi": ("UA63120270010216514", "50.0205", "36.2900"),
    "saltivskyi": ("UA63120270010315719", "50.0330", "36.3560"),
    "nemyshlianskyi": ("UA63120270010423479", "49.9880", "36.3200"),
    "industrialnyi": ("UA63120270010158723", "49.9560", "36.3690"),
    "slobidskyi": ("UA63120270010736370", "49.9620", "36.2700"),
    "osnovianskyi": ("UA63120270010681864", "49.9510", "36.2210"),
    "novobavarskyi": ("UA63120270010565081", "49.9610", "36.1620"),
    "kholodnohirskyi": ("UA63120270010877312", "49.9890", "36.1930"),
}

# code, owner (English name), district, area, sectors, type, readiness, sdgs,
# instruments, currency, total, sought, (title uk, en), (summary uk, en),
# (problem uk, en), indicators [(uk, en, unit, baseline, target, year)]
PROJECTS = [
    (
        "KH-SC-2026-001",
        "Department of Transport of Kharkiv City Council",
        "kyivskyi",
        "smart_mobility",
        ["transport.urban"],
        "rehabilitation",
        "feasibility",
        [9, 11, 13],
        ["loan", "grant"],
        "USD",
        D("12500000"),
        D("10000000"),
        (
            "Адаптивне керування дорожнім рухом",
            "Adaptive traffic management system",
        ),
        (
            "Понад 300 світлофорних об'єктів із датчиками та центром керування, "
            "що підлаштовують сигнали під реальний потік і дають пріоритет "
            "громадському транспорту.",
            "Over 300 signalised junctions with sensors and a control centre that "
            "adapt the signals to real traffic and give priority to public transport.",
        ),
        (
            "Застарілі світлофори з фіксованими циклами спричиняють затори, "
            "а пошкоджена під час обстрілів мережа потребує відновлення.",
            "Outdated fixed-cycle traffic lights cause congestion, and the network "
            "damaged by shelling needs rebuilding.",
        ),
        [
            (
                "Середній час поїздки центром",
                "Average trip time downtown",
                "min",
                34,
                26,
                2029,
            ),
            (
                "Світлофорних об'єктів у системі",
                "Junctions connected",
                "pcs",
                0,
                310,
                2028,
            ),
        ],
    ),
    (
        "KH-SC-2026-002",
        "Department of Transport of Kharkiv City Council",
        "saltivskyi",
        "smart_mobility",
        ["transport.lowCarbon", "transport.urban"],
        "replacement",
        "design",
        [7, 11, 13],
        ["loan", "donor"],
        "EUR",
        D("38000000"),
        D("30000000"),
        (
            "Електробуси та зарядне депо на Салтівці",
            "Electric buses and a charging depot in Saltivka",
        ),
        (
            "Закупівля 60 електробусів і будівництво депо з нічною зарядкою для "
            "маршрутів Салтівського району.",
            "Purchase of 60 electric buses and a depot with overnight charging for "
            "the routes of Saltivskyi district.",
        ),
        (
            "Автобусний парк зношений на 80 %, а частину рухомого складу знищено.",
            "The bus fleet is 80% worn out and part of it was destroyed.",
        ),
        [
            ("Електробусів на лінії", "Electric buses in service", "pcs", 0, 60, 2028),
            ("Скорочення викидів CO₂", "CO₂ emissions avoided", "t/yr", 0, 5200, 2029),
        ],
    ),
    (
        "KH-SC-2026-003",
        "Department of Education of Kharkiv City Council",
        "osnovianskyi",
        "education",
        ["education", "energy"],
        "rehabilitation",
        "feasibility",
        [4, 7, 11],
        ["grant", "donor", "loan"],
        "EUR",
        D("22000000"),
        D("18500000"),
        (
            "Енергоефективна відбудова 25 шкіл",
            "Energy-efficient reconstruction of 25 schools",
        ),
        (
            "Утеплення, нові вікна, індивідуальні теплові пункти та укриття в 25 "
            "школах, щоб діти безпечно навчалися офлайн.",
            "Insulation, new windows, heat substations and shelters in 25 schools, "
            "so that children can safely study in person.",
        ),
        (
            "Школи втрачають до 40 % тепла, а частина будівель пошкоджена.",
            "The schools lose up to 40% of their heat, and some buildings are damaged.",
        ),
        [
            ("Економія теплової енергії", "Heat energy saved", "%", 0, 45, 2029),
            (
                "Учнів у відновлених школах",
                "Pupils in renovated schools",
                "pupils",
                0,
                17000,
                2029,
            ),
        ],
    ),
    (
        "KH-SC-2026-004",
        "Department of Health of Kharkiv City Council",
        "nemyshlianskyi",
        "energy_efficiency",
        ["energy.solar", "health"],
        "construction",
        "pre_feasibility",
        [3, 7, 13],
        ["ppp", "equity"],
        "USD",
        D("6800000"),
        D("6800000"),
        (
            "Сонячні станції з накопичувачами для лікарень",
            "Rooftop solar with storage for hospitals",
        ),
        (
            "Сонячні станції загальною потужністю 4,5 МВт і батареї для 12 лікарень, "
            "щоб операційні працювали під час відключень.",
            "4.5 MW of rooftop solar and batteries for 12 hospitals, so that "
            "operating theatres keep working through blackouts.",
        ),
        (
            "Лікарні залежать від дизель-генераторів під час відключень.",
            "Hospitals depend on diesel generators during blackouts.",
        ),
        [
            ("Встановлена потужність", "Installed capacity", "MW", 0, D("4.5"), 2028),
            ("Годин автономної роботи", "Hours of autonomy", "h", 2, 12, 2028),
        ],
    ),
    (
        "KH-SC-2026-005",
        "Department of Digital Transformation of Kharkiv City Council",
        "shevchenkivskyi",
        "digital_services",
        ["governance", "communications"],
        "expansion",
        "ready_for_procurement",
        [9, 16, 17],
        ["grant"],
        "UAH",
        D("180000000"),
        D("150000000"),
        (
            "Платформа міських сервісів «Харків Цифровий»",
            "Kharkiv Digital city services platform",
        ),
        (
            "Єдиний застосунок і портал для 120 міських послуг: довідки, запис до "
            "лікаря, оплата паркування, звернення та сповіщення про тривоги.",
            "One app and portal for 120 city services: certificates, doctor "
            "appointments, parking payments, requests and air-raid alerts.",
        ),
        (
            "Послуги розпорошені між десятком сайтів, частина доступна лише офлайн.",
            "Services are scattered over a dozen websites; some are offline only.",
        ),
        [
            ("Послуг онлайн", "Services online", "pcs", 35, 120, 2028),
            ("Активних користувачів", "Active users", "users", 90000, 600000, 2029),
        ],
    ),
    (
        "KH-SC-2026-006",
        "City Energy Management",
        "industrialnyi",
        "energy_efficiency",
        ["energy"],
        "replacement",
        "design",
        [7, 11, 13],
        ["ppp"],
        "USD",
        D("15000000"),
        D("12000000"),
        ("Розумне вуличне освітлення", "Smart street lighting"),
        (
            "Заміна 45 000 світильників на світлодіодні з дистанційним керуванням "
            "за моделлю енергосервісного контракту.",
            "Replacing 45,000 street lights with remotely managed LED lamps under "
            "an energy performance contract.",
        ),
        (
            "Натрієві лампи споживають утричі більше енергії, а частина мереж "
            "пошкоджена.",
            "Sodium lamps use three times more power, and part of the network is "
            "damaged.",
        ),
        [
            ("Економія електроенергії", "Electricity saved", "MWh/yr", 0, 21000, 2029),
            ("Світильників замінено", "Lamps replaced", "pcs", 0, 45000, 2028),
        ],
    ),
    (
        "KH-SC-2026-007",
        "Kharkiv Information Systems",
        "slobidskyi",
        "safety",
        ["governance"],
        "construction",
        "concept",
        [11, 16],
        ["grant", "donor"],
        "UAH",
        D("95000000"),
        D("95000000"),
        (
            "Система безпеки та оповіщення міста",
            "City safety and public warning system",
        ),
        (
            "Мережа сирен, гучномовців і відеоаналітики з єдиним ситуаційним центром "
            "для швидкого оповіщення мешканців.",
            "A network of sirens, loudspeakers and video analytics with one situation "
            "centre to warn residents quickly.",
        ),
        (
            "Оповіщення не чути в частині районів, а камери не пов'язані між собою.",
            "Warnings are not heard in parts of the city, and cameras are not linked.",
        ),
        [
            (
                "Покриття оповіщенням",
                "Population covered by warnings",
                "%",
                70,
                99,
                2028,
            ),
        ],
    ),
    (
        "KH-SC-2026-008",
        "City Water Technologies",
        "kholodnohirskyi",
        "housing_utilities",
        ["waterAndWaste"],
        "rehabilitation",
        "feasibility",
        [6, 11],
        ["loan"],
        "EUR",
        D("18000000"),
        D("15000000"),
        (
            "Розумний облік і пошук витоків води",
            "Smart water metering and leak detection",
        ),
        (
            "Дистанційні лічильники, датчики тиску та гідравлічна модель мережі, що "
            "знаходять витоки за години, а не за тижні.",
            "Remote meters, pressure sensors and a hydraulic model of the network "
            "that find leaks in hours rather than weeks.",
        ),
        (
            "Втрати води в мережі перевищують 35 %.",
            "Water losses in the network exceed 35%.",
        ),
        [
            ("Втрати води", "Non-revenue water", "%", 36, 20, 2029),
        ],
    ),
    (
        "KH-SC-2026-009",
        "Department of Urban Planning and Architecture of Kharkiv City Council",
        "saltivskyi",
        "reconstruction",
        ["socialHousing"],
        "construction",
        "design",
        [1, 11, 13],
        ["donor", "grant", "loan"],
        "EUR",
        D("45000000"),
        D("40000000"),
        (
            "Відбудова житлового кварталу на Північній Салтівці",
            "Rebuilding a residential block in North Saltivka",
        ),
        (
            "Нові енергоефективні будинки на 640 квартир замість зруйнованих, зі "
            "сховищами, безбар'єрним простором і зеленим двором.",
            "New energy-efficient buildings with 640 flats in place of destroyed ones, "
            "with shelters, step-free access and a green courtyard.",
        ),
        (
            "Понад 2 000 родин району втратили житло.",
            "More than 2,000 families in the district lost their homes.",
        ),
        [
            ("Квартир", "Flats", "pcs", 0, 640, 2029),
            ("Клас енергоефективності", "Energy class A buildings", "pcs", 0, 6, 2029),
        ],
    ),
    (
        "KH-SC-2026-010",
        "Waste Management Service",
        "novobavarskyi",
        "environment",
        ["waterAndWaste"],
        "construction",
        "pre_feasibility",
        [11, 12, 13],
        ["ppp", "equity"],
        "EUR",
        D("27000000"),
        D("24000000"),
        (
            "Комплекс сортування та переробки відходів",
            "Waste sorting and recycling complex",
        ),
        (
            "Сортувальна лінія на 200 000 т на рік і компостування органіки, щоб "
            "менше везти на полігон.",
            "A sorting line for 200,000 t a year and composting of organic waste, to "
            "send less to landfill.",
        ),
        (
            "Міський полігон заповнений на 90 %.",
            "The city landfill is 90% full.",
        ),
        [
            ("Відходів переробляється", "Waste recycled", "%", 6, 35, 2030),
        ],
    ),
    (
        "KH-SC-2026-011",
        "Department of Health of Kharkiv City Council",
        "kyivskyi",
        "healthcare",
        ["health", "communications"],
        "expansion",
        "implementation",
        [3, 10],
        ["grant", "donor"],
        "USD",
        D("4200000"),
        D("2600000"),
        ("Телемедицина для амбулаторій", "Telemedicine for primary care clinics"),
        (
            "Обладнання та платформа для дистанційних консультацій у 40 амбулаторіях "
            "і мобільних бригадах.",
            "Equipment and a platform for remote consultations in 40 clinics and "
            "mobile teams.",
        ),
        (
            "Мешканці прифронтових районів не можуть дістатися до спеціалістів.",
            "Residents of frontline districts cannot reach specialists.",
        ),
        [
            (
                "Телеконсультацій на рік",
                "Teleconsultations a year",
                "pcs",
                0,
                60000,
                2027,
            ),
        ],
    ),
    (
        "KH-SC-2026-012",
        "City GIS Service",
        "shevchenkivskyi",
        "reconstruction",
        ["governance"],
        "construction",
        "concept",
        [9, 11, 17],
        ["grant"],
        "USD",
        D("3500000"),
        D("3500000"),
        (
            "Цифровий двійник міста для планування відбудови",
            "City digital twin for reconstruction planning",
        ),
        (
            "3D-модель міста з даними про пошкодження, мережі та будівлі для "
            "планування відбудови й відкритих даних.",
            "A 3D model of the city with data on damage, utilities and buildings to "
            "plan reconstruction and publish open data.",
        ),
        (
            "Дані про пошкодження розпорошені між відомствами.",
            "Damage data is scattered across agencies.",
        ),
        [
            ("Будівель у моделі", "Buildings in the model", "pcs", 0, 95000, 2028),
        ],
    ),
]

SPLIT = [
    ("design", "capex", D("0.08")),
    ("construction", "capex", D("0.52")),
    ("equipment", "capex", D("0.30")),
    ("services", "opex", D("0.10")),
]
DOCUMENTS = {
    "pre_feasibility": [
        ("needsAssessment", "open", "Оцінка потреб", "Needs assessment")
    ],
    "feasibility": [
        ("projectScope", "open", "Опис обсягу проєкту", "Project scope"),
        ("feasibilityStudy", "limited", "ТЕО", "Feasibility study"),
    ],
    "design": [
        ("projectScope", "open", "Опис обсягу проєкту", "Project scope"),
        ("feasibilityStudy", "limited", "ТЕО", "Feasibility study"),
        (
            "technicalSpecifications",
            "limited",
            "Проєктна документація",
            "Design documents",
        ),
        ("budgetApproval", "restricted", "Рішення про бюджет", "Budget decision"),
    ],
}
DOCUMENTS["ready_for_procurement"] = [
    *DOCUMENTS["design"],
    ("procurementPlan", "open", "План закупівель", "Procurement plan"),
]
DOCUMENTS["implementation"] = DOCUMENTS["ready_for_procurement"]
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids"
    b"[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
    b">>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _owner(name_en: str) -> Organization:
    owner = Organization.objects.filter(name_en=name_en).first()
    if owner is None:
        owner = Organization.objects.filter(
            kind__in=[
                Organization.Kind.CITY_BODY,
                Organization.Kind.COMMUNAL_ENTERPRISE,
            ]
        ).first()
    if owner is None:
        owner, _ = Organization.objects.get_or_create(
            slug="kharkiv-city-council-demo",
            defaults={
                "name_uk": "Харківська міська рада",
                "name_en": "Kharkiv City Council",
                "kind": Organization.Kind.CITY_BODY,
                "verification": Organization.Verification.VERIFIED,
                "is_demo": True,
            },
        )
    return owner


def _rates() -> None:
    today = timezone.localdate()
    for currency, rate in (("USD", D("41.7500")), ("EUR", D("48.6000"))):
        if not ExchangeRate.objects.filter(currency=currency).exists():
            ExchangeRate.objects.create(
                currency=currency,
                rate_date=today,
                uah_per_unit=rate,
                source="NBU (demo)",
            )


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    from investments import services

    _rates()
    officer = User.objects.filter(email="officer@mist.local").first()
    investor = User.objects.filter(email="investor@mist.local").first()
    created = 0
    now = timezone.now()
    for index, row in enumerate(PROJECTS):
        (
            code,
            owner_name,
            district,
            area,
            sectors,
            kind,
            readiness,
            sdgs,
            instruments,
            currency,
            total,
            sought,
            title,
            summary,
            problem,
            indicators,
        ) = row
        if InvestmentProject.objects.filter(code=code).exists():
            continue
        place_code, lat, lng = DISTRICTS[district]
        project = InvestmentProject(
            code=code,
            title_uk=title[0],
            title_en=title[1],
            summary_uk=summary[0],
            summary_en=summary[1],
            description_uk=summary[0] + " " + problem[0],
            description_en=summary[1] + " " + problem[1],
            problem_uk=problem[0],
            problem_en=problem[1],
            strategy_area=area,
            sdgs=sdgs,
            project_sector=sectors,
            project_type=kind,
            owner=_owner(owner_name),
            place=Place.objects.filter(code=place_code).first(),
            latitude=D(lat),
            longitude=D(lng),
            readiness=readiness,
            status=InvestmentProject.Status.PUBLISHED,
            total_cost=total,
            currency=currency,
            financing_sought=sought,
            financing_currency=currency,
            instruments=instruments,
            starts_on=datetime.date(2027, 3, 1),
            ends_on=datetime.date(2029, 12, 31)
            if index % 2
            else datetime.date(2028, 10, 31),
            risks_uk="Безпекова ситуація; зростання цін на матеріали; валютні ризики.",
            risks_en="The security situation; rising material prices; currency risk.",
            dream_ids=[f"DREAM-KH-{2026_0000 + index + 1}"],
            prozorro_ids=[f"UA-2026-0{index % 9 + 1}-15-00{index + 1:04d}-a"]
            if readiness in ("ready_for_procurement", "implementation")
            else [],
            contact_name="Ігор Бондар",
            contact_email="invest@city.kharkiv.example",
            contact_phone="+380 57 700 00 00",
            published_at=now - datetime.timedelta(days=30 - index),
            created_by=officer,
            updated_by=officer,
            is_demo=True,
        )
        project.slug = services._unique_slug(project)
        project.save()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                project=project,
                category=category,
                kind=line_kind,
                amount=(total * share).quantize(D("1")),
                currency=currency,
            )
            for category, line_kind, share in SPLIT
        )
        if total > sought:
            FundingSource.objects.create(
                project=project,
                source_name="Бюджет Харківської міської територіальної громади",
                instrument="grant",
                amount=total - sought,
                currency=currency,
                secured_on=datetime.date(2026, 9, 1),
            )
        Indicator.objects.bulk_create(
            Indicator(
                project=project,
                name_uk=name_uk,
                name_en=name_en,
                unit=unit,
                baseline=D(baseline),
                target=D(target),
                target_year=year,
            )
            for name_uk, name_en, unit, baseline, target, year in indicators
        )
        for document_type, access, title_uk, title_en in DOCUMENTS.get(readiness, []):
            document = ProjectDocument(
                project=project,
                title_uk=title_uk,
                title_en=title_en,
                document_type=document_type,
                access=access,
                original_name=f"{code}-{document_type}.pdf",
                size=len(TINY_PDF),
                uploaded_by=officer,
            )
            document.file.save(
                f"{code}-{document_type}.pdf", ContentFile(TINY_PDF), save=True
            )
        ProjectChange.objects.create(
            project=project,
            kind=ProjectChange.Kind.CREATED,
            changed_by=officer,
            version=1,
        )
        services.refresh_quality(project)
        created += 1

    interests = 0
    if investor is not None and investor.role == Role.INVESTOR:
        InvestorVerification.objects.get_or_create(
            user=investor,
            defaults={
                "status": InvestorVerification.Status.VERIFIED,
                "decided_at": now,
                "note": "Demo investor.",
            },
        )
        for code, stage, instrument, amount, accepted in (
            ("KH-SC-2026-006", Interest.Stage.MEETING, "ppp", D("5000000"), True),
            ("KH-SC-2026-001", Interest.Stage.NEW, "loan", D("4000000"), False),
        ):
            project = InvestmentProject.objects.filter(code=code).first()
            if project is None:
                continue
            _interest, made = Interest.objects.get_or_create(
                project=project,
                investor=investor,
                defaults={
                    "instrument": instrument,
                    "amount": amount,
                    "currency": "USD",
                    "message": "We finance municipal energy and mobility projects "
                    "in Central and Eastern Europe and would like to learn more.",
                    "stage": stage,
                    "stage_changed_at": now - datetime.timedelta(days=9),
                    "accepted_at": now if accepted else None,
                    "terms_confirmed_at": now if accepted else None,
                },
            )
            interests += int(made)
    return f"investments: {created} projects, {interests} interests"
