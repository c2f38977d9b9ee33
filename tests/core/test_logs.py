"""Structured logs: one JSON object per line, each with the request's id."""

import io
import json
import logging

import pytest

from core.logs import ContextFilter, JsonFormatter, clean_request_id


@pytest.fixture
def log_lines():
    """What the configured console handler (LOGGING) writes, as a list of lines."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, JsonFormatter)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


def test_a_request_logs_json_with_the_id_of_its_response(client, log_lines):
    response = client.get("/healthz")

    request_id = response["X-Request-ID"]
    entries = [json.loads(line) for line in log_lines()]
    [entry] = [e for e in entries if e["logger"] == "mist.request"]
    assert entry["request_id"] == request_id
    assert len(request_id) == 32
    assert entry["level"] == "INFO"
    assert entry["message"] == "GET /healthz 200"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert entry["duration_ms"] >= 0


def test_the_proxys_request_id_is_kept(client, log_lines):
    response = client.get("/healthz", headers={"X-Request-ID": "edge-42.a:b_c"})

    assert response["X-Request-ID"] == "edge-42.a:b_c"
    assert json.loads(log_lines()[-1])["request_id"] == "edge-42.a:b_c"


@pytest.mark.parametrize(
    "given", ["", "a" * 65, "bad id", "x\ny", "<script>", "é", "id;drop"]
)
def test_an_unsafe_request_id_is_replaced(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})

    assert response["X-Request-ID"] != given
    assert len(response["X-Request-ID"]) == 32


def test_clean_request_id_keeps_a_safe_id():
    assert clean_request_id("a" * 64) == "a" * 64


@pytest.mark.django_db
def test_lines_logged_after_the_middleware_carry_the_request_id(client, log_lines):
    """Django logs a 503 after the middleware chain returned."""
    from django.db.migrations.recorder import MigrationRecorder

    from core import health

    health._migrations_applied = False
    MigrationRecorder.Migration.objects.filter(app="directory").latest("id").delete()

    response = client.get("/readyz")

    entries = [json.loads(line) for line in log_lines()]
    by_logger = {e["logger"]: e for e in entries}
    assert response.status_code == 503
    assert by_logger["core.health"]["message"] == "Readiness check migrations failed"
    assert "not applied" in by_logger["core.health"]["exception"]
    assert by_logger["django.request"]["message"] == "Service Unavailable: /readyz"
    for logger_name in ("core.health", "django.request", "mist.request"):
        assert by_logger[logger_name]["request_id"] == response["X-Request-ID"]


def test_json_formatter_keeps_extras_and_exceptions():
    record = logging.makeLogRecord(
        {"name": "x", "levelname": "ERROR", "msg": "failed %s", "args": ("once",)}
    )
    record.batch = 7
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    ContextFilter().filter(record)

    entry = json.loads(JsonFormatter().format(record))

    assert entry["message"] == "failed once"
    assert entry["batch"] == 7
    assert entry["request_id"] is None
    assert entry["task_id"] is None
    assert entry["exception"].endswith("ValueError: boom")


@pytest.mark.django_db
def test_a_task_logs_with_its_task_id(log_lines):
    from events.tasks import send_due_reminders_task

    result = send_due_reminders_task.apply(task_id="task-abc-123")
    logging.getLogger("events").warning("outside the task")

    entries = [json.loads(line) for line in log_lines()]
    traced = [e for e in entries if e["task_id"] == "task-abc-123"]
    assert result.successful()
    assert traced, entries
    assert entries[-1]["task_id"] is None
