"""Changes to needs, offers and match profiles: one function per use case."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.permissions import acts_for
from core import audit, moderation
from core.tasks import enqueue
from matching import permissions, recommend
from matching.models import NEED_OFFER_FIELDS, MatchProfile, NeedOffer

# How long a need or offer stays valid when no date is given, and what a renewal adds.
DEFAULT_VALIDITY = datetime.timedelta(days=90)
MAX_VALIDITY = datetime.timedelta(days=366)
# Owners are reminded this many days before the end.
REMIND_DAYS_BEFORE = 7


class NeedOffers(moderation.Lifecycle):
    """Needs and offers in the shared moderation life cycle."""

    model = NeedOffer
    transitions = {
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
        NeedOffer.Status.EXPIRED: {
            NeedOffer.Status.PUBLISHED,
            NeedOffer.Status.PENDING,
        },
    }
    fields = NEED_OFFER_FIELDS
    audit_prefix = "need_offer."
    cannot_move = gettext_noop("A need or offer cannot go from %(old)s to %(new)s.")
    default_validity = DEFAULT_VALIDITY
    max_validity = MAX_VALIDITY
    reset_on_renew = ("reminded_at",)
    relations = ("tags", "sectors")

    can_edit = staticmethod(permissions.can_edit_need_offer)
    can_submit = staticmethod(permissions.can_submit_need_offer)
    can_moderate = staticmethod(permissions.can_moderate_needs_offers)
    can_renew = staticmethod(permissions.can_renew_need_offer)

    def store(self, obj, relations):
        obj.match_terms = recommend.need_offer_terms(obj)
        super().store(obj, relations)
        return obj

    def changed(self, *, bulk=False):
        # A saved need or offer reaches the index through matching.signals; only
        # the expiry's UPDATE sends no signal, so the index reloads needs and offers.
        if bulk:
            transaction.on_commit(recommend.invalidate_index)

    def mail(self, obj, template, **context):
        _mail(obj, template, **context)


LIFECYCLE = NeedOffers()


def _mail(need_offer: NeedOffer, template: str, **context) -> None:
    from matching.tasks import mail_need_offer_editors

    enqueue(mail_need_offer_editors, need_offer.pk, template, context)


# One name per use case (core.moderation.Lifecycle holds the steps).
create_need_offer = LIFECYCLE.create
update_need_offer = LIFECYCLE.update
submit_need_offer = LIFECYCLE.submit
approve_need_offer = LIFECYCLE.approve
reject_need_offer = LIFECYCLE.reject
renew_need_offer = LIFECYCLE.renew
expire_needs_offers = LIFECYCLE.expire


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
