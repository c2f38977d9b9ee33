"""Production settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**changes) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="mist.example.org",
        CSRF_TRUSTED_ORIGINS="https://mist.example.org",
        SITE_URL="https://mist.example.org",
        DATABASE_URL="postgres://mist:secret@db.example.org:5432/mist",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
        STATICFILES_BACKEND="whitenoise.storage.CompressedManifestStaticFilesStorage",
        TASKS_MODE="celery",
        CELERY_BROKER_URL="redis://redis.example.org:6379/0",
        MIST_OC4IDS_PREFIX="oc4ids-abc123",
    )
    env.update(changes)
    return env


def check_deploy(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issues_with_production_environment():
    result = check_deploy(production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_catches_the_embedded_default_secret_key():
    env = production_env()
    del env["SECRET_KEY"]

    result = check_deploy(env)

    assert result.returncode != 0, result.stdout + result.stderr
    assert "security.W009" in result.stdout + result.stderr


def test_check_deploy_warns_while_the_oc4ids_prefix_is_the_placeholder():
    result = check_deploy(production_env(MIST_OC4IDS_PREFIX="oc4ids-xxxxxx"))

    assert result.returncode == 1
    assert "investments.W001" in result.stdout + result.stderr
