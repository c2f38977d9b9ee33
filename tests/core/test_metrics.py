"""/metrics: for scrapers only; request and background-task figures."""

import os
import subprocess
import sys

import pytest
from prometheus_client import REGISTRY

from tests.accounts.test_deploy import BASE_DIR
from tests.conftest import ROLES

PUBLIC_ADDRESS = "203.0.113.5"


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_answer_a_scraper_on_loopback(client):
    client.get("/healthz")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert (
        'django_http_requests_latency_seconds_by_view_method_count{method="GET",'
        'view="healthz"}' in text
    )
    assert "# TYPE mist_celery_tasks_started_total counter" in text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_metrics_are_hidden_from_every_role_on_a_public_address(
    client, user_with_role, role
):
    user = user_with_role(role)
    if user is not None:
        client.force_login(user)

    response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS)

    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_metrics_refuse_a_request_forwarded_by_an_uncounted_proxy(client, settings):
    """Behind a proxy not in TRUSTED_PROXY_COUNT every visitor looks like loopback."""
    settings.TRUSTED_PROXY_COUNT = 0

    response = client.get("/metrics", headers={"X-Forwarded-For": PUBLIC_ADDRESS})

    assert response.status_code == 404


def test_metrics_use_the_address_the_trusted_proxy_saw(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]

    inside = client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
    outside = client.get("/metrics", headers={"X-Forwarded-For": PUBLIC_ADDRESS})
    spoofed = client.get(
        "/metrics", headers={"X-Forwarded-For": f"10.1.2.3, {PUBLIC_ADDRESS}"}
    )

    assert (inside.status_code, outside.status_code) == (200, 404)
    assert spoofed.status_code == 404


def test_metrics_answer_the_bearer_token_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-token"

    good = client.get(
        "/metrics",
        REMOTE_ADDR=PUBLIC_ADDRESS,
        headers={"Authorization": "Bearer s3cret-token"},
    )
    wrong = client.get(
        "/metrics",
        REMOTE_ADDR=PUBLIC_ADDRESS,
        headers={"Authorization": "Bearer s3cret-tokeN"},
    )
    basic = client.get(
        "/metrics",
        REMOTE_ADDR=PUBLIC_ADDRESS,
        headers={"Authorization": "Basic s3cret-token"},
    )

    assert good.status_code == 200
    assert (wrong.status_code, basic.status_code) == (404, 404)


def test_an_empty_token_opens_nothing(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get(
        "/metrics", REMOTE_ADDR=PUBLIC_ADDRESS, headers={"Authorization": "Bearer "}
    )

    assert response.status_code == 404


def test_metrics_allow_no_address_when_the_list_is_empty(client, settings):
    settings.METRICS_ALLOWED_IPS = []

    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
def test_task_runs_and_successes_are_counted():
    from events.tasks import send_due_reminders_task

    name = "events.send_due_reminders"
    before = {
        metric: sample(metric, task=name)
        for metric in (
            "mist_celery_tasks_started_total",
            "mist_celery_tasks_succeeded_total",
            "mist_celery_tasks_failed_total",
            "mist_celery_task_duration_seconds_count",
        )
    }

    send_due_reminders_task.apply(throw=True)

    assert sample("mist_celery_tasks_started_total", task=name) == (
        before["mist_celery_tasks_started_total"] + 1
    )
    assert sample("mist_celery_tasks_succeeded_total", task=name) == (
        before["mist_celery_tasks_succeeded_total"] + 1
    )
    assert (
        sample("mist_celery_tasks_failed_total", task=name)
        == (before["mist_celery_tasks_failed_total"])
    )
    assert sample("mist_celery_task_duration_seconds_count", task=name) == (
        before["mist_celery_task_duration_seconds_count"] + 1
    )


@pytest.mark.django_db
def test_task_failures_are_counted():
    from events.tasks import send_reminder_task

    name = "events.send_reminder"
    started = sample("mist_celery_tasks_started_total", task=name)
    failed = sample("mist_celery_tasks_failed_total", task=name)
    succeeded = sample("mist_celery_tasks_succeeded_total", task=name)

    result = send_reminder_task.apply(args=(), kwargs={})  # missing registration id

    assert result.failed()
    assert sample("mist_celery_tasks_started_total", task=name) == started + 1
    assert sample("mist_celery_tasks_failed_total", task=name) == failed + 1
    assert sample("mist_celery_tasks_succeeded_total", task=name) == succeeded


COUNT_IN_ONE_PROCESS = """
import django
django.setup()
from core import metrics
metrics.TASKS_STARTED.labels("demo.elsewhere").inc(3)
"""

SCRAPE_IN_ANOTHER = """
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().get("/metrics")
print(response.status_code)
print(response.content.decode())
"""


def test_multiprocess_mode_adds_up_every_process(tmp_path):
    """A worker's counters reach the web process's /metrics through the shared
    PROMETHEUS_MULTIPROC_DIR."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    run = {"cwd": BASE_DIR, "env": env, "capture_output": True, "text": True}

    subprocess.run([sys.executable, "-c", COUNT_IN_ONE_PROCESS], check=True, **run)
    scrape = subprocess.run(
        [sys.executable, "-c", SCRAPE_IN_ANOTHER], check=True, **run
    )

    status, text = scrape.stdout.split("\n", 1)
    assert status == "200"
    assert 'mist_celery_tasks_started_total{task="demo.elsewhere"} 3.0' in text
