"""The security baseline of issue 15, item 4: a strict Content-Security-Policy and a
Permissions-Policy on every page, no inline script or style left in the templates that
browsers are served, sessions that end when left unused (sooner for staff), passwords of
at least 12 characters, and a request-size cap in front of uploads."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from compact_process.audit.models import AuditEvent
from phases.documents import services as document_services
from phases.enums import DocumentKind, ResponsibleRole
from tests.pages import PAGES, client_for
from tests.people import PASSWORD, code, give_the_code, person, second_factor

User = get_user_model()
ROOT = Path(__file__).resolve().parent.parent
T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
MINUTES = datetime.timedelta(minutes=1)

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def directives(header: str) -> dict[str, set[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


def permissions(header: str) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in header.split(","))


# --- Headers on every page -----------------------------------------------------------------


def test_every_page_answers_with_the_content_security_and_permissions_policies(gcm):
    clients: dict = {}
    for page in PAGES:
        client = clients.get(page.role) or clients.setdefault(page.role, client_for(page.role))
        path = page.url(gcm)
        response = client.get(path)
        assert response.status_code == 200, f"{page}: {path} answered {response.status_code}"
        assert directives(response["Content-Security-Policy"]) == POLICY, page
        policy = permissions(response["Permissions-Policy"])
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert policy[feature] == "()", (page, feature)


def test_the_sign_in_page_and_an_error_page_carry_the_policy_too(client, gcm):
    for path in ("/ar/accounts/login/", "/no-such-page/"):
        response = client.get(path)
        assert directives(response["Content-Security-Policy"]) == POLICY, path
        assert "camera=()" in response["Permissions-Policy"]


# --- No inline script or style in what browsers are served ----------------------------------

INLINE = [
    ("an inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)", re.I)),
    ("a <style> element", re.compile(r"<style\b", re.I)),
    ("a style attribute", re.compile(r"\sstyle\s*=", re.I)),
    ("an on… event handler", re.compile(r"\son[a-z]+\s*=", re.I)),
    ("a javascript: URL", re.compile(r"javascript:", re.I)),
]
# WeasyPrint's PDFs and the e-mails are never served to a browser: their styles are inline.
NOT_SERVED_BASES = ("pdf/base.html", "notifications/_email.html")


def template_folders() -> list[Path]:
    folders = [ROOT / "templates"]
    for app in ("compact_process", "phases", "stakeholders"):
        folders += [p for p in (ROOT / app).rglob("templates") if p.is_dir()]
    return folders


def served_to_browsers(relative: str, text: str) -> bool:
    if relative in NOT_SERVED_BASES:
        return False
    extends = re.search(r'{%\s*extends\s+"([^"]+)"', text)
    if extends and extends.group(1) in NOT_SERVED_BASES:
        return False
    # The partials under a pdf/ folder are included by the PDF templates; a page there
    # (the PDF's progress page) extends the site's base.
    return not ("pdf" in relative.split("/")[:-1] and not extends)


def inline_code(text: str) -> list[str]:
    return [what for what, pattern in INLINE if pattern.search(text)]


def test_the_scan_finds_inline_code():
    assert inline_code('<p style="color: red">') == ["a style attribute"]
    assert inline_code('<button onclick="go()">') == ["an on… event handler"]
    assert inline_code("<script>alert(1)</script>") == ["an inline <script>"]
    assert inline_code("<style>p{}</style>") == ["a <style> element"]
    assert inline_code('<script defer src="/static/js/local-time.js"></script>') == []
    assert inline_code('<script id="x" type="application/json">{}</script>') == []
    assert inline_code('<p data-online="1" class="one">') == []


def test_no_template_served_to_browsers_has_inline_script_or_style():
    found, scanned = [], 0
    for folder in template_folders():
        for path in folder.rglob("*.html"):
            relative = path.relative_to(folder).as_posix()
            text = path.read_text(encoding="utf-8")
            if not served_to_browsers(relative, text):
                continue
            scanned += 1
            found += [f"{relative}: {what}" for what in inline_code(text)]
    assert scanned > 100
    assert found == [], "move these to static/css or static/js: " + "; ".join(found)


def test_the_pdf_and_e_mail_templates_keep_their_inline_styles():
    """They are excluded from the scan above because they are not served; they are not
    empty of styles, or the exclusion would hide nothing."""
    pdf = (ROOT / "templates" / "pdf" / "base.html").read_text()
    email = (ROOT / "templates" / "notifications" / "_email.html").read_text()
    assert not served_to_browsers("pdf/base.html", pdf) and "<style>" in pdf
    assert not served_to_browsers("notifications/_email.html", email) and "style=" in email
    progress = (ROOT / "templates" / "pdf" / "progress.html").read_text()
    assert served_to_browsers("pdf/progress.html", progress)


# --- Idle sessions -------------------------------------------------------------------------


@pytest.fixture
def idle_on(settings):
    settings.SESSION_IDLE_MINUTES = 60
    settings.SESSION_IDLE_MINUTES_STAFF = 20
    settings.SESSION_COOKIE_AGE = 12 * 60 * 60
    return settings


def idle_message(minutes: int, language: str = "en") -> str:
    with translation.override(language):
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. "
            "Sign in again to go on.",
            "You were signed out after %(minutes)d minutes without activity. "
            "Sign in again to go on.",
            minutes,
        ) % {"minutes": minutes}


def signed_in_by_the_form(username: str, language: str = "en") -> Client:
    client = Client()
    prefix = "" if language == "en" else f"/{language}"
    response = client.post(
        f"{prefix}/accounts/login/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    give_the_code(client, User.objects.get(username=username), language)
    return client


def test_a_session_unused_for_an_hour_is_signed_out_with_a_message_in_the_readers_language(
    gcm, idle_on
):
    person("aminata", "delegate", iso3="SEN", language="fr")
    profile = "/fr/accounts/profile/"
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_the_form("aminata", "fr")
        clock.shift(59 * MINUTES)
        assert client.get(profile).status_code == 200
        clock.shift(59 * MINUTES)  # used 59 minutes ago: still signed in
        assert client.get(profile).status_code == 200
        clock.shift(61 * MINUTES)
        response = client.get(profile)
        assert response.status_code == 302
        assert response["Location"] == "/fr/accounts/login/?next=/fr/accounts/profile/"
        page = client.get(response["Location"])
        html = page.content.decode()
        assert '<html lang="fr"' in html
        assert idle_message(60, "fr") in html
        # Signed out for real: the profile asks for sign-in again.
        assert client.get(profile).status_code == 302


def test_staff_are_signed_out_after_twenty_minutes_others_are_not(gcm, idle_on):
    person("office-desk", "secretariat")
    person("delegate-desk", "delegate", iso3="MEX")
    with time_machine.travel(T0, tick=False) as clock:
        staff = signed_in_by_the_form("office-desk")
        delegate = signed_in_by_the_form("delegate-desk")
        clock.shift(21 * MINUTES)
        response = staff.get("/secretariat/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/secretariat/")
        assert idle_message(20) in staff.get(response["Location"]).content.decode()
        assert delegate.get("/accounts/profile/").status_code == 200


def test_a_superuser_gets_the_staff_limit(gcm, idle_on):
    User.objects.create_superuser("root-desk", "root@example.org", PASSWORD)
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_the_form("root-desk")
        clock.shift(19 * MINUTES)
        assert client.get("/accounts/profile/").status_code == 200
        clock.shift(21 * MINUTES)
        assert client.get("/accounts/profile/").status_code == 302


def test_the_limits_come_from_the_settings(gcm, idle_on):
    idle_on.SESSION_IDLE_MINUTES = 5
    person("short-idle", "delegate", iso3="KEN")
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_the_form("short-idle")
        clock.shift(6 * MINUTES)
        response = client.get("/accounts/profile/")
        assert response.status_code == 302
        assert idle_message(5) in client.get(response["Location"]).content.decode()


def test_a_busy_session_still_ends_twelve_hours_after_signing_in(gcm, idle_on):
    person("busy-delegate", "delegate", iso3="KEN")
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_the_form("busy-delegate")
        for _ in range(24):  # a request every 30 minutes for 12 hours
            clock.shift(30 * MINUTES)
            assert client.get("/accounts/profile/").status_code == 200
        clock.shift(30 * MINUTES)
        response = client.get("/accounts/profile/")
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
        assert "a session lasts at most 12 hours" in page


def test_the_idle_sign_out_is_off_when_both_limits_are_zero(gcm, settings):
    settings.SESSION_IDLE_MINUTES = 0
    settings.SESSION_IDLE_MINUTES_STAFF = 0
    person("no-idle", "secretariat")
    with time_machine.travel(T0, tick=False) as clock:
        client = signed_in_by_the_form("no-idle")
        clock.shift(300 * MINUTES)
        assert client.get("/secretariat/").status_code == 200


# --- Passwords of at least 12 characters -----------------------------------------------------

ELEVEN = "Kq7#mzp2Lx9"
TWELVE = "Kq7#mzp2Lx9w"


def test_sign_up_refuses_an_eleven_character_password_and_takes_twelve(client, gcm, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    signup = reverse("stakeholders-registration:signup")
    form = {"username": "lina", "email": "lina@example.org"}
    page = client.get(signup).content.decode()
    assert "at least 12 characters" in page
    response = client.post(signup, {**form, "password1": ELEVEN, "password2": ELEVEN})
    assert response.status_code in (200, 422)
    assert "This password is too short. It must contain at least 12 characters." in (
        response.content.decode()
    )
    assert not User.objects.filter(username="lina").exists()
    response = client.post(signup, {**form, "password1": TWELVE, "password2": TWELVE})
    assert response.status_code == 302
    assert User.objects.get(username="lina").check_password(TWELVE)


def test_changing_the_password_needs_twelve_characters(client, gcm):
    user = person("pwd-delegate", "delegate", iso3="KEN")
    client.force_login(user)
    change = reverse("accounts:password-change")
    assert 'href="/accounts/password/"' in client.get("/accounts/profile/").content.decode()
    response = client.post(
        change, {"old_password": PASSWORD, "new_password1": ELEVEN, "new_password2": ELEVEN}
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        change, {"old_password": PASSWORD, "new_password1": TWELVE, "new_password2": TWELVE}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change-done")
    user.refresh_from_db()
    assert user.check_password(TWELVE)
    assert AuditEvent.objects.filter(
        action="account.password_changed", actor=user, data__username="pwd-delegate"
    ).exists()
    # This session stays signed in.
    assert client.get("/accounts/profile/").status_code == 200


def test_the_password_change_asks_for_the_old_password(client, gcm):
    user = person("pwd-guess", "delegate", iso3="KEN")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": "not-the-password", "new_password1": TWELVE, "new_password2": TWELVE},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_demo_accounts_password_meets_the_minimum():
    from django.contrib.auth.password_validation import validate_password

    from compact_process.accounts.demo import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)
    validate_password(PASSWORD)


# --- The request-size cap ------------------------------------------------------------------


def a_document(process):
    with translation.override("en"):
        return document_services.create_document(
            process=process,
            kind=DocumentKind.COFACILITATORS_SUMMARY,
            title="Summary of the second informal thematic session",
            author_role=ResponsibleRole.CO_FACILITATORS,
            issued_on=datetime.date(2017, 6, 30),
            symbol="",
        )


def test_an_oversized_upload_is_answered_413_before_it_is_read(gcm, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024 * 1024
    settings.REQUEST_BODY_MARGIN_BYTES = 64 * 1024
    document = a_document(gcm)
    huge = SimpleUploadedFile("summary.pdf", b"%PDF-1.7\n" + b"x" * (2 * 1024 * 1024))
    client = client_for("secretariat")
    with translation.override("ar"):
        path = reverse("documents-secretariat:upload", args=[document.pk])
    response = client.post(path, {"language": "en", "file": huge})
    assert response.status_code == 413
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    with translation.override("ar"):
        assert translation.gettext("Too large to send") in html
    assert "1 ميغابايت" in html  # the limit, in the reader's language
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert not document.versions.exists()


def test_a_file_just_over_the_limit_still_gets_the_forms_own_message(gcm, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024 * 1024
    document = a_document(gcm)
    over = SimpleUploadedFile("summary.pdf", b"%PDF-1.7\n" + b"x" * (1024 * 1024))
    response = client_for("secretariat").post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "en", "file": over},
    )
    assert response.status_code == 422
    assert "files may be at most 1 MB" in response.content.decode()


def test_the_cap_is_the_largest_upload_plus_a_margin():
    from compact_process.web.limits import request_max_bytes

    assert request_max_bytes() == (
        django_settings.DOCUMENT_UPLOAD_MAX_BYTES + django_settings.REQUEST_BODY_MARGIN_BYTES
    )
    assert request_max_bytes() >= django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE


# --- The support site (Django's admin) under the policy, in a browser -------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_support_site_works_under_the_policy(live_server, gcm, page):
    """The browser fixture fails the test on any violation the pages report."""
    root = User.objects.create_superuser("support-root", "support@example.org", PASSWORD)
    second_factor(root)
    page.goto(live_server.url + "/support/login/")
    page.fill("#id_username", "support-root")
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    # A superuser gives the second factor before the support site opens.
    page.wait_for_url("**/accounts/two-factor/verify/?next=%2Fsupport%2F")
    page.fill("#id_code", code(second_factor(root)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/support/")
    for path in (
        "/support/",
        "/support/accounts/user/",
        f"/support/accounts/user/{root.pk}/change/",
        "/support/accounts/user/add/",
        "/support/auth/group/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
    # The admin's own scripts ran: the change list's "select all" box is wired.
    page.goto(live_server.url + "/support/accounts/user/")
    page.locator("#action-toggle").check()
    assert page.locator("tr.selected").count() >= 1
