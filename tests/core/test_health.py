"""/healthz and /readyz: each check's state, what the body reveals, what they cost."""

import json
import socket

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import ConnectionHandler

from core import health
from tests.conftest import ROLES


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_is_up() -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.fixture(autouse=True)
def _migrations_unchecked(monkeypatch):
    """Each test starts as a fresh process: migrations not yet known to be applied."""
    monkeypatch.setattr(health, "_migrations_applied", False)


@pytest.fixture
def unreachable_database(monkeypatch):
    """`default` points at a PostgreSQL port where nothing listens."""
    port = closed_port()
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "mist",
                "USER": "mist",
                "HOST": "127.0.0.1",
                "PORT": port,
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connections", handler)
    yield port
    handler.close_all()


def test_healthz_answers_without_the_database(client, unreachable_database):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readyz_is_ready_when_every_check_passes(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert list(body["checks"]) == ["database", "cache", "migrations"]
    assert {check["status"] for check in body["checks"].values()} == {"ok"}
    assert all(check["ms"] >= 0 for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_reads_the_migration_graph_once_per_process(
    client, django_assert_num_queries
):
    client.get("/readyz")

    with django_assert_num_queries(1):  # SELECT 1; the migrations stay known
        response = client.get("/readyz")

    assert response.status_code == 200


@pytest.mark.django_db
def test_readyz_fails_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "fail"
    assert body["checks"]["migrations"]["status"] == "fail"
    assert body["checks"]["cache"]["status"] == "ok"
    # Nothing beyond check names and timings: no host, port, or error text.
    text = response.content.decode()
    assert str(unreachable_database) not in text
    assert "127.0.0.1" not in text
    assert set(json.loads(text)["checks"]["database"]) == {"status", "ms"}


@pytest.mark.django_db
def test_check_database_raises_on_a_closed_port(unreachable_database):
    with pytest.raises(Exception, match=r"Connection refused|connection failed"):
        health.check_database(health.connections["default"])


@pytest.mark.django_db
def test_readyz_fails_when_the_cache_is_unreachable(client, settings):
    port = closed_port()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"]["status"] == "fail"
    assert checks["database"]["status"] == "ok"
    assert str(port) not in response.content.decode()


@pytest.mark.django_db
def test_readyz_fails_when_the_broker_is_unreachable(client, settings):
    port = closed_port()
    settings.TASKS_MODE = "celery"
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "fail"
    assert checks["database"]["status"] == "ok"
    assert str(port) not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_readyz_checks_a_reachable_broker_under_celery(client, settings):
    settings.TASKS_MODE = "celery"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["status"] == "ok"


@pytest.mark.django_db
def test_readyz_leaves_the_broker_out_without_celery(client, settings):
    settings.TASKS_MODE = "thread"
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    response = client.get("/readyz")

    assert response.status_code == 200
    assert "broker" not in response.json()["checks"]


@pytest.mark.django_db
def test_readyz_fails_while_a_migration_is_not_applied(client):
    # As after a deploy that brought a new migration: the newest one is not applied.
    MigrationRecorder.Migration.objects.filter(app="directory").latest("id").delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["migrations"]["status"] == "fail"
    assert checks["database"]["status"] == "ok"
    assert "directory" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
@pytest.mark.django_db
def test_health_endpoints_are_public_for_every_role(client, user_with_role, path, role):
    user = user_with_role(role)
    if user is not None:
        client.force_login(user)

    response = client.get(path)

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_refuse_writes(client, path):
    response = client.post(path)

    assert response.status_code == 405
