"""A person's own data: the page in the personal menu, the download, and deleting
an account (by the person, or by a platform admin for a person who asked)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import forms, permissions
from accounts.models import User
from accounts.personal_data import services
from core.decorators import requires


@login_required
@require_http_methods(["GET"])
def my_data(request):
    """What Mist holds about the signed-in person: download it, or delete it."""
    return render(request, "accounts/my_data.html")


@login_required
@require_POST
def my_data_download(request):
    """The signed-in person's data as a JSON file, streamed as it is read."""
    chunks = services.export_personal_data(request.user, by=request.user)
    response = StreamingHttpResponse(
        chunks, content_type="application/json; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    filename = f"mist-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _delete(request, person: User, *, cancel_url: str, done_url: str):
    if not permissions.can_delete_account(request.user, person):
        raise PermissionDenied
    own = person.pk == request.user.pk
    form = forms.DeleteAccountForm(request.POST or None, person=person)
    if form.is_valid():
        email = person.email
        try:
            services.delete_account(person, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if own:
                logout(request)
                messages.success(
                    request,
                    gettext(
                        "Your account is deleted. A confirmation is on its way to "
                        "%(email)s."
                    )
                    % {"email": email},
                )
            else:
                messages.success(
                    request,
                    gettext("The account of %(email)s is deleted and anonymised.")
                    % {"email": email},
                )
            return redirect(done_url)
    context = {"person": person, "form": form, "own": own, "cancel_url": cancel_url}
    return render(request, "accounts/account_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """The signed-in person deletes their own account."""
    return _delete(
        request, request.user, cancel_url="accounts:my-data", done_url="core:home"
    )


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_manage_users)
def user_delete(request, pk):
    """A platform admin deletes someone's account."""
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        return redirect("accounts:account-delete")
    return _delete(
        request, person, cancel_url="accounts:user-list", done_url="accounts:user-list"
    )
