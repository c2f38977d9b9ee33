"""The main pages in both languages on desktop and phone: a screenshot of each under
test-artifacts/screenshots/, axe-core finds no serious or critical violation, and
the browser reports no error (CSP violations included)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.models import User
from directory import importing, services
from directory.demo import DEMO_PASSWORD, seed_demo
from directory.models import Organization
from tests.browser.conftest import PHONE
from tests.browser.test_import_journey import as_csv, partner_rows

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def demo(db):
    """The demo ecosystem, one profile change waiting for moderation, one import."""
    seed_demo()
    editor = User.objects.get(email="editor@mist.local")
    staff = User.objects.get(email="staff@mist.local")
    organization = (
        Organization.objects.filter(memberships__user=editor).order_by("slug").first()
    )
    revision = services.propose_profile_changes(
        organization,
        by=editor,
        description_en=organization.description_en.replace(
            "more than a thousand", "about 1,200"
        )
        + "\n\nThis year the team opens an office in Albuquerque.",
    )
    batch = importing.create_import(
        uploaded_file=SimpleUploadedFile(
            "cluster-partners-2026.csv", as_csv(partner_rows()), "text/csv"
        ),
        user=staff,
    )
    return {"organization": organization, "batch": batch, "revision": revision}


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["uk", "en"])
def test_main_pages_look_finished_and_pass_axe(
    page,
    live_server,
    page_errors,
    screenshot,
    check_accessibility,
    login,
    demo,
    language,
    screen,
):
    page.set_viewport_size(DESKTOP if screen == "desktop" else PHONE)
    base = f"{live_server.url}/{language}"
    organization = demo["organization"]

    def look(name, path, *, status=200):
        response = page.goto(f"{base}{path}")
        assert response.status == status, f"{name}: {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        label = f"{name}-{language}-{screen}"
        screenshot(label)
        check_accessibility(label)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{label} scrolls sideways by {overflow}px"
        # A 404 page is logged as a failed resource; nothing else may be.
        errors = [e for e in page_errors if status != 404 or "status of 404" not in e]
        assert errors == [], f"{label}: {errors}"
        page_errors.clear()

    look("home", "/")
    if screen == "phone":
        page.get_by_role("banner").get_by_role("button").click()
        # Bootstrap marks the menu "show" once its opening transition has ended.
        expect(page.locator("#site-nav")).to_have_class(re.compile(r"\bshow\b"))
        screenshot(f"nav-open-{language}-{screen}")
        check_accessibility(f"nav-open-{language}-{screen}")
    look("directory-list", "/directory/")
    look("directory-empty", "/directory/?q=zzqxv+nothing")
    look("organization", f"/directory/o/{organization.slug}/")
    look("login", "/accounts/login/")
    look("not-found", "/directory/o/no-such-organization/", status=404)

    login("editor@mist.local", DEMO_PASSWORD)
    look("edit-form", f"/directory/o/{organization.slug}/edit/")
    look("my-organizations", "/directory/mine/")

    page.context.clear_cookies()
    login("staff@mist.local", DEMO_PASSWORD)
    look("moderation", "/directory/moderation/")
    look("moderation-changes", "/directory/moderation/?tab=changes")
    look("moderation-revision", f"/directory/moderation/changes/{demo['revision'].pk}/")
    # The full texts open without JavaScript, from a <details> summary.
    page.locator(".diff-full summary").first.click()
    expect(page.locator(".diff-text").first).to_be_visible()
    screenshot(f"moderation-revision-texts-{language}-{screen}")
    check_accessibility(f"moderation-revision-texts-{language}-{screen}")
    look("import-detail", f"/directory/imports/{demo['batch'].pk}/")
    look("import-upload", "/directory/imports/new/")
