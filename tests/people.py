"""The people of the tests: one way to make a user in a role, a delegate of one or more
States, in a language. Every test module imports these instead of writing its own.

Passwords are hashed with the fast hasher that ``tests/conftest.py`` sets for the whole
suite; a test that signs in through the login form uses ``PASSWORD``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PASSWORD = "a-long-password-1"


def person(
    username: str,
    role: str | None = None,
    *,
    iso3: str | None = None,
    language: str = "en",
    email: str | None = None,
    name: str = "",
    password: str = PASSWORD,
):
    """A user, in the group ``role`` if given, delegate of ``iso3`` if given. ``email``:
    ``None`` gives ``<username>@example.org``; ``""`` gives a user with no address."""
    first, _, last = name.partition(" ")
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org" if email is None else email,
        password=password,
        first_name=first,
        last_name=last,
        preferred_language=language,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if iso3:
        delegate_for(user, iso3)
    return user


def delegate(username: str, *iso3s: str, language: str = "en", email: str | None = None):
    """A delegate acting for each of the States ``iso3s`` (at least one)."""
    assert iso3s, "a delegate acts for at least one State"
    user = person(username, language=language, email=email)
    for code in iso3s:
        delegate_for(user, code)
    return user


def delegate_for(user, iso3: str) -> None:
    from compact_process.accounts.permissions import grant_delegate
    from phases.models import MemberState

    grant_delegate(user, MemberState.objects.get(iso3=iso3))


def second_factor(user):
    """The person's authenticator app (a confirmed TOTP device), set up if they have none:
    ``code(device)`` is what it shows now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)


def code(device) -> str:
    """The 6 digits the app shows now (RFC 6238, as a phone computes them), for
    ``device`` or for the key of a QR code (hex)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def give_the_code(client, user, language: str = "en"):
    """After a password sign-in through the form, what someone who must give a second
    factor (staff, superusers) does next: types the code their app shows."""
    from compact_process.accounts.two_factor import is_required

    if not is_required(user):
        return None
    prefix = "" if language == "en" else f"/{language}"
    response = client.post(
        f"{prefix}/accounts/two-factor/verify/", {"code": code(second_factor(user))}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def sign_in_in_the_browser(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """The sign-in form in a browser, then, for someone who must give a second factor,
    the code from their app (set up beforehand, so that the code page follows)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from compact_process.accounts.two_factor import is_required

    user = get_user_model().objects.get(username=username)
    device = second_factor(user) if is_required(user) else None
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    if device is None:
        return
    page.wait_for_url("**/accounts/two-factor/verify/**")
    # A code is good once; a test signs the same person in several times a minute, where
    # a phone would show the next code: the app's last code is forgotten.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    page.fill("#id_code", code(device))
    page.press("#id_code", "Enter")
