"""Time zones as people name them."""

from django.conf import settings


def zone_city(name: str) -> str:
    """A readable place for an IANA zone ("America/Denver" → "Albuquerque"),
    translated where known, else the zone's last part ("Asia/Tbilisi" → "Tbilisi")."""
    place = settings.MIST_ZONE_PLACES.get(name)
    if place:
        return str(place)
    return name.rsplit("/", 1)[-1].replace("_", " ")
