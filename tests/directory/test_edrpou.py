"""EDRPOU 00000000: its check digit works out, but no organization has it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from directory.importing import Vocabulary, check_row, error_messages
from directory.validators import (
    is_valid_edrpou,
    validate_edrpou,
    validate_one_identifier,
)
from tests.directory.test_views import form_data, url

ZEROS_EN = (
    "00000000 is not an EDRPOU code any organization has. Enter the organization's "
    "own 8-digit code."
)
ZEROS_UK = (
    "00000000 — не код ЄДРПОУ жодної організації. Введіть власний 8-значний код "
    "організації."
)


def test_validator_refuses_all_zeros_in_each_language():
    with pytest.raises(ValidationError) as caught:
        validate_edrpou("00000000")

    assert caught.value.code == "edrpou_zeros"
    with translation.override("en"):
        assert caught.value.messages == [ZEROS_EN]
    with translation.override("uk"):
        assert caught.value.messages == [ZEROS_UK]


@pytest.mark.parametrize(
    ("code", "valid"), [("00000000", False), ("32855961", True), ("12345670", False)]
)
def test_is_valid_edrpou(code, valid):
    assert is_valid_edrpou(code) is valid


@pytest.mark.parametrize(("language", "message"), [("en", ZEROS_EN), ("uk", ZEROS_UK)])
def test_organization_form_refuses_all_zeros(
    client, organization, staff, language, message
):
    client.force_login(staff)

    response = client.post(
        url("organization-edit", language, slug=organization.slug),
        form_data(organization, legal_form="entity", edrpou="00000000"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["edrpou"] == [message]
    organization.refresh_from_db()
    assert organization.edrpou != "00000000"


def test_api_refuses_all_zeros(client, editor, organization):
    client.force_login(editor)

    response = client.patch(
        reverse("api:organization-detail", kwargs={"slug": organization.slug}),
        {"edrpou": "00000000", "version": organization.version},
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"edrpou": [ZEROS_EN]}


def test_import_row_with_all_zeros_is_rejected(db):
    from directory.importing import Vocabulary

    plan = check_row(
        2,
        {"name_uk": "Компанія", "kind": "it_company", "edrpou": "00000000"},
        Vocabulary(),
    )

    with translation.override("en"):
        assert error_messages(plan.errors) == [
            "bad EDRPOU 00000000: no organization has this code"
        ]
    assert "edrpou" not in plan.values


@pytest.mark.parametrize(
    ("code", "reason", "row_error"),
    [
        ("123", "edrpou_format", "bad_edrpou_length"),
        ("12345670", "edrpou_checksum", "bad_edrpou_checksum"),
        ("00000000", "edrpou_zeros", "bad_edrpou_zeros"),
    ],
)
def test_the_importer_reports_what_the_validator_found(db, code, reason, row_error):
    with pytest.raises(ValidationError) as caught:
        validate_edrpou(code)
    plan = check_row(
        2, {"name_uk": "Тест", "kind": "it_company", "edrpou": code}, Vocabulary()
    )

    assert caught.value.code == reason
    assert [e["code"] for e in plan.errors] == [row_error]


def test_an_organization_has_an_edrpou_or_a_taxpayer_number_not_both():
    validate_one_identifier("32855961", None)
    validate_one_identifier(None, "3184710691")

    with pytest.raises(ValidationError) as caught:
        validate_one_identifier("32855961", "3184710691")

    assert list(caught.value.message_dict) == ["rntrc"]
