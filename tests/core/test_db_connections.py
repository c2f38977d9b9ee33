"""Persistent PostgreSQL connections survive the database ending them.

A restarted (or failed-over) database ends every open connection. With CONN_MAX_AGE a
web process keeps its connection between requests; CONN_HEALTH_CHECKS makes the next
request notice that the connection is dead and open a new one instead of failing. The
test ends the backend of the process's connection with pg_terminate_backend (what a
restart does to it) and sends the next request through the real WSGI handler, whose
request signals run the checks (the test client switches them off).
"""

import select

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import RequestFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="terminates a PostgreSQL backend: run with DATABASE_URL=postgres…",
    ),
    pytest.mark.django_db(transaction=True),
]


def wsgi_get(path: str) -> int:
    """GET `path` as an application server would; return the status code."""
    environ = RequestFactory().get(path).environ
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    try:
        b"".join(response)
    finally:
        response.close()  # request_finished: what a server does after each response
    return int(statuses[0].split()[0])


def terminate_backend(pid: int) -> None:
    """End the server process behind another connection, as a restart would."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()
    # The server's goodbye reaches the kept connection before the next request, as
    # after a restart (core.postgresql's check reads the socket, asks no query).
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    assert poller.poll(5000), "the server did not end the connection"


@pytest.fixture
def persistent(request, settings, rendered_pages):
    """The default connection as in production: kept 60 s, checked per request;
    every request reaches the database (none answered from the page cache)."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}

    def configure(*, health_checks: bool):
        connection.close()
        settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=health_checks)

    yield configure
    connection.close()
    settings_dict.update(saved)


def backend_pid() -> int:
    assert connection.connection is not None, "the connection was not kept"
    return connection.connection.info.backend_pid


def test_a_request_after_the_database_ended_the_connection_succeeds(persistent):
    persistent(health_checks=True)
    assert wsgi_get("/uk/") == 200
    killed = backend_pid()

    terminate_backend(killed)

    assert wsgi_get("/uk/") == 200
    assert backend_pid() != killed
    assert wsgi_get("/uk/") == 200


def test_without_health_checks_the_first_request_after_fails(persistent):
    """The failure the health checks prevent: proves the test above exercises it."""
    persistent(health_checks=False)
    assert wsgi_get("/uk/") == 200
    terminate_backend(backend_pid())

    assert wsgi_get("/uk/") == 500
    assert wsgi_get("/uk/") == 200  # the broken connection was dropped after the error


def test_a_healthy_kept_connection_is_reused_without_asking_the_server(
    persistent, monkeypatch
):
    """core.postgresql: the check reads the idle socket; `SELECT 1` (is_usable) only
    when the server has said something."""
    persistent(health_checks=True)
    assert wsgi_get("/uk/") == 200
    kept = backend_pid()
    asked = []
    is_usable = connection.is_usable
    monkeypatch.setattr(connection, "is_usable", lambda: asked.append(1) or is_usable())

    assert wsgi_get("/uk/") == 200
    assert backend_pid() == kept
    assert asked == []

    terminate_backend(kept)
    assert wsgi_get("/uk/") == 200
    assert asked == [1]
