import datetime

import factory
from django.utils import timezone

from talent import aggregates
from talent.models import CONSENT_VERSION, Invitation, Role, SpecialistProfile
from tests.factories import OrganizationFactory, UserFactory


class SpecialistProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialistProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    intent = SpecialistProfile.Intent.RETURN
    timeframe = SpecialistProfile.Timeframe.MONTHS_6
    seniority = "senior"
    country_now = "PL"
    city_now = "Kraków"
    free_skills = "Python, PostgreSQL"
    conditions = factory.LazyFunction(lambda: ["shelter", "housing"])
    visibility = SpecialistProfile.Visibility.ORGANIZATIONS
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = CONSENT_VERSION

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        from talent.services import profile_terms

        if create and extracted:
            self.skills.set(extracted)
        self.match_terms = profile_terms(self)
        if create:
            SpecialistProfile.objects.filter(pk=self.pk).update(
                match_terms=self.match_terms
            )
            aggregates.invalidate()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title_uk = factory.Sequence(lambda n: f"Розробник Python {n}")
    title_en = factory.Sequence(lambda n: f"Python developer {n}")
    description_uk = "Сервіси на Python і PostgreSQL."
    description_en = "Services in Python and PostgreSQL."
    work_mode = Role.WorkMode.REMOTE
    seniority = "senior"
    offers = factory.LazyFunction(lambda: ["relocation"])
    status = Role.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    valid_until = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        from talent.services import role_terms

        if create and extracted:
            self.skills.set(extracted)
        self.match_terms = role_terms(self)
        if create:
            Role.objects.filter(pk=self.pk).update(match_terms=self.match_terms)
            aggregates.invalidate()


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    profile = factory.SubFactory(SpecialistProfileFactory)
    organization = factory.SubFactory(OrganizationFactory)
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=14)
    )
