"""Mist's own settings, with persistent database connections read from the
environment, for bench/bench_production_load.py.

    CONN_MAX_AGE=60 CONN_HEALTH_CHECKS=true DJANGO_SETTINGS_MODULE=bench.prod_settings

Whatever config.settings already sets is kept unless the variable is given, so this
stays correct once config.settings reads the same variables itself.
"""

from config.settings import *  # noqa: F403
from config.settings import DATABASES, env

_default = DATABASES["default"]
_default["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=_default.get("CONN_MAX_AGE", 0)
)
_default["CONN_HEALTH_CHECKS"] = env.bool(
    "CONN_HEALTH_CHECKS", default=_default.get("CONN_HEALTH_CHECKS", False)
)
STATIC_ROOT = env.path("STATIC_ROOT", default=STATIC_ROOT)  # noqa: F405
# Mist's URLs and the signed-in "hello" pages (bench/mist_urls.py).
ROOT_URLCONF = "bench.mist_urls"
# bench_production_load.py --baseline: the connection check and session store Mist
# had before core.postgresql and cached sessions (a SELECT 1 and a session query on
# every signed-in request), to compare with them in the same run.
if env.bool("BENCH_BASELINE", default=False):
    _default["ENGINE"] = "django.db.backends.postgresql"
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
