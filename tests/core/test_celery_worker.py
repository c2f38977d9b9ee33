"""Production-sized background work: a real Celery worker, Redis as the broker.

The worker is a separate process, so it must share the test database: this runs on
PostgreSQL only (SQLite's test database lives in this process's memory).
"""

import ast
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from config.celery import app as celery_app
from directory import importing
from directory.models import ImportBatch
from tests.imports.conftest import company_row, csv_bytes

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker process needs a shared database: run with DATABASE_URL=postgres…",
)


def _redis_is_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def celery_worker_process(settings):
    if not _redis_is_up():
        pytest.fail(f"Redis is not reachable at {BROKER}")
    database = connection.settings_dict
    user, host = database["USER"] or "postgres", database["HOST"] or "127.0.0.1"
    url = f"postgres://{user}@{host}:{database['PORT'] or 5432}/{database['NAME']}"
    queue = f"test-{os.getpid()}"
    node = f"{queue}@{socket.gethostname()}"  # other test runs share the broker
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "TASKS_MODE": "celery",
        "CELERY_BROKER_URL": BROKER,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "SECURE_COOKIES": "false",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "--concurrency=1", "--without-gossip", "--without-mingle", "-Q", queue,
         "-n", node,
         "--loglevel=WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    settings.TASKS_MODE = "celery"
    changed = {
        "task_always_eager": False,
        "broker_url": BROKER,
        "task_default_queue": queue,
    }
    previous = {key: celery_app.conf[key] for key in changed}
    celery_app.conf.update(changed)
    worker.node = node
    try:
        yield worker
    finally:
        celery_app.conf.update(previous)
        worker.terminate()
        worker.communicate(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_import_dry_run_runs_on_a_celery_worker(celery_worker_process, staff):
    rows = [company_row(n) for n in range(1, 6)]
    upload = SimpleUploadedFile("partners.csv", csv_bytes(rows), "text/csv")

    batch = importing.create_import(uploaded_file=upload, user=staff)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status != ImportBatch.Status.CHECKING:
            break
        time.sleep(0.3)
    else:
        pytest.fail("the worker did not finish the dry run within 60 s")

    assert (batch.status, batch.total_rows, batch.rejected_count) == (
        ImportBatch.Status.CHECKED,
        5,
        0,
    )


def _task_decorator(node: ast.expr) -> ast.expr | None:
    """The decorator's call, if it makes a Celery task (`@shared_task`, `@app.task`,
    with or without arguments)."""
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Name) and target.id == "shared_task":
        return node
    if isinstance(target, ast.Attribute) and target.attr in ("task", "shared_task"):
        return node
    return None


def declared_tasks() -> dict[str, str]:
    """Every task declared in the project's code, found by reading the source:
    {task name: file}. Tests, benchmarks and installed packages are not ours."""
    skip = {".venv", "node_modules", "tests", "bench", "migrations", "var"}
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if skip & set(relative.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = ".".join(relative.with_suffix("").parts)
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if _task_decorator(decorator) is None:
                    continue
                name = f"{module}.{node.name}"
                for keyword in getattr(decorator, "keywords", []):
                    if keyword.arg == "name" and isinstance(
                        keyword.value, ast.Constant
                    ):
                        name = keyword.value.value
                found[name] = str(relative)
    return found


def test_the_source_scan_finds_the_tasks_of_every_kind():
    tasks = declared_tasks()

    assert tasks["investments.build_pitch_book"] == "investments/tasks.py"
    assert tasks["directory.check_import"] == "directory/tasks.py"
    assert len(tasks) >= 15


def test_a_real_worker_knows_every_task_in_the_code(celery_worker_process):
    declared = declared_tasks()
    inspector = celery_app.control.inspect(
        destination=[celery_worker_process.node], timeout=2
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = inspector.registered() or {}
        if replies:
            break
        time.sleep(0.5)
    else:
        pytest.fail("the worker did not answer `inspect registered` within 60 s")
    known = {
        name.split(" ")[0]  # "name [rate_limit=…]" when a task has options
        for names in replies.values()
        for name in names
    }

    missing = {name: path for name, path in declared.items() if name not in known}
    assert missing == {}
