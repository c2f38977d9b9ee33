import itertools
import random

from django.utils import translation

from core.diff import DiffSegment, diff_words, render_diff, tokenize

ADDED = '<span class="visually-hidden">Added text: </span>'
ADDED_END = '<span class="visually-hidden"> End of added text.</span>'
DELETED = '<span class="visually-hidden">Deleted text: </span>'
DELETED_END = '<span class="visually-hidden"> End of deleted text.</span>'


def rendered(old, new):
    with translation.override("en"):
        return str(render_diff(diff_words(old, new)))


def test_tokenize_keeps_every_character_and_apostrophes_inside_words():
    text = "Кав'ярня «Світ»,  well-known.\n\nNext"

    tokens = tokenize(text)

    assert "".join(tokens) == text
    assert tokens == [
        "Кав'ярня",
        " «",
        "Світ",
        "»",
        ",",
        "  well-known",
        ".",
        "\n\nNext",
    ]


def test_identical_texts_are_one_equal_segment():
    assert diff_words("Same text.\n\nTwo.", "Same text.\n\nTwo.") == [
        DiffSegment("equal", "Same text.\n\nTwo.")
    ]
    assert rendered("Same text.", "Same text.") == "Same text."


def test_empty_texts_have_no_segments():
    assert diff_words("", "") == []


def test_added_sentence_is_the_only_insertion():
    old = "Alphahub builds software. Member since 2026."
    new = "Alphahub builds software. Member since 2026.\n\nThis year: Albuquerque."

    segments = diff_words(old, new)

    assert segments == [
        DiffSegment("equal", old),
        DiffSegment("insert", "\n\nThis year: Albuquerque."),
    ]
    assert rendered(old, new) == (
        f"{old}\n\n<ins>{ADDED}This year: Albuquerque.{ADDED_END}</ins>"
    )


def test_removed_word_is_the_only_deletion():
    segments = diff_words("A quick brown fox.", "A brown fox.")

    assert segments == [
        DiffSegment("equal", "A"),
        DiffSegment("delete", " quick"),
        DiffSegment("equal", " brown fox."),
    ]
    assert rendered("A quick brown fox.", "A brown fox.") == (
        f"A <del>{DELETED}quick{DELETED_END}</del> brown fox."
    )


def test_replaced_words_read_as_one_deletion_and_one_insertion():
    segments = diff_words("one two three four", "one five six four")

    assert segments == [
        DiffSegment("equal", "one"),
        DiffSegment("delete", " two three"),
        DiffSegment("insert", " five six"),
        DiffSegment("equal", " four"),
    ]


def test_changed_paragraph_keeps_the_other_paragraphs_and_breaks():
    old = "First paragraph.\n\nThe team has ten people.\n\nLast paragraph."
    new = (
        "First paragraph.\n\nThe team has forty people in two offices."
        "\n\nLast paragraph."
    )

    segments = diff_words(old, new)

    assert segments == [
        DiffSegment("equal", "First paragraph.\n\nThe team has"),
        DiffSegment("delete", " ten"),
        DiffSegment("insert", " forty"),
        DiffSegment("equal", " people"),
        DiffSegment("insert", " in two offices"),
        DiffSegment("equal", ".\n\nLast paragraph."),
    ]
    assert "".join(s.text for s in segments if s.kind != "insert") == old
    assert "".join(s.text for s in segments if s.kind != "delete") == new


def test_added_sentence_after_a_full_stop_keeps_its_own_full_stop():
    segments = diff_words("It can do more.", "It can do more.\n\nAnd Albuquerque.")

    assert segments == [
        DiffSegment("equal", "It can do more."),
        DiffSegment("insert", "\n\nAnd Albuquerque."),
    ]


def test_added_paragraph_break_gets_a_visible_mark():
    assert rendered("One. Two.", "One.\n\nTwo.") == (
        f"One.<ins>{ADDED}¶{ADDED_END}</ins>\n\nTwo."
    )


def test_long_texts_with_common_words_still_diff_word_by_word():
    sentence = "the team and the city and the cluster work together. "
    old = sentence * 40
    new = sentence * 20 + "A new sentence. " + sentence * 20

    segments = diff_words(old, new)

    assert [s for s in segments if s.kind != "equal"] == [
        DiffSegment("insert", " A new sentence.")
    ]


def test_html_in_user_text_is_escaped():
    html = rendered("<b>Bold</b> & co", '<b>Bold</b> & co <script>alert("x")</script>')

    assert "<script>" not in html
    assert "<b>" not in html
    assert html.startswith("&lt;b&gt;Bold&lt;/b&gt; &amp; co ")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_labels_follow_the_active_language():
    with translation.override("uk"):
        html = str(render_diff([DiffSegment("insert", "нове")]))

    assert "<ins>" in html
    assert "нове" in html


def test_segments_always_rebuild_both_texts():
    words = ["the", "team", ".", " ", "\n\n", "Kharkiv", ",", "city", "  ", "ʼ"]
    rng = random.Random(7)
    for _ in range(300):
        old = "".join(rng.choice(words) for _ in range(rng.randrange(0, 30)))
        new = "".join(rng.choice(words) for _ in range(rng.randrange(0, 30)))

        segments = diff_words(old, new)

        assert "".join(s.text for s in segments if s.kind != "insert") == old
        assert "".join(s.text for s in segments if s.kind != "delete") == new
        assert all(s.text for s in segments)
        kinds = [s.kind for s in segments]
        assert all(a != b for a, b in itertools.pairwise(kinds))
