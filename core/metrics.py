"""Prometheus metrics: the `/metrics` page and the background tasks' counters.

Request latency, status codes and database/cache errors come from django-prometheus'
middleware. Background tasks are counted here through Celery's signals, which fire on
a worker and for tasks run in-process alike. With several processes (app server
workers, Celery workers) on one machine, set PROMETHEUS_MULTIPROC_DIR to an empty
folder shared by all of them and `/metrics` adds up every process (see
docs/deploy.md, "Monitoring").

`/metrics` is not public: it answers only a request bearing `METRICS_TOKEN` or coming
from an address in `METRICS_ALLOWED_IPS`; anyone else gets a 404.
"""

import hmac
import ipaddress
import logging
import time

from celery import signals
from django.conf import settings
from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import Counter, Histogram

from core.logs import task_id_var
from core.network import client_ip

logger = logging.getLogger(__name__)

TASKS_STARTED = Counter(
    "mist_celery_tasks_started_total", "Background tasks started.", ["task"]
)
TASKS_SUCCEEDED = Counter(
    "mist_celery_tasks_succeeded_total", "Background tasks that succeeded.", ["task"]
)
TASKS_FAILED = Counter(
    "mist_celery_tasks_failed_total", "Background tasks that raised.", ["task"]
)
TASK_DURATION = Histogram(
    "mist_celery_task_duration_seconds",
    "Time a background task ran, whatever its outcome.",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, float("inf")),
)

_started_at: dict[str, float] = {}
_task_id_tokens: dict[str, object] = {}


def _task_name(sender) -> str:
    return getattr(sender, "name", None) or str(sender)


@signals.task_prerun.connect(dispatch_uid="mist.task_prerun")
def _task_prerun(sender=None, task_id=None, **kwargs):
    TASKS_STARTED.labels(_task_name(sender)).inc()
    _started_at[task_id] = time.perf_counter()
    _task_id_tokens[task_id] = task_id_var.set(task_id)


@signals.task_postrun.connect(dispatch_uid="mist.task_postrun")
def _task_postrun(sender=None, task_id=None, **kwargs):
    started = _started_at.pop(task_id, None)
    if started is not None:
        TASK_DURATION.labels(_task_name(sender)).observe(time.perf_counter() - started)
    token = _task_id_tokens.pop(task_id, None)
    if token is not None:
        try:
            task_id_var.reset(token)
        except ValueError:  # set in another context (thread); nothing to undo here
            task_id_var.set(None)


@signals.task_success.connect(dispatch_uid="mist.task_success")
def _task_success(sender=None, **kwargs):
    TASKS_SUCCEEDED.labels(_task_name(sender)).inc()


@signals.task_failure.connect(dispatch_uid="mist.task_failure")
def _task_failure(sender=None, task_id=None, exception=None, **kwargs):
    TASKS_FAILED.labels(_task_name(sender)).inc()


def _client_address(request) -> str | None:
    """The address that sent the request, as far as the trusted proxies say.

    Behind a proxy that is not counted in TRUSTED_PROXY_COUNT, REMOTE_ADDR is the
    proxy's own (often loopback) address for every visitor, so a forwarded request
    never counts as coming from an allowed address.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    count = settings.TRUSTED_PROXY_COUNT
    if hops and (not count or len(hops) < count):
        return None
    return client_ip(request)


def _address_allowed(address: str | None) -> bool:
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            logger.warning("METRICS_ALLOWED_IPS has an invalid entry: %r", allowed)
    return False


def _token_allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def can_read_metrics(request) -> bool:
    """A scraper with the token, or one at an allowed address."""
    return _token_allowed(request) or _address_allowed(_client_address(request))


@never_cache
@require_GET
def metrics(request):
    """Prometheus exposition. Scrapers with the token or an allowed address only."""
    if not can_read_metrics(request):
        raise Http404
    return ExportToDjangoView(request)
