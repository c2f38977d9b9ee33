from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from stdnum.ua import edrpou, rntrc

from accounts.models import Membership, Role, User
from directory.demo import (
    DEMO_NOTE_EN,
    DEMO_NOTE_UK,
    DEMO_PASSWORD,
    build_demo_organizations,
)
from directory.models import Organization, Place
from directory.reference import KHARKIV_CITY

LOGINS = {
    "admin@mist.local": Role.ADMIN,
    "staff@mist.local": Role.STAFF,
    "officer@mist.local": Role.CITY_OFFICER,
    "editor@mist.local": Role.EDITOR,
    "reviewer@mist.local": Role.REVIEWER,
    "investor@mist.local": Role.INVESTOR,
}


def run_seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("PORT", "8123")
    return run_seed_demo()


def test_seed_demo_creates_at_least_280_organizations_of_every_kind(seeded):
    by_kind = dict(
        Organization.objects.values_list("kind").annotate(n=Count("id")).order_by()
    )

    assert Organization.objects.count() >= 280
    assert set(by_kind) == set(Organization.Kind.values)
    assert max(by_kind, key=by_kind.get) == Organization.Kind.IT_COMPANY
    assert not Organization.objects.filter(is_demo=False).exists()


def test_seed_demo_gives_valid_unique_identifiers(seeded):
    ukrainian = Organization.objects.filter(country="UA")
    codes = list(ukrainian.exclude(edrpou=None).values_list("edrpou", flat=True))
    sole_proprietors = ukrainian.filter(edrpou=None)

    assert len(codes) == len(set(codes))
    assert all(edrpou.is_valid(code) for code in codes)
    assert sole_proprietors.count() >= 3
    assert all(rntrc.is_valid(org.rntrc) for org in sole_proprietors)
    assert not Organization.objects.filter(country="US", edrpou__isnull=False).exists()


def test_seed_demo_fills_realistic_bilingual_profiles(seeded):
    organizations = Organization.objects.annotate(
        tag_count=Count("tags", distinct=True),
        sector_count=Count("sectors", distinct=True),
    )

    for org in organizations:
        assert 2 <= org.tag_count <= 5, org.slug
        assert org.sector_count >= 1, org.slug
        assert org.search_document, org.slug
        assert DEMO_NOTE_UK in org.description_uk or DEMO_NOTE_EN in org.description_en
        assert org.website.startswith("https://"), org.slug
        assert org.email, org.slug
    assert organizations.filter(name_en="").count() >= 5
    assert organizations.filter(description_en="").count() >= 5
    assert organizations.filter(description_uk="").exists()
    assert organizations.filter(description_uk__icontains="інвестиційний проєкт")
    assert organizations.filter(name_uk__icontains="університет").count() >= 5
    assert organizations.filter(
        name_uk="Харківський національний університет радіоелектроніки"
    ).exists()


def test_seed_demo_places_local_organizations_in_kharkiv(seeded):
    kharkiv = Place.objects.get(code=KHARKIV_CITY)
    districts = Place.objects.filter(parent=kharkiv)
    ukrainian = Organization.objects.filter(country="UA")
    foreign = Organization.objects.filter(country="US")

    assert not ukrainian.filter(place=None).exists()
    assert ukrainian.filter(place__in=districts).count() >= 250
    assert ukrainian.filter(place__in=districts).values("place").distinct().count() == 9
    assert not foreign.filter(locality="").exists()
    assert foreign.filter(locality__contains="Albuquerque").exists()
    assert foreign.filter(locality__endswith="California").exists()


def test_seed_demo_sets_membership_and_moderation_states(seeded):
    organizations = Organization.objects.all()
    members = organizations.filter(cluster_status=Organization.ClusterStatus.MEMBER)

    assert 180 <= members.count() <= 220
    assert not members.filter(cluster_member_since=None).exists()
    assert organizations.filter(
        verification=Organization.Verification.VERIFIED
    ).count() > (0.9 * organizations.count())
    assert organizations.filter(verification=Organization.Verification.PENDING).count()
    assert organizations.filter(visibility=Organization.Visibility.MEMBERS).count()
    assert not organizations.filter(
        verification=Organization.Verification.VERIFIED, verified_at=None
    ).exists()


def test_seed_demo_creates_one_login_per_role_and_prints_them(seeded):
    users = {user.email: user for user in User.objects.all()}

    assert {email: users[email].role for email in LOGINS} == LOGINS
    assert users["admin@mist.local"].is_staff
    assert users["admin@mist.local"].is_superuser
    assert not users["staff@mist.local"].is_superuser
    for email in LOGINS:
        assert users[email].check_password(DEMO_PASSWORD)
        assert email in seeded
    assert seeded.count(DEMO_PASSWORD) >= len(LOGINS)
    assert "http://127.0.0.1:8123/" in seeded
    editor_of = Membership.objects.filter(user=users["editor@mist.local"])
    assert editor_of.filter(is_editor=True, organization__is_demo=True).count() == 2


def test_seed_demo_twice_keeps_the_data_and_prints_the_logins_again(seeded):
    before = set(Organization.objects.values_list("slug", "edrpou"))

    output = run_seed_demo()

    assert set(Organization.objects.values_list("slug", "edrpou")) == before
    assert User.objects.filter(email__in=LOGINS).count() == len(LOGINS)
    assert Membership.objects.count() == 2
    for email in LOGINS:
        assert email in output
    # The directory's summary line names the organizations kept; other apps follow.
    assert any(str(len(before)) in line for line in output.splitlines())


def test_seed_demo_prints_site_url_when_set(db, monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://mist.example.org")

    output = run_seed_demo()

    assert "https://mist.example.org/" in output


def test_demo_organizations_are_deterministic_per_seed():
    first = build_demo_organizations(7)
    again = build_demo_organizations(7)
    other = build_demo_organizations(8)

    assert first == again
    assert [org.name_en for org in first] != [org.name_en for org in other]
