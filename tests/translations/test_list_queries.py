"""Machine translations are read from the listed rows themselves: a list page with
machine-translated rows costs the same queries for one row and for three, and
shows the mark on every row."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from core.translation import text_hash
from tests.factories import OrganizationFactory, UserFactory
from tests.investments.factories import ProjectFactory
from tests.matching.factories import NeedOfferFactory
from tests.talent.factories import RoleFactory

MARK = "machine translation — original in Ukrainian"


def _machine(obj, *fields):
    """Empty the English of `fields` and store a current machine translation."""
    store = {}
    for field in fields:
        source = getattr(obj, f"{field}_uk")
        store[f"{field}_en"] = {
            "text": f"[en] {source}",
            "source": "uk",
            "hash": text_hash(source),
            "engine": "libretranslate",
            "at": "2026-12-04T20:00:00+00:00",
        }
    type(obj).objects.filter(pk=obj.pk).update(
        machine_translations=store, **{f"{field}_en": "" for field in fields}
    )


CASES = {
    "directory:organization-list": lambda n: _machine(
        OrganizationFactory(description_uk=f"Опис організації {n}."), "description"
    ),
    "investments:project-list": lambda n: _machine(ProjectFactory(), "title"),
    "matching:needoffer-list": lambda n: _machine(NeedOfferFactory(), "title"),
    "talent:role-list": lambda n: _machine(RoleFactory(), "title", "description"),
}


def _read(client, url_name):
    cache.clear()
    url = reverse(url_name).replace("/uk/", "/en/", 1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return len(queries), response.content.decode().count(MARK)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(CASES))
def test_machine_translated_rows_cost_no_query_each(
    client, settings, url_name, libretranslate
):
    client.force_login(UserFactory(role=Role.STAFF))
    add = CASES[url_name]
    add(0)
    _read(client, url_name)  # warm the per-process caches
    one, marks_one = _read(client, url_name)
    add(1)
    add(2)

    three, marks_three = _read(client, url_name)

    assert marks_one >= 1
    assert marks_three == 3 * marks_one
    assert three == one
    assert libretranslate.requests == []  # reading never asks the engine
