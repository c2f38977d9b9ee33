"""Investors' side (interest, terms, verification request) and staff's
verification of investors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import paginate
from core.views import add_errors_to_form
from investments import permissions, queries, services
from investments.forms import (
    InterestForm,
    TermsForm,
    VerificationRequestForm,
)
from investments.models import (
    Interest,
    InvestorVerification,
)
from investments.views.projects import _project_or_404


@login_required
@require_http_methods(["GET", "POST"])
def interest_create(request, slug):
    project = _project_or_404(request, slug)
    if Interest.objects.filter(project=project, investor=request.user).exists():
        messages.info(
            request, _("You have already expressed interest in this project.")
        )
        return redirect("investments:my-interests")
    if not permissions.can_express_interest(request.user, project):
        raise PermissionDenied
    form = InterestForm(request.POST or None, project=project)
    if form.is_valid():
        try:
            interest = services.express_interest(
                project, investor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Thank you: the city has your expression of interest."),
            )
            return redirect("investments:interest-terms", pk=interest.pk)
    context = {"project": project, "form": form}
    return render(request, "investments/interest_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interest_terms(request, pk):
    """The confidentiality terms, confirmed as a separate step."""
    interest = get_object_or_404(queries.interests_visible_to(request.user), pk=pk)
    if not permissions.can_confirm_terms(request.user, interest):
        raise PermissionDenied
    form = TermsForm(request.POST or None)
    if form.is_valid():
        services.confirm_terms(interest, by=request.user)
        messages.success(request, _("You confirmed the confidentiality terms."))
        return redirect("investments:my-interests")
    context = {"interest": interest, "project": interest.project, "form": form}
    return render(request, "investments/interest_terms.html", context)


@login_required
@require_GET
def my_interests(request):
    interests = queries.interests_of(request.user)
    page = paginate(request, interests)
    verification = InvestorVerification.objects.filter(user=request.user).first()
    context = {
        "page_obj": page,
        "interests": page.object_list,
        "verification": verification,
        "is_investor": permissions.can_request_verification(request.user),
        "verification_form": VerificationRequestForm(),
    }
    return render(request, "investments/my_interests.html", context)


@login_required
@require_POST
def verification_request(request):
    if not permissions.can_request_verification(request.user):
        raise PermissionDenied
    form = VerificationRequestForm(request.POST)
    if form.is_valid():
        services.request_verification(request.user, note=form.cleaned_data["note"])
        messages.success(request, _("Your request went to the cluster staff."))
    return redirect("investments:my-interests")


@login_required
@require_GET
def investor_list(request):
    if not permissions.can_verify_investors(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    investors = queries.investors(pending_only=status == "pending")
    page = paginate(request, investors)
    context = {"page_obj": page, "investors": page.object_list, "status": status}
    return render(request, "investments/investor_list.html", context)


@login_required
@require_POST
def investor_verify(request, pk):
    if not permissions.can_verify_investors(request.user):
        raise PermissionDenied
    investor = get_object_or_404(queries.investors(), pk=pk)
    verified = request.POST.get("decision") != "reject"
    services.verify_investor(investor, by=request.user, verified=verified)
    messages.success(
        request,
        _("%(name)s is verified.") % {"name": investor.get_full_name()}
        if verified
        else _("%(name)s was not verified.") % {"name": investor.get_full_name()},
    )
    return redirect("investments:investor-list")
