"""core.text: words, Ukrainian lemmas, English stems, queries and trigram similarity."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import text


def test_words_unifies_ukrainian_apostrophes():
    spellings = ["кав'ярня", "кав’ярня", "кавʼярня", "кав`ярня"]

    found = [text.words(spelling) for spelling in spellings]

    assert found == [["кав'ярня"]] * 4


def test_words_splits_hyphens_and_punctuation():
    assert text.words("IT-кластер «Харків», foo_bar; 3D-друк") == [
        "it",
        "кластер",
        "харків",
        "foo",
        "bar",
        "3d",
        "друк",
    ]


def test_words_drops_stress_marks_but_keeps_letters_with_diacritics():
    assert text.words("Харкі́в й ї Café") == ["харків", "й", "ї", "café"]


def test_words_skips_words_too_long_to_be_language():
    assert text.words("a" * 61 + " проєкт") == ["проєкт"]


def test_word_forms_of_a_known_ukrainian_word_are_its_lemmas():
    assert text.word_forms("інвестиційних") == ("інвестиційний",)
    assert text.word_forms("даних") == ("даний", "дані")


def test_word_forms_of_an_unknown_ukrainian_word_keep_it_beside_the_guesses():
    forms = text.word_forms("каронісу")

    assert forms[0] == "каронісу"
    assert "кароніс" in forms


def test_word_forms_keep_every_tied_lemma():
    # The first parse of "Харкові" is the surname "Харко"; the city must stay too.
    assert set(text.word_forms("харкові")) == {"харко", "харків"}


def test_word_forms_of_a_word_with_an_apostrophe_carry_no_apostrophe():
    assert text.word_forms("кав'ярні") == ("кавярня",)


@pytest.mark.parametrize(
    ("word", "stem"),
    [("developing", "develop"), ("development", "develop"), ("projects", "project")],
)
def test_word_forms_of_an_english_word_include_its_stem(word, stem):
    assert text.word_forms(word) == (word, stem)


def test_word_forms_of_a_number_is_the_number():
    assert text.word_forms("2024") == ("2024",)


def test_document_terms_lists_each_term_once_in_order():
    terms = text.document_terms("Університет університету", "developing development")

    assert terms == [
        "університет",
        "developing",
        "develop",
        "development",
    ]


def test_parse_query_drops_function_words():
    words = text.parse_query("університет у Харкові ")

    assert [word.word for word in words] == ["університет", "харкові"]


def test_parse_query_keeps_function_words_when_nothing_else_is_left():
    assert [word.word for word in text.parse_query("the ")] == ["the"]


def test_parse_query_matches_the_last_word_as_a_prefix_while_typing():
    typing = text.parse_query("харківський політехн")
    finished = text.parse_query("харківський політехн ")

    assert [word.prefix for word in typing] == [False, True]
    assert [word.prefix for word in finished] == [False, False]


def test_parse_query_takes_a_whole_long_dictionary_word_as_typed():
    assert [word.prefix for word in text.parse_query("підприємство")] == [False]
    assert [word.prefix for word in text.parse_query("підприєм")] == [True]
    assert [word.prefix for word in text.parse_query("агро")] == [True]
    assert [word.prefix for word in text.parse_query("developm")] == [True]


def test_parse_query_does_not_treat_short_last_words_as_prefixes():
    assert [word.prefix for word in text.parse_query("it")] == [False]


def test_parse_query_is_bounded():
    words = text.parse_query(" ".join(f"слово{n}" for n in range(1000)))

    assert len(words) == text.MAX_QUERY_WORDS


def test_parse_query_of_punctuation_only_is_empty():
    assert text.parse_query("\"'*()^:-+ AND") != []  # "and" alone is still a word
    assert text.parse_query("\"'*()^:-+") == []


def test_word_similarity_is_pg_trgm_similarity():
    # Values from PostgreSQL: SELECT similarity('харьківський', 'харківський').
    assert text.word_similarity("харьківський", "харківський") == pytest.approx(2 / 3)
    assert text.word_similarity("kharkov", "kharkiv") == pytest.approx(5 / 11)
    assert text.word_similarity("word", "word") == 1.0
    assert text.word_similarity("", "word") == 0.0


def test_best_word_similarity_takes_the_closest_word():
    names = "харківський політехнічний інститут"

    assert text.best_word_similarity("інститут", names) == 1.0
    assert text.best_word_similarity("політехнчний", names) == pytest.approx(11 / 16)


@given(st.text(max_size=400))
def test_parse_query_never_raises_and_yields_plain_terms(query):
    for word in text.parse_query(query):
        assert word.forms
        for form in (*word.forms, word.word):
            assert form
            assert all(ch.isalnum() for ch in form), form
