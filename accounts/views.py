"""Sign-in, the account page, invitations and the users list."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import (
    forms,
    permissions,
    queries,
    services,
    two_factor,
)
from accounts.models import Invitation, Role, User
from accounts.two_factor import services as two_factor_services
from core.decorators import requires
from core.pagination import paginate

INVITATIONS_PER_PAGE = 25
USERS_PER_PAGE = 25


# Sign-in and passwords: Django's views with our forms and templates.


class LoginView(auth_views.LoginView):
    """E-mail and password; django-axes counts the failures (the view passes
    `request` to authenticate(), which axes needs)."""

    form_class = forms.EmailAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        """People with an authenticator are signed in only after its code; people
        who must use one and have none are signed in and sent to set it up."""
        user = form.get_user()
        query = urlencode({REDIRECT_FIELD_NAME: self.get_success_url()})
        if two_factor_services.has_authenticator(user):
            two_factor.begin(self.request, user)
            return redirect(f"{reverse('accounts:two-factor-verify')}?{query}")
        two_factor.end_pending(self.request)
        response = super().form_valid(form)
        if two_factor.owes_second_factor(self.request):
            return redirect(f"{reverse('accounts:two-factor-setup')}?{query}")
        return response


class LogoutView(auth_views.LogoutView):
    """Sign out; POST only (Django 5 refuses GET)."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/emails/password_reset_body.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# The signed-in person's own account.


@login_required
@require_http_methods(["GET", "POST"])
def me(request):
    """Name, e-mail, role, language, time zone and memberships of the signed-in user."""
    user = request.user
    form = forms.ProfileForm(request.POST or None, instance=user)
    if form.is_valid():
        form.save()
        messages.success(request, gettext("Your account settings are saved."))
        url = reverse("accounts:me")
        return redirect(translate_url(url, user.preferred_language))
    context = {
        "form": form,
        "memberships": queries.memberships_of(user),
        "can_invite": permissions.can_invite(user),
        "can_manage_users": permissions.can_manage_users(user),
    }
    return render(request, "accounts/me.html", context)


# Invitations.


@login_required
@require_http_methods(["GET"])
@requires(permissions.can_manage_invitations)
def invitation_list(request):
    """Staff see every invitation, filtered by status, newest first."""
    status = request.GET.get("status", "")
    if status not in Invitation.Status.values:
        status = ""
    page = paginate(
        request, queries.invitations_with_status(status), INVITATIONS_PER_PAGE
    )
    context = {
        "page": page,
        "invitations": page.object_list,
        "status": status,
        "statuses": Invitation.Status.choices,
    }
    return render(request, "accounts/invitation_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_invite)
def invitation_create(request):
    """Invite someone with a role and, optionally, an organization to edit."""
    form = forms.InvitationForm(request.POST or None, inviter=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.invite_user(
                data["email"],
                role=data["role"],
                organization=data["organization"],
                invited_by=request.user,
                language=data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if isinstance(result, Invitation):
                messages.success(
                    request,
                    gettext("The invitation to %(email)s is on its way.")
                    % {"email": result.email},
                )
            else:
                messages.success(
                    request,
                    gettext(
                        "%(email)s already had an account; they now edit "
                        "%(organization)s and were told by e-mail."
                    )
                    % {"email": result.user.email, "organization": result.organization},
                )
            return redirect("accounts:invitation-list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The invited person sets a name and password, and is signed in."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), token=token
    )
    if not invitation.is_usable:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"invitation": invitation, "reason": invitation.status},
            status=410,
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"invitation": invitation, "reason": "exists"},
            status=410,
        )
    form = forms.AcceptInvitationForm(request.POST or None, invitation=invitation)
    if form.is_valid():
        try:
            user = services.accept_invitation(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, gettext("Welcome to Mist! Your account is ready.")
            )
            return redirect(
                translate_url(reverse("accounts:me"), user.preferred_language)
            )
    context = {"invitation": invitation, "form": form}
    return render(request, "accounts/invitation_accept.html", context)


@login_required
@require_POST
@requires(permissions.can_manage_invitations)
def invitation_resend(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    try:
        services.resend_invitation(invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The invitation to %(email)s was sent again.")
            % {"email": invitation.email},
        )
    return redirect("accounts:invitation-list")


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_manage_invitations)
def invitation_revoke(request, pk):
    """Ask first; revoke on POST."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), pk=pk
    )
    if request.method == "POST":
        try:
            services.revoke_invitation(invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("The invitation to %(email)s is revoked.")
                % {"email": invitation.email},
            )
        return redirect("accounts:invitation-list")
    return render(
        request, "accounts/invitation_revoke.html", {"invitation": invitation}
    )


# Platform admin: users.


@login_required
@require_http_methods(["GET"])
@requires(permissions.can_manage_users)
def user_list(request):
    """Search by e-mail or name, filter by role; platform admins only."""
    filters = forms.UserFilterForm(request.GET or None)
    search, role = "", ""
    if filters.is_valid():
        search = filters.cleaned_data["q"]
        role = filters.cleaned_data["role"]
    page = paginate(
        request, queries.users_for_admin(search=search, role=role), USERS_PER_PAGE
    )
    context = {"filters": filters, "page": page, "users": page.object_list}
    return render(request, "accounts/user_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@requires(permissions.can_manage_users)
def user_detail(request, pk):
    """One user: memberships, and a form to change the role."""
    person = get_object_or_404(User, pk=pk)
    can_change = permissions.can_change_user(request.user, person)
    form = forms.UserRoleForm(request.POST or None, initial={"role": person.role})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            services.change_role(
                person, role=form.cleaned_data["role"], by=request.user
            )
            messages.success(
                request,
                gettext("%(user)s is now: %(role)s.")
                % {"user": person.email, "role": Role(person.role).label},
            )
            return redirect("accounts:user-detail", pk=person.pk)
    context = {
        "person": person,
        "form": form,
        "can_change": can_change,
        "can_delete": can_change
        and permissions.can_delete_account(request.user, person),
        "memberships": queries.memberships_of(person),
        "has_two_factor": two_factor_services.has_authenticator(person),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_POST
def user_two_factor_reset(request, pk):
    """Remove someone's authenticator and recovery codes (a lost phone)."""
    person = get_object_or_404(User, pk=pk)
    if not permissions.can_change_user(request.user, person):
        raise PermissionDenied
    two_factor_services.reset(person, by=request.user)
    messages.success(
        request,
        gettext(
            "Two-factor sign-in of %(user)s is reset: they set it up again at the "
            "next sign-in if their role requires it."
        )
        % {"user": person.email},
    )
    return redirect("accounts:user-detail", pk=person.pk)


def _set_active(request, pk, *, active: bool):
    if not permissions.can_manage_users(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk)
    if not permissions.can_change_user(request.user, person):
        raise PermissionDenied
    if request.method == "POST":
        services.set_user_active(person, active=active, by=request.user)
        if active:
            text = gettext("%(user)s can sign in again.")
        else:
            text = gettext("%(user)s is deactivated and can no longer sign in.")
        messages.success(request, text % {"user": person.email})
        return redirect("accounts:user-detail", pk=person.pk)
    context = {"person": person, "active": active}
    return render(request, "accounts/user_confirm_active.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk):
    """Ask first; deactivate on POST."""
    return _set_active(request, pk, active=False)


@login_required
@require_http_methods(["GET", "POST"])
def user_reactivate(request, pk):
    """Ask first; reactivate on POST."""
    return _set_active(request, pk, active=True)
