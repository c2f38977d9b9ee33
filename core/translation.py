"""Bilingual content: `title_uk` and `title_en` columns read through one descriptor."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("uk", "en")
ORIGINAL_IN = {"uk": _("original in Ukrainian"), "en": _("original in English")}


@dataclass(frozen=True)
class TranslatedText:
    """A text in the reader's language, or in the other one with a mark saying so."""

    text: str
    language: str
    is_fallback: bool

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)

    @property
    def fallback_note(self):
        return ORIGINAL_IN[self.language] if self.is_fallback else ""


def active_language() -> str:
    code = (translation.get_language() or "uk")[:2]
    return code if code in LANGUAGE_CODES else "uk"


class Translated:
    """Descriptor: `title = Translated("title")` reads `title_uk`/`title_en`.

    Returns a TranslatedText in the active language, falling back to the other
    language (marked as such) when the active one is empty. A model may define
    `<field>_fallback_<lang>()` to supply a derived value (such as a transliterated
    name) before falling back.
    """

    def __init__(self, field: str):
        self.field = field

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return translated(obj, self.field)


def translated(obj, field: str, language: str | None = None) -> TranslatedText:
    """The value of `field` in `language` (default: active), with fallback."""
    language = language or active_language()
    value = getattr(obj, f"{field}_{language}", "") or ""
    if value:
        return TranslatedText(value, language, is_fallback=False)
    derive = getattr(obj, f"{field}_fallback_{language}", None)
    if derive is not None:
        derived = derive()
        if derived:
            return TranslatedText(derived, language, is_fallback=False)
    other = "en" if language == "uk" else "uk"
    value = getattr(obj, f"{field}_{other}", "") or ""
    return TranslatedText(value, other, is_fallback=bool(value))


def in_each_language(render, field: str) -> dict[str, str]:
    """`render()` called once in each language, as `{f"{field}_uk": ..., ...}`: for a
    message written where the reader's language is not known (a background task)."""
    texts = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            texts[f"{field}_{language}"] = str(render())
    return texts
