"""Demo accounts for each role, for trying the application locally (debug only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from compact_process.accounts.permissions import grant_delegate
from compact_process.accounts.roles import Role

DEMO_PASSWORD = "compact-demo-2018"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    state_iso3: str = ""
    language: str = "en"


DEMO_ACCOUNTS = [
    DemoAccount("secretariat", "Sam", "Secretariat", Role.SECRETARIAT),
    DemoAccount("pga-office", "Pat", "PGA Office", Role.PGA_OFFICE),
    DemoAccount("cofacilitator", "Camille", "Co-facilitator", Role.CO_FACILITATOR),
    DemoAccount("delegate-mexico", "María", "Delegate of Mexico", Role.DELEGATE, "MEX", "es"),
    DemoAccount("delegate-germany", "Jonas", "Delegate of Germany", Role.DELEGATE, "DEU"),
    DemoAccount("delegate-kenya", "Wanjiru", "Delegate of Kenya", Role.DELEGATE, "KEN"),
    DemoAccount("delegate-egypt", "Amina", "Delegate of Egypt", Role.DELEGATE, "EGY", "ar"),
    DemoAccount("ngo", "Nadia", "NGO representative", Role.STAKEHOLDER, "", "fr"),
]


def create_demo_accounts() -> list[DemoAccount]:
    """Create or reset the demo accounts. Refuses outside debug: these passwords are public."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo accounts are for local use only (DEBUG=1).")
    from phases.models import MemberState

    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@example.org",
                "preferred_language": account.language,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=account.role))
        if account.state_iso3:
            grant_delegate(user, MemberState.objects.get(iso3=account.state_iso3))
    return DEMO_ACCOUNTS
