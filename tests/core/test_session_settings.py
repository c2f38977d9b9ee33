"""Sessions are read from the cache when every process shares it (CACHE_URL), from
the database otherwise; a cache-backed session store on a per-process cache is
refused (a signed-out session would stay alive in the other workers)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINES = "django.contrib.sessions.backends."
REDIS = "redis://127.0.0.1:6379/1"


def session_engine(**environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CACHE_URL", "SESSION_ENGINE", "DEBUG"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **environment)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.SESSION_ENGINE)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("environment", "engine"),
    [
        ({}, "db"),
        ({"CACHE_URL": REDIS}, "cached_db"),
        ({"CACHE_URL": REDIS, "SESSION_ENGINE": ENGINES + "db"}, "db"),
    ],
)
def test_the_session_engine_follows_the_cache(environment, engine):
    done = session_engine(**environment)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ENGINES + engine


def test_cached_sessions_on_a_per_process_cache_are_refused():
    done = session_engine(SESSION_ENGINE=ENGINES + "cached_db")

    assert done.returncode != 0
    assert "needs a cache shared by every process" in done.stderr
