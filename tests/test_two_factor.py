"""Two factors for the people who decide who takes part (issue 15, item 3): the
secretariat, the PGA Office, the co-facilitators and superusers cannot open any page
until they have given a code from their authenticator app (or a recovery code) in the
session; delegates and NGOs are offered it. Signed in through the forms here, as a person
does (``tests/conftest.py``'s ``force_login`` shortcut is not used)."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from compact_process.audit.models import AuditEvent
from tests.pages import PAGES
from tests.people import PASSWORD, code, delegate, person, second_factor

User = get_user_model()
T0 = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
STEP = datetime.timedelta(seconds=30)  # a code is good once, for its 30 seconds
SETUP, VERIFY, MANAGE = (
    "/accounts/two-factor/setup/",
    "/accounts/two-factor/verify/",
    ("/accounts/two-factor/"),
)


def signed_in_by_password(username: str, language: str = "en") -> Client:
    client = Client()
    prefix = "" if language == "en" else f"/{language}"
    response = client.post(
        f"{prefix}/accounts/login/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:400]
    return client


def key_on_the_page(html: str) -> bytes:
    """The key the set-up page shows as text (base32, in groups of four), as a person
    types it into their app."""
    shown = re.search(r'<code class="otp-key"[^>]*>([A-Z2-7 ]+)</code>', html).group(1)
    return base64.b32decode(shown.replace(" ", ""))


def code_from(key: bytes) -> str:
    import time

    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


# --- Required for staff --------------------------------------------------------------------


STAFF_PAGES = sorted({(entry.name, entry.role) for entry in PAGES if entry.role == "secretariat"})


def test_a_secretariat_account_reaches_no_page_without_its_second_factor(gcm):
    """Every page of the registry that the secretariat reads, asked for after the
    password only: each sends to the set-up (no app yet), then, once an app exists, to
    the code; none answers its content."""
    person("desk", "secretariat")
    client = signed_in_by_password("desk")
    paths = {entry.url(gcm) for entry in PAGES if entry.role in ("secretariat", None)}
    paths |= {"/secretariat/", "/accounts/profile/", "/support/", "/accounts/start/"}
    assert len(paths) > 40
    for path in sorted(paths):
        response = client.get(path)
        assert response.status_code == 302, path
        # In the page's language: /ar/accounts/two-factor/setup/?next=/ar/...
        assert re.match(r"^(/[a-z-]+)?" + SETUP + r"\?next=", response["Location"]), (
            path,
            response["Location"],
        )
    second_factor(User.objects.get(username="desk"))
    client = signed_in_by_password("desk")
    for path in sorted(paths)[:10]:
        response = client.get(path)
        assert re.match(r"^(/[a-z-]+)?" + VERIFY + r"\?next=", response["Location"]), path
    # POSTs too: nothing is done before the second factor.
    response = client.post("/secretariat/operations/lock-outs/unlock/account/x/", {})
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)


@pytest.mark.parametrize("role", ["pga_office", "co_facilitator"])
def test_the_office_and_co_facilitators_must_set_it_up_too(gcm, role):
    person("staff-member", role)
    response = signed_in_by_password("staff-member").get("/accounts/start/")
    assert response["Location"] == SETUP + "?next=%2Faccounts%2Fstart%2F"


def test_a_superuser_must_set_it_up(gcm):
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    response = signed_in_by_password("root").get("/support/")
    assert response["Location"] == SETUP + "?next=%2Fsupport%2F"


def test_enrolment_shows_a_qr_code_and_the_key_then_takes_one_code(gcm):
    desk = person("desk", "secretariat")
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_password("desk")
        page = client.get(SETUP + "?next=/secretariat/")
        html = page.content.decode()
        assert page.status_code == 200
        assert 'src="data:image/svg+xml;base64,' in html
        assert "no other page opens" in html
        key = key_on_the_page(html)
        # Reloading shows the same key (the person may have scanned it already).
        assert key_on_the_page(client.get(SETUP).content.decode()) == key
        # A wrong code: said, and nothing is turned on.
        wrong = client.post(SETUP, {"code": "000000", "next": "/secretariat/"})
        assert wrong.status_code == 422
        assert "This code is not right" in wrong.content.decode()
        assert not TOTPDevice.objects.filter(user=desk, confirmed=True).exists()
        clock.shift(STEP)
        done = client.post(SETUP, {"code": code_from(key), "next": "/secretariat/"})
        assert done.status_code == 200
        html = done.content.decode()
        codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", html)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert "Two-step verification is on." in html
        assert 'href="/secretariat/"' in html
        # This session has given its second factor: the pages open.
        assert client.get("/secretariat/").status_code == 200
    assert set(StaticToken.objects.filter(device__user=desk).values_list("token", flat=True)) == (
        set(codes)
    )
    assert AuditEvent.objects.filter(action="account.two_factor_enabled", actor=desk).count() == 1


def test_signing_in_asks_for_the_code_and_lands_on_the_page_asked_for_in_the_persons_language(
    gcm,
):
    office = person("office-desk", "pga_office", language="ar")
    device = second_factor(office)
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_password("office-desk")
        response = client.get("/office/lists/")
        assert response["Location"] == VERIFY + "?next=%2Foffice%2Flists%2F"
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert 'autocomplete="one-time-code"' in page.content.decode()
        wrong = client.post(VERIFY, {"code": "123456", "next": "/office/lists/"})
        assert wrong.status_code == 422
        assert "This code is not right" in wrong.content.decode()
        # Right after a wrong code, even the right one waits (django-otp's throttling).
        waited = client.post(VERIFY, {"code": code(device), "next": "/office/lists/"})
        assert waited.status_code == 422
        assert "Too many wrong codes: wait" in waited.content.decode()
        clock.shift(STEP)
        right = client.post(VERIFY, {"code": code(device), "next": "/office/lists/"})
        with translation.override("ar"):
            assert right["Location"] == "/ar/office/lists/"
        assert client.get("/ar/office/lists/").status_code == 200
        # A code is good once: the same one in the same 30 seconds is refused elsewhere.
        other = signed_in_by_password("office-desk")
        assert other.post(VERIFY, {"code": code(device)}).status_code == 422


def test_a_recovery_code_signs_in_once(gcm):
    desk = person("desk", "secretariat")
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_password("desk")
        key = key_on_the_page(client.get(SETUP).content.decode())
        html = client.post(SETUP, {"code": code_from(key)}).content.decode()
        first = re.findall(r"<li><code>([a-z0-9]+)</code></li>", html)[0]
        clock.shift(STEP)
        phone_lost = signed_in_by_password("desk")
        response = phone_lost.post(VERIFY, {"code": first.upper()})
        assert response.status_code == 302
        assert phone_lost.get("/secretariat/").status_code == 200
        clock.shift(STEP)
        again = signed_in_by_password("desk")
        assert again.post(VERIFY, {"code": first}).status_code == 422
    event = AuditEvent.objects.get(action="account.recovery_code_used")
    assert event.actor == desk and event.data["left"] == 9


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(gcm):
    desk = person("desk", "secretariat")
    device = second_factor(desk)
    old = StaticToken.random_token()
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_password("desk")
        client.post(VERIFY, {"code": code(device)})
        from django_otp.plugins.otp_static.models import StaticDevice

        StaticDevice.objects.create(user=desk, name="Recovery codes").token_set.create(token=old)
        page = client.get(MANAGE).content.decode()
        assert "You have 1 recovery code left." in page
        assert "Turn two-step verification off" not in page  # required for the secretariat
        assert client.post(MANAGE, {"action": "off", "code": "x"}).status_code == 403
        assert client.post(MANAGE, {"action": "codes", "code": "000000"}).status_code == 422
        clock.shift(STEP)
        html = client.post(MANAGE, {"action": "codes", "code": code(device)}).content.decode()
        new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", html)
        assert len(new) == 10 and old not in new
        assert "Your earlier recovery codes no longer work." in html
    assert not StaticToken.objects.filter(token=old).exists()
    assert AuditEvent.objects.filter(action="account.recovery_codes_renewed").count() == 1


# --- Offered to delegates ------------------------------------------------------------------


def test_a_delegate_is_offered_it_and_once_on_it_is_asked_for_and_can_be_turned_off(gcm):
    ana = delegate("ana", "MEX")
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_password("ana")
        assert client.get("/review/").status_code == 200  # not required
        profile = client.get("/accounts/profile/").content.decode()
        assert "Two-step verification is off." in profile
        offer = client.get(MANAGE).content.decode()
        assert "Delegates are advised to turn it on." in offer
        key = key_on_the_page(client.get(SETUP).content.decode())
        assert client.post(SETUP, {"code": code_from(key)}).status_code == 200
        clock.shift(STEP)
        # The next sign-in asks for it.
        client = signed_in_by_password("ana")
        assert client.get("/review/")["Location"] == VERIFY + "?next=%2Freview%2F"
        assert client.post(VERIFY, {"code": code_from(key)}).status_code == 302
        clock.shift(STEP)
        off = client.post(MANAGE, {"action": "off", "code": code_from(key)}, follow=True)
        assert "Two-step verification is off: signing in asks only for your password." in (
            off.content.decode()
        )
        assert not TOTPDevice.objects.filter(user=ana).exists()
        assert client.get("/review/").status_code == 200
        assert signed_in_by_password("ana").get("/review/").status_code == 200
    assert AuditEvent.objects.filter(action="account.two_factor_disabled", actor=ana).count() == 1


def test_the_pages_answer_in_every_language(gcm):
    person("desk", "secretariat")
    for language in ("ar", "zh-hans", "fr", "ru", "es"):
        client = signed_in_by_password("desk", language)
        with translation.override(language):
            from django.urls import reverse

            setup = reverse("accounts:two-factor-setup")
            html = client.get(setup).content.decode()
            assert f'<html lang="{language}"' in html
            assert translation.gettext("Set up two-step verification") in html
            assert translation.gettext("Set up two-step verification") != (
                "Set up two-step verification"
            )


# --- In a browser ----------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enrolment_walked_in_the_browser_on_a_phone(live_server, gcm, browser):
    """The secretariat signs in on a 390 px screen, is sent to the set-up, types the key
    shown into its app (computed here as the app would), gets its recovery codes, and
    lands on its dashboard; signing in again asks for the code."""
    person("desk", "secretariat", name="Dana Desk")
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    page = context.new_page()
    with time_machine.travel(T0, tick=True) as clock:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill("desk")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**" + SETUP + "?next=%2Faccounts%2Fstart%2F")
        assert page.get_by_role(
            "img", name="QR code to scan with the authenticator app"
        ).is_visible()
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"the set-up page is {wide} px wide on a 390 px screen"
        key = base64.b32decode(page.locator(".otp-key").inner_text().replace(" ", ""))
        page.get_by_label("Code").fill("999999")
        page.get_by_role("button", name="Turn on two-step verification").click()
        error = page.locator(".field-errors")
        assert "This code is not right" in error.inner_text()
        # The field says so to a screen reader, and keeps the focus order.
        assert page.get_by_label("Code").get_attribute("aria-invalid") == "true"
        clock.shift(STEP)  # a moment later (a wrong code makes the next one wait a second)
        page.get_by_label("Code").fill(code_from(key))
        page.get_by_label("Code").press("Enter")
        page.get_by_role("heading", name="Your recovery codes").wait_for()
        assert page.locator(".recovery-codes li").count() == 10
        page.get_by_role("link", name="I have kept them: continue").click()
        page.wait_for_url("**/secretariat/")
        # Signed out and in again: the code is asked for.
        page.get_by_role("button", name="Sign out").click()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill("desk")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**" + VERIFY + "?next=%2Faccounts%2Fstart%2F")
        clock.shift(STEP)  # the code of the next 30 seconds (one code is good once)
        page.get_by_label("Code from your authenticator app, or a recovery code").fill(
            code_from(key)
        )
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url("**/secretariat/")
    context.close()
