"""schema.org Event JSON-LD for an event's page: what Google's event rich results
require and recommend, in the page's language, times with the event zone's offset."""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from core import jsonld
from core.translation import active_language
from directory.models import Place
from directory.queries import address_of_place
from events.models import Event

SCHEMA = "https://schema.org/"
STATUSES = {
    Event.Status.DRAFT: "EventScheduled",
    Event.Status.PUBLISHED: "EventScheduled",
    Event.Status.CANCELLED: "EventCancelled",
}


def _attendance_mode(event: Event) -> str:
    if event.venue and event.online_url:
        return "MixedEventAttendanceMode"
    if event.online_url:
        return "OnlineEventAttendanceMode"
    return "OfflineEventAttendanceMode"


# The city's address comes from reference data that changes only with a KATOTTG
# update: read once per language for a few minutes, not with two queries (a fifth
# of an event page's time) on every view.
HOME_ADDRESS_CACHE_SECONDS = 300


def _home_address() -> dict:
    """Country, locality and region of the deployment's city (MIST_CITY_KATOTTG)."""
    code = settings.MIST_CITY_KATOTTG
    key = f"events:home-address:{code}:{active_language()}"
    names = cache.get_or_set(key, lambda: _city_names(code), HOME_ADDRESS_CACHE_SECONDS)
    return {"addressCountry": settings.MIST_HOME_COUNTRY, **names}


def _city_names(code: str) -> dict:
    names = {}
    places = address_of_place(Place.objects.filter(code=code).first())
    if places.locality:
        names["addressLocality"] = str(places.locality.name)
    if places.region and places.region != places.locality:
        names["addressRegion"] = str(places.region.name)
    return names


def _locations(event: Event) -> list[dict]:
    locations = []
    if event.venue:
        venue = str(event.venue)
        address = {"@type": "PostalAddress", "streetAddress": venue}
        # An event in the deployment's own zone takes place in its city: the venue
        # is free text, the city and region come from the settings.
        if event.time_zone == settings.TIME_ZONE:
            address |= _home_address()
        locations.append({"@type": "Place", "name": venue, "address": address})
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
    return locations


def _organizer(event: Event, absolute) -> dict:
    organization = event.organizer
    data = {"@type": "Organization", "name": str(organization)}
    if organization.is_public:
        data["url"] = absolute(organization.get_absolute_url())
    elif organization.website:
        data["url"] = organization.website
    return data


def event_jsonld(event: Event, *, absolute, places_left: int | None) -> dict:
    """The Event block for `event`'s page; `absolute` makes a path a full URL
    (request.build_absolute_uri)."""
    zone = event.zone
    page_url = absolute(event.get_absolute_url())
    language = get_language()
    data = {
        "@context": jsonld.CONTEXT,
        "@type": "Event",
        "@id": page_url + "#event",
        "url": page_url,
        "inLanguage": language,
        "name": str(event.title),
        "startDate": event.starts_at.astimezone(zone).isoformat(),
        "endDate": event.ends_at.astimezone(zone).isoformat(),
        "eventStatus": SCHEMA + STATUSES[event.status],
        "eventAttendanceMode": SCHEMA + _attendance_mode(event),
        "organizer": _organizer(event, absolute),
        "isAccessibleForFree": True,
    }
    description = str(event.description)
    if description:
        data["description"] = description
    locations = _locations(event)
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    if event.status != Event.Status.CANCELLED:
        sold_out = places_left == 0
        data["offers"] = {
            "@type": "Offer",
            "url": page_url + "#registration-heading",
            "availability": SCHEMA + ("SoldOut" if sold_out else "InStock"),
            "validFrom": event.created_at.astimezone(zone).isoformat(),
            "validThrough": event.starts_at.astimezone(zone).isoformat(),
        }
        if event.capacity is not None:
            data["maximumAttendeeCapacity"] = event.capacity
        if places_left is not None:
            data["remainingAttendeeCapacity"] = places_left
    return data
