"""The documents of a submission: upload, download (blinded where needed), removal."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.storage import content_response
from core.views import report_errors
from exchange import files, permissions, services
from exchange.forms import AttachmentForm
from exchange.models import Attachment
from exchange.views.common import submission_or_404


@login_required
@require_POST
def attachment_upload(request, pk):
    submission = submission_or_404(request, pk, may=permissions.can_manage_attachments)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_attachment(
                submission, form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The document was attached."))
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect(f"{submission.get_absolute_url()}#attachments")


@login_required
@require_GET
def attachment_download(request, pk, attachment):
    """The file, for those who may see the submission; a blind call hides its name."""
    submission = submission_or_404(request, pk)
    if not permissions.can_download_attachment(request.user, submission):
        raise Http404
    item = get_object_or_404(Attachment, submission=submission, pk=attachment)
    if permissions.sees_identity(request.user, submission):
        filename = item.original_name
        content = item.file.open("rb")
    else:
        # A blind reviewer: neither the file's name nor its metadata say who wrote it.
        filename = f"submission-{submission.pk}-{item.pk}.pdf"
        with item.file.open("rb") as stored:
            content = io.BytesIO(files.without_metadata(stored.read()))
    return content_response(content, filename=filename, content_type="application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment):
    submission = submission_or_404(request, pk, may=permissions.can_manage_attachments)
    item = get_object_or_404(Attachment, submission=submission, pk=attachment)
    if request.method == "POST":
        services.delete_attachment(item, by=request.user)
        messages.success(request, _("The document was removed."))
        return redirect(f"{submission.get_absolute_url()}#attachments")
    context = {"submission": submission, "attachment": item}
    return render(request, "exchange/attachment_delete.html", context)
