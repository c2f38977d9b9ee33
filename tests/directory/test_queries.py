import pytest
from django.utils import timezone, translation

from accounts.models import Role
from core.diff import DiffSegment
from directory import queries, services
from directory.models import Organization, Place, Sector
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PlaceFactory,
    SectorFactory,
    TagFactory,
    UserFactory,
)

# Visibility


@pytest.fixture
def mixed(db):
    """One organization of each visibility state, keyed by a short name."""
    return {
        "public": OrganizationFactory(),
        "members": OrganizationFactory(visibility=Organization.Visibility.MEMBERS),
        "pending": OrganizationFactory(verification=Organization.Verification.PENDING),
        "rejected": OrganizationFactory(
            verification=Organization.Verification.REJECTED
        ),
        "deleted": OrganizationFactory(deleted_at=timezone.now()),
    }


def visible_keys(user, mixed):
    visible = set(queries.organizations_visible_to(user))
    return {key for key, org in mixed.items() if org in visible}


def test_anonymous_sees_only_verified_public(mixed):
    assert visible_keys(None, mixed) == {"public"}


def test_signed_in_person_sees_members_only_profiles(mixed):
    user = UserFactory(role=Role.INVESTOR)

    assert visible_keys(user, mixed) == {"public", "members"}


def test_editor_sees_own_pending_organization(mixed):
    user = MembershipFactory(organization=mixed["pending"]).user

    assert visible_keys(user, mixed) == {"public", "members", "pending"}


def test_staff_see_everything_alive(mixed, staff):
    assert visible_keys(staff, mixed) == {"public", "members", "pending", "rejected"}


def test_directory_lists_only_verified_even_for_editors_and_staff(mixed, staff):
    editor = MembershipFactory(organization=mixed["pending"]).user

    listed_for_editor = set(queries.organizations_listed_for(editor))
    listed_for_staff = set(queries.organizations_listed_for(staff))

    assert listed_for_editor == {mixed["public"], mixed["members"]}
    assert listed_for_staff == {mixed["public"], mixed["members"]}


# Filters


def names(queryset):
    return sorted(org.name_en for org in queryset)


def test_filter_by_kind(db):
    OrganizationFactory(name_en="A", kind=Organization.Kind.NGO)
    OrganizationFactory(name_en="B", kind=Organization.Kind.STARTUP)

    result = queries.filter_organizations(
        Organization.objects.all(), kind=Organization.Kind.NGO
    )

    assert names(result) == ["A"]


def test_filter_by_section_includes_its_divisions(db):
    section = SectorFactory(code="J", level=Sector.Level.SECTION)
    division = SectorFactory(code="62", parent=section)
    other = SectorFactory(code="85")
    OrganizationFactory(name_en="Section").sectors.add(section)
    OrganizationFactory(name_en="Division").sectors.add(division)
    OrganizationFactory(name_en="Both").sectors.add(section, division)
    OrganizationFactory(name_en="Other").sectors.add(other)

    by_section = queries.filter_organizations(
        Organization.objects.all(), sector=section
    )
    by_division = queries.filter_organizations(
        Organization.objects.all(), sector=division
    )

    assert names(by_section) == ["Both", "Division", "Section"]
    assert names(by_division) == ["Both", "Division"]


def test_filter_by_tag(db):
    python, go = TagFactory(slug="python"), TagFactory(slug="go")
    OrganizationFactory(name_en="Py").tags.add(python)
    OrganizationFactory(name_en="Go").tags.add(go)

    result = queries.filter_organizations(Organization.objects.all(), tag=python)

    assert names(result) == ["Py"]


def test_filter_by_oblast_includes_everything_inside(db):
    kharkiv_district = Place.objects.get(code="UA63120270010216514")
    OrganizationFactory(name_en="Kyivskyi", place=kharkiv_district)
    OrganizationFactory(name_en="Nowhere")
    oblast = Place.objects.get(code="UA63000000000041885")

    result = queries.filter_organizations(Organization.objects.all(), place=oblast)

    assert names(result) == ["Kyivskyi"]


def test_filter_by_city_includes_its_districts(db):
    city = PlaceFactory(code="UA63120270010096107", category="M")
    district = PlaceFactory(code="UA63120270010100000", category="B", parent=city)
    elsewhere = PlaceFactory(code="UA12000000000000000", category="M")
    OrganizationFactory(name_en="City", place=city)
    OrganizationFactory(name_en="District", place=district)
    OrganizationFactory(name_en="Elsewhere", place=elsewhere)

    by_city = queries.filter_organizations(Organization.objects.all(), place=city)
    by_district = queries.filter_organizations(
        Organization.objects.all(), place=district
    )

    assert names(by_city) == ["City", "District"]
    assert names(by_district) == ["District"]


def test_filter_by_country_and_cluster_membership(db):
    OrganizationFactory(
        name_en="UA member", cluster_status=Organization.ClusterStatus.MEMBER
    )
    OrganizationFactory(name_en="UA other")
    OrganizationFactory(
        name_en="US member",
        country="US",
        cluster_status=Organization.ClusterStatus.MEMBER,
    )
    everything = Organization.objects.all()

    assert names(queries.filter_organizations(everything, country="US")) == [
        "US member"
    ]
    assert names(queries.filter_organizations(everything, cluster_member="yes")) == [
        "UA member",
        "US member",
    ]
    assert names(queries.filter_organizations(everything, cluster_member="no")) == [
        "UA other"
    ]
    assert names(
        queries.filter_organizations(everything, country="UA", cluster_member="yes")
    ) == ["UA member"]


def test_empty_filters_change_nothing(db):
    OrganizationFactory.create_batch(3)

    result = queries.filter_organizations(Organization.objects.all())

    assert result.count() == 3


# Sorting


@pytest.fixture
def alphabet(db):
    return [
        OrganizationFactory(name_uk="Бета", name_en="Zeta", founded_year=2010),
        OrganizationFactory(name_uk="Альфа", name_en="Omega", founded_year=None),
        OrganizationFactory(name_uk="Гамма", name_en="Alpha", founded_year=1995),
    ]


def test_sort_by_name_uses_active_language_column(alphabet):
    everything = Organization.objects.all()

    uk = queries.sort_organizations(everything, "name", language="uk")
    en = queries.sort_organizations(everything, "name", language="en")
    en_desc = queries.sort_organizations(everything, "-name", language="en")

    assert [o.name_uk for o in uk] == ["Альфа", "Бета", "Гамма"]
    assert [o.name_en for o in en] == ["Alpha", "Omega", "Zeta"]
    assert [o.name_en for o in en_desc] == ["Zeta", "Omega", "Alpha"]


def test_sort_by_founded_puts_unknown_last(alphabet):
    result = queries.sort_organizations(Organization.objects.all(), "founded")

    assert [o.founded_year for o in result] == [1995, 2010, None]


def test_sort_newest_first(alphabet):
    result = queries.sort_organizations(Organization.objects.all(), "newest")

    assert [o.name_uk for o in result] == ["Гамма", "Альфа", "Бета"]


def test_english_sort_uses_ukrainian_name_when_english_is_empty(db):
    OrganizationFactory(name_uk="Яблуко", name_en="")
    OrganizationFactory(name_uk="Груша", name_en="Pear")

    result = queries.sort_organizations(
        Organization.objects.all(), "name", language="en"
    )

    assert [o.name_uk for o in result] == ["Груша", "Яблуко"]


# Choices and figures


def test_sector_choices_nest_divisions_under_sections(db):
    choices = dict(queries.sector_choices())
    codes = list(choices)

    assert codes.index("J") < codes.index("62") < codes.index("K")
    assert choices["J"].startswith("J · ")
    assert choices["62"].startswith("\u200362 · ")


def test_place_choices_follow_the_tree(db):
    city = PlaceFactory(code="UA1", name_uk="Місто")
    PlaceFactory(code="UA2", name_uk="Район", parent=city)

    choices = queries.place_choices()

    position = choices.index(("UA1", "Місто"))
    assert choices[position + 1] == ("UA2", "\u2003Район")


def test_place_choices_put_kharkiv_districts_under_the_city(db):
    choices = dict(queries.place_choices())

    assert choices["UA63120270010216514"].strip() == "Київський район"
    depth = choices["UA63120270010216514"].count("\u2003")
    assert choices["UA63120270010096107"].count("\u2003") == depth - 1


def test_directory_figures_count_public_organizations(mixed):
    OrganizationFactory(
        kind=Organization.Kind.NGO, cluster_status=Organization.ClusterStatus.MEMBER
    )

    figures = queries.directory_figures()

    assert figures == {"organizations": 2, "cluster_members": 1, "kinds": 2}


def test_organizations_edited_by_counts_pending_changes(organization, editor):
    services.propose_profile_changes(organization, by=editor, phone="+380500000000")
    OrganizationFactory()  # not theirs

    (mine,) = queries.organizations_edited_by(editor)

    assert mine == organization
    assert mine.pending_changes == 1


def test_describe_changes_shows_readable_old_and_new(organization, editor):
    old_tag, new_tag = TagFactory(name_en="Old"), TagFactory(name_en="New")
    organization.tags.add(old_tag)
    revision = services.propose_profile_changes(
        organization,
        by=editor,
        kind=Organization.Kind.NGO,
        tags=[new_tag],
        description_en="Changed.",
    )
    revision = queries.revisions_awaiting_moderation().get(pk=revision.pk)

    with translation.override("en"):
        rows = queries.describe_changes([revision])[revision.pk]
        by_field = {row.field: (str(row.old), str(row.new)) for row in rows}

    assert by_field["description_en"] == ("Software development.", "Changed.")
    assert by_field["kind"] == ("IT company", "NGO")
    assert by_field["tags"] == ("Old", "New")


def test_describe_changes_diffs_long_texts_word_by_word(organization, editor):
    revision = services.propose_profile_changes(
        organization,
        by=editor,
        kind=Organization.Kind.NGO,
        description_en="Software development and design.",
    )
    revision = queries.revisions_awaiting_moderation().get(pk=revision.pk)

    with translation.override("en"):
        rows = queries.describe_changes([revision])[revision.pk]
        by_field = {row.field: row for row in rows}

    assert by_field["description_en"].is_long_text
    assert by_field["description_en"].segments == (
        DiffSegment("equal", "Software development"),
        DiffSegment("insert", " and design"),
        DiffSegment("equal", "."),
    )
    assert "<ins>" in by_field["description_en"].merged
    assert not by_field["kind"].is_long_text
    assert by_field["kind"].segments is None
