"""View decorators shared by the apps."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied


def requires(predicate: Callable[..., bool]) -> Callable:
    """Answer 403 unless `predicate(request.user)` holds (an app's `can_…` from its
    permissions.py); put it below `login_required` and the method check."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    return decorator
