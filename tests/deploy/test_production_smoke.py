"""The production stack of docs/deploy.md, started for real and used as a visitor would.

Front-end assets (`make assets`), `collectstatic` with the manifest storage into a
fresh STATIC_ROOT, granian (2 workers, config.wsgi:application), a Celery worker and
beat with DEBUG off and TASKS_MODE=celery, all against this test's database; then a
plain HTTP client signs in through the real login form (CSRF included), opens the main
pages, and a directory import and the pitch book run through the worker. Every
process is stopped in a `finally`.

The processes share the test database, so this runs on PostgreSQL only, and the test
commits its data (transaction=True). It signs in as an organization editor: a role
that two-factor sign-in does not make enrol first.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from config.celery import app as celery_app
from directory import importing
from directory.models import ImportBatch, Organization
from investments import pdf
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.imports.conftest import company_row, csv_bytes
from tests.investments.fixtures import demo_portfolio

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "smoke-test-passphrase-2026"
#: What visitors must not see: a hashed name proves the manifest storage is in use.
HASHED_CSS = re.compile(r"/static/vendor/bootstrap\.min\.[0-9a-f]{12}\.css")

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the app server and worker processes need a shared database: "
    "run with DATABASE_URL=postgres…",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_is_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


def _wait(what: str, ready, seconds: float, logs: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        time.sleep(0.5)
    tails = "\n".join(
        f"== {log.name}\n" + log.read_text(errors="replace")[-3000:]
        for log in sorted(logs.glob("*.log"))
    )
    pytest.fail(f"{what} did not happen within {seconds:.0f} s\n{tails}")


class Browser:
    """A plain HTTP client with cookies (urllib): what a visitor's browser sends."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def request(self, path: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as answer:
                return answer.status, answer.geturl(), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode(errors="replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None, path, ""


@pytest.fixture
def production_stack(settings, tmp_path):
    if not _redis_is_up():
        pytest.fail(f"Redis is not reachable at {BROKER}")
    subprocess.run(
        ["make", "--no-print-directory", "-s", "assets"],
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    database = connection.settings_dict
    user, host = database["USER"] or "postgres", database["HOST"] or "127.0.0.1"
    port = _free_port()
    queue = f"smoke-{os.getpid()}"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "smoke-" + "k3y" * 20,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": f"postgres://{user}@{host}:{database['PORT'] or 5432}"
        f"/{database['NAME']}",
        "TASKS_MODE": "celery",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "STATIC_ROOT": str(tmp_path / "static"),
        # Django's manifest storage: what fails pages when an entry is missing.
        # (WhiteNoise's compressed variant adds a minute of Brotli on this machine.)
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage."
        "ManifestStaticFilesStorage",
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    commands = {
        "granian": [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
                    "--port", str(port), "--workers", "2", "--blocking-threads", "4",
                    "--workers-kill-timeout", "10", "config.wsgi:application"],
        "worker": [str(BIN / "celery"), "-A", "config", "worker", "--loglevel", "INFO",
                   "--concurrency", "2", "--without-gossip", "--without-mingle",
                   "-n", f"{queue}@%h"],
        "beat": [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                 "--schedule", str(tmp_path / "celerybeat-schedule")],
    }  # fmt: skip
    processes, outputs = {}, []
    settings.TASKS_MODE = "celery"
    changed = {
        "task_always_eager": False,
        "broker_url": BROKER,
        "task_default_queue": queue,
    }
    previous = {key: celery_app.conf[key] for key in changed}
    celery_app.conf.update(changed)
    try:
        for name, command in commands.items():
            outputs.append((logs / f"{name}.log").open("wb"))
            processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=outputs[-1], stderr=subprocess.STDOUT
            )
        browser = Browser(f"http://127.0.0.1:{port}")
        _wait(
            "granian answering",
            lambda: browser.request("/en/")[0] == 200,
            90,
            logs,
        )
        yield browser, processes, logs
    finally:
        celery_app.conf.update(previous)
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for output in outputs:
            output.close()


def _published_data():
    organization = OrganizationFactory(
        name_uk="Тестова компанія Смоук", name_en="Smoke Test Company"
    )
    editor = UserFactory(role=Role.EDITOR, email="smoke-editor@example.org")
    editor.set_password(PASSWORD)
    editor.save()
    MembershipFactory(user=editor, organization=organization)
    staff = UserFactory(role=Role.STAFF, email="smoke-staff@example.org")
    demo_portfolio()
    return organization, editor, staff


@pytest.mark.django_db(transaction=True)
def test_the_documented_production_stack_serves_signs_in_and_runs_tasks(
    production_stack, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    browser, processes, logs = production_stack
    organization, editor, staff = _published_data()

    # Sign in through the real form: its CSRF token, then the POST with the cookie.
    with translation.override("en"):
        login = reverse("accounts:login")
        pages = {
            "home": reverse("core:home"),
            "directory": reverse("directory:organization-list"),
            "organization": reverse(
                "directory:organization-detail", kwargs={"slug": organization.slug}
            ),
            "investments": reverse("investments:project-list"),
            "events": reverse("events:event-list"),
            "exchange": reverse("exchange:call-list"),
        }
    status, _, html = browser.request(login)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, landed, html = browser.request(
        login,
        {"csrfmiddlewaretoken": token, "username": editor.email, "password": PASSWORD},
    )
    assert (status, urllib.parse.urlparse(landed).path) == (200, pages["home"])
    assert "Sign out" in html

    # The main pages, signed in, with hashed static names that are really served.
    for name, path in pages.items():
        status, _, html = browser.request(path)
        assert status == 200, (name, path, html[-2000:])
        assert "Sign out" in html, name
        assert HASHED_CSS.search(html), name
    assert "Smoke Test Company" in browser.request(pages["organization"])[2]
    stylesheet = HASHED_CSS.search(browser.request(pages["home"])[2]).group(0)
    assert browser.request(stylesheet)[0] == 200
    status, _, body = browser.request("/api/v1/organizations/")
    assert status == 200
    assert '"Smoke Test Company"' in body or "Smoke Test Company" in body
    assert browser.request("/en/no-such-page/")[0] == 404

    # A directory import, dry run then apply, on the worker.
    rows = [company_row(n) for n in range(1, 6)]
    upload = SimpleUploadedFile("partners.csv", csv_bytes(rows), "text/csv")
    batch = importing.create_import(uploaded_file=upload, user=staff)

    def batch_in(*statuses):
        batch.refresh_from_db()
        return batch.status in statuses

    _wait("the dry run", lambda: batch_in("checked", "failed"), 60, logs)
    assert (batch.status, batch.total_rows, batch.rejected_count) == ("checked", 5, 0)
    assert importing.start_apply(batch, user=staff)
    _wait("the apply", lambda: batch_in("applied", "failed"), 60, logs)
    assert batch.status == ImportBatch.Status.APPLIED
    assert (
        Organization.objects.filter(name_uk__in=[row[0] for row in rows]).count() == 5
    )

    # The pitch book, built by the worker (WeasyPrint) and stored where the web reads.
    key = pdf.pitch_book_key()
    assert pdf.start_pitch_book(key)
    _wait(
        "the pitch book",
        lambda: pdf.pitch_book_state(key) in ("ready", "failed"),
        90,
        logs,
    )
    assert pdf.pitch_book_state(key) == "ready"
    with pdf.open_pitch_book(key) as stored:
        assert stored.read(5) == b"%PDF-"

    # Every process is still up: nothing crashed on the way.
    assert {name: p.poll() for name, p in processes.items()} == {
        "granian": None,
        "worker": None,
        "beat": None,
    }
    assert "beat: Starting" in (logs / "beat.log").read_text()
