"""The one registry of pages that the page-wide checks visit: accessibility (axe-core in
a real browser), HTML validity (the Nu HTML checker) and whatever else wants "every page".

Each entry is a ``Page``: a name (used in failure messages and as a file name), a
function that returns the page's URL given the seeded GCM process, and who views it
(``None``: an anonymous visitor; otherwise a role name, i.e. a group such as
``"secretariat"``; the checks sign in a user of that role).

To add a page, append one line to ``PAGES``::

    Page("calendar-2018-02", url("phases:calendar-month", 2018, 2)),
    Page("calendar-fr", url("phases:calendar", lang="fr")),

a route that takes a meeting's primary key, by the meeting's stable seed key::

    Page("secretariat-meeting-edit", by_key("secretariat:meeting-edit", "thematic-1"),
         role="secretariat"),

or any function of the seeded process that returns a path::

    def work_plan(process):
        deliverable = process.deliverables.get(key="work-plan")
        return reverse("secretariat:deliverable-delivered", args=[deliverable.pk])

    Page("secretariat-work-plan-delivered", work_plan, role="secretariat"),

The URL function runs inside the test, with the database available.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

# Anonymous visitors.
PUBLIC = None


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[Any], str]
    role: str | None = PUBLIC

    def __str__(self) -> str:
        return self.name


def url(name: str, *args: Any, lang: str = "en") -> Callable[[Any], str]:
    """A URL function for a named route; ``lang`` picks the language prefix (English,
    the default language, has none)."""

    def build(process: Any) -> str:
        with translation.override(lang):
            return reverse(name, args=args)

    build.__qualname__ = f"url({name!r}, lang={lang!r})"
    return build


def by_key(name: str, meeting_key: str) -> Callable[[Any], str]:
    """A URL function for a route that takes a meeting's primary key, given its stable
    key in the seeded process (``thematic-1``, ``round-1``, ``conference``...)."""

    def build(process: Any) -> str:
        with translation.override("en"):
            return reverse(name, args=[process.meetings.get(key=meeting_key).pk])

    build.__qualname__ = f"by_key({name!r}, {meeting_key!r})"
    return build


PAGES: list[Page] = [
    # Public pages.
    Page("timeline", url("phases:public-home")),
    Page("timeline-ar", url("phases:public-home", lang="ar")),
    Page("timeline-zh-hans", url("phases:public-home", lang="zh-hans")),
    Page("calendar", url("phases:calendar")),
    Page("calendar-2017-05", url("phases:calendar-month", 2017, 5)),
    Page("meeting-thematic-1", url("phases:meeting", "thematic-1")),
    Page("meeting-conference", url("phases:meeting", "conference")),
    Page("sign-in", url("accounts:login")),
    # The secretariat's pages.
    Page("secretariat-dashboard", url("secretariat:dashboard"), role="secretariat"),
    Page("secretariat-meetings", url("secretariat:meetings"), role="secretariat"),
    Page("secretariat-deliverables", url("secretariat:deliverables"), role="secretariat"),
    Page("secretariat-compliance", url("secretariat:compliance"), role="secretariat"),
    Page(
        "secretariat-meeting-thematic-1",
        by_key("secretariat:meeting", "thematic-1"),
        role="secretariat",
    ),
    # Forms and confirmations: every page a secretariat user can reach.
    Page("secretariat-meeting-create", url("secretariat:meeting-create"), role="secretariat"),
    Page(
        "secretariat-meeting-edit",
        by_key("secretariat:meeting-edit", "thematic-1"),
        role="secretariat",
    ),
    Page("secretariat-day-add", by_key("secretariat:day-add", "thematic-1"), role="secretariat"),
    Page(
        "secretariat-panel-add", by_key("secretariat:panel-add", "thematic-1"), role="secretariat"
    ),
    Page(
        "secretariat-day-remove",
        lambda p: _meeting_child(p, "day-remove", "days"),
        role="secretariat",
    ),
    Page(
        "secretariat-panel-remove",
        lambda p: _meeting_child(p, "panel-remove", "panels"),
        role="secretariat",
    ),
    Page(
        "secretariat-moderator-add",
        lambda p: _meeting_child(p, "moderator-add", "panels"),
        role="secretariat",
    ),
    Page(
        "secretariat-moderator-remove",
        lambda p: _meeting_child(p, "moderator-remove", "moderators"),
        role="secretariat",
    ),
    Page(
        "secretariat-deliverable-delivered",
        lambda p: _deliverable(p, "work-plan"),
        role="secretariat",
    ),
]


def _meeting_child(process: Any, route: str, child: str) -> str:
    """A route under the Vienna session (thematic-5): its first day, panel or moderator."""
    from phases.models import Appointment

    meeting = process.meetings.get(key="thematic-5")
    if child == "moderators":
        obj = Appointment.objects.filter(panel__meeting=meeting).order_by("id").first()
    else:
        obj = getattr(meeting, child).order_by("id").first()
    with translation.override("en"):
        return reverse(f"secretariat:{route}", args=[meeting.pk, obj.pk])


def _deliverable(process: Any, key: str) -> str:
    with translation.override("en"):
        return reverse(
            "secretariat:deliverable-delivered", args=[process.deliverables.get(key=key).pk]
        )


def roles(pages: list[Page] = PAGES) -> set[str]:
    """The roles the registry signs in as."""
    return {p.role for p in pages if p.role is not None}


def user_with_role(role: str):
    """A user in the role's group (created if needed; idempotent). Its username is
    distinctive, so that a test can look for it in HTML where it must not appear."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(
        username=f"pagecheck-{role}",
        defaults={"email": f"pagecheck-{role}@example.org"},
    )
    if created:
        user.set_password("not-used-pages-sign-in-with-force-login")
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role))
    return user


def client_for(role: str | None):
    """A Django test client, signed in as a user of ``role`` (or anonymous)."""
    from django.test import Client

    client = Client()
    if role is not None:
        client.force_login(user_with_role(role))
    return client


def reset_public_cache() -> None:
    """Empty the public-page cache and start a new content version. The database rolls
    back after each test but this cache does not: a page rendered from one test's edit
    would otherwise be served, under the same version, to the next test."""
    from django.core.cache import cache

    from compact_process.web import cache as public_cache

    public_cache.local_pages.clear()
    cache.delete(public_cache.VERSION_KEY)
