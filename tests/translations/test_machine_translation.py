"""Machine translation against a local stub engine: the mark is shown, a human edit
replaces the machine text, an engine that fails leaves the page as before and logs."""

import logging
import re

import pytest
from django.urls import reverse

from core.translation import translated
from directory.models import Organization
from tests.factories import OrganizationFactory
from translations.models import CachedTranslation

MARK = "machine translation — original in Ukrainian"
DESCRIPTION_UK = "Розробляємо датчики якості повітря для шкіл Харкова."
MACHINE_EN = f"[en] {DESCRIPTION_UK}"


def english(url: str) -> str:
    return url.replace("/uk/", "/en/", 1)


def org_page(client, org) -> str:
    """The English page of `org`, without what differs on every request."""
    url = reverse("directory:organization-detail", kwargs={"slug": org.slug})
    response = client.get(english(url), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    page = re.sub(r'nonce="[^"]*"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


@pytest.fixture
def save(django_capture_on_commit_callbacks):
    """Save and run what waits for the commit (the background task, eager here)."""

    def run(obj, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            obj.save(**kwargs)
        obj.refresh_from_db()
        return obj

    return run


@pytest.fixture
def ukrainian_only(db):
    return OrganizationFactory(description_uk=DESCRIPTION_UK, description_en="")


@pytest.mark.django_db
def test_libretranslate_translation_is_shown_with_the_mark(
    client, libretranslate, ukrainian_only, save
):
    save(ukrainian_only)

    request = libretranslate.requests[-1]
    assert request["path"] == "/translate"
    assert request["body"] == {
        "q": DESCRIPTION_UK,
        "source": "uk",
        "target": "en",
        "format": "text",
    }
    entry = ukrainian_only.machine_translations["description_en"]
    assert entry["text"] == MACHINE_EN
    assert entry["engine"] == "libretranslate"
    assert entry["source"] == "uk"
    assert ukrainian_only.description_en == ""  # human text untouched
    page = org_page(client, ukrainian_only)
    assert MACHINE_EN in page
    assert MARK in page


@pytest.mark.django_db
def test_deepl_client_sends_its_key_and_the_mark_is_shown(
    client, deepl, ukrainian_only, save
):
    save(ukrainian_only)

    request = deepl.requests[-1]
    assert request["path"] == "/v2/translate"
    assert request["headers"]["Authorization"] == "DeepL-Auth-Key test-key:fx"
    assert request["body"] == {
        "text": [DESCRIPTION_UK],
        "source_lang": "UK",
        "target_lang": "EN-US",
    }
    page = org_page(client, ukrainian_only)
    assert MACHINE_EN in page
    assert MARK in page


@pytest.mark.django_db
def test_a_human_edit_replaces_the_machine_translation(
    client, libretranslate, ukrainian_only, save
):
    save(ukrainian_only)
    assert "description_en" in ukrainian_only.machine_translations
    asked = len(libretranslate.requests)

    ukrainian_only.description_en = "We build air-quality sensors for schools."
    save(ukrainian_only)

    assert ukrainian_only.machine_translations == {}
    assert len(libretranslate.requests) == asked  # nothing more to translate
    page = org_page(client, ukrainian_only)
    assert "We build air-quality sensors for schools." in page
    assert MACHINE_EN not in page
    assert MARK not in page


@pytest.mark.django_db
def test_machine_text_never_overwrites_or_hides_human_text(
    libretranslate, save, settings
):
    org = OrganizationFactory(description_uk=DESCRIPTION_UK, description_en="Ours.")
    save(org)

    assert libretranslate.requests == []
    assert org.machine_translations == {}
    # Even a machine entry written by hand does not hide the human text.
    Organization.objects.filter(pk=org.pk).update(
        machine_translations={
            "description_en": {
                "text": "Machine.",
                "source": "uk",
                "hash": "x",
                "engine": "libretranslate",
                "at": "",
            }
        }
    )
    org.refresh_from_db()
    text = translated(org, "description", "en")
    assert (text.text, text.is_machine, text.is_fallback) == ("Ours.", False, False)


@pytest.mark.django_db
def test_a_changed_original_hides_the_stale_translation(
    client, libretranslate, ukrainian_only, save
):
    save(ukrainian_only)
    libretranslate.mode = "error"

    ukrainian_only.description_uk = "Новий опис."
    save(ukrainian_only)

    assert ukrainian_only.machine_translations == {}
    page = org_page(client, ukrainian_only)
    assert MACHINE_EN not in page
    assert "Новий опис." in page
    assert "original in Ukrainian" in page
    assert MARK not in page


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["error", "slow", "garbage"])
def test_an_engine_that_fails_leaves_the_page_as_before_and_logs_it(
    client, libretranslate, ukrainian_only, save, caplog, mode
):
    before = org_page(client, ukrainian_only)
    libretranslate.mode = mode

    with caplog.at_level(logging.WARNING, logger="translations"):
        save(ukrainian_only)

    assert len(libretranslate.requests) == 1
    assert ukrainian_only.machine_translations == {}
    assert not CachedTranslation.objects.exists()
    failures = [r for r in caplog.records if r.name == "translations"]
    assert [r.getMessage().split(":")[0] for r in failures] == [
        "Machine translation failed"
    ]
    assert failures[0].engine == "libretranslate"
    after = org_page(client, ukrainian_only)
    assert after == before
    assert "original in Ukrainian" in after
    assert MARK not in after


@pytest.mark.django_db
def test_the_same_text_is_asked_once_per_engine_and_language(libretranslate, save):
    first = OrganizationFactory(description_uk=DESCRIPTION_UK, description_en="")
    second = OrganizationFactory(description_uk=DESCRIPTION_UK, description_en="")

    save(first)
    save(second)

    assert len(libretranslate.requests) == 1
    assert CachedTranslation.objects.count() == 1
    assert second.machine_translations["description_en"]["text"] == MACHINE_EN


@pytest.mark.django_db
def test_english_originals_are_translated_into_ukrainian(client, libretranslate, save):
    org = OrganizationFactory(description_uk="", description_en="Sister-city team.")
    save(org)

    url = reverse("directory:organization-detail", kwargs={"slug": org.slug})
    page = client.get(url).content.decode()
    assert "[uk] Sister-city team." in page
    assert "машинний переклад — оригінал англійською" in page


@pytest.mark.django_db
def test_no_engine_configured_means_no_machine_translation(
    client, stub_engine, ukrainian_only, save, settings
):
    settings.MIST_TRANSLATION_ENGINE = ""
    settings.MIST_TRANSLATION_URL = stub_engine.url

    save(ukrainian_only)

    assert stub_engine.requests == []
    page = org_page(client, ukrainian_only)
    assert "original in Ukrainian" in page
    assert MARK not in page


@pytest.mark.django_db
def test_turning_the_engine_off_hides_stored_translations(
    client, libretranslate, ukrainian_only, save, settings
):
    save(ukrainian_only)
    settings.MIST_TRANSLATION_ENGINE = ""

    page = org_page(client, ukrainian_only)

    assert MACHINE_EN not in page
    assert MARK not in page


@pytest.mark.django_db
def test_translate_missing_fills_what_was_saved_before_the_engine(
    libretranslate, ukrainian_only
):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("translate_missing", stdout=out)

    ukrainian_only.refresh_from_db()
    assert ukrainian_only.machine_translations["description_en"]["text"] == MACHINE_EN
    assert "directory.Organization: 1 translation(s) for 1 record(s)" in out.getvalue()
