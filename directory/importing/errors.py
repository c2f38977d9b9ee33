"""Row errors: stored as codes with parameters, rendered in the reader's language."""

import contextlib

from django.utils.translation import gettext_lazy as _

from directory.models import Organization

KEY_LABELS = {
    "edrpou": _("EDRPOU"),
    "domain": _("website"),
    "rntrc": _("taxpayer number"),
    "organization": _("organization"),
}

ERRORS = {
    "missing_name": _("missing name"),
    "too_long": _("%(field)s is longer than %(max)s characters"),
    "missing_kind": _("missing kind"),
    "unknown_kind": _("unknown kind %(value)s (expected one of: %(choices)s)"),
    "bad_edrpou_length": _("bad EDRPOU %(value)s: must be 8 digits"),
    "bad_edrpou_checksum": _("bad EDRPOU %(value)s: check digit"),
    "bad_edrpou_zeros": _("bad EDRPOU %(value)s: no organization has this code"),
    "bad_rntrc": _(
        "bad taxpayer number %(value)s: must be 10 digits with a check digit"
    ),
    "edrpou_and_rntrc": _("give either an EDRPOU or a taxpayer number, not both"),
    "no_key": _("no EDRPOU, website or taxpayer number to identify the organization"),
    "bad_website": _("invalid website %(value)s"),
    "bad_email": _("invalid e-mail %(value)s"),
    "bad_phone": _("invalid phone number %(value)s"),
    "unknown_country": _("unknown country %(value)s"),
    "unknown_place": _("unknown place %(value)s"),
    "ambiguous_place": _(
        "place %(value)s matches several places; give its KATOTTG code"
    ),
    "unknown_sector": _("unknown sector %(value)s"),
    "unknown_tag": _("unknown tag %(value)s"),
    "unknown_size": _("unknown size %(value)s (expected one of: %(choices)s)"),
    "bad_year": _("founded year %(value)s is not a year between 1800 and %(max)s"),
    "bad_date": _("member since %(value)s is not a date (YYYY-MM-DD or DD.MM.YYYY)"),
    "unknown_cluster_status": _(
        "unknown cluster status %(value)s (expected one of: %(choices)s)"
    ),
    "unknown_visibility": _(
        "unknown visibility %(value)s (expected one of: %(choices)s)"
    ),
    "duplicate": _("duplicate of row %(row)s (same %(key)s)"),
    "deleted_match": _("matches a deleted organization (%(key)s %(value)s)"),
}


def error(code: str, **params) -> dict:
    return {"code": code, "params": params} if params else {"code": code}


def error_message(err: dict) -> str:
    """One stored error rendered in the active language."""
    template = ERRORS.get(err.get("code"))
    if template is None:
        return err.get("code", "")
    params = dict(err.get("params") or {})
    if "key" in params:
        params["key"] = str(KEY_LABELS.get(params["key"], params["key"]))
    if "field" in params:
        # An unknown field name is shown as it is.
        with contextlib.suppress(Exception):
            params["field"] = str(
                Organization._meta.get_field(params["field"]).verbose_name
            )
    return str(template) % params if params else str(template)


def error_messages(errors: list[dict]) -> list[str]:
    return [error_message(err) for err in errors]


def field_label(name: str) -> str:
    return str(Organization._meta.get_field(name).verbose_name)
