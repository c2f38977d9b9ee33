import factory
from django.utils import timezone

from accounts.models import Membership, Role, User
from directory.models import Organization, Place, Sector, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.EDITOR
    password = factory.django.Password("correct-horse-42")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_uk = factory.Sequence(lambda n: f"Організація {n}")
    name_en = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    kind = Organization.Kind.IT_COMPANY
    description_uk = "Розробка програмного забезпечення."
    description_en = "Software development."
    verification = Organization.Verification.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)
    visibility = Organization.Visibility.PUBLIC


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    is_editor = True


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n}")
    level = Sector.Level.DIVISION
    name_uk = factory.Sequence(lambda n: f"Сектор {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name_uk = factory.Sequence(lambda n: f"Тег {n}")
    name_en = factory.Sequence(lambda n: f"Tag {n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"UA9{n:016d}")
    category = "B"
    name_uk = factory.Sequence(lambda n: f"Район {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


def accepted_submission(**submission_fields):
    """A submission accepted by a released decision in a call whose results are
    published: an initiative on the public journey pages (issue 13)."""
    from exchange.models import Call
    from reviews.models import Decision
    from tests.reviews.factories import DecisionFactory

    submission_fields.setdefault("call__phase", Call.Phase.PUBLISHED)
    submission_fields.setdefault("title_en", "Smart parking")
    decision = DecisionFactory(
        status=Decision.Status.RELEASED,
        released_at=timezone.now(),
        note_uk="Сильна команда і зрозумілий пілот.",
        note_en="A strong team and a clear pilot.",
        **{f"submission__{key}": value for key, value in submission_fields.items()},
    )
    return decision.submission
