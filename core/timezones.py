"""Time zones as people name them."""

from django.utils.translation import gettext_lazy as _

# The places our users know each zone by. America/Denver is the zone of
# Albuquerque, Kharkiv's sister city, and America/Los_Angeles of Silicon Valley:
# the platform's partners abroad.
ZONE_PLACES = {
    "Europe/Kyiv": _("Kyiv"),
    "Europe/Kiev": _("Kyiv"),
    "America/Denver": _("Albuquerque"),
    "America/Los_Angeles": _("Silicon Valley"),
    "America/New_York": _("New York"),
    "America/Chicago": _("Chicago"),
    "Europe/London": _("London"),
    "Europe/Berlin": _("Berlin"),
    "Europe/Warsaw": _("Warsaw"),
    "UTC": "UTC",
}


def zone_city(name: str) -> str:
    """A readable place for an IANA zone ("America/Denver" → "Albuquerque"),
    translated where known, else the zone's last part ("Asia/Tbilisi" → "Tbilisi")."""
    place = ZONE_PLACES.get(name)
    if place:
        return str(place)
    return name.rsplit("/", 1)[-1].replace("_", " ")
