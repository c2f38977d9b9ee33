"""EDRPOU 00000000: its check digit works out, but no organization has it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from directory.importing import check_row, error_messages
from directory.validators import is_valid_edrpou, validate_edrpou
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
