import datetime

import factory
from django.utils import timezone

from matching.models import MatchProfile, NeedOffer
from tests.factories import OrganizationFactory, UserFactory


class NeedOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedOffer
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    kind = NeedOffer.Kind.NEED
    category = NeedOffer.Category.PILOT_PARTNER
    title_uk = factory.Sequence(lambda n: f"Шукаємо партнера для пілоту {n}")
    title_en = factory.Sequence(lambda n: f"Looking for a pilot partner {n}")
    description_uk = "Пілот енергоефективності в школах Харкова."
    description_en = "An energy efficiency pilot in Kharkiv schools."
    status = NeedOffer.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        from matching.recommend import need_offer_terms

        self.match_terms = need_offer_terms(self)
        if create:
            NeedOffer.objects.filter(pk=self.pk).update(match_terms=self.match_terms)


class MatchProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchProfile

    user = factory.SubFactory(UserFactory)
    intents = factory.LazyFunction(lambda: ["partnering"])
