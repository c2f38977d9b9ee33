"""Test settings: the same settings, tasks run at once, fast hashing, mail in memory."""

import os

os.environ.setdefault("SECURE_COOKIES", "false")

from config.settings import *  # noqa: F403
from config.settings import VAR_DIR

TASKS_MODE = "eager"
CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
AXES_ENABLED = True
# Anonymous pages cached as in production (off by default with this per-process cache,
# but tests run in one process): a test sees a write on its next request.
MIST_PAGE_CACHE_SECONDS = 60
# Serve static files from the app and vendor folders, as in the embedded default.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None
# exchange: private attachments of tests outside the tracked tree, like MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
# One connection per request under tests: threads (live server, in-process tasks) must
# not keep connections open when the test database is dropped.
if DATABASES["default"]["ENGINE"] == "core.postgresql":  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
