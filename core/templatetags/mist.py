"""Template helpers shared by every app."""

import functools
import json

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader_tags import BlockNode
from django.urls import (
    NoReverseMatch,
    get_script_prefix,
    get_urlconf,
    reverse,
    translate_url,
)
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
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


#: One link of the language switch (base.html), the active language marked.
SWITCH_LINK = (
    '\n              <a class="nav-link d-inline-block{active}" href="{url}" '
    'hreflang="{code}" lang="{code}"{current}>{label}</a>\n            '
)


@register.simple_tag(takes_context=True)
def language_switch(context) -> str:
    """The language switch's links: `language_links` written out in Python (every
    page shows it, and a template loop costs several times more)."""
    active = get_language()
    return mark_safe(
        "".join(
            SWITCH_LINK.format(
                active=" active" if link["code"] == active else "",
                url=conditional_escape(link["url"]),
                code=conditional_escape(link["code"]),
                current=' aria-current="true"' if link["code"] == active else "",
                label=conditional_escape(link["code"].upper()),
            )
            for link in language_links(context)
        )
    )


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


class FragmentNode(template.Node):
    """`{% fragment "name" %}…{% endfragment %}`: the enclosed template, rendered
    once per process for each language, page (app and URL name), signed-in state
    and set of menu entries (`core.context_processors.Menu.facts`), then reused.

    For base.html's header and footer: dozens of translations, links and
    conditions every page would otherwise render again. What is enclosed must
    read nothing else: no person's data (names, counts), no CSRF token, no query
    string, no block a child template may fill. Reversed links and translations
    depend only on the code, so a per-process store is right (and needs no cache
    round trip); it empties when a setting changes (tests) and is off with DEBUG,
    so edited templates show at once."""

    # `{% extends %}` looks for blocks through the whole parent on every render; a
    # fragment holds none (checked when parsed), so the search skips it.
    child_nodelists = ()

    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None or settings.DEBUG:
            return self.nodelist.render(context)
        key = (self.name, get_language(), *_page_facts(request, context))
        html = _fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_fragments) >= FRAGMENTS_HELD:
                _fragments.clear()
            _fragments[key] = html
        return html


def _page_facts(request, context) -> tuple:
    """What a fragment varies by besides its name and the language, worked out
    once per request."""
    facts = getattr(request, "_fragment_facts", None)
    if facts is None:
        user = context.get("user")
        menu = context.get("menu")
        match = request.resolver_match
        facts = (
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            (match.app_name, match.url_name) if match else None,
            bool(user and user.is_authenticated),
            menu.facts() if menu is not None else None,
        )
        request._fragment_facts = facts
    return facts


#: Rendered fragments by key; a bound on how many (pages x languages x roles).
_fragments: dict[tuple, str] = {}
FRAGMENTS_HELD = 4096


@receiver(setting_changed)
def _forget_fragments(**kwargs) -> None:
    _fragments.clear()


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes one name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("a {% fragment %} cannot hold a block")
    return FragmentNode(bits[1].strip("\"'"), nodelist)


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
