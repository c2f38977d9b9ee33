"""State changes of accounts: invitations, memberships, roles."""

from datetime import timedelta

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import permissions, tasks
from accounts.models import Invitation, Membership, Role, User
from core import audit
from core.tasks import enqueue

INVITATION_VALIDITY = timedelta(days=14)


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def invite_user(
    email: str,
    *,
    role: str,
    organization=None,
    invited_by: User,
    language: str = "uk",
) -> Invitation | Membership:
    """Invite a person by e-mail to join with `role` (and edit `organization`).

    When the address already has an account and an organization is given, the
    existing user becomes an editor of it at once and is told by e-mail; their role
    stays as it is (roles change only on the users page). Without an organization an
    existing account is an error: there is nothing to invite them to.
    """
    if not permissions.can_invite_role(invited_by, role):
        raise PermissionDenied
    email = normalize_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if organization is None:
            raise ValidationError(
                {
                    "email": gettext(
                        "%(email)s already has an account. Choose an organization "
                        "to add them to, or change their role on the users page."
                    )
                    % {"email": email}
                }
            )
        return add_member(existing, organization=organization, added_by=invited_by)
    if Invitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ValidationError(
            {
                "email": gettext(
                    "A pending invitation to %(email)s already exists; resend or "
                    "revoke it in the list of invitations."
                )
                % {"email": email}
            }
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            organization=organization,
            invited_by=invited_by,
            language=language,
            expires_at=timezone.now() + INVITATION_VALIDITY,
            sent_at=timezone.now(),
        )
        audit.record(
            "invitation.sent",
            invitation,
            actor=invited_by,
            email=email,
            role=role,
            organization=organization.pk if organization else None,
        )
        enqueue(tasks.send_invitation, invitation.pk)
    return invitation


def add_member(user: User, *, organization, added_by: User) -> Membership:
    """Make an existing user an editor of `organization` and tell them."""
    if not permissions.can_invite(added_by):
        raise PermissionDenied
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"is_editor": True}
        )
        if not created and membership.is_editor:
            raise ValidationError(
                {
                    "email": gettext("%(email)s already edits %(organization)s.")
                    % {"email": user.email, "organization": organization}
                }
            )
        if not created:
            membership.is_editor = True
            membership.save(update_fields=["is_editor", "updated_at"])
        audit.record(
            "membership.added",
            membership,
            actor=added_by,
            user=user.pk,
            organization=organization.pk,
        )
        enqueue(tasks.send_membership_added, membership.pk, added_by.pk)
    return membership


def _invitation_to_manage(invitation: Invitation, by: User) -> Invitation:
    """The invitation, locked for the change `by` may make (in a transaction)."""
    if not permissions.can_manage_invitations(by):
        raise PermissionDenied
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def resend_invitation(invitation: Invitation, *, by: User) -> Invitation:
    """Send the same link again and give it a fresh validity period."""
    invitation = _invitation_to_manage(invitation, by)
    if invitation.status not in (Invitation.Status.PENDING, Invitation.Status.EXPIRED):
        raise ValidationError(
            gettext("An invitation that was %(status)s cannot be sent again.")
            % {"status": invitation.get_status_display().lower()}
        )
    now = timezone.now()
    invitation.expires_at = now + INVITATION_VALIDITY
    invitation.sent_at = now
    invitation.save(update_fields=["expires_at", "sent_at", "updated_at"])
    audit.record("invitation.resent", invitation, actor=by, email=invitation.email)
    enqueue(tasks.send_invitation, invitation.pk)
    return invitation


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: User) -> Invitation:
    """Make an unused invitation's link stop working."""
    invitation = _invitation_to_manage(invitation, by)
    if invitation.accepted_at is not None:
        raise ValidationError(
            gettext("This invitation was already accepted; it cannot be revoked.")
        )
    if invitation.revoked_at is not None:
        raise ValidationError(gettext("This invitation was already revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.record("invitation.revoked", invitation, actor=by, email=invitation.email)
    return invitation


def accept_invitation(invitation: Invitation, *, full_name: str, password: str) -> User:
    """Create the invited person's account with its role and membership."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValidationError(
                gettext("This invitation can no longer be used."), code="unusable"
            )
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                gettext("An account with this e-mail address already exists."),
                code="exists",
            )
        user = User(
            email=normalize_email(invitation.email),
            full_name=full_name.strip(),
            role=invitation.role,
            preferred_language=invitation.language,
        )
        password_validation.validate_password(password, user)
        user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:
            raise ValidationError(
                gettext("An account with this e-mail address already exists."),
                code="exists",
            ) from error
        if invitation.organization is not None:
            Membership.objects.create(
                user=user, organization=invitation.organization, is_editor=True
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit.record(
            "invitation.accepted",
            invitation,
            actor=user,
            user=user.pk,
            role=user.role,
        )
    return user


def change_role(user: User, *, role: str, by: User) -> User:
    """Give `user` another platform role."""
    if not permissions.can_change_user(by, user):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": gettext("Choose one of the listed roles.")})
    if role == user.role:
        return user
    with transaction.atomic():
        old = user.role
        user.role = role
        user.save(update_fields=["role"])
        audit.record("user.role_changed", user, actor=by, old=old, new=role)
    return user


def set_user_active(user: User, *, active: bool, by: User) -> User:
    """Deactivate an account (it can no longer sign in) or reactivate it."""
    if not permissions.can_change_user(by, user):
        raise PermissionDenied
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record("user.activated" if active else "user.deactivated", user, actor=by)
    return user
