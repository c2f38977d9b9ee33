"""A shared response cache for anonymous visitors, as a CDN micro-cache does it.

`AnonymousPageCacheMiddleware` answers a GET or HEAD that carries no Cookie and no
Authorization header (so no session, no messages, no CSRF cookie, no token) from the
default cache when an earlier such request to the same page got a plain 200. Nothing
personal can be in such a response: it was rendered for a visitor the site knew
nothing about. Signed-in visitors (they have a session cookie), HTMX requests and
any response that sets a cookie, is marked private/no-store, varies on a header the
key does not hold, or streams are never stored.

Never stale after a write: every entry carries the global content version read before
its page was rendered, and any database write (INSERT, UPDATE, DELETE, DDL, on any
table but the bookkeeping ones of EXCLUDED_TABLES) bumps that version, after its
transaction commits (`watch_writes`, installed on every connection by core.apps). It
sees ORM saves, queryset updates, bulk operations, raw SQL, migrations, imports and
Celery workers alike. MIST_PAGE_CACHE_SECONDS bounds what a write cannot announce:
time passing ("upcoming" events, deadlines).

The version lives in the default cache, so the page cache needs a cache every process
shares (Redis through CACHE_URL); config/settings.py turns it off by default with a
per-process cache. A hit skips every middleware after this one; it still gets a fresh
request id and security headers (the middleware before it), a fresh CSP nonce (the
cached one is replaced in the header and the body) and its Prometheus counts.
"""

import base64
import hashlib
import logging
import os
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django_prometheus.middleware import PrometheusAfterMiddleware

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Response headers a key already accounts for (the request has no Cookie; language,
# Accept and HTMX are in the key); a Vary on anything else is not stored.
KEYED_VARY = {"cookie", "accept-language", "accept", "hx-request"}
# Bookkeeping tables written by requests that change nothing a page shows: sessions,
# sign-in attempts and lockouts, second-factor throttling, a database cache.
EXCLUDED_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessfailurelog",
        "axes_accesslog",
        "otp_totp_totpdevice",
        "otp_static_staticdevice",
        "django_cache",
    }
)
# Statements that never change data: anything else counts as a write.
_READS = (
    "SELECT",
    "SAVEPOINT",
    "RELEASE",
    "ROLLBACK",
    "BEGIN",
    "COMMIT",
    "SET",
    "SHOW",
    "EXPLAIN",
    "PRAGMA",
    "VALUES",
    "LOCK",
)
_WRITE_TABLE = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE
)
_WRITE_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


# --- The content version ------------------------------------------------------------


def bump_version() -> None:
    """Mark every cached page stale. A new version starts at a random number, so a
    version lost with the cache (eviction, restart) never meets an old entry again."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            if not cache.add(VERSION_KEY, secrets.randbits(62), None):
                cache.incr(VERSION_KEY)
    except Exception:
        # A write must not fail because the cache is down; entries expire anyway.
        logger.warning("could not bump the page cache version", exc_info=True)


def _is_write(sql: str) -> bool:
    head = sql[:12].lstrip().upper()
    if head.startswith(_READS):
        return False
    if head.startswith("WITH"):
        return bool(_WRITE_IN_CTE.search(sql))
    match = _WRITE_TABLE.match(sql)
    return not (match and match.group(1).lower() in EXCLUDED_TABLES)


def watch_writes(execute, sql, params, many, context):
    """Connection execute wrapper: after a write statement, bump the version at once
    (autocommit) or once when its transaction commits."""
    result = execute(sql, params, many, context)
    # Composed SQL objects (psycopg.sql) cannot be read cheaply: count them as writes.
    if not isinstance(sql, str) or _is_write(sql):
        note_write(context["connection"])
    return result


def note_write(connection) -> None:
    """After a write that bypasses the execute wrappers (COPY on the raw cursor),
    or the wrapper's own: mark cached pages stale now or after the commit."""
    blocks = connection.atomic_blocks
    if not connection.in_atomic_block or (blocks and blocks[0]._from_testcase):
        # Autocommit: the write is visible now. In a test case's transaction commit
        # hooks never run and the test reads through this same connection: bump now.
        bump_version()
    elif not any(func is bump_version for _, func, _ in connection.run_on_commit):
        # Before the commit other processes still see the old rows, so bumping now
        # would let them store an old page under the new version.
        connection.on_commit(bump_version, robust=True)


def install(connection, **kwargs) -> None:
    """`connection_created` receiver (core.apps): watch this connection's writes."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# --- The middleware -----------------------------------------------------------------


def _new_nonce() -> str:
    # As django-csp makes one (csp.middleware.CSPMiddleware._make_nonce).
    return base64.b64encode(os.urandom(16)).decode("ascii")


class _CachedMatch:
    """What Prometheus' middleware reads of `request.resolver_match` on a hit."""

    def __init__(self, view_name):
        self.view_name = view_name


class AnonymousPageCacheMiddleware:
    """Answer anonymous GET/HEAD requests from the shared cache; store their 200s."""

    def __init__(self, get_response):
        self.get_response = get_response
        # A hit never reaches PrometheusAfterMiddleware (last in MIDDLEWARE): count it
        # through one of our own, as if it had.
        self.metrics = PrometheusAfterMiddleware(get_response)

    def __call__(self, request):
        seconds = settings.MIST_PAGE_CACHE_SECONDS
        key = self.key(request) if seconds else None
        if key is None:
            return self.get_response(request)
        try:
            found = cache.get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            entry = found.get(key)
            if (
                entry is not None
                and version is not None
                and entry[0] == version
                and self.throttles_allow(request, entry[5])
            ):
                return self.hit(request, entry)
            if version is None:  # the first request, or the cache lost it
                bump_version()
                version = cache.get(VERSION_KEY)
        except Exception:
            # Without the cache the page is rendered, as if there were none.
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        response = self.get_response(request)
        if version is not None and request.method == "GET" and self.storable(response):
            self.store(request, response, key, version, seconds)
        return response

    @staticmethod
    def key(request) -> str | None:
        """The cache key of an anonymous request, or None when it is not one."""
        if request.method not in ("GET", "HEAD"):
            return None
        headers = request.META
        if "HTTP_AUTHORIZATION" in headers or "HTTP_HX_REQUEST" in headers:
            return None
        if getattr(request, "_force_auth_user", None) is not None:
            # DRF's test client signs in without a cookie (force_authenticate).
            return None
        if headers.get("HTTP_COOKIE") and not set(request.COOKIES) <= {
            settings.CSRF_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_NAME,
        }:
            # A session (signed in, messages) or a cookie we know nothing of. The
            # CSRF cookie is harmless: a page that renders its token sets it again
            # (Set-Cookie), so such a page is never stored. The language cookie
            # counts in `language` below, as LocaleMiddleware reads it.
            return None
        try:
            host = request.get_host()
        except Exception:  # DisallowedHost: let the normal path answer it
            return None
        # As LocaleMiddleware resolves it: the URL prefix, else Accept-Language.
        language = translation.get_language_from_request(request, check_path=True)
        parts = "\n".join(
            (
                request.scheme,
                host,
                language,
                headers.get("HTTP_ACCEPT", ""),
                request.get_full_path(),
            )
        )
        # "1": the layout of an entry (store); another layout gets another key.
        return "pagecache:2:" + hashlib.sha256(parts.encode()).hexdigest()

    @staticmethod
    def storable(response) -> bool:
        if (
            response.status_code != 200
            or response.streaming
            or not isinstance(response, HttpResponse)
            or response.cookies
        ):
            return False
        control = response.get("Cache-Control", "").lower()
        if any(word in control for word in ("private", "no-store", "no-cache")):
            return False
        vary = response.get("Vary", "")
        return all(
            part.strip().lower() in KEYED_VARY
            for part in vary.split(",")
            if part.strip()
        )

    @staticmethod
    def store(request, response, key, version, seconds) -> None:
        nonce = getattr(request, "_csp_nonce", None)
        match = getattr(request, "resolver_match", None)
        view_class = getattr(getattr(match, "func", None), "cls", None)
        entry = (
            version,
            response.content,
            list(response.items()),
            nonce if isinstance(nonce, str) else None,
            getattr(match, "view_name", None),
            # A DRF view's class: its throttles count hits too.
            view_class if hasattr(view_class, "get_throttles") else None,
        )
        try:
            cache.set(key, entry, seconds)
        except Exception:
            logger.warning("could not store a page in the cache", exc_info=True)

    @staticmethod
    def throttles_allow(request, view_class) -> bool:
        """An API view's throttles count a hit as they count a rendered answer; when
        one refuses, the view itself answers (429 with Retry-After)."""
        if view_class is None:
            return True
        from django.contrib.auth.models import AnonymousUser  # not at app loading

        view = view_class()
        request.user = AnonymousUser()
        return all(
            throttle.allow_request(request, view) for throttle in view.get_throttles()
        )

    def hit(self, request, entry):
        _version, content, headers, nonce, view_name, _view_class = entry
        request.resolver_match = _CachedMatch(view_name)
        self.metrics.process_request(request)
        self.metrics.process_view(request, None)
        if nonce:
            fresh = _new_nonce()
            request._csp_nonce = fresh
            content = content.replace(nonce.encode(), fresh.encode())
            headers = [(name, value.replace(nonce, fresh)) for name, value in headers]
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        if "Content-Length" in response:
            response["Content-Length"] = str(len(content))
        return self.metrics.process_response(request, response)
