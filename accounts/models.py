import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel, belongs_to, user_reference


class Role(models.TextChoices):
    """Platform-wide roles; editing one organization comes from a Membership."""

    ADMIN = "admin", _("Platform admin")
    STAFF = "staff", _("Cluster staff")
    CITY_OFFICER = "city_officer", _("City officer")
    EDITOR = "editor", _("Organization editor")
    REVIEWER = "reviewer", _("Reviewer")
    INVESTOR = "investor", _("Investor")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.EDITOR
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="uk"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("admin site access"), default=False, help_text=_("May open the admin site.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set when the person's account was deleted: the row stays so that their
    # reviews, messages and audit entries keep an author (accounts.personal_data).
    anonymised_at = models.DateTimeField(
        pgettext_lazy("account", "deleted"), null=True, blank=True, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name()

    def save(self, *args, **kwargs):
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            # A new password ends the API tokens too, as it ends other sessions:
            # whatever path set it (password change, reset, admin site, command).
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user=self).delete()

    def get_full_name(self):
        if self.anonymised_at is not None:
            return self.anonymised_name()
        return self.full_name or self.email

    def get_short_name(self):
        if self.anonymised_at is not None:
            return self.anonymised_name()
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def anonymised_name(self) -> str:
        """How a deleted account is named, in the active language."""
        return gettext("Deleted user #%(number)s") % {"number": self.pk}

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)

    @property
    def is_cluster_staff(self) -> bool:
        """Cluster staff and platform admins run the directory."""
        return self.is_active and (self.is_platform_admin or self.role == Role.STAFF)


class Membership(TimeStampedModel):
    """A person belongs to an organization; editors may change its profile."""

    user = belongs_to(User, _("user"), related_name="memberships")
    organization = belongs_to(
        "directory.Organization", _("organization"), related_name="memberships"
    )
    is_editor = models.BooleanField(_("may edit the profile"), default=True)
    title = models.CharField(_("position"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="unique_membership"
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(TimeStampedModel):
    """An e-mailed invitation that creates an account with a role (and membership)."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = user_reference(
        _("invited by"), related_name="invitations_sent", blank=False
    )
    language = models.CharField(
        _("language of the e-mail"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="uk",
    )
    expires_at = models.DateTimeField(_("expires"), default=_default_expiry)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = user_reference(_("accepted by"), related_name="invitations_accepted")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self):
        return self.email

    def get_absolute_url(self):
        return reverse("accounts:invitation-accept", kwargs={"token": self.token})

    @property
    def status(self) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING


class RecoveryCode(models.Model):
    """A one-time code for signing in without the authenticator app; only a salted
    SHA-256 of it is kept (the person sees the code once, when it is made)."""

    user = belongs_to(User, _("user"), related_name="recovery_codes")
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.user} #{self.pk}"
