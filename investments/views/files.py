"""A project's documents and photos: upload, download (audited), delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.storage import file_response
from investments import permissions, queries, services
from investments.forms import DocumentForm, PhotoForm
from investments.models import ProjectDocument, ProjectPhoto
from investments.quality import describe
from investments.views.projects import _project_or_404


@login_required
@require_http_methods(["GET", "POST"])
def project_files(request, slug):
    """Documents and photos of a project: list, upload (officers)."""
    project = _project_or_404(request, slug, may=permissions.can_edit_project)
    document_form = DocumentForm(prefix="doc")
    photo_form = PhotoForm(prefix="photo")
    if request.method == "POST":
        if "doc-file" in request.FILES or request.POST.get("kind") == "document":
            document_form = DocumentForm(request.POST, request.FILES, prefix="doc")
            if document_form.is_valid():
                services.add_document(
                    project, by=request.user, **document_form.cleaned_data
                )
                messages.success(request, _("The document was added."))
                return redirect("investments:project-files", slug=project.slug)
        else:
            photo_form = PhotoForm(request.POST, request.FILES, prefix="photo")
            if photo_form.is_valid():
                services.add_photo(project, by=request.user, **photo_form.cleaned_data)
                messages.success(request, _("The photo was added."))
                return redirect("investments:project-files", slug=project.slug)
    context = {
        "project": project,
        "documents": project.documents.all(),
        "photos": project.photos.all(),
        "document_form": document_form,
        "photo_form": photo_form,
        "warnings": [describe(w) for w in project.quality_warnings],
    }
    return render(request, "investments/project_files.html", context)


@require_GET
def document_download(request, pk):
    """A document, only through this permission check; limited downloads audited."""
    document = get_object_or_404(
        ProjectDocument.objects.select_related("project"), pk=pk
    )
    if not permissions.can_see_document(request.user, document):
        raise Http404
    response = file_response(
        document.file,
        filename=document.original_name or document.file.name.rsplit("/", 1)[-1],
    )
    services.record_document_download(document, by=request.user)
    return response


@require_GET
def photo(request, pk):
    """A project's photo, for whoever may see the project: drafts' photos stay
    with the city. Shown inline (the pages' <img>); kept by the browser only."""
    item = get_object_or_404(queries.photos_visible_to(request.user), pk=pk)
    return file_response(
        item.image,
        filename=item.image.name.rsplit("/", 1)[-1],
        as_attachment=False,
        cache_control="private, max-age=3600",
    )


def _delete_file(request, model, pk, delete, message):
    """Delete a document or a photo of a project its officer may edit."""
    item = get_object_or_404(model.objects.select_related("project"), pk=pk)
    if not permissions.can_edit_project(request.user, item.project):
        raise PermissionDenied
    delete(item, by=request.user)
    messages.success(request, message)
    return redirect("investments:project-files", slug=item.project.slug)


@login_required
@require_POST
def document_delete(request, pk):
    message = _("The document was deleted.")
    return _delete_file(request, ProjectDocument, pk, services.delete_document, message)


@login_required
@require_POST
def photo_delete(request, pk):
    message = _("The photo was deleted.")
    return _delete_file(request, ProjectPhoto, pk, services.delete_photo, message)
