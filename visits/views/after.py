"""After the visit: each side's outcome, follow-ups, and the report (page and PDF)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from core.pdf import render_pdf
from core.views import save_form
from visits import forms, permissions, queries, services
from visits.models import ItemOutcome, ProgrammeItem
from visits.views.common import managed_visit, visible_visit, visit_context
from visits.views.programme import bilingual


@login_required
@require_http_methods(["GET", "POST"])
def item_outcome(request, pk, item_pk):
    """One side (the delegation or the host organization) says what came of it."""
    visit = visible_visit(request, pk)
    item = get_object_or_404(queries.programme_for(request.user, visit), pk=item_pk)
    if not permissions.can_record_outcome(request.user, item):
        raise PermissionDenied
    side = permissions.outcome_side(request.user, item)
    mine = item.outcomes.filter(side=side).first()
    initial = {"outcome": mine.outcome, "agreed": mine.agreed} if mine else {}
    form = forms.OutcomeForm(request.POST or None, initial=initial)
    if save_form(
        request,
        form,
        lambda **data: services.record_outcome(item, by=request.user, **data),
        message=_("Thank you: the outcome is recorded."),
    ):
        return redirect(visit)
    context = visit_context(
        request, visit, item=item, form=form, side=ItemOutcome.Side(side).label
    )
    return render(request, "visits/item_outcome.html", context)


def _report(visit) -> dict:
    """Who met whom, what each side says was agreed, what follows."""
    items = list(
        visit.items.exclude(status=ProgrammeItem.Status.CANCELLED)
        .filter(Q(organization__isnull=False) | Q(session__isnull=False))
        .select_related("organization", "session")
        .prefetch_related("outcomes")
    )
    rows = []
    for item in items:
        sides = {o.side: o for o in item.outcomes.all()}
        rows.append(
            {
                "item": item,
                "delegation": sides.get(ItemOutcome.Side.DELEGATION),
                "host": sides.get(ItemOutcome.Side.HOST),
            }
        )
    return {
        "rows": rows,
        "members": list(visit.members.select_related("user")),
        "follow_ups": list(queries.follow_ups_of(visit)),
    }


@login_required
@require_GET
def visit_report(request, pk):
    """The report the sister-city committee can send home."""
    visit = visible_visit(request, pk, may=permissions.can_view_report)
    can_manage = permissions.can_manage_visit(request.user, visit)
    owners = User.objects.filter(
        Q(visit_memberships__visit=visit) | Q(pk=visit.host_id)
    ).distinct()
    context = visit_context(
        request,
        visit,
        **_report(visit),
        form=forms.FollowUpForm(owners=owners) if can_manage else None,
    )
    return render(request, "visits/visit_report.html", context)


def _report_labels() -> dict:
    return {
        "title": _("Visit report"),
        "delegation": _("Delegation"),
        "met": _("Who met whom"),
        "item": _("Meeting or visit"),
        "delegation_says": _("The delegation says"),
        "host_says": _("The host organization says"),
        "follows": _("What follows"),
        "owner": _("Owner"),
        "due": _("Due"),
        "done": _("Done"),
        "none": _("Nothing recorded yet."),
        "outcomes": {key: str(label) for key, label in ItemOutcome.Outcome.choices},
    }


@login_required
@require_GET
def visit_report_pdf(request, pk):
    """The report as a bilingual tagged PDF."""
    visit = visible_visit(request, pk, may=permissions.can_view_report)
    first, second, language = bilingual(_report_labels)
    other = second["language"]
    titles = {"uk": visit.title_uk, "en": visit.title_en}
    data = _report(visit)
    for row in data["rows"]:
        for side in ("delegation", "host"):
            outcome = row[side]
            if outcome is not None:
                outcome.first_label = str(first["outcomes"][outcome.outcome])
                outcome.second_label = str(second["outcomes"][outcome.outcome])
    context = {
        "visit": visit,
        "visit_first": titles[language] or titles[other],
        "visit_second": titles[other],
        **data,
        "first": first,
        "second": second,
        "printed_at": timezone.now(),
        "site_zone_key": settings.TIME_ZONE,
    }
    pdf = render_pdf("visits/report_pdf.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="visit-{visit.pk}-report-{language}.pdf"'
    )
    response["Content-Language"] = language
    return response


@login_required
@require_POST
def follow_up_create(request, pk):
    visit = managed_visit(request, pk)
    owners = User.objects.filter(
        Q(visit_memberships__visit=visit) | Q(pk=visit.host_id)
    ).distinct()
    form = forms.FollowUpForm(request.POST, owners=owners)
    if form.is_valid():
        try:
            services.add_follow_up(visit, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The follow-up is added."))
    else:
        messages.error(
            request,
            _("The follow-up is not added: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
    return redirect("visits:visit-report", pk=visit.pk)


@login_required
@require_POST
def follow_up_done(request, pk, follow_up_pk):
    visit = visible_visit(request, pk)
    follow_up = get_object_or_404(visit.follow_ups, pk=follow_up_pk)
    if not (
        permissions.can_manage_visit(request.user, visit)
        or follow_up.owner_id == request.user.pk
    ):
        raise Http404
    services.set_follow_up_done(
        follow_up, by=request.user, done=request.POST.get("done", "1") == "1"
    )
    return redirect("visits:visit-report", pk=visit.pk)
