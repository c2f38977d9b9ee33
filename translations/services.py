"""Machine translation of bilingual fields: which texts need it, the background
work that asks the engine, a submitter's approval and a reviewer's flag."""

import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import NOTE_MAX
from core.tasks import enqueue
from core.translation import (
    MACHINE_FIELD,
    MachineTranslatable,
    machine_entry,
    machine_text,
    machine_translation_enabled,
    text_hash,
)
from translations import permissions
from translations.engines import EngineError, configured_engine
from translations.models import CachedTranslation, TranslationFlag

logger = logging.getLogger("translations")


def _value(obj, name: str) -> str:
    """A loaded column's text (a deferred one counts as empty: no query)."""
    return (obj.__dict__.get(name) or "").strip()


def missing(obj: MachineTranslatable, engine_name: str | None = None):
    """(field, source, target) of every field written in one language only whose
    other language has no current machine translation (by `engine_name`)."""
    for field in obj.MACHINE_TRANSLATED:
        uk, en = _value(obj, f"{field}_uk"), _value(obj, f"{field}_en")
        if bool(uk) == bool(en):
            continue
        source, target = ("uk", "en") if uk else ("en", "uk")
        entry = machine_entry(obj, field, target)
        if entry and (engine_name is None or entry.get("engine") == engine_name):
            continue
        yield field, source, target


def drop_replaced(obj: MachineTranslatable) -> None:
    """Before a save: a field a person wrote in a language, or whose original
    changed, loses its machine translation (never shown over human text)."""
    store = obj.__dict__.get(MACHINE_FIELD)
    if not store:
        return
    for key in list(store):
        field, _sep, language = key.rpartition("_")
        if _value(obj, key) or machine_entry(obj, field, language) is None:
            del store[key]


def schedule(obj: MachineTranslatable) -> None:
    """After a save: ask for the missing translations in the background, once the
    transaction commits. Never blocks or fails the save."""
    if not machine_translation_enabled() or obj.pk is None:
        return
    if next(missing(obj), None) is None:
        return
    from translations import tasks

    enqueue(tasks.translate_record, obj._meta.label, obj.pk)


def _translate(engine, text: str, source: str, target: str) -> str | None:
    digest = text_hash(text)
    key = {
        "engine": engine.name,
        "source_language": source,
        "target_language": target,
        "source_hash": digest,
    }
    cached = CachedTranslation.objects.filter(**key).values_list("text", flat=True)
    for translated in cached:
        return translated
    try:
        translated = engine.translate(text.strip(), source, target)
    except EngineError as error:
        logger.warning(
            "Machine translation failed: %s",
            error,
            extra={"engine": engine.name, "source": source, "target": target},
        )
        return None
    try:
        with transaction.atomic():
            CachedTranslation.objects.create(**key, text=translated)
    except IntegrityError:
        pass  # another worker cached the same text meanwhile
    return translated


def translate_record(label: str, pk) -> int:
    """The background task: translate what `label` #`pk` lacks; returns how many
    translations were stored. Errors of the engine are logged, the record stays."""
    try:
        engine = configured_engine()
    except EngineError as error:
        logger.error("Machine translation is misconfigured: %s", error)
        return 0
    if engine is None:
        return 0
    model = apps.get_model(label)
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        return 0
    done = {}
    for field, source, target in missing(obj, engine.name):
        text = getattr(obj, f"{field}_{source}")
        translated = _translate(engine, text, source, target)
        if translated:
            done[(field, source, target)] = (text_hash(text), translated)
    if not done:
        return 0
    stored = 0
    now = timezone.now().isoformat()
    with transaction.atomic():
        # Written on the row as it is now: a person may have edited it meanwhile.
        obj = model.objects.select_for_update().filter(pk=pk).first()
        if obj is None:
            return 0
        store = dict(getattr(obj, MACHINE_FIELD) or {})
        for (field, source, target), (digest, translated) in done.items():
            if _value(obj, f"{field}_{target}"):
                continue  # a human text exists: never overwritten, never hidden
            if text_hash(getattr(obj, f"{field}_{source}") or "") != digest:
                continue  # the original changed; its own save asks again
            store[f"{field}_{target}"] = {
                "text": translated,
                "source": source,
                "hash": digest,
                "engine": engine.name,
                "at": now,
            }
            stored += 1
        if stored:
            model.objects.filter(pk=pk).update(**{MACHINE_FIELD: store})
    return stored


# Submissions: the submitter approves, a reviewer flags.


def machine_fields(submission) -> list[tuple[str, str]]:
    """(field, language) of the submission's machine translations shown now."""
    return [
        (field, language)
        for field in submission.MACHINE_TRANSLATED
        for language in ("uk", "en")
        if machine_text(submission, field, language) is not None
    ]


@transaction.atomic
def approve_machine_translations(submission, *, by) -> list[str]:
    """Copy the machine translations into the submission's own text, recorded as
    "approved machine translation" (the version history keeps the change)."""
    from exchange import services as exchange_services

    if not permissions.can_approve_translation(by, submission):
        raise PermissionDenied
    shown = machine_fields(submission)
    if not shown:
        raise ValidationError(_("There is no machine translation to approve."))
    approved = []
    for language in ("uk", "en"):
        texts = {
            field: machine_text(submission, field, lang).text
            for field, lang in shown
            if lang == language
        }
        if not texts:
            continue
        engines = {
            field: submission.machine_translations[f"{field}_{language}"]
            for field in texts
        }
        exchange_services.add_translation(submission, language, by=by, **texts)
        for field, entry in engines.items():
            name = f"{field}_{language}"
            submission.provenance[name] = {
                **submission.provenance.get(name, {}),
                "origin": "approved_machine",
                "engine": entry.get("engine", ""),
                "translated_at": entry.get("at", ""),
            }
            approved.append(name)
    submission.save(update_fields=["provenance"])
    audit.record("translations.approved", submission, actor=by, fields=sorted(approved))
    return approved


def flag_translation(submission, *, by, field: str, language: str, note: str):
    """A reviewer's note on a machine translation of `field` into `language`."""
    if not permissions.can_flag_translation(by, submission):
        raise PermissionDenied
    note = (note or "").strip()
    if (field, language) not in machine_fields(submission):
        raise ValidationError(_("Choose a machine-translated text."))
    if not note:
        raise ValidationError(_("Say what is wrong with the translation."))
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("Keep the note under %(count)s characters.") % {"count": NOTE_MAX}
        )
    flag = TranslationFlag.objects.create(
        submission=submission, field=field, language=language, note=note, created_by=by
    )
    audit.record(
        "translations.flagged", submission, actor=by, field=field, language=language
    )
    return flag
