"""The error pages never depend on a static file that may be missing: after a
`collectstatic` whose manifest lacks entries, every page that names a static file
fails, and the 404/500 pages must still answer with their own message."""

import json

import pytest
from django.test import Client
from django.utils import translation

from core import views

MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture
def empty_manifest(settings, tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {}, "version": "1.1", "hash": ""})
    )
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [("uk", "Сторінку не знайдено"), ("en", "Page not found")],
)
def test_404_answers_its_own_page_without_the_static_files(
    empty_manifest, client, language, title
):
    response = client.get(f"/{language}/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html
    assert title in html
    assert "/static/" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"),
    [("uk", "Щось пішло не так"), ("en", "Something went wrong")],
)
def test_a_page_failing_on_a_missing_manifest_entry_answers_the_500_page(
    empty_manifest, language, title
):
    client = Client(raise_request_exception=False)

    response = client.get(f"/{language}/")  # the home page names static files

    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert title in html
    assert "/static/" not in html


def test_500_handler_renders_with_an_empty_manifest(empty_manifest, rf):
    with translation.override("en"):
        response = views.server_error(rf.get("/en/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_the_500_page_links_its_styles_when_they_are_there(rf):
    with translation.override("en"):
        response = views.server_error(rf.get("/en/"))

    assert "/static/css/mist.css" in response.content.decode()
