"""`{% static_if_present "path" as url %}`: the static file's URL, or "" when the
static files storage cannot name it (a manifest without that entry, after a
`collectstatic` run without the front-end assets). Only the error pages use it: they
must render whatever state the static files are in."""

import logging

from django import template
from django.templatetags.static import static

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def static_if_present(path: str) -> str:
    try:
        return static(path)
    except ValueError:
        logger.warning("Static file %s is missing from the manifest", path)
        return ""
