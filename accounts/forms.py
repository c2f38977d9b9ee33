"""Forms of accounts: input validation only; the views hand data to services."""

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import Invitation, Role, User
from core import mail
from core.forms import StyledMixin


class EmailAuthenticationForm(StyledMixin, auth_forms.AuthenticationForm):
    """Sign in with an e-mail address; the address is not case-sensitive."""

    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(StyledMixin, auth_forms.PasswordResetForm):
    """Sends the reset link in the language the person chose for themselves (Django
    sends it at once, through its own templates; the language rule is core.mail's)."""

    def send_mail(self, *args, **kwargs):
        context = kwargs.get("context") or args[2]
        with translation.override(mail.language_of(context.get("user"))):
            super().send_mail(*args, **kwargs)


class SetPasswordForm(StyledMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(StyledMixin, auth_forms.PasswordChangeForm):
    pass


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
    )
    return [(name, name.replace("_", " ")) for name in [*names, "UTC"]]


class ProfileForm(StyledMixin, forms.ModelForm):
    """What a person may change about themselves."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "time_zone"]
        labels = {
            "full_name": _("Full name"),
            "preferred_language": _("Preferred language"),
        }
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class InvitationForm(StyledMixin, forms.Form):
    """Whom to invite, with which role, to which organization, in which language."""

    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    organization = OrganizationChoiceField(
        label=_("Organization"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
        help_text=_("The person becomes an editor of this organization."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail"),
        choices=settings.LANGUAGES,
        initial="uk",
    )

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, label)
            for value, label in Role.choices
            if permissions.can_invite_role(inviter, value)
        ]
        self.fields["role"].initial = Role.EDITOR
        # The model comes through the foreign key: accounts does not import directory.
        organizations = Invitation._meta.get_field("organization").related_model
        self.fields["organization"].queryset = organizations.objects.filter(
            deleted_at__isnull=True
        ).order_by("name_uk")

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AcceptInvitationForm(StyledMixin, forms.Form):
    """The invited person's name and password."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            user = User(
                email=self.invitation.email, full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class UserFilterForm(StyledMixin, forms.Form):
    """Search and filter of the users list."""

    q = forms.CharField(label=_("E-mail or name"), required=False, max_length=200)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *Role.choices],
    )


class UserRoleForm(StyledMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class DeleteAccountForm(StyledMixin, forms.Form):
    """Typing the account's e-mail address confirms a deletion that cannot be undone."""

    email = forms.CharField(
        label=_("Type the account's e-mail address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self):
        typed = self.cleaned_data["email"].strip().lower()
        if typed != self.person.email.lower():
            raise forms.ValidationError(
                _("This is not the account's e-mail address; nothing was deleted.")
            )
        return typed


class TwoFactorCodeForm(StyledMixin, forms.Form):
    """A code from the authenticator app (or, where allowed, a recovery code)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, recovery_allowed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if recovery_allowed:
            field.label = _("Code from your authenticator app or a recovery code")
        else:
            field.label = _("Six-digit code from your authenticator app")
            field.widget.attrs["inputmode"] = "numeric"
