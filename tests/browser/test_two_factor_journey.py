"""Two-factor sign-in in the browser: a staff member sets it up on the first sign-in
(English, then the same pages in Ukrainian and on a phone), then signs in with a code
and with a recovery code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.models import Role
from tests.browser.conftest import PHONE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def code_from_key(key: str) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    return str(totp(b32decode(key.replace(" ", "")))).zfill(6)


def test_staff_sets_up_two_factor_on_first_sign_in(
    page, live_server, page_errors, screenshot, check_accessibility
):
    UserFactory(role=Role.STAFF, email="staff@example.org")
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.get_by_label("E-mail").fill("staff@example.org")
    page.get_by_label("Password").fill("correct-horse-42")
    page.get_by_role("button", name="Sign in").click()

    # Sent to the set-up page; nothing else opens until it is done.
    expect(page).to_have_url(re.compile(r"/en/accounts/two-factor/setup/"))
    expect(
        page.get_by_text("Your role in Mist requires two-factor sign-in")
    ).to_be_visible()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    # Wait for the image itself: on a busy machine it may still be loading.
    natural_width = qr.evaluate(
        "img => img.complete ? img.naturalWidth : new Promise("
        "done => img.addEventListener('load', () => done(img.naturalWidth)))"
    )
    assert natural_width > 100
    check_accessibility("two-factor set-up")
    screenshot("two-factor-setup-en")
    page.goto(f"{live_server.url}/uk/accounts/two-factor/setup/")
    expect(
        page.get_by_role("heading", name="Налаштування двофакторного входу")
    ).to_be_visible()
    screenshot("two-factor-setup-uk")
    page.set_viewport_size(PHONE)
    screenshot("two-factor-setup-uk-phone")
    page.goto(f"{live_server.url}/en/directory/")
    expect(page).to_have_url(
        re.compile(r"/en/accounts/two-factor/setup/\?next=%2Fen%2Fdirectory%2F$")
    )

    # A wrong code, then the one the app shows.
    field = page.get_by_label("Six-digit code from your authenticator app")
    field.fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("This code is not correct.")).to_be_visible()
    key = page.get_by_label("Key").inner_text()
    page.wait_for_timeout(1100)  # the device makes the next try after a wrong one wait
    page.get_by_label("Six-digit code from your authenticator app").fill(
        code_from_key(key)
    )
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot("two-factor-recovery-codes-en-phone")
    page.get_by_role("link", name="I have saved the codes").click()
    expect(page).to_have_url(re.compile(r"/en/directory/$"))

    # Next sign-in: the code step; a recovery code works too.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="My Mist").click()
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/uk/accounts/login/")
    page.get_by_label("Електронна пошта").fill("staff@example.org")
    page.get_by_label("Пароль").fill("correct-horse-42")
    page.get_by_role("button", name="Увійти").click()
    expect(page).to_have_url(re.compile(r"/uk/accounts/two-factor/verify/"))
    screenshot("two-factor-verify-uk")
    page.get_by_label("Код із застосунку-автентифікатора або код відновлення").fill(
        codes[0]
    )
    page.get_by_role("button", name="Продовжити").click()
    expect(
        page.get_by_text("Ви увійшли з кодом відновлення; лишилося 9.")
    ).to_be_visible()
    assert page_errors == []
