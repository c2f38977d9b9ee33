"""Changes to needs, offers and match profiles: one function per use case."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from core import audit
from core.services import required_reason
from core.tasks import enqueue
from matching import permissions, recommend
from matching.models import NEED_OFFER_FIELDS, MatchProfile, NeedOffer

# How long a need or offer stays valid when no date is given, and what a renewal adds.
DEFAULT_VALIDITY = datetime.timedelta(days=90)
MAX_VALIDITY = datetime.timedelta(days=366)
# Owners are reminded this many days before the end.
REMIND_DAYS_BEFORE = 7

ALLOWED_TRANSITIONS = {
    NeedOffer.Status.DRAFT: {NeedOffer.Status.PENDING},
    NeedOffer.Status.PENDING: {
        NeedOffer.Status.PUBLISHED,
        NeedOffer.Status.REJECTED,
        NeedOffer.Status.DRAFT,
    },
    NeedOffer.Status.PUBLISHED: {
        NeedOffer.Status.PENDING,
        NeedOffer.Status.EXPIRED,
        NeedOffer.Status.PUBLISHED,
    },
    NeedOffer.Status.REJECTED: {NeedOffer.Status.PENDING, NeedOffer.Status.DRAFT},
    NeedOffer.Status.EXPIRED: {NeedOffer.Status.PUBLISHED, NeedOffer.Status.PENDING},
}


def _mail(need_offer: NeedOffer, template: str, **context) -> None:
    from matching.tasks import mail_need_offer_editors

    enqueue(mail_need_offer_editors, need_offer.pk, template, context)


def _check_validity(valid_until: datetime.date) -> None:
    today = timezone.localdate()
    if valid_until < today:
        raise ValidationError(
            {"valid_until": _("Choose a date from today on.")}, code="past"
        )
    if valid_until > today + MAX_VALIDITY:
        raise ValidationError(
            {"valid_until": _("Choose a date within a year from today.")},
            code="too_far",
        )


def set_status(need_offer: NeedOffer, new: str, *, by=None) -> NeedOffer:
    """Move `need_offer` to status `new` if the state machine allows it."""
    if new not in ALLOWED_TRANSITIONS.get(need_offer.status, set()):
        raise ValidationError(
            _("A need or offer cannot go from %(old)s to %(new)s.")
            % {
                "old": NeedOffer.Status(need_offer.status).label,
                "new": NeedOffer.Status(new).label,
            },
            code="transition",
        )
    old = need_offer.status
    need_offer.status = new
    audit.record("need_offer.status", need_offer, actor=by, old=old, new=new)
    return need_offer


def _save(need_offer: NeedOffer, tags, sectors) -> NeedOffer:
    need_offer.match_terms = recommend.need_offer_terms(need_offer)
    need_offer.save()
    if tags is not None:
        need_offer.tags.set(tags)
    if sectors is not None:
        need_offer.sectors.set(sectors)
    transaction.on_commit(recommend.invalidate_index)
    return need_offer


@transaction.atomic
def create_need_offer(*, by, submit: bool = False, tags=(), sectors=(), **fields):
    """An editor of the organization drafts a need or offer (and may submit it)."""
    organization = fields["organization"]
    if not permissions.can_edit_need_offer(by, NeedOffer(organization=organization)):
        raise PermissionDenied
    fields.setdefault("valid_until", timezone.localdate() + DEFAULT_VALIDITY)
    _check_validity(fields["valid_until"])
    need_offer = NeedOffer(created_by=by, status=NeedOffer.Status.DRAFT, **fields)
    need_offer.full_clean(exclude=["match_terms"])
    _save(need_offer, tags, sectors)
    audit.record("need_offer.created", need_offer, actor=by)
    if submit:
        submit_need_offer(need_offer, by=by)
    return need_offer


@transaction.atomic
def update_need_offer(
    need_offer: NeedOffer,
    *,
    by,
    submit: bool = False,
    tags=None,
    sectors=None,
    **fields,
) -> NeedOffer:
    """Change a need or offer. A published one goes back to review, since the
    public sees only what staff approved."""
    if not permissions.can_edit_need_offer(by, need_offer):
        raise PermissionDenied
    need_offer = NeedOffer.objects.select_for_update().get(pk=need_offer.pk)
    if "organization" in fields and not permissions.can_edit_need_offer(
        by, NeedOffer(organization=fields["organization"])
    ):
        raise PermissionDenied
    for name, value in fields.items():
        if name not in NEED_OFFER_FIELDS:
            raise ValidationError(_("This field cannot be changed."), code="field")
        setattr(need_offer, name, value)
    _check_validity(need_offer.valid_until)
    need_offer.full_clean(exclude=["match_terms"])
    if need_offer.status in (NeedOffer.Status.PUBLISHED, NeedOffer.Status.EXPIRED):
        set_status(need_offer, NeedOffer.Status.PENDING, by=by)
        need_offer.submitted_at = timezone.now()
    _save(need_offer, tags, sectors)
    audit.record("need_offer.updated", need_offer, actor=by)
    if submit and need_offer.status in (
        NeedOffer.Status.DRAFT,
        NeedOffer.Status.REJECTED,
    ):
        submit_need_offer(need_offer, by=by)
    return need_offer


@transaction.atomic
def submit_need_offer(need_offer: NeedOffer, *, by) -> NeedOffer:
    """Send a draft (or a rejected one, corrected) to staff for review."""
    if not permissions.can_submit_need_offer(by, need_offer):
        raise PermissionDenied
    set_status(need_offer, NeedOffer.Status.PENDING, by=by)
    need_offer.submitted_at = timezone.now()
    need_offer.rejection_reason = ""
    need_offer.save(
        update_fields=["status", "submitted_at", "rejection_reason", "updated_at"]
    )
    return need_offer


@transaction.atomic
def approve_need_offer(need_offer: NeedOffer, *, by) -> NeedOffer:
    """Staff publish a need or offer; its editors are told."""
    if not permissions.can_moderate_needs_offers(by):
        raise PermissionDenied
    need_offer = NeedOffer.objects.select_for_update().get(pk=need_offer.pk)
    set_status(need_offer, NeedOffer.Status.PUBLISHED, by=by)
    need_offer.published_at = timezone.now()
    need_offer.decided_by = by
    need_offer.rejection_reason = ""
    if need_offer.valid_until < timezone.localdate():
        need_offer.valid_until = timezone.localdate() + DEFAULT_VALIDITY
    need_offer.save()
    transaction.on_commit(recommend.invalidate_index)
    _mail(need_offer, "published")
    return need_offer


@transaction.atomic
def reject_need_offer(need_offer: NeedOffer, *, by, reason: str) -> NeedOffer:
    """Staff decline a need or offer; its editors get the reason by e-mail."""
    if not permissions.can_moderate_needs_offers(by):
        raise PermissionDenied
    reason = required_reason(reason)
    need_offer = NeedOffer.objects.select_for_update().get(pk=need_offer.pk)
    set_status(need_offer, NeedOffer.Status.REJECTED, by=by)
    need_offer.decided_by = by
    need_offer.rejection_reason = reason
    need_offer.save()
    audit.record("need_offer.rejected", need_offer, actor=by, reason=reason)
    _mail(need_offer, "rejected", reason=reason)
    return need_offer


@transaction.atomic
def renew_need_offer(
    need_offer: NeedOffer, *, by, until: datetime.date | None = None
) -> NeedOffer:
    """Extend a published (or expired) need or offer; it stays public without a new
    review, since its text did not change."""
    if not permissions.can_renew_need_offer(by, need_offer):
        raise PermissionDenied
    need_offer = NeedOffer.objects.select_for_update().get(pk=need_offer.pk)
    today = timezone.localdate()
    until = until or max(today, need_offer.valid_until) + DEFAULT_VALIDITY
    until = min(until, today + MAX_VALIDITY)
    _check_validity(until)
    set_status(need_offer, NeedOffer.Status.PUBLISHED, by=by)
    need_offer.valid_until = until
    need_offer.reminded_at = None
    need_offer.save()
    audit.record("need_offer.renewed", need_offer, actor=by, until=str(until))
    transaction.on_commit(recommend.invalidate_index)
    return need_offer


def expire_needs_offers(*, today: datetime.date | None = None) -> int:
    """Mark published needs and offers past their date as expired."""
    today = today or timezone.localdate()
    overdue = NeedOffer.objects.filter(
        status=NeedOffer.Status.PUBLISHED, valid_until__lt=today
    )
    count = overdue.update(status=NeedOffer.Status.EXPIRED, updated_at=timezone.now())
    if count:
        transaction.on_commit(recommend.invalidate_index)
    return count


def remind_expiring_needs_offers(
    *, days: int = REMIND_DAYS_BEFORE, today: datetime.date | None = None
) -> int:
    """E-mail the editors of needs and offers ending within `days` days, once each."""
    from matching import queries

    count = 0
    for need_offer in queries.needs_offers_expiring(days, today=today):
        with transaction.atomic():
            claimed = NeedOffer.objects.filter(
                pk=need_offer.pk, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if claimed:
                _mail(need_offer, "expiring")
                count += 1
    return count


# Match profiles.


@transaction.atomic
def save_match_profile(user, *, tags=(), sectors=(), **fields) -> MatchProfile:
    """Create or change the person's match profile (what they look for)."""
    if not permissions.can_have_recommendations(user):
        raise PermissionDenied
    organization = fields.get("organization")
    if organization is not None and not acts_for(user, organization.pk):
        raise PermissionDenied
    low, high = fields.get("ticket_min"), fields.get("ticket_max")
    if low is not None and high is not None and low > high:
        raise ValidationError(
            {"ticket_max": _("The upper end must not be below the lower end.")},
            code="range",
        )
    profile, _created = MatchProfile.objects.get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.intents = [
        intent for intent in MatchProfile.Intent.values if intent in profile.intents
    ]
    profile.countries = sorted(set(profile.countries or ()))
    profile.match_terms = recommend.profile_terms(profile)
    profile.full_clean(exclude=["match_terms", "user"])
    profile.save()
    profile.tags.set(tags)
    profile.sectors.set(sectors)
    audit.record("match_profile.saved", profile, actor=user)
    return profile
