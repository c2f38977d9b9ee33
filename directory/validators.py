"""Validators for Ukrainian identifiers, with messages people can act on."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ua import edrpou, rntrc


def validate_edrpou(value: str) -> None:
    """An EDRPOU code is 8 digits whose last one is a checksum, and not 00000000
    (its checksum works out, but the register gives it to nobody)."""
    try:
        edrpou.validate(value)
    except StdnumError as invalid:
        # One message; the code tells the importer's report which part is wrong.
        raise ValidationError(
            _("%(value)s is not a valid EDRPOU code (8 digits with a check digit)."),
            code="edrpou_checksum"
            if isinstance(invalid, InvalidChecksum)
            else "edrpou_format",
            params={"value": value},
        ) from None
    if value == "00000000":
        raise ValidationError(
            _(
                "00000000 is not an EDRPOU code any organization has. Enter the "
                "organization's own 8-digit code."
            ),
            code="edrpou_zeros",
        )


def is_valid_edrpou(value: str) -> bool:
    """Whether validate_edrpou() accepts `value`."""
    try:
        validate_edrpou(value)
    except ValidationError:
        return False
    return True


def validate_rntrc(value: str) -> None:
    """A taxpayer number (RNTRC) is 10 digits whose last one is a checksum."""
    try:
        rntrc.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid 10-digit taxpayer number."), code="invalid_rntrc"
        ) from None


def validate_one_identifier(edrpou: str | None, rntrc: str | None) -> None:
    """An organization is a legal entity with an EDRPOU code or a sole proprietor
    with a taxpayer number, never both (the database refuses both as well)."""
    if edrpou and rntrc:
        raise ValidationError(
            {
                "rntrc": ValidationError(
                    _(
                        "An organization has either an EDRPOU code (a legal entity) "
                        "or a taxpayer number (a sole proprietor), not both."
                    ),
                    code="edrpou_and_rntrc",
                )
            }
        )


def is_person_taxpayer_number(value) -> bool:
    """Whether `value` is a person's 10-digit taxpayer number (RNOKPP, with a valid
    check digit): personal data that no export, page or API may publish."""
    text = str(value or "").strip()
    if len(text) != 10 or not text.isdigit():
        return False
    return rntrc.is_valid(text)
