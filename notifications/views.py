"""The notification centre, preferences and the one-click unsubscribe."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.pagination import paginate
from notifications import queries, services
from notifications.forms import PreferencesForm
from notifications.kinds import BY_CODE, DIGEST


@login_required
@require_GET
def notification_list(request):
    page = paginate(request, queries.notifications_visible_to(request.user))
    # Each row opens <list>/<pk>/ (urls.py): one reverse() for the page, not 20.
    list_url = reverse("notifications:notification-list")
    context = {
        "page": page,
        "notifications": page.object_list,
        "list_url": list_url,
    }
    return render(request, "notifications/notification_list.html", context)


@never_cache
@require_GET
def bell(request):
    """The header's bell with its unread count, fetched by htmx after the page
    (anonymous: the bare link, so an expired session never swaps in a sign-in page)."""
    context = {"unread": queries.unread_count(request.user)}
    return render(request, "notifications/_bell.html#link", context)


def _local_target(link: str) -> str | None:
    """The path of a link on this site (mail links carry SITE_URL), else None."""
    site = settings.SITE_URL.rstrip("/")
    if site and link.startswith(site + "/"):
        link = link[len(site) :]
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, None):
        return link
    return None


@login_required
@require_GET
def notification_open(request, pk: int):
    """Mark the notification read and go where it points."""
    notification = get_object_or_404(
        queries.notifications_visible_to(request.user), pk=pk
    )
    services.mark_read(notification)
    return redirect(
        _local_target(notification.link) or "notifications:notification-list"
    )


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:notification-list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(
        request.POST or None, initial_channels=queries.channels_of(request.user)
    )
    if form.is_valid():
        services.set_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: the mail client POSTs with no session; the token is the key.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET asks for confirmation; POST (the button, or the mail client's one-click
    `List-Unsubscribe=One-Click`) stops e-mails of the token's kind."""
    try:
        user_id, kind = services.read_unsubscribe_token(token)
        user = User.objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, User.DoesNotExist):
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    label = _("The daily digest") if kind == DIGEST else BY_CODE[kind].label
    done = request.method == "POST"
    if done:
        services.unsubscribe(user, kind)
    context = {"label": label, "done": done}
    return render(request, "notifications/unsubscribe.html", context)
