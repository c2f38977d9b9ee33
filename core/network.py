"""Who sent a request, as far as the trusted proxies say: one rule for the sign-in
lockout (django-axes), the API throttle's proxy count, the metrics page and the
rate limit on anonymous downloads (within_rate)."""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies
    that append to X-Forwarded-For, the address the outermost proxy saw."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def within_rate(request, scope: str, *, limit: int, seconds: int) -> bool:
    """Count one more request of `scope` from the client's address in the current
    window of `seconds` (in the shared cache); False once past `limit`."""
    window = int(time.time() // seconds)
    key = f"rate:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit
