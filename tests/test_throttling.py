"""Sign-in throttling (issue 15, item 2): django-axes locks an account, or an address,
after repeated failed sign-ins; the lock-out page is in the reader's language; the
cool-off lets the account back in; each lock-out and unlock is in the audit trail; the
secretariat sees the lock-outs and unlocks one after a confirmation.

Every sign-in here goes through the real sign-in form (``/accounts/login/``) with Django's
test client; the address is the client's ``REMOTE_ADDR``.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from compact_process.audit.models import AuditEvent
from stakeholders import trail
from tests.people import PASSWORD, delegate, person

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
WRONG = "not-the-password-at-all"
HOME = "198.51.100.10"  # the person's own address
ELSEWHERE = "203.0.113.20"  # another person, somewhere else
START = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.UTC)


def at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def sign_in(client: Client, username: str, password: str, *, prefix: str = ""):
    return client.post(f"{prefix}{LOGIN}", {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, *, prefix: str = "") -> list:
    return [sign_in(client, username, WRONG, prefix=prefix) for _ in range(times)]


def paused_text(language: str = "en") -> str:
    with translation.override(language):
        return gettext("Signing in is paused")


def lock_the_address(address: str) -> None:
    """As many failures from one address as lock it, each to another (unknown) name, so
    that no account is locked by them."""
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        sign_in(at(address), f"guess-{n}", WRONG)


def test_the_settings_lock_after_five_failures_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 50
    assert datetime.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_the_sixth_attempt_in_a_row_is_refused_even_with_the_right_password():
    person("ngo-amina", "stakeholder")
    client = at(HOME)
    first_four = fail(client, "ngo-amina", 4)
    for response in first_four:
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    # The fifth failure locks: its answer already says so.
    fifth = sign_in(client, "ngo-amina", WRONG)
    assert fifth.status_code == 429
    assert paused_text() in fifth.content.decode()
    sixth = sign_in(client, "ngo-amina", PASSWORD)
    html = sixth.content.decode()
    assert sixth.status_code == 429
    assert paused_text() in html and "You can try again in 30 minutes." in html
    assert '<html lang="en"' in html
    assert not signed_in(client)


def test_the_lock_out_is_per_account_whatever_the_address():
    person("ngo-amina", "stakeholder")
    fail(at(HOME), "ngo-amina", 5)
    # The right password from somewhere else: still refused (someone guessed from HOME).
    response = sign_in(at(ELSEWHERE), "ngo-amina", PASSWORD)
    assert response.status_code == 429 and paused_text() in response.content.decode()


def test_another_account_from_another_address_still_signs_in():
    person("ngo-amina", "stakeholder")
    delegate("mx-delegate", "MEX")
    fail(at(HOME), "ngo-amina", 6)
    other = at(ELSEWHERE)
    response = sign_in(other, "mx-delegate", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:landing")
    assert signed_in(other)


def test_a_colleague_at_the_same_address_still_signs_in():
    """An office or a delegation signs in from one shared address: one person's sixth wrong
    password in a row locks their own account, not their colleagues'."""
    person("ngo-amina", "stakeholder")
    delegate("mx-delegate", "MEX")
    failures = fail(at(HOME), "ngo-amina", 6)
    assert [r.status_code for r in failures] == [200, 200, 200, 200, 429, 429]
    assert paused_text() in failures[-1].content.decode()
    colleague = at(HOME)
    response = sign_in(colleague, "mx-delegate", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:landing")
    assert signed_in(colleague)
    assert not AuditEvent.objects.filter(action="address.locked").exists()


def test_the_lock_out_page_is_in_the_readers_language():
    person("ngo-claire", "stakeholder", language="fr")
    client = at(HOME)
    fail(client, "ngo-claire", 5, prefix="/fr")
    response = sign_in(client, "ngo-claire", PASSWORD, prefix="/fr")
    html = response.content.decode()
    assert response.status_code == 429
    assert '<html lang="fr"' in html
    assert paused_text("fr") in html
    with translation.override("fr"):
        assert reverse("accounts:login") in html  # the way back is the French sign-in page
    assert not signed_in(client)


def test_the_cool_off_lets_the_account_back_in():
    person("ngo-amina", "stakeholder")
    with time_machine.travel(START, tick=False) as traveller:
        client = at(HOME)
        fail(client, "ngo-amina", 5)
        traveller.shift(datetime.timedelta(minutes=29))
        still = sign_in(client, "ngo-amina", PASSWORD)
        assert still.status_code == 429 and "You can try again in 1 minute." in (
            still.content.decode()
        )
        traveller.shift(datetime.timedelta(minutes=1, seconds=1))
        response = sign_in(client, "ngo-amina", PASSWORD)
        assert response.status_code == 302 and signed_in(client)


def test_trying_during_the_lock_out_does_not_prolong_it():
    person("ngo-amina", "stakeholder")
    with time_machine.travel(START, tick=False) as traveller:
        client = at(HOME)
        fail(client, "ngo-amina", 5)
        traveller.shift(datetime.timedelta(minutes=20))
        fail(client, "ngo-amina", 3)
        traveller.shift(datetime.timedelta(minutes=10, seconds=1))
        assert sign_in(client, "ngo-amina", PASSWORD).status_code == 302


def test_failures_count_in_a_row_a_success_starts_again():
    person("ngo-amina", "stakeholder")
    client = at(HOME)
    fail(client, "ngo-amina", 4)
    assert sign_in(client, "ngo-amina", PASSWORD).status_code == 302
    client.logout()
    assert all(r.status_code == 200 for r in fail(client, "ngo-amina", 4))
    assert sign_in(client, "ngo-amina", PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_reset_the_count_of_another():
    """An attacker with an account of their own, guessing another's password from the same
    address, cannot clear the count by signing in to theirs in between."""
    person("ngo-amina", "stakeholder")
    person("ngo-mallory", "stakeholder")
    client = at(HOME)
    fail(client, "ngo-amina", 4)
    assert sign_in(client, "ngo-mallory", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "ngo-amina", WRONG).status_code == 429
    assert sign_in(at(ELSEWHERE), "ngo-amina", PASSWORD).status_code == 429


def test_an_address_trying_many_accounts_is_locked():
    person("ngo-amina", "stakeholder")
    client = at(HOME)
    for n in range(49):
        assert sign_in(client, f"guess-{n}", WRONG).status_code == 200
    # The 49th failure from one address, each to another name, locks nothing yet.
    assert sign_in(client, "ngo-amina", PASSWORD).status_code == 302
    client.logout()
    # The 50th does: its own answer says so, and then the right password of a real account.
    fiftieth = sign_in(client, "guess-49", WRONG)
    assert fiftieth.status_code == 429
    assert "There were 50 failed attempts in a row" in fiftieth.content.decode()
    assert sign_in(client, "ngo-amina", PASSWORD).status_code == 429
    # From elsewhere it works: none of the names was tried five times.
    assert sign_in(at(ELSEWHERE), "ngo-amina", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="address.locked")
    assert event.data["ip_address"] == HOME and event.data["failures"] == 50
    assert not AuditEvent.objects.filter(action="account.locked").exists()


def test_each_lock_out_is_audited_once():
    person("ngo-amina", "stakeholder")
    client = at(HOME)
    fail(client, "ngo-amina", 8)
    sign_in(client, "ngo-amina", PASSWORD)
    events = list(AuditEvent.objects.filter(action="account.locked"))
    assert len(events) == 1
    event = events[0]
    assert event.actor is None and event.actor_label == "system"
    assert event.data == {
        "username": "ngo-amina",
        "ip_address": HOME,
        "failures": 5,
        "minutes": 30,
    }
    # Eight failures from HOME are far from the address's own limit.
    assert not AuditEvent.objects.filter(action="address.locked").exists()
    with translation.override("en"):
        sentence = trail.describe(event, trail.Names([event]))
    assert sentence == (
        "Signing in as ngo-amina was paused for 30 minutes after 5 failed attempts in a row."
    )


def test_force_login_and_client_login_are_not_throttled():
    """The suite signs in with force_login (no sign-in request): axes counts nothing."""
    user = person("ngo-amina", "stakeholder")
    client = Client()
    for _ in range(8):
        client.force_login(user)
        client.logout()
    client.force_login(user)
    assert client.get(reverse("accounts:profile")).status_code == 200


# --- The secretariat's page ------------------------------------------------------------------

LIST = "lockouts:list"


def _locked_world():
    person("ngo-amina", "stakeholder", name="Amina Diallo")
    fail(at(HOME), "ngo-amina", 5)


def _unlock_url(kind: str, value: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("lockouts:unlock", args=[kind, value])


def test_the_secretariat_sees_who_is_locked_and_unlocks_after_confirming():
    _locked_world()
    secretariat = person("sec", "secretariat")
    client = Client()
    client.force_login(secretariat)

    page = client.get(reverse(LIST))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<bdi>ngo-amina</bdi>" in html and "Amina Diallo" in html
    assert "An account is locked after 5 failed attempts in a row" in html
    assert "An address is locked after 50 failed attempts from it" in html
    # Five failures lock the account, not the address they came from.
    assert f'<bdi class="address">{HOME}</bdi>' not in html
    assert _unlock_url("account", "ngo-amina") in html

    confirm = client.get(_unlock_url("account", "ngo-amina"))
    assert confirm.status_code == 200
    assert "Unlock this account?" in confirm.content.decode()
    # The confirmation page changes nothing.
    assert sign_in(at(ELSEWHERE), "ngo-amina", PASSWORD).status_code == 429

    done = client.post(_unlock_url("account", "ngo-amina"), follow=True)
    assert done.redirect_chain == [(reverse(LIST), 302)]
    assert "“ngo-amina” can sign in again." in done.content.decode()
    event = AuditEvent.objects.get(action="account.unlocked")
    assert event.actor == secretariat and event.data["username"] == "ngo-amina"

    assert "No account and no address is locked now." in client.get(reverse(LIST)).content.decode()
    assert sign_in(at(HOME), "ngo-amina", PASSWORD).status_code == 302


def test_the_secretariat_unlocks_an_address():
    person("ngo-amina", "stakeholder")
    lock_the_address(HOME)
    client = Client()
    secretariat = person("sec", "secretariat")
    client.force_login(secretariat)
    html = client.get(reverse(LIST)).content.decode()
    assert f'<bdi class="address">{HOME}</bdi>' in html and "<bdi>guess-0</bdi>" not in html
    assert "Unlock this address?" in client.get(_unlock_url("address", HOME)).content.decode()
    done = client.post(_unlock_url("address", HOME), follow=True)
    assert f"Signing in from {HOME} is possible again." in done.content.decode()
    event = AuditEvent.objects.get(action="address.unlocked")
    assert event.actor == secretariat and event.data["ip_address"] == HOME
    assert sign_in(at(HOME), "ngo-amina", PASSWORD).status_code == 302


def test_unlocking_what_is_no_longer_locked_changes_nothing():
    secretariat = person("sec", "secretariat")
    client = Client()
    client.force_login(secretariat)
    confirm = client.get(_unlock_url("account", "nobody"))
    assert "there is nothing to unlock" in confirm.content.decode()
    done = client.post(_unlock_url("account", "nobody"), follow=True)
    assert "“nobody” was no longer locked." in done.content.decode()
    assert not AuditEvent.objects.filter(action="account.unlocked").exists()
    assert client.get(_unlock_url("somewhere", "nobody")).status_code == 404


def test_the_page_in_french_and_in_arabic():
    _locked_world()
    client = Client()
    client.force_login(person("sec", "secretariat", language="fr"))
    for language in ("fr", "ar"):
        with translation.override(language):
            page = client.get(reverse(LIST))
            confirm = client.get(_unlock_url("account", "ngo-amina", language))
            title = gettext("Locked sign-ins")
        assert page.status_code == 200 and confirm.status_code == 200
        assert f'<html lang="{language}"' in page.content.decode()
        assert title in page.content.decode()
    with translation.override("fr"):
        done = client.post(_unlock_url("account", "ngo-amina", "fr"))
        assert done["Location"] == reverse(LIST)


@pytest.mark.parametrize("role", ["pga_office", "co_facilitator", "stakeholder", "delegate"])
def test_other_roles_cannot_see_or_unlock(role):
    _locked_world()
    client = Client()
    client.force_login(person(f"user-{role}", role))
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(_unlock_url("account", "ngo-amina")).status_code == 403
    assert client.post(_unlock_url("account", "ngo-amina")).status_code == 403
    assert sign_in(at(ELSEWHERE), "ngo-amina", PASSWORD).status_code == 429


def test_anonymous_visitors_are_sent_to_sign_in():
    _locked_world()
    for response in (
        Client().get(reverse(LIST)),
        Client().post(_unlock_url("account", "ngo-amina")),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not AuditEvent.objects.filter(action="account.unlocked").exists()


# --- The page registry (tests/pages.py) ------------------------------------------------------


def registry_url(process, which: str) -> str:
    """The secretariat's page of lock-outs over one locked account (made through the sign-in
    form), and the confirmation to unlock it."""
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.filter(username="pagecheck-locked").exists():
        person("pagecheck-locked", "stakeholder", name="Ana Locked")
        fail(at("192.0.2.77"), "pagecheck-locked", 5)
    with translation.override("en"):
        if which == "list":
            return reverse(LIST)
        return _unlock_url("account", "pagecheck-locked")
