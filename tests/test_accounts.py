"""Roles, delegates' object permissions, demo accounts and signing in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from compact_process.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from compact_process.accounts.permissions import acts_for, grant_delegate, has_role, states_of
from phases.models import MemberState
from tests.people import give_the_code

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_delegate_acts_for_its_own_state_only():
    alice = User.objects.create_user("alice", password="x-long-password-1")
    mexico, germany = MemberState.objects.get(iso3="MEX"), MemberState.objects.get(iso3="DEU")
    grant_delegate(alice, mexico)
    assert has_role(alice, "delegate")
    assert acts_for(alice, mexico)
    assert not acts_for(alice, germany)
    assert list(states_of(alice)) == [mexico]


def test_anonymous_visitors_act_for_no_state(client):
    from django.contrib.auth.models import AnonymousUser

    assert list(states_of(AnonymousUser())) == []
    assert not acts_for(AnonymousUser(), MemberState.objects.get(iso3="MEX"))


def test_demo_accounts_are_refused_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local use only"):
        call_command("create_demo_accounts")
    assert not User.objects.filter(username="secretariat").exists()


def test_demo_accounts_cover_every_role_and_can_sign_in(settings, client, capsys):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")  # twice: resets, no duplicates
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == len(
        DEMO_ACCOUNTS
    )
    roles = {a.role for a in DEMO_ACCOUNTS}
    assert {"secretariat", "pga_office", "co_facilitator", "delegate", "stakeholder"} <= roles
    mexico = User.objects.get(username="delegate-mexico")
    assert acts_for(mexico, MemberState.objects.get(iso3="MEX"))
    assert not acts_for(mexico, MemberState.objects.get(iso3="DEU"))
    response = client.post(
        "/accounts/login/", {"username": "secretariat", "password": DEMO_PASSWORD}, follow=True
    )
    # Staff set up their second factor at the first sign-in (tests/test_two_factor.py).
    assert (
        response.redirect_chain[-1][0] == "/accounts/two-factor/setup/?next=%2Faccounts%2Fstart%2F"
    )
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"username": "delegate-mexico", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("/review/")


def test_the_demo_lets_the_office_compose_a_list_at_once(settings, gcm, capsys):
    from stakeholders.demo import DEMO_ORGANIZATIONS
    from stakeholders.models import Application

    settings.DEBUG = True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")  # twice: nothing duplicated
    assert "can compose a list" in capsys.readouterr().out
    screened_in = Application.objects.filter(process=gcm, state="screened_in")
    assert screened_in.count() == len(DEMO_ORGANIZATIONS)
    ngo = User.objects.get(username="ngo")
    assert ngo.organization_member.organization.name == DEMO_ORGANIZATIONS[0][0]


def test_a_wrong_password_is_announced_and_the_username_kept(client):
    User.objects.create_user("bob", password="right-password-1")
    response = client.post("/accounts/login/", {"username": "bob", "password": "wrong"})
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'value="bob"' in html


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("secretariat", "/secretariat/"),
        ("co_facilitator", "/secretariat/"),
        ("pga_office", "/office/"),
        ("delegate", "/review/"),
        ("stakeholder", "/stakeholders/"),
    ],
)
def test_signing_in_leads_each_role_to_its_own_start_page(client, role, start):
    from django.contrib.auth.models import Group

    user = User.objects.create_user(f"user-{role}", password="a-long-password-1")
    user.groups.add(Group.objects.get(name=role))
    response = client.post(
        "/accounts/login/", {"username": f"user-{role}", "password": "a-long-password-1"}
    )
    give_the_code(client, user)  # staff: the second factor first
    assert client.get(response["Location"])["Location"].endswith(start)
