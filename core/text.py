"""Text for search: words, Ukrainian lemmas (pymorphy3), English stems (Snowball).
(The encoding of uploaded text files is core.importing.files.detect_encoding().)

Every term this module emits is a run of letters and digits, lower-cased, with no
punctuation, so PostgreSQL's text-search parser and SQLite's FTS5 tokenizer both see
it as exactly one token.

pymorphy3's parses often tie (for "Харкові" the first parse is a surname "Харко"),
so a Ukrainian word stands for *every* candidate lemma (plus its own spelling when
the dictionary does not know it): the index holds all of them, and a query word
matches when any of its forms is there.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

# Letters and digits, with apostrophes inside a word (кав'ярня, O'Reilly) kept in it.
_WORD = re.compile(r"[^\W_]+(?:['’ʼ`‘][^\W_]+)*")
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]")

# Words longer than this are not language (hashes, base64, keyboard mashing).
MAX_WORD_LENGTH = 60
# A query is cut to this many characters and words before any work is done on it.
MAX_QUERY_LENGTH = 256
MAX_QUERY_WORDS = 12
# A query's last word also matches as a prefix (type-ahead) from this many letters,
# but not when it is a whole dictionary word of PREFIX_UNLESS_KNOWN_FROM letters.
MIN_PREFIX_LENGTH = 3
PREFIX_UNLESS_KNOWN_FROM = 6

# Function words dropped from queries (not from documents): a query "університет у
# Харкові" should not require the document to contain "у".
STOP_WORDS = frozenset(
    [
        *("а", "але", "б", "би", "в", "від", "все", "де", "для", "до", "з", "за"),
        *("зі", "із", "й", "і", "її", "їх", "на", "над", "о", "об", "по", "при"),
        *("про", "та", "те", "то", "у", "що", "щоб", "як", "яка", "який", "які"),
        *("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has"),
        *("have", "in", "is", "of", "on", "or", "the", "to", "with"),
    ]
)

_morph = None
_morph_lock = threading.Lock()
_stemmer_local = threading.local()


def _analyzer():
    """The Ukrainian MorphAnalyzer, loaded once (it takes ~100 ms and ~15 MB)."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3

                _morph = pymorphy3.MorphAnalyzer(lang="uk")
    return _morph


def _stem(word: str) -> str:
    # Snowball stemmers keep state; one per thread.
    stemmer = getattr(_stemmer_local, "stemmer", None)
    if stemmer is None:
        stemmer = _stemmer_local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def normalize(text: str) -> str:
    """NFKC, lower case, stray combining marks (stress accents) gone, one apostrophe."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    if not text.isascii():
        # After NFKC, й, ї and é are single characters; what is still a combining
        # mark has no composed form (a stress accent over a Cyrillic vowel).
        text = _COMBINING.sub("", text)
        # str.replace is much faster than str.translate on non-ASCII text.
        for apostrophe in "’ʼ‘":
            if apostrophe in text:
                text = text.replace(apostrophe, "'")
    return text.replace("`", "'")


def words(text: str) -> list[str]:
    """The words of `text`, normalized; an apostrophe inside a word is kept as "'"."""
    return [w for w in _WORD.findall(normalize(text)) if len(w) <= MAX_WORD_LENGTH]


def _term(word: str) -> str:
    # Both databases' tokenizers split words at an apostrophe; terms carry none.
    return word.replace("'", "")


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> tuple[str, ...]:
    """The terms a word from words() stands for.

    A Ukrainian dictionary word stands for its lemmas only: every other form of the
    word carries the same lemmas, so the form itself would add nothing but size.
    A word the dictionary does not know (a brand, a misspelling) keeps its own
    spelling too, beside the analyzer's guesses. A Latin word stands for itself
    and its English stem (itself, so that type-ahead prefixes match as typed).
    """
    if _CYRILLIC.search(word):
        analyzer = _analyzer()
        # The dictionary spells the apostrophe as "'", as words() does.
        candidates = [parse.normal_form for parse in analyzer.parse(word)]
        forms = [] if analyzer.word_is_known(word) else [_term(word)]
    elif _LATIN.search(word):
        candidates = [_stem(word)]
        forms = [_term(word)]
    else:
        candidates = []
        forms = [_term(word)]
    for candidate in candidates:
        term = _term(normalize(candidate))
        if term and term not in forms:
            forms.append(term)
    return tuple(forms) or (_term(word),)


@lru_cache(maxsize=10_000)
def is_dictionary_word(word: str) -> bool:
    """Whether `word` is a Ukrainian word the dictionary knows as it is spelt."""
    return bool(_CYRILLIC.search(word)) and _analyzer().word_is_known(word)


def document_terms(*texts: str) -> list[str]:
    """Every term of `texts` for the index, each once, in order of appearance."""
    seen = {}
    for text in texts:
        if not text:
            continue
        for word in words(text):
            for form in word_forms(word):
                seen.setdefault(form, None)
    return list(seen)


def name_words(*names: str) -> list[str]:
    """The words of `names`, normalized, each once: the text misspellings match."""
    seen = {}
    for name in names:
        for word in words(name or ""):
            seen.setdefault(_term(word), None)
    return list(seen)


class QueryWord:
    """One word of a query: the terms any of which may match, and its spelling."""

    __slots__ = ("forms", "prefix", "word")

    def __init__(self, word: str, *, prefix: bool):
        self.word = _term(word)
        self.forms = word_forms(word)
        # Only the word as typed is a prefix; lemmas of a half-typed word are noise.
        self.prefix = prefix

    def __repr__(self):
        star = "*" if self.prefix else ""
        return f"QueryWord({self.word!r}{star}, {self.forms!r})"


def parse_query(query: str) -> list[QueryWord]:
    """The words of a search query, every one of which must match (AND).

    Function words are dropped unless nothing else is left. The last word also
    matches as a prefix when the query does not end with a space (type-ahead),
    unless it is a whole Ukrainian dictionary word of 6 letters or more.
    """
    query = (query or "")[:MAX_QUERY_LENGTH]
    found = words(query)
    meaningful = [word for word in found if word not in STOP_WORDS] or found
    meaningful = list(dict.fromkeys(meaningful))[:MAX_QUERY_WORDS]
    if not meaningful:
        return []
    last = meaningful[-1]
    typing_last = (
        not query[-1:].isspace()
        and len(last) >= MIN_PREFIX_LENGTH
        and found[-1] == last
        # A whole dictionary word of some length is most likely meant as typed;
        # prefix matching it (costly in the index) would add little.
        and (len(last) < PREFIX_UNLESS_KNOWN_FROM or not is_dictionary_word(last))
    )
    return [
        QueryWord(word, prefix=typing_last and index == len(meaningful) - 1)
        for index, word in enumerate(meaningful)
    ]


def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before, one after."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def word_similarity(word: str, other: str) -> float:
    """pg_trgm's similarity() of two single words: shared trigrams over all trigrams."""
    if not word or not other:
        return 0.0
    mine, theirs = trigrams(word), trigrams(other)
    shared = len(mine & theirs)
    return shared / (len(mine) + len(theirs) - shared)


def best_word_similarity(word: str, names: str) -> float:
    """How well `word` matches the closest word of the space-separated `names`."""
    if not word or not names:
        return 0.0
    return max((word_similarity(word, name) for name in names.split()), default=0.0)
