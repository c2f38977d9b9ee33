"""Browser tests: Playwright drives Debian's Chromium against a live server.

Never downloads a browser: the launch arguments point at /usr/bin/chromium.
Every page visited through `visit` is checked for Content-Security-Policy
violations and JavaScript errors; `check_accessibility` runs axe-core (served
from static/vendor) and fails on serious or critical violations.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture
def page_errors(page):
    """Console errors (CSP violations included) and uncaught exceptions on the page."""
    errors = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/screenshots/<name>.png."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def check_accessibility(page, live_server):
    """Run axe-core on the current page; fail on serious or critical violations."""

    def run(label: str) -> None:
        page.add_script_tag(url=f"{live_server.url}/static/vendor/axe.min.js")
        result = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
            }"""
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], f"axe found serious/critical violations on {label}: {bad}"

    return run


@pytest.fixture
def login(page, live_server):
    """Sign in through the real login form. The English form is used whatever the
    language under test: the session then holds for /uk/ and /en/ pages alike."""

    def sign_in(email: str, password: str = "correct-horse-42"):
        device = _authenticator_for(email)
        page.goto(f"{live_server.url}/en/accounts/login/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        if device is not None:
            expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
            page.get_by_label("Code from your authenticator app").fill(
                current_code(device)
            )
            page.get_by_role("button", name="Continue").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/(login|two-factor)/"))

    return sign_in


def current_code(device) -> str:
    """The code an authenticator app with the device's key shows now."""
    return str(totp(device.bin_key, step=device.step, digits=device.digits)).zfill(
        device.digits
    )


def _authenticator_for(email: str):
    """People who must use two-factor sign-in (or turned it on) get a confirmed
    authenticator whose code `login` enters, as the person would from their app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from accounts.permissions import must_use_two_factor

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and not must_use_two_factor(user):
        return None
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Mist", confirmed=True)
    # A second sign-in within the same 30 seconds would reuse the code, which the
    # device refuses (as it should); a person would wait for the next one.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return device


@pytest.fixture
def user_menu(page):
    """Open the signed-in person's menu ("My Mist") in the header, where the
    personal and staff pages live, and return it."""

    def open_menu():
        page.get_by_role("button", name="My Mist").click()
        return page.locator(".site-header .dropdown-menu")

    return open_menu


@pytest.fixture(autouse=True)
def _short_timeouts(page):
    """Fail in seconds, not the default half minute, when an element never shows."""
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
