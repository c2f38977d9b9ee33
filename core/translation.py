"""Bilingual content: `title_uk` and `title_en` columns read through one descriptor.

A model may also carry machine translations (`MachineTranslatable`): kept apart from
the human text in one JSON column of the same row, read here only when the reader's
language has no human text and the translation is of the current source text.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = ("uk", "en")
ORIGINAL_IN = {"uk": _("original in Ukrainian"), "en": _("original in English")}
MACHINE_NOTE = {
    "uk": _("machine translation — original in Ukrainian"),
    "en": _("machine translation — original in English"),
}
HUMAN = "human"
MACHINE = "machine"
MACHINE_FIELD = "machine_translations"


@dataclass(frozen=True)
class TranslatedText:
    """A text in the reader's language, or in the other one with a mark saying so."""

    text: str
    language: str
    is_fallback: bool
    # Who wrote `text`: HUMAN, or MACHINE (then `engine`, the time it was translated
    # and the language of the original it was translated from).
    origin: str = HUMAN
    engine: str = ""
    translated_at: str = ""
    source_language: str = ""

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)

    @property
    def is_machine(self) -> bool:
        return self.origin == MACHINE

    @property
    def fallback_note(self):
        """The mark templates show beside a text not written by a person in the
        reader's language (a machine translation counts as a fallback)."""
        if self.is_machine:
            return MACHINE_NOTE[self.source_language]
        return ORIGINAL_IN[self.language] if self.is_fallback else ""


def text_hash(text: str) -> str:
    """What a machine translation was made from: it is current while this matches."""
    return hashlib.sha256(text.strip().encode()).hexdigest()[:32]


def machine_translation_enabled() -> bool:
    return bool(getattr(settings, "MIST_TRANSLATION_ENGINE", ""))


def machine_entry(obj, field: str, language: str) -> dict | None:
    """The current machine translation of `field` into `language`, or None.

    Reads the row's own column (never a deferred load, so no query per object) and
    checks that the text it was made from is still the text of the other language.
    """
    store = obj.__dict__.get(MACHINE_FIELD)
    if not store:
        return None
    entry = store.get(f"{field}_{language}")
    if not entry or not entry.get("text"):
        return None
    source = obj.__dict__.get(f"{field}_{entry.get('source')}") or ""
    if not source.strip() or entry.get("hash") != text_hash(source):
        return None
    return entry


def machine_text(obj, field: str, language: str) -> TranslatedText | None:
    """The machine translation of `field` into `language` as a marked text, when
    machine translation is on and the human text of `language` is empty."""
    if not machine_translation_enabled():
        return None
    if (obj.__dict__.get(f"{field}_{language}") or "").strip():
        return None
    entry = machine_entry(obj, field, language)
    if entry is None:
        return None
    return TranslatedText(
        entry["text"],
        language,
        is_fallback=True,
        origin=MACHINE,
        engine=entry.get("engine", ""),
        translated_at=entry.get("at", ""),
        source_language=entry["source"],
    )


class MachineTranslatable(models.Model):
    """Machine translations of the model's bilingual fields, apart from human text:
    `{"summary_en": {"text", "source": "uk", "hash", "engine", "at"}}`.

    `MACHINE_TRANSLATED` names the fields translated. Written only by the
    translations app's background task; a human edit of a field drops its entry.
    """

    MACHINE_TRANSLATED: tuple[str, ...] = ()

    machine_translations = models.JSONField(
        _("machine translations"), default=dict, blank=True, editable=False
    )

    class Meta:
        abstract = True


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
    machine = machine_text(obj, field, language)
    if machine is not None:
        return machine
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
