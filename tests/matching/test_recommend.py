"""Recommendations over the database: visibility, reasons, narrowing to an event."""

import pytest
from django.utils import translation

from accounts.models import Role
from directory.models import Organization, Place
from directory.reference import KHARKIV_CITY
from matching import recommend, services
from matching.models import NeedOffer
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    TagFactory,
    UserFactory,
)
from tests.matching.factories import NeedOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def us_visitor(db):
    """An editor of a smart-grid company in Albuquerque, with interests set."""
    user = UserFactory(role=Role.EDITOR, email="visitor@example.com")
    company = OrganizationFactory(
        name_en="Rio Grande Grid",
        country="US",
        locality="Albuquerque",
        description_en="Smart grid software for utilities.",
    )
    MembershipFactory(user=user, organization=company)
    energy = TagFactory(slug="energy-efficiency")
    services.save_match_profile(
        user,
        organization=company,
        intents=["partnering"],
        countries=["UA"],
        tags=[energy],
        about_en="Pilot partners in Kharkiv for energy efficiency in schools",
    )
    return user


def test_visitor_gets_kharkiv_companies_with_reasons(us_visitor):
    kharkiv = Place.objects.get(code=KHARKIV_CITY)
    energy = TagFactory(slug="energy-efficiency")
    local = OrganizationFactory(name_en="Kharkiv Energy Lab", place=kharkiv)
    local.tags.add(energy)
    unrelated = OrganizationFactory(
        name_en="Game Studio",
        place=kharkiv,
        description_uk="Мобільні ігри.",
        description_en="Mobile games.",
    )
    hidden = OrganizationFactory(
        verification=Organization.Verification.PENDING, verified_at=None
    )
    hidden.tags.add(energy)

    with translation.override("en"):
        results = recommend.recommend_for(us_visitor, kinds=("organization",))

    assert [r.obj for r in results] == [local]
    assert "Shares: Energy efficiency" in results[0].reasons
    assert any("company for a partner from" in r for r in results[0].reasons)
    assert unrelated not in [r.obj for r in results]


def test_unpublished_needs_are_never_recommended(us_visitor):
    energy = TagFactory(slug="energy-efficiency")
    published = NeedOfferFactory()
    published.tags.add(energy)
    for status in ("draft", "pending", "rejected", "expired"):
        NeedOfferFactory(status=status).tags.add(energy)

    results = recommend.recommend_for(us_visitor, kinds=("need_offer",))

    assert [r.obj for r in results] == [published]


def test_recommendations_narrow_to_given_organizations(us_visitor):
    energy = TagFactory(slug="energy-efficiency")
    first, second = OrganizationFactory(), OrganizationFactory()
    first.tags.add(energy)
    second.tags.add(energy)

    results = recommend.recommend_for(
        us_visitor, kinds=("organization",), among_organizations={second.pk}
    )

    assert [r.obj for r in results] == [second]


def test_index_follows_changes(us_visitor, django_capture_on_commit_callbacks):
    energy = TagFactory(slug="energy-efficiency")
    recommend.recommend_for(us_visitor)
    with django_capture_on_commit_callbacks(execute=True):
        late = OrganizationFactory()
        late.tags.add(energy)

    results = recommend.recommend_for(us_visitor, kinds=("organization",))

    assert [r.obj for r in results] == [late]


def test_anonymous_gets_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert recommend.recommend_for(AnonymousUser()) == []


def test_refresh_command_rebuilds_terms(us_visitor):
    need = NeedOfferFactory()
    NeedOffer.objects.filter(pk=need.pk).update(match_terms="")

    counts = recommend.refresh_match_index()

    need.refresh_from_db()
    assert counts["need_offer"] == 1
    assert counts["profile"] == 1
    assert "пілот" in need.match_terms.split()


def test_investor_gets_public_projects_in_ticket_range():
    from decimal import Decimal

    from tests.investments.factories import ProjectFactory

    investor = UserFactory(role=Role.INVESTOR, email="investor@example.com")
    services.save_match_profile(
        investor,
        intents=["investing"],
        ticket_min=Decimal(500_000),
        ticket_max=Decimal(1_000_000),
        ticket_currency="USD",
    )
    fits = ProjectFactory()
    ProjectFactory(status="draft")

    with translation.override("en"):
        results = recommend.recommend_for(investor, kinds=("project",))

    assert [r.obj for r in results] == [fits]
    assert "Your ticket size covers the amount sought" in results[0].reasons
