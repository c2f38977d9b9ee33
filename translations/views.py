"""A submitter approves the machine translations of their submission; a reviewer
flags a translation problem. Both answer POST only and go back to the page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.views.common import submission_or_404
from translations import permissions, services


@login_required
@require_POST
def submission_approve(request, pk):
    submission = submission_or_404(request, pk, may=permissions.can_approve_translation)
    try:
        services.approve_machine_translations(submission, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The machine translation is now your submission's own text.")
        )
    return redirect(submission)


@login_required
@require_POST
def submission_flag(request, pk):
    submission = submission_or_404(request, pk, may=permissions.can_flag_translation)
    field, _sep, language = request.POST.get("text", "").rpartition("_")
    try:
        services.flag_translation(
            submission,
            by=request.user,
            field=field,
            language=language,
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The translation problem was sent to the submitters.")
        )
    return redirect(reverse("reviews:review-edit", kwargs={"pk": submission.pk}))
