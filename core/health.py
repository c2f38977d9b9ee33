"""Liveness and readiness for load balancers and orchestrators.

`/healthz` answers as long as the process serves requests (no database, nothing
shared). `/readyz` checks what a request needs: the database, the cache, the broker
(when tasks go to Celery) and that every migration is applied. Both are public, so
the body names the checks and their status only; the reason of a failure goes to the
log, never to the response.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Once every migration is applied, this process keeps knowing it: a deploy that adds
# migrations starts new processes, and the check reads the migration graph (slow).
_migrations_applied = False


def check_database(connection) -> None:
    """Raise unless `connection` answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache(cache) -> None:
    """Raise unless `cache` stores and returns a value."""
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return the value just stored")
    cache.delete(key)


def check_broker(url: str, *, timeout: float = 2.0) -> None:
    """Raise unless the message broker at `url` accepts a connection."""
    from kombu import Connection

    with Connection(url, connect_timeout=timeout) as broker:
        broker.ensure_connection(max_retries=0, timeout=timeout)


def check_migrations(connection) -> None:
    """Raise while a migration is not applied to `connection`'s database."""
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} migration(s) not applied: {names}")
    _migrations_applied = True


def readiness_checks() -> dict:
    """The checks `/readyz` runs, by name: callables that raise on failure."""
    checks = {
        "database": lambda: check_database(connections["default"]),
        "cache": lambda: check_cache(caches["default"]),
    }
    if settings.TASKS_MODE == "celery":
        checks["broker"] = lambda: check_broker(settings.CELERY_BROKER_URL)
    checks["migrations"] = lambda: check_migrations(connections["default"])
    return checks


def run_checks(checks: dict) -> tuple[bool, dict]:
    """Run each check, timing it; log the reason of each failure."""
    results, healthy = {}, True
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception:
            healthy = False
            status = "fail"
            logger.warning("Readiness check %s failed", name, exc_info=True)
        else:
            status = "ok"
        elapsed = (time.perf_counter() - started) * 1000
        results[name] = {"status": status, "ms": round(elapsed, 1)}
    return healthy, results


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Public; touches nothing shared."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when every check passes, 503 otherwise. Public."""
    healthy, results = run_checks(readiness_checks())
    body = {"status": "ok" if healthy else "fail", "checks": results}
    return JsonResponse(body, status=200 if healthy else 503)
