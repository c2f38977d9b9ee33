"""The shared cache of anonymous visitors' pages (core.pagecache): served to anonymous
visitors only, fresh after any write, a fresh request id and CSP nonce on every hit."""

import re
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.importing.bulk import insert_instances
from core.pagecache import VERSION_KEY
from directory.models import Organization
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, OrganizationFactory
from tests.investments.factories import ProjectFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/uk/directory/"


def detail(organization, language="uk"):
    return f"/{language}/directory/o/{organization.slug}/"


def queries_of(client, path, **headers):
    """The response to `path` and how many queries it made (0: a cache hit)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    return response, len(queries)


def nonce_of(response):
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_public_pages_are_stored_and_write_nothing(client, organization):
    """The main public pages and API lists set no cookie (so they can be stored),
    write nothing that would make every page stale, and come back from the cache."""
    event = EventFactory(organizer=organization)
    project = ProjectFactory()
    paths = (
        "/uk/",
        DIRECTORY,
        detail(organization),
        "/uk/investments/",
        f"/uk/investments/projects/{project.slug}/",
        "/uk/events/",
        f"/uk/events/e/{event.slug}/",
        "/api/v1/organizations/",
        "/api/v1/investment-projects/",
        "/api/v1/events/",
    )
    client.get("/uk/")
    version = cache.get(VERSION_KEY)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, path
    assert cache.get(VERSION_KEY) == version
    for path in paths:
        assert queries_of(client, path)[1] == 0, path


def test_a_hit_makes_no_queries_and_answers_the_same_page(
    client, organization, django_assert_num_queries
):
    first, queries = queries_of(client, DIRECTORY)
    assert queries > 0
    with django_assert_num_queries(0):
        second = client.get(DIRECTORY)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert organization.name_uk in second.content.decode()


def test_head_is_answered_from_the_page_a_get_stored(client, organization):
    client.get(DIRECTORY)
    with CaptureQueriesContext(connection) as queries:
        response = client.head(DIRECTORY)
    assert response.status_code == 200
    assert len(queries) == 0


# --- Never stale after a write -------------------------------------------------------


def test_an_orm_save_shows_on_the_next_request(client, organization):
    client.get(detail(organization))
    organization.name_uk = "Нова назва"
    organization.save()
    response, queries = queries_of(client, detail(organization))
    assert queries > 0
    assert "Нова назва" in response.content.decode()


def test_a_queryset_update_shows_on_the_next_request(client, organization):
    client.get(DIRECTORY)
    Organization.objects.filter(pk=organization.pk).update(name_uk="Оновлена назва")
    assert "Оновлена назва" in client.get(DIRECTORY).content.decode()


def test_bulk_create_and_delete_show_on_the_next_request(client, organization):
    client.get(DIRECTORY)
    [added] = Organization.objects.bulk_create(
        [OrganizationFactory.build(name_uk="Щойно додана")]
    )
    assert "Щойно додана" in client.get(DIRECTORY).content.decode()
    added.delete()
    assert "Щойно додана" not in client.get(DIRECTORY).content.decode()


def test_raw_sql_bumps_the_version_and_bookkeeping_tables_do_not(organization):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        version = cache.get(VERSION_KEY)
        cursor.execute("DELETE FROM django_session")
        assert cache.get(VERSION_KEY) == version
        cursor.execute(
            "UPDATE directory_organization SET name_en = %s WHERE id = %s",
            ["Raw", organization.pk],
        )
    assert cache.get(VERSION_KEY) != version


def test_an_import_bulk_insert_shows_on_the_next_request(client, organization):
    """Imports store rows through COPY on PostgreSQL, around the execute wrappers."""
    client.get(DIRECTORY)
    insert_instances(
        Organization,
        [OrganizationFactory.build(name_uk="Імпортована")],
        now=timezone.now(),
    )
    assert "Імпортована" in client.get(DIRECTORY).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_counts_when_it_commits(client):
    organization = OrganizationFactory()
    client.get(detail(organization))
    before = cache.get(VERSION_KEY)
    seen_after_commit = []
    with transaction.atomic():
        organization.name_uk = "Після коміту"
        organization.save()
        Organization.objects.filter(pk=organization.pk).update(name_en="After commit")
        # Other processes still read the old row: bumping now would let them store
        # the old page under the new version.
        assert cache.get(VERSION_KEY) == before
        # An on_commit callback registered after the write runs after the bump.
        transaction.on_commit(
            lambda: seen_after_commit.append(
                client.get(detail(organization)).content.decode()
            )
        )
    # Bumped once the transaction committed (the save's own on_commit tasks may
    # write and bump again).
    assert cache.get(VERSION_KEY) != before
    assert "Після коміту" in seen_after_commit[0]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_bumps_nothing_and_the_next_transaction_does(client):
    organization = OrganizationFactory()
    client.get(detail(organization))
    before = cache.get(VERSION_KEY)

    def write_then_fail():
        with transaction.atomic():
            Organization.objects.filter(pk=organization.pk).update(name_uk="Відкочена")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert cache.get(VERSION_KEY) == before
    with transaction.atomic(), connection.cursor() as cursor:
        for name in ("Перша", "Збережена"):  # raw SQL: no signals, no tasks
            cursor.execute(
                "UPDATE directory_organization SET name_uk = %s WHERE id = %s",
                [name, organization.pk],
            )
    assert cache.get(VERSION_KEY) == before + 1  # once per transaction
    assert "Збережена" in client.get(detail(organization)).content.decode()


def test_a_lost_version_never_meets_an_old_entry_again(client, organization):
    client.get(DIRECTORY)
    cache.delete(VERSION_KEY)
    _response, queries = queries_of(client, DIRECTORY)
    assert queries > 0


# --- Kept apart -------------------------------------------------------------------


def test_languages_are_kept_apart(client, organization):
    for language in ("uk", "en", "uk", "en"):
        response = client.get(detail(organization, language))
        assert response["Content-Language"] == language
    api = "/api/v1/organizations/"
    for language in ("uk", "en", "uk", "en"):
        response = client.get(api, headers={"accept-language": language})
        assert response["Content-Language"] == language


def test_api_json_and_other_representations_are_kept_apart(client, organization):
    api = "/api/v1/organizations/"
    assert client.get(api, headers={"accept": "application/json"}).status_code == 200
    # The API renders JSON only: an HTML client is told 406, not served the JSON.
    assert client.get(api, headers={"accept": "text/html"}).status_code == 406
    assert client.get(api + "?format=json").status_code == 200
    assert client.get(api + "?format=api").status_code == 404


def test_an_htmx_request_neither_gets_nor_stores_the_full_page(client, organization):
    client.get(DIRECTORY)
    htmx, queries = queries_of(client, DIRECTORY + "?q=x", hx_request="true")
    assert queries > 0
    full = client.get(DIRECTORY + "?q=x")
    assert b"<html" in full.content
    assert htmx.content != full.content
    _response, queries = queries_of(client, DIRECTORY, hx_request="true")
    assert queries > 0


# --- Private data never leaks --------------------------------------------------------


def test_signed_in_visitors_are_never_served_nor_stored(client, organization, editor):
    client.get(DIRECTORY)  # stored for anonymous visitors
    client.force_login(editor)
    signed_in, queries = queries_of(client, DIRECTORY)
    assert queries > 0
    assert "Sign out" in signed_in.content.decode() or "Вийти" in (
        signed_in.content.decode()
    )
    cache.clear()
    client.get(DIRECTORY)  # signed in: not stored
    client.logout()
    anonymous, queries = queries_of(client, DIRECTORY)
    assert queries > 0
    assert editor.email not in anonymous.content.decode()


def test_a_private_organization_is_not_stored_for_anyone(client, editor):
    private = MembershipFactory(
        user=editor,
        organization=OrganizationFactory(visibility=Organization.Visibility.MEMBERS),
    ).organization
    client.force_login(editor)
    assert client.get(detail(private)).status_code == 200
    client.logout()
    assert client.get(detail(private)).status_code == 404
    response, queries = queries_of(client, detail(private))
    assert response.status_code == 404
    assert queries > 0  # a 404 is not stored either


def test_the_api_test_clients_forced_sign_in_is_not_anonymous(editor):
    """APIClient.force_authenticate signs in without a cookie or header."""
    OrganizationFactory(slug="members-only", visibility=Organization.Visibility.MEMBERS)
    api = "/api/v1/organizations/"
    signed_in = APIClient()
    signed_in.force_authenticate(editor)
    assert "members-only" in signed_in.get(api).content.decode()
    assert "members-only" not in APIClient().get(api).content.decode()
    assert "members-only" in signed_in.get(api).content.decode()


def test_a_request_with_a_session_or_unknown_cookie_bypasses(client, organization):
    client.get(DIRECTORY)
    for cookie in ("sessionid=whatever", "tracker=1", "csrftoken=x; other=1"):
        _response, queries = queries_of(client, DIRECTORY, cookie=cookie)
        assert queries > 0, cookie
    client.cookies.clear()
    # The CSRF cookie alone says nothing about the visitor.
    _response, queries = queries_of(client, DIRECTORY, cookie="csrftoken=abc")
    assert queries == 0


def test_a_page_that_sets_a_cookie_is_not_stored(client):
    login = "/uk/accounts/login/"
    first = client.get(login)
    assert first.status_code == 200
    assert "csrftoken" in first.cookies
    client.cookies.clear()
    second = client.get(login)
    # Served from the cache it would not set the cookie its form needs.
    assert "csrftoken" in second.cookies


def test_an_authorization_header_bypasses(client, organization):
    client.get("/api/v1/organizations/")
    response, queries = queries_of(
        client, "/api/v1/organizations/", authorization="Token not-a-token"
    )
    assert response.status_code == 401
    assert queries > 0


# --- Fresh on every hit -----------------------------------------------------------


def test_every_hit_gets_a_fresh_csp_nonce_in_header_and_body(client, organization):
    nonces = set()
    for _ in range(3):
        response = client.get(detail(organization))
        nonce = nonce_of(response)
        body = response.content.decode()
        assert f'nonce="{nonce}"' in body
        assert not nonces & set(re.findall(r'nonce="([^"]+)"', body))
        nonces.add(nonce)
    assert len(nonces) == 3


def test_every_hit_gets_its_own_request_id(client, organization):
    first = client.get(DIRECTORY)
    second = client.get(DIRECTORY)
    third = client.get(DIRECTORY, headers={"x-request-id": "from-the-proxy"})
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert third["X-Request-ID"] == "from-the-proxy"
    assert second["X-Frame-Options"] == "DENY"


def test_a_hit_is_counted_by_prometheus_under_its_view(client, organization):
    from prometheus_client import REGISTRY

    labels = {"status": "200", "view": "directory:organization-list", "method": "GET"}
    name = "django_http_responses_total_by_status_view_method_total"
    client.get(DIRECTORY)
    before = REGISTRY.get_sample_value(name, labels)
    _response, queries = queries_of(client, DIRECTORY)
    assert queries == 0
    assert REGISTRY.get_sample_value(name, labels) == before + 1


# --- Settings ------------------------------------------------------------------------


def test_entries_expire_after_the_setting(client, organization, settings):
    settings.MIST_PAGE_CACHE_SECONDS = 1
    client.get(DIRECTORY)
    assert queries_of(client, DIRECTORY)[1] == 0
    time.sleep(1.1)
    assert queries_of(client, DIRECTORY)[1] > 0


def test_zero_seconds_turns_the_cache_off(client, organization, settings):
    settings.MIST_PAGE_CACHE_SECONDS = 0
    client.get(DIRECTORY)
    assert queries_of(client, DIRECTORY)[1] > 0
