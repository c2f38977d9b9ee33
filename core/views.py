import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def render_page(
    request, template: str, context: dict, *, fragment="results", push_clean_url=False
):
    """The page, or for an htmx request that is not a boosted link only its
    `fragment` partial. With `push_clean_url` the address bar then shows only the
    filters in use, not every empty field."""
    if not request.htmx or request.htmx.boosted:
        return render(request, template, context)
    response = render(request, f"{template}#{fragment}", context)
    if push_clean_url:
        response["HX-Push-Url"] = clean_url(request)
    return response


def clean_url(request) -> str:
    """The request's address without its empty query parameters."""
    query = request.GET.copy()
    for key in list(query):
        if not any(query.getlist(key)):
            del query[key]
    encoded = query.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


def visible_or_404(user, queryset, pk, *, can_view, may=None):
    """Object `pk` of `queryset` (what `user` may see): 404 when it is missing or
    `can_view(user, it)` says no, since a hidden object must look missing; with
    `may`, a further predicate that must hold (else 403)."""
    obj = get_object_or_404(queryset, pk=pk)
    if not can_view(user, obj):
        raise Http404
    if may is not None and not may(user, obj):
        raise PermissionDenied
    return obj


def redirect_to_next(request, fallback):
    """To the POSTed `next` address when it is on this site, else to `fallback`
    (anything `redirect` takes): the page the action was started from."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def report_errors(request, error: ValidationError) -> None:
    """A service's `ValidationError` as error messages, one for each."""
    for message in error.messages:
        messages.error(request, message)


def add_errors_to_form(form, error: ValidationError) -> None:
    """A service's `ValidationError` shown on the form: each message on its field
    where the form has that field, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def save_form(request, form, save, *, message: str):
    """A bound, valid form's data handed to `save(**cleaned_data)` (a service call
    that returns what it saved); then `message` is shown and the saved object
    returned. None when the form is unbound or invalid, or when the service
    refused: its `ValidationError` is then shown on the form."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        saved = save(**form.cleaned_data)
    except ValidationError as error:
        add_errors_to_form(form, error)
        return None
    messages.success(request, message)
    return saved


def _error_page(request, template_name: str, status: int, context=None):
    """The error page in the site's layout; if that cannot render (a static file
    missing from the manifest, a broken include), the self-contained page with the
    same message, so the visitor never sees the application server's bare error."""
    try:
        return render(request, template_name, context, status=status)
    except Exception:
        logger.exception("The %s page could not render; serving the plain one", status)
        content = loader.get_template("error_plain.html").render({"code": status})
        return HttpResponse(content, status=status)


@require_GET
def home(request):
    """The landing page: what Mist is and where to go. Public."""
    # Each capability contributes its public figures through a setting, since core
    # sits below every domain app and must not import them.
    figures, highlights = {}, {}
    for path in settings.MIST_HOME_FIGURES:
        figures.update(import_string(path)())
    for path in getattr(settings, "MIST_HOME_HIGHLIGHTS", ()):
        highlights.update(import_string(path)())
    context = {"figures": figures, "highlights": highlights}
    return render(request, "core/home.html", context)


@requires_csrf_token
def permission_denied(request, exception=None):
    """403 in the site's layout, with a sign-in link for visitors."""
    return _error_page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    """404 in the site's layout; missing and hidden objects look the same."""
    return _error_page(request, "404.html", 404)


@requires_csrf_token
def server_error(request):
    """500 from a self-contained template: nothing that could fail again."""
    return HttpResponseServerError(
        loader.get_template("500.html").render({"code": 500})
    )


def csrf_failure(request, reason=""):
    """A rejected form (expired or missing CSRF token) explained in plain words."""
    return _error_page(request, "403.html", 403, {"csrf_failure": True})
