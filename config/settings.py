"""Mist settings: one file, read from the environment, with safe embedded defaults.

The embedded default (no environment at all) is SQLite under var/, tasks run in-process,
mail printed to the console. Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS,
EMAIL_URL and CELERY_BROKER_URL; see docs/deploy.md.
"""

from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-embedded-default-change-me-in-production"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The admin site asks for a two-factor-verified session (accounts.admin_site).
    "accounts.apps.MistAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_countries",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_prometheus",
    "core",
    "accounts",
    "directory",
    "exchange",
    "reviews",
    "investments",
    "events",
    "matching",
    "meetings",
    "visits",
    "talent",
    "insights",
    "notifications",
    "translations",
    "api",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the shared cache: a hit skips all below (core.pagecache).
    "core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.site",
                "core.context_processors.menu",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]
# Every form field group (label, widget, help, errors) through one template.
FORM_RENDERER = "core.forms.FormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mist.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process background thread write while pages keep reading.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before each request reuses them, so a restarted
    # database costs a reconnect instead of a 500 (core.postgresql: no round trip).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int(
        "CONN_MAX_AGE", default=0 if DEBUG else 60
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# Failed logins are throttled per user name and address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "accounts.security.login_username"
AXES_CLIENT_IP_CALLABLE = "core.network.client_ip"
# Behind N reverse proxies that append to X-Forwarded-For, set TRUSTED_PROXY_COUNT=N
# so the lockout counts the visitor's address, not the proxy's.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor sign-in (TOTP with recovery codes; accounts/two_factor.py): required for
# these roles, for anyone with admin-site access and for anyone a hook names (dotted
# paths of `f(user) -> bool`, asked at sign-in: reviewers of a call without the
# reviewer role); optional for everyone else.
MIST_TWO_FACTOR_REQUIRED_ROLES = ["admin", "staff", "city_officer", "reviewer"]
MIST_TWO_FACTOR_REQUIRED_HOOKS = ["reviews.access.reviews_for_a_call"]
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Mist")
# A wrong code makes the next try wait 1, 2, 4, … seconds (django-otp, per device).
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "uk"
LANGUAGES = [("uk", _("Ukrainian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# TIME_ZONE: see "The place this deployment serves" below.
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024

# E-mail: printed to the console unless EMAIL_URL names a server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mist <noreply@mist.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Machine translation of bilingual texts (translations app): "" (off), "libretranslate"
# (a LibreTranslate-compatible server at MIST_TRANSLATION_URL) or "deepl" (DeepL's API;
# MIST_TRANSLATION_URL defaults to the free API). Runs in background tasks.
MIST_TRANSLATION_ENGINE = env.str("MIST_TRANSLATION_ENGINE", default="")
MIST_TRANSLATION_URL = env.str("MIST_TRANSLATION_URL", default="")
MIST_TRANSLATION_API_KEY = env.str("MIST_TRANSLATION_API_KEY", default="")
MIST_TRANSLATION_TIMEOUT = env.float("MIST_TRANSLATION_TIMEOUT", default=15.0)

# Background tasks: "thread" runs them in-process beside the web server (embedded
# default), "eager" runs them at once inside the request (tests), "celery" sends them
# to workers through CELERY_BROKER_URL (production).
TASKS_MODE = env.str("TASKS_MODE", default="thread")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = TASKS_MODE != "celery"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The queue web processes send to and workers read (sites sharing one broker, tests).
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Periodic work, run by Celery beat in production. The embedded default has no beat:
# run the matching management commands from cron (see docs/deploy.md).
CELERY_BEAT_SCHEDULE = {
    "events-send-reminders": {"task": "events.send_due_reminders", "schedule": 900.0},
    "exchange-advance-call-phases": {
        "task": "exchange.advance_call_phases",
        "schedule": 60.0,
    },
    "investments-remind-stale-interests": {
        "task": "investments.remind_stale_interests",
        "schedule": 24 * 3600.0,
    },
    "meetings-expire-requests": {
        "task": "meetings.expire_requests",
        "schedule": 900.0,
    },
    "meetings-remind-outcomes": {
        "task": "meetings.remind_outcomes",
        "schedule": 3600.0,
    },
    "visits-remind-outcomes": {
        "task": "visits.remind_outcomes",
        "schedule": 3600.0,
    },
    "matching-remind-expiring-needs-offers": {
        "task": "matching.remind_expiring_needs_offers",
        "schedule": 24 * 3600.0,
    },
    "insights-recompute": {
        "task": "insights.recompute_insights",
        "schedule": 24 * 3600.0,
    },
    "talent-expire": {"task": "talent.expire", "schedule": 24 * 3600.0},
    "talent-weekly-digest": {"task": "talent.weekly_digest", "schedule": 7 * 86400.0},
    "notifications-send-digests": {
        "task": "notifications.send_digests",
        "schedule": 900.0,
    },
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Sessions: with a cache shared by every process (CACHE_URL), a signed-in request reads
# its session from the cache, not the database (cached_db still writes through to the
# database, so sessions survive a cache flush and personal-data deletion finds them).
# A per-process cache would keep a signed-out session alive in the other workers.
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends."
    + ("cached_db" if _SHARED_CACHE else "db"),
)
if SESSION_ENGINE.endswith(("backends.cache", "backends.cached_db")) and not (
    _SHARED_CACHE or DEBUG
):
    raise ImproperlyConfigured(
        f"SESSION_ENGINE={SESSION_ENGINE} needs a cache shared by every process "
        "(CACHE_URL)."
    )

# Anonymous visitors' pages are answered from the cache (core.pagecache) for up to this
# many seconds; any database write makes them stale at once, the limit bounds what time
# alone changes ("upcoming" events). 0: off. Off by default with a per-process cache:
# a write in one process (another app server worker, a Celery worker) could not tell
# the others.
MIST_PAGE_CACHE_SECONDS = env.int(
    "MIST_PAGE_CACHE_SECONDS", default=60 if _SHARED_CACHE else 0
)

REST_FRAMEWORK = {
    # Token first: a request without credentials is told 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Every body is a JSON object (or a form) without NUL bytes; else 400.
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONObjectParser",
        "api.parsers.FormParser",
        "api.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/min"),
        "user": env.str("API_USER_RATE", default="600/min"),
        "auth_token": env.str("API_TOKEN_RATE", default="10/min"),
    },
    # Throttling counts the same client address as the sign-in lockout does.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mist API",
    "DESCRIPTION": "The ecosystem directory of Kharkiv and its partners abroad.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    # Paths are written whole (/api/v1/...): the server is the site itself.
    "SERVERS": [{"url": SITE_URL, "description": "This Mist site"}],
    # Swagger UI from the drf-spectacular-sidecar package's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several apps have a `kind`, `status`, `stage` …: name each choice set once.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "directory.models.Organization.Kind",
        "EventKindEnum": "events.models.Event.Kind",
        "EventStatusEnum": "events.models.Event.Status",
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "SubmissionStatusEnum": "exchange.models.Submission.Status",
        "SubmissionStageEnum": "exchange.models.Submission.Stage",
        # A recommendation and a decision share one set: accept, revise, decline.
        "ReviewOutcomeEnum": "reviews.models.Recommendation",
        "ReviewStatusEnum": "reviews.models.Review.Status",
        "DecisionStatusEnum": "reviews.models.Decision.Status",
        "ProjectStatusEnum": "investments.models.InvestmentProject.Status",
        "ProjectReadinessEnum": "investments.models.InvestmentProject.Readiness",
        "CurrencyEnum": "investments.choices.Currency",
        "InstrumentEnum": "investments.choices.Instrument",
        "BudgetCategoryEnum": "investments.models.BudgetLine.Category",
        "BudgetKindEnum": "investments.models.BudgetLine.Kind",
        "InterestStageEnum": "investments.models.Interest.Stage",
        "NeedOfferKindEnum": "matching.models.NeedOffer.Kind",
        "NeedOfferCategoryEnum": "matching.models.NeedOffer.Category",
        "NeedOfferStatusEnum": "matching.models.NeedOffer.Status",
        "MeetingRequestStatusEnum": "meetings.models.MeetingRequest.Status",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingOutcomeEnum": "meetings.models.Meeting.Outcome",
        "OrganizationVisibilityEnum": "directory.models.Organization.Visibility",
        "SpecialistVisibilityEnum": "talent.models.SpecialistProfile.Visibility",
        "SpecialistIntentEnum": "talent.models.SpecialistProfile.Intent",
        "SpecialistTimeframeEnum": "talent.models.SpecialistProfile.Timeframe",
        "TalentRoleStatusEnum": "talent.models.Role.Status",
        "TalentRoleWorkModeEnum": "talent.models.Role.WorkMode",
        "TalentInvitationStatusEnum": "talent.models.Invitation.Status",
        "SeniorityEnum": "talent.models.Seniority",
    },
}

# Content Security Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE: pages that embed JSON-LD use request.csp_nonce; no inline JS.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Logs: one JSON object per line in production, plain text with DEBUG on; every line
# carries the request id (X-Request-ID) or the Celery task id (core.logs).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every layout step at INFO (even on import): keep it quiet.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}

# --- The place this deployment serves (Kharkiv by default) -------------------------
# Code reads these and names no city, zone, cluster or coordinates of its own
# (tests/core/test_no_city_in_code.py). Demo data files may; they are data.
# The zone of dates shown and entered when nobody says otherwise (users, events and
# calls have their own).
TIME_ZONE = env.str("MIST_TIME_ZONE", default="Europe/Kyiv")
# The city's KATOTTG code (Ukraine's official codifier of places).
MIST_CITY_KATOTTG = env.str("MIST_CITY_KATOTTG", default="UA63120270010096107")
# The country of that city: organizations elsewhere are "from abroad" (visitors).
MIST_HOME_COUNTRY = env.str("MIST_HOME_COUNTRY", default="UA")
# The cluster whose members the directory marks (the name in structured data).
MIST_CLUSTER_NAME = _("Kharkiv IT Cluster")
# What the footer of every page says Mist is for, here.
MIST_TAGLINE = _("Mist joins Kharkiv's IT ecosystem to its partners abroad.")
# The places people know time zones by: the home city and the partners abroad
# (America/Denver is Albuquerque, the sister city; America/Los_Angeles Silicon Valley).
MIST_ZONE_PLACES = {
    "Europe/Kyiv": _("Kyiv"),
    "Europe/Kiev": _("Kyiv"),
    "America/Denver": _("Albuquerque"),
    "America/Los_Angeles": _("Silicon Valley"),
    "America/New_York": _("New York"),
    "America/Chicago": _("Chicago"),
    "Europe/London": _("London"),
    "Europe/Berlin": _("Berlin"),
    "Europe/Warsaw": _("Warsaw"),
    "UTC": "UTC",
}
# The city on maps (WGS84): the catalogue map's first view, and the box the printed
# passport's schematic map places a project's marker in.
MIST_MAP_CENTER = (
    env.float("MIST_MAP_CENTER_LAT", default=49.9935),
    env.float("MIST_MAP_CENTER_LNG", default=36.2304),
)
MIST_MAP_BOUNDS = {"west": 36.10, "east": 36.48, "south": 49.88, "north": 50.10}
# The publisher of the OC4IDS open data (its scheme, uid and uri once registered) and
# the data's license.
MIST_OC4IDS_PUBLISHER = {
    "name_uk": env.str(
        "MIST_OC4IDS_PUBLISHER_NAME_UK",
        default="Департамент цифрової трансформації Харківської міської ради",
    ),
    "name_en": env.str(
        "MIST_OC4IDS_PUBLISHER_NAME_EN",
        default="Department of Digital Transformation, Kharkiv City Council",
    ),
    # The owner of the data by its EDRPOU code (org-id.guide scheme UA-EDR).
    "scheme": env.str("MIST_OC4IDS_PUBLISHER_SCHEME", default="UA-EDR"),
    "uid": env.str("MIST_OC4IDS_PUBLISHER_UID", default="04059243"),
    "uri": env.str("MIST_OC4IDS_PUBLISHER_URI", default=""),
}
MIST_OC4IDS_LICENSE = env.str(
    "MIST_OC4IDS_LICENSE", default="https://creativecommons.org/licenses/by/4.0/"
)
# --- end of the place --------------------------------------------------------------

MIST_DIRECTORY_PAGE_SIZE = 20
# Directory downloads (CSV, XLSX, JSON) a visitor who is not signed in may make per
# hour from one address (docs/open-data-exports.md).
MIST_ANONYMOUS_EXPORTS_PER_HOUR = env.int("MIST_ANONYMOUS_EXPORTS_PER_HOUR", default=20)
# An import's dry run or apply that shows no progress for this long is stalled: its
# process probably ended (a restart, a killed worker); staff may start it again.
MIST_IMPORT_STALL_SECONDS = env.int("MIST_IMPORT_STALL_SECONDS", default=300)
# A pitch book still being prepared after this long was lost with its worker (its
# marker is older than the longest build); the page offers to prepare it again.
MIST_PITCH_BOOK_STALL_SECONDS = env.int("MIST_PITCH_BOOK_STALL_SECONDS", default=900)
# The header's menu: each entry shown when its app's predicate `f(user) -> bool`
# allows (core.context_processors.menu, read as `menu.<entry>` in templates/base.html).
MIST_MENU = {
    "my_reviews": "accounts.permissions.is_reviewer",
    "my_interests": "accounts.permissions.is_investor",
    "investor_pipeline": "investments.permissions.can_work_pipeline",
    "portfolio_dashboard": "investments.permissions.can_view_dashboard",
    "review_dashboard": "accounts.permissions.is_cluster_staff",
    "moderation": "directory.permissions.can_moderate",
    "needs_offers_moderation": "matching.permissions.can_moderate_needs_offers",
    "talent_roles_moderation": "talent.permissions.can_moderate_roles",
    "imports": "directory.permissions.can_import",
    "invitations": "accounts.permissions.can_invite",
    "users": "accounts.permissions.can_manage_users",
}
# Functions returning public figures for the landing page, one per capability.
MIST_HOME_FIGURES = [
    "directory.queries.directory_figures",
    "exchange.queries.exchange_figures",
    "investments.queries.investment_figures",
    "events.queries.event_figures",
    "meetings.queries.meeting_figures",
]
# Functions returning things the landing page shows (the next event, the open call),
# each a dict merged into its context as `highlights`.
MIST_HOME_HIGHLIGHTS = [
    "events.queries.home_next_event",
    "exchange.queries.home_open_call",
]
# Published figures counting fewer people or organizations than this show "fewer than
# N" instead (core.figures.public_count), on pages, in CSV files and in the API.
MIST_SMALL_NUMBER = 5
# insights: the licence of every open dataset (the open data page and DCAT catalogue).
MIST_OPEN_DATA_LICENSE = env.str(
    "MIST_OPEN_DATA_LICENSE", default="https://creativecommons.org/licenses/by/4.0/"
)
# Demo data of the apps above the directory, loaded in this order by `seed_demo` after
# the directory's own (each returns a one-line summary).
MIST_DEMO_SEEDERS = [
    "exchange.demo.seed_demo",
    "reviews.demo.seed_demo",
    "investments.demo.seed_demo",
    "events.demo.seed_demo",
    "matching.demo.seed_demo",
    "meetings.demo.seed_demo",
    "visits.demo.seed_demo",
    "insights.journey.demo.seed_demo",
    "talent.demo.seed_demo",
]

# events: the personal calendar feed adds the items of these callables
# (dotted paths, each `f(user) -> list[icalendar.Event]`), e.g. meetings.
MIST_CALENDAR_SOURCES = [
    "meetings.calendar.personal_items",
    "visits.calendar.personal_items",
]
# exchange: attachments live outside MEDIA_ROOT and are served only through a view
# that checks permission; reviewers' access comes from the reviews app through hooks
# (dotted paths of `f(user, submission) -> bool`, each module may also define
# `reviewer_submission_ids(user) -> set[int]`), so exchange never imports reviews.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
MIST_SUBMISSION_ACCESS_HOOKS = ["reviews.access.reviewer_can_view"]
# investments: remind officers of expressions of interest untouched this many days;
# map tiles for the project catalogue ("" = markers on a plain background, no network).
MIST_INTEREST_REMINDER_DAYS = env.int("MIST_INTEREST_REMINDER_DAYS", default=7)
MIST_MAP_TILE_URL = env.str("MIST_MAP_TILE_URL", default="")
if MIST_MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MIST_MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
    )

# meetings: a pending meeting request expires after this many hours (it stops blocking
# slots); `expire_meeting_requests` (or the beat task) marks them.
MIST_MEETING_REQUEST_TTL_HOURS = env.int("MIST_MEETING_REQUEST_TTL_HOURS", default=72)

# investments: open data. The OC4IDS project id prefix comes from registering the
# publisher with OC4IDS (https://standard.open-contracting.org/infrastructure/latest/
# en/guidance/identifiers/); until then the placeholder "oc4ids-xxxxxx" is used, and
# `check --deploy` warns (investments.W001): a required production setting.
MIST_OC4IDS_PREFIX = env.str("MIST_OC4IDS_PREFIX", default="oc4ids-xxxxxx")

# Operations (docs/deploy.md, "Monitoring"): /healthz and /readyz are public and say
# nothing but check names; /metrics answers scrapers with METRICS_TOKEN (a bearer
# token) or from METRICS_ALLOWED_IPS (addresses or networks), no one else.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Celery workers log through LOGGING above (JSON with the task id), not their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# core.mail.send(..., kind=...) asks these hooks what to do with an e-mail to a user:
# the notification centre records it and applies the person's preference.
MIST_MAIL_HOOKS = ["notifications.services.record_mail"]
# How long an e-mail's one-click unsubscribe link works.
MIST_UNSUBSCRIBE_MAX_AGE_DAYS = env.int("MIST_UNSUBSCRIBE_MAX_AGE_DAYS", default=180)
