"""Changes in talent: profiles (with consent), roles (moderated, expiring),
invitations and the return plan. One function per use case."""

import datetime
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.permissions import acts_for
from accounts.queries import editor_memberships
from core import audit, mail, moderation, text
from talent import aggregates, permissions
from talent.models import (
    CONSENT_VERSION,
    ROLE_FIELDS,
    Condition,
    Invitation,
    Offer,
    PlanProgress,
    PlanStep,
    Role,
    SpecialistProfile,
)

DEFAULT_VALIDITY = datetime.timedelta(days=60)
MAX_VALIDITY = datetime.timedelta(days=366)
INVITATION_TTL = datetime.timedelta(
    days=getattr(settings, "MIST_TALENT_INVITE_DAYS", 14)
)

PROFILE_FIELDS = (
    "free_skills",
    "seniority",
    "years_experience",
    "languages",
    "country_now",
    "city_now",
    "place_before",
    "intent",
    "timeframe",
    "conditions",
    "conditions_note",
    "phone",
    "visibility",
    "digest_enabled",
)


def _changed():
    transaction.on_commit(aggregates.invalidate)


# Profiles.


def profile_terms(profile: SpecialistProfile) -> str:
    return " ".join(text.document_terms(profile.free_skills))


@transaction.atomic
def save_profile(user, *, consent: bool, skills=(), **fields) -> SpecialistProfile:
    """Create or change the person's specialist profile; consent to the current
    wording is required and recorded with its time and version."""
    if not permissions.can_have_profile(user):
        raise PermissionDenied
    if not consent:
        raise ValidationError(
            {"consent": _("Agree to how Mist uses your profile to save it.")},
            code="consent",
        )
    profile = SpecialistProfile.objects.filter(user=user).first()
    created = profile is None
    if created:
        profile = SpecialistProfile(user=user)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise ValidationError(_("This field cannot be changed."), code="field")
        setattr(profile, name, value)
    profile.conditions = [
        c for c in Condition.values if c in (profile.conditions or ())
    ]
    profile.languages = sorted(set(profile.languages or ()))
    if profile.consent_version != CONSENT_VERSION or created:
        profile.consent_at = timezone.now()
        profile.consent_version = CONSENT_VERSION
    profile.match_terms = profile_terms(profile)
    profile.full_clean(exclude=["match_terms", "user", "skills"])
    profile.save()
    profile.skills.set(skills)
    audit.record(
        "talent.profile_saved", profile, actor=user, visibility=profile.visibility
    )
    _changed()
    return profile


@transaction.atomic
def delete_profile(profile: SpecialistProfile, *, by) -> None:
    """Remove the profile and everything hanging on it (invitations, progress):
    it leaves matches at once and the aggregates are recomputed."""
    if by is not None and profile.user_id != by.pk:
        raise PermissionDenied
    audit.record("talent.profile_deleted", profile, actor=by)
    profile.delete()
    _changed()


def profile_data(profile: SpecialistProfile) -> dict:
    """Everything talent holds about the person, for their JSON download."""
    invitations = profile.invitations.select_related("organization", "role")
    return {
        "format": "mist-talent-profile/1",
        "generated_at": timezone.now().isoformat(),
        "profile": {
            "id": profile.pk,
            "email": profile.user.email if profile.user_id else "",
            "name": profile.user.full_name if profile.user_id else "",
            "skills": [tag.slug for tag in profile.skills.all()],
            "free_skills": profile.free_skills,
            "seniority": profile.seniority,
            "years_experience": profile.years_experience,
            "languages": profile.languages,
            "country_now": profile.country_now.code or "",
            "city_now": profile.city_now,
            "place_before": profile.place_before.code if profile.place_before else "",
            "intent": profile.intent,
            "timeframe": profile.timeframe,
            "conditions": profile.conditions,
            "conditions_note": profile.conditions_note,
            "phone": profile.phone,
            "visibility": profile.visibility,
            "consent_at": profile.consent_at.isoformat() if profile.consent_at else "",
            "consent_version": profile.consent_version,
            "digest_enabled": profile.digest_enabled,
            "created_at": profile.created_at.isoformat(),
            "updated_at": profile.updated_at.isoformat(),
        },
        "invitations": [
            {
                "id": invitation.pk,
                "organization": invitation.organization.name_uk,
                "role": invitation.role.title_uk if invitation.role else "",
                "message": invitation.message,
                "status": invitation.status,
                "created_at": invitation.created_at.isoformat(),
                "expires_at": invitation.expires_at.isoformat(),
                "responded_at": invitation.responded_at.isoformat()
                if invitation.responded_at
                else "",
            }
            for invitation in invitations
        ],
        "return_plan_done": [
            {"step": p.step.title_uk, "done_at": p.done_at.isoformat()}
            for p in profile.progress.select_related("step")
        ],
    }


def profile_json(profile: SpecialistProfile) -> str:
    return json.dumps(profile_data(profile), ensure_ascii=False, indent=2)


# Roles.


def _check_salary(role: Role) -> None:
    if (
        role.salary_min is not None
        and role.salary_max is not None
        and role.salary_min > role.salary_max
    ):
        raise ValidationError(
            {"salary_max": _("The upper end must not be below the lower end.")},
            code="range",
        )


def role_terms(role: Role) -> str:
    names = []
    for tag in role.skills.all() if role.pk else ():
        names += [tag.name_uk, tag.name_en]
    return " ".join(
        text.document_terms(
            role.title_uk,
            role.title_en,
            role.description_uk,
            role.description_en,
            *names,
        )
    )


def _mail_editors(role: Role, template: str, **context) -> None:
    people = [
        m.user for m in editor_memberships([role.organization_id], active_only=True)
    ]
    context = {
        "role": role,
        "page_url": lambda: mail.absolute_url(role.get_absolute_url()),
        **context,
    }
    mail.send(
        f"talent/emails/{template}",
        context,
        to=people,
        other_languages=True,
        kind="talent",
    )


class Roles(moderation.Lifecycle):
    """Roles in the shared moderation life cycle; a published one may also be
    marked filled, which ends it."""

    model = Role
    transitions = {
        Role.Status.DRAFT: {Role.Status.PENDING},
        Role.Status.PENDING: {Role.Status.PUBLISHED, Role.Status.REJECTED},
        Role.Status.PUBLISHED: {
            Role.Status.PENDING,
            Role.Status.EXPIRED,
            Role.Status.PUBLISHED,
            Role.Status.FILLED,
        },
        Role.Status.REJECTED: {Role.Status.PENDING},
        Role.Status.EXPIRED: {Role.Status.PUBLISHED, Role.Status.PENDING},
        Role.Status.FILLED: set(),
    }
    fields = ROLE_FIELDS
    audit_prefix = "talent.role_"
    cannot_move = gettext_noop("A role cannot go from %(old)s to %(new)s.")
    default_validity = DEFAULT_VALIDITY
    max_validity = MAX_VALIDITY
    relations = ("skills",)

    can_edit = staticmethod(permissions.can_edit_role)
    can_submit = staticmethod(permissions.can_submit_role)
    can_moderate = staticmethod(permissions.can_moderate_roles)
    can_renew = staticmethod(permissions.can_renew_role)

    def can_create_in(self, user, organization) -> bool:
        """Only verified local organizations post roles."""
        return permissions.is_cluster_staff(user) or (
            acts_for(user, organization.pk)
            and permissions.is_home_organization(organization)
        )

    def check(self, obj) -> None:
        _check_salary(obj)

    def store(self, obj, relations):
        obj.offers = [o for o in Offer.values if o in (obj.offers or ())]
        super().store(obj, relations)
        obj.match_terms = role_terms(obj)
        obj.save(update_fields=["match_terms", "offers"])
        _changed()
        return obj

    def changed(self, *, bulk=False):
        _changed()

    def mail(self, obj, template, **context):
        _mail_editors(obj, f"role_{template}", **context)


LIFECYCLE = Roles()


# One name per use case (core.moderation.Lifecycle holds the steps).
create_role = LIFECYCLE.create
update_role = LIFECYCLE.update
submit_role = LIFECYCLE.submit
approve_role = LIFECYCLE.approve
reject_role = LIFECYCLE.reject
renew_role = LIFECYCLE.renew


@transaction.atomic
def mark_role_filled(role: Role, *, by) -> Role:
    """The organization found someone: the role leaves the list and counts as filled."""
    if not permissions.can_fill_role(by, role):
        raise PermissionDenied
    role = Role.objects.select_for_update().get(pk=role.pk)
    LIFECYCLE.set_status(role, Role.Status.FILLED, by=by)
    role.filled_at = timezone.now()
    role.save()
    _changed()
    return role


expire_roles = LIFECYCLE.expire


# Invitations.


def _invitation_context(invitation: Invitation) -> dict:
    return {
        "invitation": invitation,
        "page_url": lambda: mail.absolute_url(invitation.get_absolute_url()),
    }


@transaction.atomic
def invite(
    profile: SpecialistProfile,
    *,
    organization,
    by,
    role: Role | None = None,
    message: str = "",
) -> Invitation:
    """An editor of a verified local organization invites a specialist who allows
    organizations to see them; the specialist is told in their language."""
    if not permissions.can_invite(by, profile) or not acts_for(by, organization.pk):
        raise PermissionDenied
    if not permissions.is_home_organization(organization):
        raise PermissionDenied
    if role is not None and role.organization_id != organization.pk:
        raise ValidationError({"role": _("Choose a role of this organization.")})
    if Invitation.objects.filter(
        profile=profile,
        organization=organization,
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ValidationError(
            _("This specialist already has an open invitation from you."),
            code="duplicate",
        )
    invitation = Invitation.objects.create(
        profile=profile,
        organization=organization,
        role=role,
        invited_by=by,
        message=message.strip(),
        expires_at=timezone.now() + INVITATION_TTL,
    )
    audit.record("talent.invited", invitation, actor=by)
    mail.send(
        "talent/emails/invited",
        _invitation_context(invitation),
        to=profile.user,
        kind="talent",
    )
    _changed()
    return invitation


@transaction.atomic
def respond(invitation: Invitation, *, by, accept: bool) -> Invitation:
    """The specialist accepts (contacts become visible to both) or declines."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("profile", "organization")
        .get(pk=invitation.pk)
    )
    if not permissions.is_invited(by, invitation):
        raise PermissionDenied
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."), code="closed")
    invitation.status = (
        Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
    )
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at", "updated_at"])
    audit.record(f"talent.invitation_{invitation.status}", invitation, actor=by)
    if invitation.invited_by is not None and invitation.invited_by.is_active:
        mail.send(
            "talent/emails/answered",
            _invitation_context(invitation),
            to=invitation.invited_by,
            kind="talent",
        )
    _changed()
    return invitation


def expire_invitations(*, now=None) -> int:
    """Pending invitations past their time become expired."""
    now = now or timezone.now()
    count = Invitation.objects.filter(
        status=Invitation.Status.PENDING, expires_at__lte=now
    ).update(status=Invitation.Status.EXPIRED, updated_at=timezone.now())
    if count:
        _changed()
    return count


# Return plan.


def plan_for(profile: SpecialistProfile) -> list[tuple[PlanStep, bool]]:
    """The steps that fit the person's conditions (and the general ones), each
    with whether the person ticked it off."""
    done = set(profile.progress.values_list("step_id", flat=True))
    wanted = set(profile.conditions or ())
    return [
        (step, step.pk in done)
        for step in PlanStep.objects.all()
        if not step.condition or step.condition in wanted
    ]


def set_step_done(profile: SpecialistProfile, step: PlanStep, *, done: bool) -> None:
    if done:
        PlanProgress.objects.get_or_create(profile=profile, step=step)
    else:
        PlanProgress.objects.filter(profile=profile, step=step).delete()


# Digest.


def send_weekly_digests(*, now=None) -> int:
    """E-mail each person who wants it the roles published in the last week that
    fit them; nothing when nothing new fits."""
    from talent import matches

    now = now or timezone.now()
    since = now - datetime.timedelta(days=7)
    sent = 0
    profiles = SpecialistProfile.objects.filter(
        digest_enabled=True, user__isnull=False, user__is_active=True
    ).select_related("user")
    for profile in profiles.iterator(chunk_size=500):
        fresh = [
            m
            for m in matches.roles_for(profile, limit=10)
            if m.obj.published_at and m.obj.published_at >= since
        ]
        if not fresh:
            continue
        items = [
            {
                "role": m.obj,
                "url": lambda role=m.obj: mail.absolute_url(role.get_absolute_url()),
            }
            for m in fresh
        ]
        context = {
            "matches": items,
            "profile_url": lambda: mail.absolute_url(reverse("talent:profile-edit")),
        }
        mail.send("talent/emails/digest", context, to=profile.user)
        SpecialistProfile.objects.filter(pk=profile.pk).update(digest_sent_at=now)
        sent += 1
    return sent
