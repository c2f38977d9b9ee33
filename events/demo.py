"""Demo data of this app, loaded by `manage.py seed_demo` (MIST_DEMO_SEEDERS).

Eight events around today (two past, six ahead), organized by demo organizations;
the Albuquerque delegation visit is full, with two people on its waiting list.
Running it again changes nothing."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from directory.models import Organization
from events.models import Event, Registration

KYIV = "Europe/Kyiv"
DENVER = "America/Denver"
DEMO_NOTE_UK = "Демонстраційні дані."
DEMO_NOTE_EN = "Demo data."


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    kind: str
    organizer: str  # a key of the organizers found below
    title_uk: str
    title_en: str
    description_uk: str
    description_en: str
    days_ahead: int
    start: datetime.time
    hours: float
    zone: str = KYIV
    venue_uk: str = ""
    venue_en: str = ""
    online_url: str = ""
    capacity: int | None = None
    registrants: int = 0  # demo users registered, in the order of DEMO_USERS


EVENTS = [
    DemoEvent(
        "albuquerque-delegation-visit",
        Event.Kind.DELEGATION_VISIT,
        "cluster",
        "Візит ділової делегації з Альбукерке",
        "Albuquerque business delegation visit",
        "Компанії з Альбукерке (Нью-Мексико) приїжджають до Харкова знайомитися з "
        "ІТ-компаніями міста: презентації, B2B-зустрічі, візити до офісів. "
        + DEMO_NOTE_UK,
        "Companies from Albuquerque, New Mexico, come to Kharkiv to meet the city's "
        "IT companies: pitches, B2B meetings, office visits. " + DEMO_NOTE_EN,
        12,
        datetime.time(10),
        8,
        venue_uk="Харків, ІТ-кластер, вул. Сумська, 10",
        venue_en="Kharkiv IT Cluster, 10 Sumska St, Kharkiv",
        capacity=4,
        registrants=6,
    ),
    DemoEvent(
        "kharkiv-investment-forum",
        Event.Kind.INVESTMENT_FORUM,
        "city",
        "Харківський інвестиційний форум",
        "Kharkiv Investment Forum",
        "Місто представляє інвестиційні проєкти відбудови та розумного міста; "
        "інвестори й донори зустрічаються з командами проєктів. " + DEMO_NOTE_UK,
        "The city presents its reconstruction and smart-city investment projects; "
        "investors and donors meet the project teams. " + DEMO_NOTE_EN,
        30,
        datetime.time(9, 30),
        9,
        venue_uk="Харків, Палац праці, майдан Конституції, 1",
        venue_en="Palace of Labour, 1 Constitution Sq, Kharkiv",
        online_url="https://stream.example.org/kharkiv-forum",
        capacity=200,
        registrants=3,
    ),
    DemoEvent(
        "kharkiv-python-meetup",
        Event.Kind.MEETUP,
        "editor",
        "Kharkiv Python мітап",
        "Kharkiv Python meetup",
        "Дві доповіді про Django та обробку даних, потім нетворкінг. " + DEMO_NOTE_UK,
        "Two talks on Django and data processing, then networking. " + DEMO_NOTE_EN,
        5,
        datetime.time(19),
        2.5,
        venue_uk="Харків, коворкінг «Фабрика», вул. Благовіщенська, 1",
        venue_en="Fabryka coworking, 1 Blahovishchenska St, Kharkiv",
        capacity=60,
        registrants=2,
    ),
    DemoEvent(
        "albuquerque-kharkiv-online-coffee",
        Event.Kind.MEETUP,
        "partner",
        "Онлайн-кава Альбукерке — Харків",
        "Albuquerque–Kharkiv online coffee",
        "Щомісячна онлайн-зустріч партнерів з Альбукерке та харківських команд: "
        "ранок у Нью-Мексико, вечір у Харкові. " + DEMO_NOTE_UK,
        "The monthly online meeting of Albuquerque partners and Kharkiv teams: "
        "morning in New Mexico, evening in Kharkiv. " + DEMO_NOTE_EN,
        9,
        datetime.time(9),
        1.5,
        zone=DENVER,
        online_url="https://meet.example.org/abq-kharkiv",
        registrants=2,
    ),
    DemoEvent(
        "civic-tech-hackathon",
        Event.Kind.HACKATHON,
        "cluster",
        "Хакатон «Місто, що відновлюється»",
        "Rebuilding City civic-tech hackathon",
        "48 годин, щоб створити прототипи для міських служб: енергетика, "
        "транспорт, укриття. " + DEMO_NOTE_UK,
        "48 hours to build prototypes for city services: energy, transport, "
        "shelters. " + DEMO_NOTE_EN,
        20,
        datetime.time(10),
        48,
        venue_uk="Харків, ХНУРЕ, пр. Науки, 14",
        venue_en="Kharkiv National University of Radio Electronics, 14 Nauky Ave",
        capacity=120,
        registrants=1,
    ),
    DemoEvent(
        "grant-writing-training",
        Event.Kind.TRAINING,
        "city",
        "Тренінг: як писати заявки на гранти",
        "Training: writing grant applications",
        "Практичний тренінг для команд, що готують проєкти для донорів. "
        + DEMO_NOTE_UK,
        "A hands-on training for teams preparing projects for donors. " + DEMO_NOTE_EN,
        40,
        datetime.time(14),
        3,
        online_url="https://meet.example.org/grant-training",
        capacity=25,
    ),
    DemoEvent(
        "it-cluster-autumn-meetup",
        Event.Kind.MEETUP,
        "cluster",
        "Осінній мітап ІТ-кластера",
        "IT Cluster autumn meetup",
        "Підсумки року кластера й плани на наступний. " + DEMO_NOTE_UK,
        "The cluster's year in review and plans for the next. " + DEMO_NOTE_EN,
        -20,
        datetime.time(18),
        3,
        venue_uk="Харків, ІТ-кластер, вул. Сумська, 10",
        venue_en="Kharkiv IT Cluster, 10 Sumska St, Kharkiv",
        registrants=4,
    ),
    DemoEvent(
        "silicon-valley-delegation-visit",
        Event.Kind.DELEGATION_VISIT,
        "partner",
        "Візит делегації з Кремнієвої долини",
        "Silicon Valley delegation visit",
        "Інвестори та компанії з Кремнієвої долини зустрілися з харківськими "
        "стартапами. " + DEMO_NOTE_UK,
        "Investors and companies from Silicon Valley met Kharkiv startups. "
        + DEMO_NOTE_EN,
        -60,
        datetime.time(10),
        7,
        venue_uk="Харків, готель «Харків», майдан Свободи, 7",
        venue_en="Kharkiv Hotel, 7 Freedom Sq, Kharkiv",
        capacity=40,
        registrants=5,
    ),
]

DEMO_USERS = [
    "investor@mist.local",
    "reviewer@mist.local",
    "editor@mist.local",
    "officer@mist.local",
    "staff@mist.local",
    "admin@mist.local",
]


def _organizers() -> dict[str, Organization] | None:
    verified = Organization.objects.alive().filter(
        verification=Organization.Verification.VERIFIED
    )
    fallback = verified.order_by("pk").first()
    if fallback is None:
        return None
    editor_org = (
        Membership.objects.filter(user__email="editor@mist.local", is_editor=True)
        .select_related("organization")
        .first()
    )
    return {
        "cluster": verified.filter(name_uk__icontains="ІТ-кластер").first() or fallback,
        "city": verified.filter(kind=Organization.Kind.CITY_BODY).first() or fallback,
        "partner": verified.filter(
            kind=Organization.Kind.FOREIGN_PARTNER, locality__icontains="New Mexico"
        ).first()
        or verified.filter(kind=Organization.Kind.FOREIGN_PARTNER).first()
        or fallback,
        "editor": editor_org.organization if editor_org else fallback,
    }


def _starts(spec: DemoEvent, today: datetime.date) -> datetime.datetime:
    day = today + datetime.timedelta(days=spec.days_ahead)
    return datetime.datetime.combine(
        day, spec.start, tzinfo=zoneinfo.ZoneInfo(spec.zone)
    )


@transaction.atomic
def seed_demo() -> str:
    """Create the app's demo data once; return a one-line summary for the console."""
    organizers = _organizers()
    if organizers is None:
        return "events: no organizations yet, skipped"
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_USERS)}
    people = [users[email] for email in DEMO_USERS if email in users]
    staff = users.get("staff@mist.local")
    today = timezone.localdate()
    created = registered = 0
    for spec in EVENTS:
        starts = _starts(spec, today)
        event, is_new = Event.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "kind": spec.kind,
                "organizer": organizers[spec.organizer],
                "title_uk": spec.title_uk,
                "title_en": spec.title_en,
                "description_uk": spec.description_uk,
                "description_en": spec.description_en,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=spec.hours),
                "time_zone": spec.zone,
                "venue_uk": spec.venue_uk,
                "venue_en": spec.venue_en,
                "online_url": spec.online_url,
                "capacity": spec.capacity,
                "status": Event.Status.PUBLISHED,
                "is_public": True,
                "created_by": staff,
            },
        )
        created += is_new
        if not is_new:
            continue
        confirmed = 0
        for person in people[: spec.registrants]:
            full = spec.capacity is not None and confirmed >= spec.capacity
            status = (
                Registration.Status.WAITLISTED
                if full
                else Registration.Status.CONFIRMED
            )
            confirmed += not full
            Registration.objects.create(event=event, user=person, status=status)
            registered += 1
    return f"events: {created} events created, {registered} registrations"
