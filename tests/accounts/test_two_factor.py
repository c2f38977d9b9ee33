"""Two-factor sign-in: enrolment, the code step, recovery codes, who must use it,
the admin site, lockout and the API token.

These tests sign in through the real pages (or `sign_in_with_password_only`), never
with the verified `client.force_login` the rest of the suite uses."""

import re
from base64 import b32encode
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import two_factor
from accounts.models import RecoveryCode, Role
from accounts.two_factor import services as two_factor_services
from core.models import AuditEntry
from reviews.models import CallReviewer
from tests.exchange.factories import CallFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-42"
REQUIRED_ROLES = [Role.ADMIN, Role.STAFF, Role.CITY_OFFICER, Role.REVIEWER]
OPTIONAL_ROLES = [Role.EDITOR, Role.INVESTOR]
WRONG_CODE = {
    "uk": "Код неправильний. Введіть шестизначний код, який зараз показує "
    "застосунок-автентифікатор, або один із кодів відновлення.",
    "en": "This code is not correct. Enter the six-digit code your authenticator "
    "app shows now, or one of your recovery codes.",
}


def code_for(device, *, ahead=0) -> str:
    """The code the person's authenticator app shows now (or `ahead` steps on,
    which the device's tolerance of one step also accepts)."""
    device.refresh_from_db()
    value = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + ahead,
    )
    return str(value).zfill(device.digits)


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and a set of recovery codes for `user`."""
    device = TOTPDevice.objects.create(user=user, name="Mist", confirmed=True)
    return device, two_factor_services.regenerate_recovery_codes(user)


def password_step(client, user, *, language="uk", next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(f"/{language}/accounts/login/", data)


def verify_url(language="uk", next_url=None):
    url = f"/{language}/accounts/two-factor/verify/"
    return f"{url}?next={next_url}" if next_url else url


@pytest.fixture
def api_client(db):
    return APIClient()


@pytest.fixture
def editor_2fa(db):
    """An editor (two-factor optional) who turned it on."""
    user = UserFactory(role=Role.EDITOR, email="olena@example.org")
    device, codes = enrol(user)
    return user, device, codes


# Enrolment


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_required_role_is_sent_to_set_up_after_the_password(client, role):
    user = UserFactory(role=role, email=f"{role}@example.org")

    response = password_step(client, user)

    assert response.status_code == 302
    assert response["Location"] == "/uk/accounts/two-factor/setup/?next=%2Fuk%2F"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.get(two_factor.VERIFIED_KEY) is None


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_required_role_without_second_factor_reaches_nothing_else(
    client, role, sign_in_with_password_only
):
    user = UserFactory(role=role, email=f"{role}@example.org")
    sign_in_with_password_only(client, user)

    pages = {
        url: client.get(url)
        for url in (
            "/uk/accounts/me/",
            "/en/directory/",
            "/uk/reviews/",
            "/uk/investments/pipeline/",
            "/uk/admin/",
        )
    }
    api = client.get("/api/v1/organizations/")
    setup = client.get("/uk/accounts/two-factor/setup/")

    for url, response in pages.items():
        assert response.status_code == 302, url
        language = url.split("/")[1]
        assert response["Location"] == (
            f"/{language}/accounts/two-factor/verify/?{urlencode({'next': url})}"
        )
    assert api.status_code == 403
    assert api.json() == {
        "detail": "Спершу завершіть вхід другим фактором.",
        "errors": {},
    }
    assert setup.status_code == 200
    assert "Ваша роль у Mist вимагає двофакторного входу" in setup.content.decode()


@pytest.mark.parametrize("role", OPTIONAL_ROLES)
def test_optional_role_signs_in_with_the_password_alone(client, role):
    user = UserFactory(role=role, email=f"{role}@example.org")

    response = password_step(client, user)
    me = client.get("/uk/accounts/me/")

    assert response["Location"] == "/uk/"
    assert me.status_code == 200


def test_reviewer_of_a_call_without_the_reviewer_role_must_set_it_up(client):
    user = UserFactory(role=Role.EDITOR, email="expert@example.org")
    CallReviewer.objects.create(call=CallFactory(), user=user, languages=["uk"])

    response = password_step(client, user)
    me = client.get("/uk/accounts/me/")

    assert response["Location"] == "/uk/accounts/two-factor/setup/?next=%2Fuk%2F"
    assert me.status_code == 302
    assert me["Location"].startswith("/uk/accounts/two-factor/verify/")


def test_role_granted_during_a_session_asks_for_the_second_factor_at_once(
    client, sign_in_with_password_only
):
    user = UserFactory(role=Role.EDITOR, email="olena@example.org")
    sign_in_with_password_only(client, user)
    before = client.get("/uk/accounts/me/")

    user.role = Role.STAFF
    user.save(update_fields=["role"])
    after = client.get("/uk/accounts/me/")

    assert before.status_code == 200
    assert after.status_code == 302
    assert after["Location"] == verify_url("uk", "%2Fuk%2Faccounts%2Fme%2F")


def test_enrolment_with_a_real_code_turns_two_factor_on(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=Role.STAFF, email="staff@example.org")
    password_step(client, user, next_url="/uk/directory/")

    page = client.get("/uk/accounts/two-factor/setup/?next=/uk/directory/")
    qr = client.get("/uk/accounts/two-factor/setup/qr.svg")
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post(
        "/uk/accounts/two-factor/setup/", {"code": "000000", "next": "/uk/directory/"}
    )
    done = client.post(
        "/uk/accounts/two-factor/setup/",
        {"code": code_for(device), "next": "/uk/directory/"},
    )
    shown = client.get(done["Location"])
    shown_again = client.get("/uk/accounts/two-factor/recovery-codes/")
    directory = client.get("/uk/directory/")

    html = page.content.decode()
    secret = re.search(r'secret-key"[^>]*>([A-Z2-7 ]+)<', html).group(1)
    assert secret.replace(" ", "") == b32encode(device.bin_key).decode()
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr["Cache-Control"] == "no-store"
    assert qr.content.startswith(b"<svg")
    assert 'src="/uk/accounts/two-factor/setup/qr.svg"' in html
    assert "Код неправильний" in wrong.content.decode()
    assert wrong.status_code == 200
    assert done.status_code == 302
    assert done["Location"] == (
        "/uk/accounts/two-factor/recovery-codes/?next=%2Fuk%2Fdirectory%2F"
    )
    codes = re.findall(
        r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>", (shown.content.decode())
    )
    assert len(codes) == 10
    assert shown["Cache-Control"] == "no-store"
    assert 'href="/uk/directory/"' in shown.content.decode()
    assert re.findall(r"<code>[A-Z2-9-]{14}</code>", shown_again.content.decode()) == []
    assert "У вас 10 невикористаних кодів відновлення." in (
        shown_again.content.decode()
    )
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[two_factor.VERIFIED_KEY] == user.pk
    assert directory.status_code == 200
    assert list(
        AuditEntry.objects.filter(object_id=str(user.pk)).values_list(
            "action", flat=True
        )
    ) == ["two_factor.enabled"]


def test_recovery_codes_are_stored_hashed(client, editor_2fa):
    user, _device, codes = editor_2fa

    rows = list(RecoveryCode.objects.filter(user=user))

    assert len(rows) == 10
    stored = " ".join(row.code_hash for row in rows)
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored
    for row, code in zip(rows, codes, strict=True):
        salt, digest = row.code_hash.split("$")
        assert len(salt) == 32
        assert re.fullmatch(r"[0-9a-f]{64}", digest)
        assert row.code_hash == two_factor_services.hash_recovery_code(code, salt=salt)


def test_unconfirmed_authenticator_does_not_count(client, db):
    user = UserFactory(role=Role.EDITOR, email="olena@example.org")
    TOTPDevice.objects.create(user=user, name="Mist", confirmed=False)

    response = password_step(client, user)

    assert response["Location"] == "/uk/"


# The code step


def test_person_with_an_authenticator_is_signed_in_only_after_the_code(
    client, editor_2fa
):
    user, device, _codes = editor_2fa

    response = password_step(client, user, next_url="/uk/accounts/me/")
    before = client.get("/uk/accounts/me/")
    page = client.get(response["Location"])
    done = client.post(
        verify_url(), {"code": code_for(device), "next": "/uk/accounts/me/"}
    )
    after = client.get("/uk/accounts/me/")

    assert response["Location"] == verify_url("uk", "%2Fuk%2Faccounts%2Fme%2F")
    assert before.status_code == 302
    assert before["Location"].startswith("/uk/accounts/login/")
    assert "olena@example.org" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert done["Location"] == "/uk/accounts/me/"
    assert after.status_code == 200
    assert client.session[two_factor.VERIFIED_KEY] == user.pk


@pytest.mark.parametrize("language", ["uk", "en"])
def test_wrong_code_is_refused_with_a_message(client, editor_2fa, language, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device, _codes = editor_2fa
    password_step(client, user, language=language)

    wrong = client.post(verify_url(language), {"code": "123456"})
    right = client.post(verify_url(language), {"code": code_for(device)})

    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert WRONG_CODE[language] in html
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_codes_in_quick_succession_must_wait(client, editor_2fa):
    user, device, _codes = editor_2fa
    password_step(client, user, language="en")

    client.post(verify_url("en"), {"code": "123456"})
    right_too_soon = client.post(verify_url("en"), {"code": code_for(device)})

    assert (
        "Too many wrong codes in a row: wait a few seconds and try again."
        in right_too_soon.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_recovery_code_signs_in_once(client, editor_2fa):
    user, _device, codes = editor_2fa
    password_step(client, user)

    first = client.post(verify_url(), {"code": codes[3].lower().replace("-", " ")})
    client.post(reverse("accounts:logout"))
    password_step(client, user)
    again = client.post(verify_url(), {"code": codes[3]})

    assert first.status_code == 302
    assert again.status_code == 200
    assert "Код неправильний" in again.content.decode()
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    assert two_factor_services.remaining_recovery_codes(user) == 9
    entry = AuditEntry.objects.get(action="two_factor.recovery_code_used")
    assert entry.object_id == str(user.pk)
    assert entry.details == {"remaining": 9}


def test_recovery_code_sign_in_says_how_many_are_left(client, editor_2fa):
    user, _device, codes = editor_2fa
    password_step(client, user, language="en")

    response = client.post(verify_url("en"), {"code": codes[0]}, follow=True)

    assert (
        "You signed in with a recovery code; 9 are left. Make new ones on the "
        "two-factor sign-in page." in response.content.decode()
    )


def test_code_step_without_a_password_step_goes_to_sign_in(client, editor_2fa):
    response = client.post(verify_url(), {"code": "123456"})

    assert response.status_code == 302
    assert response["Location"].startswith("/uk/accounts/login/")


def test_lockout_after_repeated_wrong_codes(client, editor_2fa):
    user, _device, _codes = editor_2fa
    password_step(client, user, language="en")

    answers = [
        client.post(verify_url("en"), {"code": "000000"}).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    password_again = password_step(client, user, language="en")

    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert password_again.status_code == 429
    assert "Too many failed sign-in attempts" in password_again.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.session.get(two_factor.PENDING_KEY) is None


def test_wrong_codes_and_passwords_count_together(client, editor_2fa):
    user, _device, _codes = editor_2fa
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(
            "/en/accounts/login/", {"username": user.email, "password": "wrong"}
        )
    password_step(client, user, language="en")

    response = client.post(verify_url("en"), {"code": "000000"})

    assert response.status_code == 429


# The admin site


def test_admin_site_asks_for_a_verified_session(client, sign_in_with_password_only):
    admin = UserFactory(role=Role.ADMIN, email="root@example.org", is_staff=True)
    enrol(admin)
    device = TOTPDevice.objects.get(user=admin)

    anonymous = client.get("/uk/admin/")
    admin_login = client.get("/uk/admin/login/?next=/uk/admin/")
    sign_in_with_password_only(client, admin)
    unverified = client.get("/uk/admin/")
    client.post(verify_url(), {"code": code_for(device)})
    verified = client.get("/uk/admin/")

    assert anonymous["Location"] == "/uk/admin/login/?next=/uk/admin/"
    assert admin_login["Location"] == "/uk/accounts/login/?next=%2Fuk%2Fadmin%2F"
    assert unverified["Location"] == verify_url("uk", "%2Fuk%2Fadmin%2F")
    assert verified.status_code == 200


def test_admin_site_refuses_a_session_without_the_second_factor(rf, db):
    from django.contrib import admin as django_admin
    from django.contrib.sessions.backends.db import SessionStore

    person = UserFactory(role=Role.EDITOR, email="clerk@example.org", is_staff=True)
    request = rf.get("/uk/admin/")
    request.user = person
    request.session = SessionStore()

    before = django_admin.site.has_permission(request)
    request.session[two_factor.VERIFIED_KEY] = person.pk
    after = django_admin.site.has_permission(request)

    assert before is False
    assert after is True


# Turning it on and off, new recovery codes


@pytest.mark.parametrize("role", [*OPTIONAL_ROLES, *REQUIRED_ROLES])
def test_two_factor_page_for_each_role(client, role):
    user = UserFactory(role=role, email=f"{role}@example.org")
    client.force_login(user)

    response = client.get("/en/accounts/two-factor/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Two-factor sign-in is off." in html
    assert 'href="/en/accounts/two-factor/setup/"' in html


def test_two_factor_page_needs_a_sign_in(client, db):
    response = client.get("/uk/accounts/two-factor/")

    assert response["Location"].startswith("/uk/accounts/login/")


def test_optional_user_turns_it_on_from_the_menu(client, db):
    user = UserFactory(role=Role.INVESTOR, email="investor@example.org")
    client.force_login(user)

    home = client.get("/en/")
    client.get("/en/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/en/accounts/two-factor/setup/", {"code": code_for(device)})
    page = client.get("/en/accounts/two-factor/")

    assert 'href="/en/accounts/two-factor/">Two-factor sign-in</a>' in (
        home.content.decode()
    )
    assert done.status_code == 302
    assert "Two-factor sign-in is on." in page.content.decode()
    assert "You have 10 unused recovery codes." in page.content.decode()
    assert two_factor_services.has_authenticator(user)


@pytest.mark.parametrize("role", OPTIONAL_ROLES)
def test_optional_user_turns_it_off_with_a_code(client, role, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(role=role, email=f"{role}@example.org")
    device, _codes = enrol(user)
    client.force_login(user)

    wrong = client.post("/en/accounts/two-factor/disable/", {"code": "000000"})
    done = client.post("/en/accounts/two-factor/disable/", {"code": code_for(device)})

    assert WRONG_CODE["en"] in wrong.content.decode()
    assert done["Location"] == "/en/accounts/two-factor/"
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(
        action="two_factor.disabled", object_id=str(user.pk)
    ).exists()


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_required_user_cannot_turn_it_off(client, role):
    user = UserFactory(role=role, email=f"{role}@example.org")
    device, _codes = enrol(user)
    client.force_login(user)

    page = client.get("/en/accounts/two-factor/")
    response = client.post(
        "/en/accounts/two-factor/disable/", {"code": code_for(device)}
    )

    assert "cannot be turned off" in page.content.decode()
    assert "/two-factor/disable/" not in page.content.decode()
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_new_recovery_codes_replace_the_old_ones(client, editor_2fa, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, _device, old_codes = editor_2fa
    client.force_login(user)

    made = client.post("/en/accounts/two-factor/recovery-codes/")
    shown = client.get(made["Location"])
    new_codes = re.findall(r"<code>([A-Z2-9-]{14})</code>", shown.content.decode())
    client.post(reverse("accounts:logout"))
    password_step(client, user)
    old = client.post(verify_url(), {"code": old_codes[0]})
    new = client.post(verify_url(), {"code": new_codes[0]})

    assert len(new_codes) == 10
    assert set(new_codes).isdisjoint(old_codes)
    assert old.status_code == 200
    assert new.status_code == 302
    assert (
        AuditEntry.objects.filter(
            action="two_factor.recovery_codes_regenerated"
        ).count()
        == 2
    )


def test_enrolled_person_cannot_set_up_again_without_the_code(
    client, editor_2fa, sign_in_with_password_only
):
    user, _device, _codes = editor_2fa
    sign_in_with_password_only(client, user)

    setup = client.get("/uk/accounts/two-factor/setup/")
    codes = client.post("/uk/accounts/two-factor/recovery-codes/")

    assert setup["Location"].startswith("/uk/accounts/two-factor/verify/")
    assert codes["Location"].startswith("/uk/accounts/two-factor/verify/")
    assert TOTPDevice.objects.filter(user=user).count() == 1


# The API token


def test_token_asks_for_the_code_when_two_factor_is_on(
    api_client, editor_2fa, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user, device, _codes = editor_2fa
    credentials = {"email": user.email, "password": PASSWORD}

    missing = api_client.post("/api/v1/auth-tokens/", credentials, format="json")
    wrong = api_client.post(
        "/api/v1/auth-tokens/", {**credentials, "otp": "000000"}, format="json"
    )
    right = api_client.post(
        "/api/v1/auth-tokens/",
        {**credentials, "otp": code_for(device)},
        format="json",
    )

    assert missing.status_code == 400
    assert missing.json()["errors"] == {
        "otp": ["Введіть код із застосунку-автентифікатора або код відновлення."]
    }
    assert wrong.status_code == 400
    assert wrong.json()["errors"]["otp"][0].startswith("Код неправильний.")
    assert right.status_code == 200
    assert right.json() == {"token": Token.objects.get(user=user).key}


@pytest.mark.parametrize("role", REQUIRED_ROLES)
def test_token_refused_to_required_role_without_an_authenticator(api_client, role):
    user = UserFactory(role=role, email=f"{role}@example.org")

    response = api_client.post(
        "/api/v1/auth-tokens/",
        {"email": user.email, "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": [
            "Ваша роль вимагає двофакторного входу: увійдіть на сайті, налаштуйте "
            "його, а тоді просіть токен із кодом."
        ]
    }
    assert not Token.objects.filter(user=user).exists()


def test_token_issued_before_keeps_working(api_client, db):
    user = UserFactory(role=Role.STAFF, email="staff@example.org")
    token = Token.objects.create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api_client.get("/api/v1/organizations/")

    assert response.status_code == 200


def test_wrong_api_codes_lock_out_like_the_page(api_client, editor_2fa):
    user, _device, _codes = editor_2fa
    body = {"email": user.email, "password": PASSWORD, "otp": "000000"}

    answers = [
        api_client.post("/api/v1/auth-tokens/", body, format="json").status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert answers == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


# A platform admin resets someone's two-factor sign-in


@pytest.mark.parametrize("role", ["anonymous", *OPTIONAL_ROLES, *REQUIRED_ROLES])
def test_only_platform_admins_reset_someones_two_factor(client, role):
    person = UserFactory(role=Role.STAFF, email="lost-phone@example.org")
    enrol(person)
    if role != "anonymous":
        client.force_login(UserFactory(role=role, email=f"{role}@example.org"))

    response = client.post(f"/en/accounts/users/{person.pk}/two-factor-reset/")

    if role == Role.ADMIN:
        assert response["Location"] == f"/en/accounts/users/{person.pk}/"
        assert not TOTPDevice.objects.filter(user=person).exists()
        assert not RecoveryCode.objects.filter(user=person).exists()
        entry = AuditEntry.objects.get(action="two_factor.reset")
        assert entry.object_id == str(person.pk)
    else:
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected
        assert TOTPDevice.objects.filter(user=person).exists()


def test_user_page_shows_two_factor_and_the_reset_button(client, platform_admin):
    person = UserFactory(role=Role.STAFF, email="lost-phone@example.org")
    enrol(person)
    client.force_login(platform_admin)

    response = client.get(f"/en/accounts/users/{person.pk}/")
    reset = client.post(
        f"/en/accounts/users/{person.pk}/two-factor-reset/", follow=True
    )

    assert "Two-factor sign-in is on." in response.content.decode()
    assert "Reset two-factor sign-in (lost phone)" in response.content.decode()
    assert (
        "Two-factor sign-in of lost-phone@example.org is reset: they set it up again "
        "at the next sign-in if their role requires it." in reset.content.decode()
    )
    assert "Two-factor sign-in is off." in reset.content.decode()


def test_invited_reviewer_sets_up_two_factor_after_accepting(client, staff):
    from accounts.models import Invitation

    invitation = Invitation.objects.create(
        email="new-reviewer@example.org",
        role=Role.REVIEWER,
        invited_by=staff,
        language="en",
    )

    accepted = client.post(
        f"/en/accounts/invitations/{invitation.token}/",
        {
            "full_name": "Sarah Martinez",
            "password1": "Brand-new-Pass-91",
            "password2": "Brand-new-Pass-91",
        },
        follow=True,
    )

    assert accepted.redirect_chain[-1][0] == (
        "/en/accounts/two-factor/setup/?next=%2Fen%2Faccounts%2Fme%2F"
    )
    assert "Your role in Mist requires two-factor sign-in." in (
        accepted.content.decode()
    )
