"""base.html's header and footer are rendered once per language, page, signed-in
state and menu role facts (`{% fragment %}`), then reused: what one person sees is
never shown to another with other facts, and a reused fragment equals a fresh one."""

import re

import pytest
from django.template import Template, TemplateSyntaxError
from django.urls import reverse

from accounts import two_factor
from accounts.models import Role
from core.templatetags import mist
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CSRF = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


@pytest.fixture(autouse=True)
def _no_fragments():
    mist._fragments.clear()
    yield
    mist._fragments.clear()


def _signed_in(client, role):
    user = UserFactory(role=role)
    client.force_login(user)
    session = client.session
    session[two_factor.VERIFIED_KEY] = user.pk  # a finished sign-in
    session.save()
    return user


def _menu(html: bytes) -> bytes:
    return html.split(b"<main", 1)[0]


def test_menu_entries_follow_each_viewers_role(client):
    url = "/en/events/"

    _signed_in(client, Role.STAFF)
    staff = client.get(url).content
    _signed_in(client, Role.EDITOR)
    editor = client.get(url).content
    client.logout()
    anonymous = client.get(url).content

    assert b"Review dashboard" in _menu(staff)
    assert b"Review dashboard" not in _menu(editor)
    assert b"My account" in _menu(editor)
    assert b"My account" not in _menu(anonymous)
    assert b"Sign in" in _menu(anonymous)
    assert b"Sign in" not in _menu(editor)


def test_current_page_and_language_follow_the_request(client):
    _signed_in(client, Role.EDITOR)

    events = client.get("/en/events/").content
    directory = client.get("/en/directory/").content
    ukrainian = client.get("/uk/events/").content

    assert b'href="/en/events/" aria-current="page"' in events
    assert b'href="/en/events/" aria-current="page"' not in directory
    assert b'href="/en/directory/" aria-current="page"' in directory
    assert b'href="/uk/events/" aria-current="page"' in ukrainian
    assert b"My account" not in _menu(ukrainian)  # in Ukrainian


def test_a_held_fragment_equals_a_fresh_render_and_keeps_the_csrf_token_live(
    client,
):
    _signed_in(client, Role.STAFF)
    url = reverse("core:home")

    fresh = client.get(url)
    held = client.get(url)

    assert mist._fragments  # the second page reused them
    assert CSRF.sub(b"", fresh.content) == CSRF.sub(b"", held.content)
    token = held.context["csrf_token"]
    assert f'name="csrfmiddlewaretoken" value="{token}"'.encode() in held.content


def test_a_fragment_cannot_hold_a_block():
    with pytest.raises(TemplateSyntaxError):
        Template(
            "{% load mist %}{% fragment 'x' %}{% block a %}{% endblock %}"
            "{% endfragment %}"
        )
