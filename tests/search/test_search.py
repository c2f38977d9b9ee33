"""directory.search: the same answers on SQLite (FTS5) and PostgreSQL."""

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import Organization
from directory.queries import organizations_visible_to
from directory.search import build_search_fields, search_organizations
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def found(query, queryset=None):
    queryset = Organization.objects.all() if queryset is None else queryset
    return [org.slug for org in search_organizations(queryset, query)]


@pytest.fixture
def polytechnic():
    return OrganizationFactory(
        slug="khpi",
        name_uk="Харківський політехнічний інститут",
        name_en="Kharkiv Polytechnic Institute",
        kind=Organization.Kind.EDUCATION,
        description_uk="Технічний університет, один з найстаріших в Україні.",
        description_en="A technical university with strong software engineering.",
    )


@pytest.fixture
def investor():
    return OrganizationFactory(
        slug="fund",
        name_uk="Фонд Схід",
        name_en="East Fund",
        kind=Organization.Kind.INVESTOR,
        description_uk="Фінансуємо інвестиційний проєкт у сфері енергетики.",
        description_en="We finance energy infrastructure.",
    )


@pytest.fixture
def studio():
    return OrganizationFactory(
        slug="studio",
        name_uk="Студія Піксель",
        name_en="Pixel Studio",
        description_uk="Дизайн мобільних застосунків.",
        description_en="Developing mobile applications for startups.",
    )


@pytest.fixture
def directory(polytechnic, investor, studio):
    return [polytechnic, investor, studio]


def test_inflected_ukrainian_query_finds_the_lemma(directory):
    assert found("інвестиційних проєктів") == ["fund"]


def test_genitive_finds_the_nominative(directory):
    assert found("університету") == ["khpi"]


def test_locative_of_a_city_finds_it_despite_tied_parses(directory):
    OrganizationFactory(
        slug="hub", name_uk="Хаб", description_uk="Коворкінг у Харкові."
    )
    OrganizationFactory(slug="city", name_uk="Мерія", description_uk="Місто Харків.")

    # Both match through the lemma, equally: then by name.
    assert found("Харкові") == ["city", "hub"]
    assert found("Харків ") == ["city", "hub"]


def test_english_is_stemmed(directory):
    assert found("developing") == ["studio"]
    assert found("development applications") == ["studio"]


def test_english_and_ukrainian_text_are_both_searched(directory):
    assert found("energy") == ["fund"]
    assert found("енергетика") == ["fund"]


def test_misspelt_ukrainian_name_finds_the_organization(directory):
    assert found("Харьківський політехнчний") == ["khpi"]


def test_misspelt_english_name_finds_the_organization(directory):
    assert found("Kharkov Politechnic") == ["khpi"]


def test_misspelt_words_also_match_organizations_found_by_full_text(directory):
    OrganizationFactory(slug="note", description_en="Kharkov politechnic alumni")

    assert found("Kharkov Politechnic") == ["note", "khpi"]


def test_a_query_of_dictionary_words_is_not_matched_by_misspelling(directory):
    # "політична" (political) is close to "політехнічний" but means something else.
    assert found("політична") == []


def test_misspelt_name_needs_every_word_close(directory):
    assert found("Kharkov Bakery") == []


def test_transliterated_name_is_searchable():
    OrganizationFactory(slug="tsvit", name_uk="Цвіт", name_en="")

    assert found("tsvit") == ["tsvit"]


@pytest.mark.parametrize("query", ["кав'ярні", "кав’ярні", "кавʼярня", "кавярня"])
def test_any_apostrophe_finds_words_with_apostrophes(query):
    OrganizationFactory(slug="cafe", description_uk="Кав’ярня для розробників.")

    assert found(query) == ["cafe"]


def test_every_word_must_match(directory):
    assert found("університет енергетики") == []


def test_last_word_matches_as_a_prefix_while_typing(directory):
    assert found("пол") == ["khpi"]
    assert found("пол ") == []


def test_function_words_in_the_query_are_ignored(directory):
    assert found("університет в Україні") == ["khpi"]


def test_unrelated_query_finds_nothing(directory):
    assert found("агрохолдинг") == []


def test_edrpou_is_searchable_but_a_taxpayer_number_is_not():
    OrganizationFactory(slug="company", edrpou="00032129")
    OrganizationFactory(slug="fop", name_uk="ФОП Коваль", rntrc="3184710691")

    assert found("00032129") == ["company"]
    assert found("3184710691") == []


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query_returns_the_queryset_unchanged(directory, query):
    queryset = Organization.objects.filter(kind=Organization.Kind.IT_COMPANY)

    assert search_organizations(queryset, query) is queryset


def test_query_without_words_finds_nothing(directory):
    assert found("*** ( ) ''") == []


def test_more_words_in_the_names_rank_higher():
    OrganizationFactory(slug="one", name_uk="Дрони Харків", description_uk="Освіта.")
    OrganizationFactory(slug="both", name_uk="Дрони й освіта", description_uk="")
    OrganizationFactory(slug="none", name_uk="Агенція", description_uk="Дрони, освіта.")

    assert found("освіта дрони") == ["both", "one", "none"]


def test_names_rank_above_descriptions():
    OrganizationFactory(
        slug="mention", name_uk="Агенція Схід", description_uk="Ми будуємо роботів."
    )
    OrganizationFactory(slug="robot", name_uk="Робот Плюс", description_uk="Склади.")

    assert found("роботи") == ["robot", "mention"]


def test_full_text_hits_come_before_misspelling_hits():
    OrganizationFactory(
        slug="exact", name_uk="Інша назва", description_en="Kharkov data"
    )
    OrganizationFactory(slug="close", name_uk="Харків Дата", name_en="Kharkiv Data")

    assert found("Kharkov data") == ["exact", "close"]


def test_closer_misspelling_ranks_first():
    OrganizationFactory(slug="near", name_en="Polytechnic", description_en="")
    OrganizationFactory(slug="far", name_en="Polytechnical", description_en="")

    assert found("Politechnic") == ["near", "far"]


def test_search_combines_with_filters_count_and_slicing(directory):
    OrganizationFactory.create_batch(
        25,
        kind=Organization.Kind.EDUCATION,
        cluster_status=Organization.ClusterStatus.MEMBER,
        description_uk="Університет.",
    )
    base = Organization.objects.filter(kind=Organization.Kind.EDUCATION)

    results = search_organizations(base, "університету").filter(
        cluster_status=Organization.ClusterStatus.MEMBER
    )

    assert results.count() == 25
    assert len(results[:20]) == 20
    assert "khpi" not in [org.slug for org in results]


def test_search_builds_lazily_and_counts_in_one_query(
    directory, django_assert_num_queries
):
    with django_assert_num_queries(0):
        results = search_organizations(
            Organization.objects.all(), "Kharkov Politechnic"
        )
    with django_assert_num_queries(1):
        assert results.count() == 1


def test_search_works_inside_a_subquery(directory):
    matching = search_organizations(Organization.objects.all(), "університету")

    outer = Organization.objects.filter(pk__in=matching.values("pk"))

    assert [org.slug for org in outer] == ["khpi"]


def test_a_later_order_by_replaces_relevance(directory):
    OrganizationFactory(slug="a-lab", description_uk="Лабораторія у Харкові.")
    OrganizationFactory(slug="b-hub", name_uk="Харків Хаб")
    results = search_organizations(Organization.objects.all(), "Харкова")

    assert [org.slug for org in results] == ["b-hub", "a-lab"]
    assert [org.slug for org in results.order_by("slug")] == ["a-lab", "b-hub"]


def test_search_never_leaks_organizations_not_visible(directory):
    hidden = {
        "unverified": {"verification": Organization.Verification.PENDING},
        "rejected": {"verification": Organization.Verification.REJECTED},
        "members-only": {"visibility": Organization.Visibility.MEMBERS},
        "deleted": {"deleted_at": timezone.now()},
    }
    for slug, fields in hidden.items():
        OrganizationFactory(
            slug=slug, name_uk="Харківський політехнічний інститут", **fields
        )

    anonymous = found("університету", organizations_visible_to(None))
    misspelt = found("Kharkov Politechnic", organizations_visible_to(None))
    exact = found("Харківський політехнічний", organizations_visible_to(None))

    assert anonymous == ["khpi"]
    assert misspelt == ["khpi"]
    assert exact == ["khpi"]


def test_search_shows_an_editor_their_own_unverified_organization(directory):
    own = OrganizationFactory(
        slug="own",
        name_uk="Лабораторія Квант",
        verification=Organization.Verification.PENDING,
    )
    OrganizationFactory(
        slug="other",
        name_uk="Майстерня Квант",
        verification=Organization.Verification.PENDING,
    )
    editor = UserFactory()
    MembershipFactory(user=editor, organization=own)

    assert found("квант", organizations_visible_to(editor)) == ["own"]
    assert found("квант", organizations_visible_to(None)) == []


def test_index_follows_inserts_updates_and_deletes(directory, polytechnic):
    polytechnic.name_uk = "Національний технічний університет"
    polytechnic.description_uk = "Нова назва."
    polytechnic.save()
    Organization.objects.filter(slug="fund").delete()

    assert found("Харківський політехнічний") == []
    assert found("національного") == ["khpi"]
    assert found("проєкт") == []


def test_bulk_created_organizations_are_found():
    organizations = [
        Organization(
            slug=f"bulk-{n}",
            name_uk=f"Агенція {n}",
            kind=Organization.Kind.BUSINESS,
            description_uk="Інвестиційні проєкти.",
        )
        for n in range(3)
    ]
    for organization in organizations:
        organization.search_document, organization.search_names = build_search_fields(
            organization
        )

    Organization.objects.bulk_create(organizations)

    assert found("інвестиційного проєкту") == ["bulk-0", "bulk-1", "bulk-2"]


def test_search_fields_hold_names_then_descriptions():
    organization = Organization(
        name_uk="Кав’ярня",
        name_en="",
        description_uk="Кава",
        description_en="Coffee roasting",
        rntrc="3184710691",
    )

    document, names = build_search_fields(organization)

    assert document == "кавярня kaviarnia\nкава coffee coffe roasting roast"
    assert names == "кавярня kaviarnia"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "''; DROP TABLE directory_organization; --",
        'NEAR("a" "b", 2)',
        "AND OR NOT",
        "університет AND NOT фонд",
        "*",
        "^ліцей",
        "name_uk:Харків",
        "a:* & b | !c <-> d",
        "%_\\",
        "\x00нуль",
        "Ω≈ç√∫ ½ 🎉 ١٢٣",
        "Харків" * 5000,
        "слово " * 5000,
    ],
)
def test_hostile_queries_are_safe(directory, query):
    results = search_organizations(organizations_visible_to(None), query)

    assert results.count() == len(list(results[:20]))
    assert set(results) <= set(organizations_visible_to(None))


@pytest.fixture
def hostile_directory(directory):
    OrganizationFactory(slug="hidden", verification=Organization.Verification.PENDING)
    return organizations_visible_to(None)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=200))
def test_any_text_is_a_safe_query(hostile_directory, query):
    results = search_organizations(hostile_directory, query)

    slugs = [org.slug for org in results[:20]]

    assert results.count() == len(slugs)
    assert "hidden" not in slugs


@pytest.mark.parametrize(
    ("word", "names"),
    [
        ("харьківський", "харківський політехнічний інститут"),
        ("politechnic", "kharkiv polytechnic institute"),
        ("kharkov", "kharkiv"),
        ("інститут", ""),
        ("abc", "xyz uvw"),
    ],
)
def test_both_databases_score_misspellings_alike(word, names):
    from core.text import best_word_similarity

    with connection.cursor() as cursor:
        cursor.execute("SELECT mist_word_score(%s, %s)", [word, names])
        (score,) = cursor.fetchone()

    assert score == pytest.approx(best_word_similarity(word, names), abs=1e-6)
