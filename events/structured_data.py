"""schema.org Event JSON-LD for an event's page: what Google's event rich results
require and recommend, in the page's language, times with the event zone's offset."""

from django.conf import settings
from django.utils.translation import get_language

from core import jsonld
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


def _home_address() -> dict:
    """Locality and region of the deployment's city (MIST_CITY_KATOTTG)."""
    address = {"addressCountry": settings.MIST_HOME_COUNTRY}
    city = Place.objects.filter(code=settings.MIST_CITY_KATOTTG).first()
    places = address_of_place(city)
    if places.locality:
        address["addressLocality"] = str(places.locality.name)
    if places.region and places.region != places.locality:
        address["addressRegion"] = str(places.region.name)
    return address


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
