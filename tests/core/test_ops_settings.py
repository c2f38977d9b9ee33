"""Production defaults of the operations settings, read as a deployment reads them."""

import json
import subprocess
import sys

import pytest

from tests.accounts.test_deploy import BASE_DIR, production_env

PRINT_SETTINGS = """
import django, json
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "max_age": db["CONN_MAX_AGE"], "health": db["CONN_HEALTH_CHECKS"],
    "format": settings.LOG_FORMAT, "metrics_ips": settings.METRICS_ALLOWED_IPS,
    "token": settings.METRICS_TOKEN,
}))
"""


def read_settings(**env) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"max_age": 60, "health": True, "format": "json"}),
        ({"CONN_MAX_AGE": "300"}, {"max_age": 300, "health": True, "format": "json"}),
        ({"DEBUG": "true"}, {"max_age": 0, "health": True, "format": "text"}),
        ({"LOG_FORMAT": "text"}, {"max_age": 60, "health": True, "format": "text"}),
    ],
)
def test_production_defaults(env, expected):
    values = read_settings(**env)

    assert {key: values[key] for key in expected} == expected
    assert values["metrics_ips"] == ["127.0.0.1", "::1"]
    assert values["token"] == ""
