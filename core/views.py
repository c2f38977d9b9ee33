from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.module_loading import import_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET


@require_GET
def home(request):
    """The landing page: what Mist is and where to go. Public."""
    # Each capability contributes its public figures through a setting, since core
    # sits below every domain app and must not import them.
    figures = {}
    for path in settings.MIST_HOME_FIGURES:
        figures.update(import_string(path)())
    context = {"figures": figures}
    return render(request, "core/home.html", context)


@requires_csrf_token
def permission_denied(request, exception=None):
    """403 in the site's layout, with a sign-in link for visitors."""
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    """404 in the site's layout; missing and hidden objects look the same."""
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """500 from a self-contained template: nothing that could fail again."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def csrf_failure(request, reason=""):
    """A rejected form (expired or missing CSRF token) explained in plain words."""
    return render(request, "403.html", {"csrf_failure": True}, status=403)
