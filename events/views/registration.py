"""A person's registrations: register, cancel, their events and feed address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from events import permissions, queries, services
from events.forms import RegistrationForm
from events.models import Registration
from events.views.browsing import _visible_event


@login_required
@require_POST
def event_register(request, slug: str):
    event = _visible_event(request, slug, may=permissions.can_register)
    form = RegistrationForm(request.POST, user=request.user)
    organization = form.cleaned_data["organization"] if form.is_valid() else None
    try:
        registration = services.register(event, request.user, organization=organization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("You are registered. See you there!"))
    else:
        messages.info(
            request,
            _(
                "The event is full: you are on the waiting list and will move up "
                "automatically when a place opens; we will e-mail you."
            ),
        )
    return redirect(event)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, slug: str):
    """Give up one's own place, after confirming."""
    event = _visible_event(request, slug)
    registration = queries.registration_of(request.user, event)
    if registration is None or not permissions.can_cancel_registration(
        request.user, registration
    ):
        raise Http404
    if request.method == "POST":
        services.cancel_registration(registration, by=request.user)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(event)
    return render(
        request,
        "events/registration_cancel.html",
        {"event": event, "registration": registration},
    )


@login_required
@require_GET
def my_events(request):
    """The person's registrations, upcoming first, and their calendar feed."""
    now = timezone.now()
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    registrations = queries.registrations_of(request.user)
    if when == "past":
        registrations = registrations.filter(event__ends_at__lt=now).order_by(
            "-event__starts_at", "-pk"
        )
    else:
        registrations = registrations.filter(event__ends_at__gte=now)
    page = paginate(request, registrations)
    token = services.calendar_token_of(request.user)
    feed_url = request.build_absolute_uri(
        reverse("events:personal-feed", kwargs={"token": token.token})
    )
    context = {
        "page": page,
        "registrations": page.object_list,
        "when": when,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    }
    return render(request, "events/my_events.html", context)


@login_required
@require_POST
def calendar_token_regenerate(request):
    services.regenerate_calendar_token(request.user)
    messages.success(
        request,
        _("Your calendar address is new; the old one no longer works."),
    )
    return redirect("events:my-events")
