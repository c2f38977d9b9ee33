"""System checks of the investments app (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register

PLACEHOLDER_PREFIX = "oc4ids-xxxxxx"


@register(deploy=True)
def check_oc4ids_prefix(app_configs=None, **kwargs) -> list:
    """The OC4IDS project id prefix must be the publisher's registered one in
    production: ids published under the placeholder cannot be told apart from
    anyone else's."""
    prefix = getattr(settings, "MIST_OC4IDS_PREFIX", "") or PLACEHOLDER_PREFIX
    if prefix != PLACEHOLDER_PREFIX:
        return []
    return [
        CheckWarning(
            "MIST_OC4IDS_PREFIX is still the placeholder oc4ids-xxxxxx.",
            hint=(
                "Register the publisher with OC4IDS and set MIST_OC4IDS_PREFIX to "
                "the issued prefix (oc4ids-<6 characters>) before publishing open "
                "data; see docs/oc4ids.md."
            ),
            id="investments.W001",
        )
    ]
