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
