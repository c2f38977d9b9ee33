"""Minimal settings: no project apps, one middleware (sessions), one database from
DATABASE_URL, the shared cache from CACHE_URL (sessions cached as Mist's are).

Sessions are Django's own (django.contrib.sessions, `cached_db` over the same Redis
when CACHE_URL is given): the bare project signs people in with its own plain login
view (bench.bare.views.login) against the same accounts_user rows and password
hashes, so a signed-in bare request loads its session and its user as any Django
project does.
"""

import environ

env = environ.Env()

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="bench-bare-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1"])
ROOT_URLCONF = "bench.bare.urls"
WSGI_APPLICATION = "bench.bare.wsgi.application"
INSTALLED_APPS: list[str] = ["django.contrib.sessions"]
MIDDLEWARE: list[str] = ["django.contrib.sessions.middleware.SessionMiddleware"]
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
    "CONN_HEALTH_CHECKS", default=False
)
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "baresession"
SESSION_COOKIE_SECURE = False
USE_TZ = True
USE_I18N = False
