"""Template helpers shared by every app."""

import functools
import json

from django import template
from django.conf import settings
from django.urls import (
    NoReverseMatch,
    get_script_prefix,
    get_urlconf,
    reverse,
    translate_url,
)
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language

from core.translation import translated

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language, for the language switch."""
    request = context["request"]
    return [
        {"code": code, "name": name, "url": _page_in_language(request, code)}
        for code, name in settings.LANGUAGES
    ]


def _page_in_language(request, code: str) -> str:
    """The page's address in `code`: reversed from the view it resolved to (no
    second resolve), else translate_url's answer."""
    match = request.resolver_match
    if match is None or not match.view_name:
        return translate_url(request.get_full_path(), code)
    try:
        kwargs = tuple(sorted(match.kwargs.items()))
        url = _reversed_in(
            match.view_name,
            tuple(match.args),
            kwargs,
            code,
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
        )
    except NoReverseMatch:
        return translate_url(request.get_full_path(), code)
    except TypeError:  # an argument that is not hashable: reverse it every time
        with translation.override(code):
            try:
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return translate_url(request.get_full_path(), code)
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))
    return f"{url}?{query}" if query else url


@functools.lru_cache(maxsize=2048)
def _reversed_in(view_name, args, kwargs, code, script_prefix, urlconf) -> str:
    """A page's address in language `code`, reversed once per page and language
    (the language switch asks it on every page); what reverse() depends on besides
    its arguments is the cache key, as for page_url."""
    with translation.override(code):
        return reverse(view_name, args=args, kwargs=dict(kwargs), urlconf=urlconf)


@register.simple_tag
def page_url(name: str) -> str:
    """`{% page_url 'app:page' %}`: a page without arguments, like `{% url %}`, but
    reversed once per language: the header links them on every page."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(name, get_language(), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=512)
def _reversed(name: str, language: str, script_prefix: str, urlconf) -> str:
    # What reverse() depends on besides the name is the cache key.
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def map_center() -> str:
    """The city's point on maps (setting MIST_MAP_CENTER) as "lat,lng" for scripts."""
    return ",".join(str(degrees) for degrees in settings.MIST_MAP_CENTER)


@register.simple_tag
def zone_places() -> str:
    """The known zones' place names in the active language, as JSON for scripts
    that name the browser's own zone the way the server names it."""
    places = settings.MIST_ZONE_PLACES
    return json.dumps({zone: str(place) for zone, place in places.items()})


@register.filter
def tr(obj, field):
    """`{{ org|tr:"description" }}`: the field in the active language, with fallback."""
    return translated(obj, field)
