"""`{% translation_panel submission %}`: the machine translations of a submission for
the person looking: approve (submitters), flag (reviewers), flags raised."""

from django import template

from core.translation import machine_text, machine_translation_enabled
from exchange.models import TEXT_LABELS
from translations import permissions, queries
from translations.engines import LABELS

register = template.Library()


@register.inclusion_tag("translations/_panel.html", takes_context=True)
def translation_panel(context, submission, *, flag_form=False):
    if not machine_translation_enabled():
        return {"show": False}
    user = context["request"].user
    texts = []
    for field in submission.MACHINE_TRANSLATED:
        for language in ("uk", "en"):
            machine = machine_text(submission, field, language)
            if machine is not None:
                texts.append(
                    {
                        "key": f"{field}_{language}",
                        "label": TEXT_LABELS[field],
                        "language": language,
                        "engine": LABELS.get(machine.engine, machine.engine),
                        "at": machine.translated_at[:10],
                    }
                )
    flags = []
    if permissions.can_see_translation_flags(user, submission):
        flags = [
            {
                "label": TEXT_LABELS.get(flag.field, flag.field),
                "language": flag.language,
                "note": flag.note,
                "at": flag.created_at,
            }
            for flag in queries.flags_of(submission)
        ]
    can_approve = bool(texts) and permissions.can_approve_translation(user, submission)
    can_flag = (
        flag_form and bool(texts) and permissions.can_flag_translation(user, submission)
    )
    return {
        "show": bool(texts or flags),
        "submission": submission,
        "texts": texts,
        "flags": flags,
        "can_approve": can_approve,
        "can_flag": can_flag,
        "csrf_token": context.get("csrf_token"),
    }
