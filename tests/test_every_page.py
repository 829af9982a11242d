"""Every page, every role, every language (issue 13).

The routes come from the URLconf itself: a route that this test cannot fill fails it, so a
new page cannot escape. Each route is filled with real objects in realistic states (the
page registry of ``tests/pages.py`` builds lists under review and closed, objections with
and without disclosure, an information request shared, documents, drafts, meetings…) and
fetched:

- by each role that may see it, in all six languages: it answers as it should (200 for a
  page), in the language asked (``<html lang>``);
- by every other role, and anonymously, in English: it may refuse (403, 404, a redirect to
  sign in) but never fails (5xx).

The inbox is read by people with 0, 1, 2, 3, 5, 11 and 21 unread notifications of the
kinds the world produced, so that every plural form of the five catalogues is rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse, translate_url
from django.utils import translation

from tests.pages import PAGES, roles, user_with_role
from tests.people import person

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Everyone the pages are for, and the anonymous visitor (None).
EVERYONE: list[str | None] = [None, *sorted(roles() | {"co_facilitator"})]
# Unread counts that exercise every plural form: Arabic has six (0, 1, 2, 3–10, 11–99,
# 100+: "few" and "many"), Russian three (1, 2–4, 5–20; 21 is "one" again), the others two.
UNREAD_COUNTS = (0, 1, 2, 3, 5, 11, 21)
# Django's admin (the support site) is Django's own code: its index stands for it.
ADMIN_NAMESPACE = "admin"


def routes() -> dict[str, str]:
    """Every named route of the URLconf, ``namespace:name`` → its pattern."""

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == ADMIN_NAMESPACE:
                    yield f"{ADMIN_NAMESPACE}:index", prefix + str(pattern.pattern)
                    continue
                inner = pattern.namespace or namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"the route {prefix}{pattern.pattern} has no name"
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, prefix + str(pattern.pattern)

    return dict(walk(get_resolver().url_patterns, "", None))


def in_english(path: str) -> str:
    """The same page in English (no language prefix)."""
    language = translation.get_language_from_path(path) or "en"
    with translation.override(language):
        return translate_url(path, "en")


def in_language(path: str, language: str) -> str:
    with translation.override("en"):
        return translate_url(path, language)


def route_of(path: str) -> str:
    with translation.override("en"):
        match = resolve(path.split("?", 1)[0])
    if match.app_name == ADMIN_NAMESPACE:
        return f"{ADMIN_NAMESPACE}:index"
    return match.view_name


@dataclass
class Fetch:
    """One URL and who may read it. ``ok``: the statuses a permitted reader gets (a page:
    200; a form that only takes a POST: 405; a step that redirects: 302)."""

    path: str
    readers: tuple[str | None, ...]
    ok: tuple[int, ...] = (200,)
    html: bool = True
    name: str = ""
    clients: dict[Any, Client] = field(default_factory=dict, repr=False)


# --- Routes the page registry does not visit -----------------------------------------------
# Each: a function of the world that returns (path, readers, ok statuses, is HTML).


def _first_notification_of(user) -> int:
    return user.notifications.order_by("id").first().pk


def _meeting_pk(world, key: str = "thematic-5") -> int:
    return world.process.meetings.get(key=key).pk


def _published_file(world) -> str:
    from phases.models import DocumentVersion

    version = (
        DocumentVersion.objects.filter(document__published_at__isnull=False)
        .exclude(file="")
        .order_by("id")
        .first()
    )
    return reverse("documents:file", args=[version.pk])


def _staff_file(world) -> str:
    from phases.models import DocumentVersion

    version = DocumentVersion.objects.exclude(file="").order_by("id").first()
    return reverse("documents-secretariat:file", args=[version.pk])


def _document(world) -> int:
    from phases.models import Document

    return Document.objects.order_by("id").first().pk


def _answerable(world) -> str:
    """The registry stakeholder's application, with a question from the Office."""
    from stakeholders import services
    from stakeholders.models import Application
    from tests.pages import _page_organization

    _user, organization = _page_organization(world.process)
    application = Application.objects.filter(organization=organization).first()
    if application is None:
        application = services.submit_application(
            process=world.process,
            organization=organization,
            channel="special",
            activities="Support to migrants on the move",
            representatives=[("R. One", "woman"), ("R. Two", "man")],
        )
    return reverse("stakeholders-registration:answer", args=[organization.pk, application.pk])


def _nomination(world) -> int:
    from stakeholders.models_participation import Nomination

    return Nomination.objects.order_by("id").first().pk


def _closed_list(world) -> int:
    from stakeholders.models import StakeholderList

    return StakeholderList.objects.filter(status="closed").order_by("id").first().pk


def _pdf_key(world) -> str:
    return f"list-final:{_closed_list(world)}:en"


def _verify_link(world) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = person("every-page-unverified", email="unverified@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "stakeholders-registration:verify", args=[uid, default_token_generator.make_token(user)]
    )


def _feed(world) -> str:
    from compact_process.deadlines import services

    token = services.create_feed_token(user=user_with_role("secretariat"))
    return reverse("deadlines-feed:feed", args=[token.token])


SECRETARIAT, OFFICE, DELEGATE, STAKEHOLDER = "secretariat", "pga_office", "delegate", "stakeholder"
STAFF = (SECRETARIAT, OFFICE)
SIGNED_IN = tuple(r for r in EVERYONE if r is not None)

EXTRA: dict[str, Callable[[Any], tuple[str, tuple, tuple[int, ...], bool]]] = {
    "healthz": lambda w: (reverse("healthz"), (None,), (200,), False),
    "healthz-db": lambda w: (reverse("healthz-db"), (None,), (200,), False),
    # The second factor, given already in the test's session: on to the page asked for.
    "accounts:two-factor-verify": lambda w: (
        reverse("accounts:two-factor-verify"),
        (SECRETARIAT,),
        (302,),
        False,
    ),
    "deadlines-feed:feed": lambda w: (_feed(w), (None,), (200,), False),
    "phases:ical": lambda w: (reverse("phases:ical"), (None,), (200,), False),
    "phases:ical-kind": lambda w: (
        reverse("phases:ical-kind", args=["thematic_session"]),
        (None,),
        (200,),
        False,
    ),
    "phases:meeting-ical": lambda w: (
        reverse("phases:meeting-ical", args=["round-1"]),
        (None,),
        (200,),
        False,
    ),
    "phases:meeting": lambda w: (
        reverse("phases:meeting", args=["round-1"]),
        (None,),
        (200,),
        True,
    ),
    "secretariat:meeting": lambda w: (
        reverse("secretariat:meeting", args=[_meeting_pk(w, "conference")]),
        (SECRETARIAT,),
        (200,),
        True,
    ),
    "documents-secretariat:status": lambda w: (
        reverse("documents-secretariat:status", args=[_document(w)]),
        (SECRETARIAT,),
        (405,),
        True,
    ),
    "documents-secretariat:file": lambda w: (_staff_file(w), (SECRETARIAT,), (200,), False),
    "documents:file": lambda w: (_published_file(w), (None,), (200,), False),
    "pdf:status": lambda w: (
        reverse("pdf:status", args=[_pdf_key(w)]),
        (None,),
        (200,),
        False,
    ),
    # No worker runs here: the page that shows the PDF's progress (202).
    "pdf:file": lambda w: (reverse("pdf:file", args=[_pdf_key(w)]), (None,), (202,), True),
    "operations:retry": lambda w: (
        reverse("operations:retry", args=[w.any_notification]),
        (SECRETARIAT,),
        (405,),
        True,
    ),
    "operations:schedule-default": lambda w: (
        reverse("operations:schedule-default", args=["list_review"]),
        (SECRETARIAT,),
        (405,),
        True,
    ),
    # Where a newcomer starts: the sign-up, or their organization's pages.
    "stakeholders-registration:start": lambda w: (
        reverse("stakeholders-registration:start"),
        (None, STAKEHOLDER),
        (302,),
        True,
    ),
    "stakeholders-registration:verify": lambda w: (_verify_link(w), (None,), (200, 302), True),
    "stakeholders-registration:organization-create": lambda w: (
        reverse("stakeholders-registration:organization-create"),
        (STAKEHOLDER,),
        (200, 302),
        True,
    ),
    "stakeholders-registration:answer": lambda w: (_answerable(w), (STAKEHOLDER,), (200,), True),
    "secretariat-participation:participants-csv": lambda w: (
        reverse("secretariat-participation:participants-csv", args=[_meeting_pk(w)]),
        (SECRETARIAT,),
        (200,),
        False,
    ),
    "stakeholders-public:csv": lambda w: (
        reverse("stakeholders-public:csv", args=[_closed_list(w)]),
        (None,),
        (200,),
        False,
    ),
    "accounts:logout": lambda w: (reverse("accounts:logout"), SIGNED_IN, (405,), True),
    "accounts:landing": lambda w: (reverse("accounts:landing"), SIGNED_IN, (200, 302), True),
    # Saving the page's language as one's own: a POST from the language links.
    "accounts:language": lambda w: (reverse("accounts:language"), SIGNED_IN, (405,), True),
    "notifications:inbox": lambda w: (reverse("notifications:inbox"), SIGNED_IN, (200,), True),
    "notifications:read": lambda w: (
        reverse("notifications:read", args=[w.any_notification]),
        (DELEGATE,),
        (405,),
        True,
    ),
    "notifications:read-all": lambda w: (
        reverse("notifications:read-all"),
        SIGNED_IN,
        (405,),
        True,
    ),
    "deadlines:feed-create": lambda w: (
        reverse("deadlines:feed-create"),
        SIGNED_IN,
        (405,),
        True,
    ),
    "admin:index": lambda w: (reverse("admin:index"), (), (), True),
}


# --- The world -------------------------------------------------------------------------------


@dataclass
class World:
    process: Any
    fetches: list[Fetch]
    readers: dict[int, Any]  # unread count → a delegate with that many unread
    any_notification: int = 0


def build_world(process) -> World:
    """Build every registry page's data (in English), so that each page sees the others'
    data too: the audit trail after a share, the inbox after a submission."""
    fetches: dict[tuple[str, tuple], Fetch] = {}
    with translation.override("en"):
        for entry in PAGES:
            path = in_english(entry.url(process))
            key = (path, (entry.role,))
            if not any(f.path == path for f in fetches.values() if entry.role in f.readers):
                fetches[key] = Fetch(path=path, readers=(entry.role,), name=entry.name)
        world = World(process=process, fetches=[], readers=_readers())
        world.any_notification = _first_notification_of(world.readers[1])
        for route, build in EXTRA.items():
            path, readers, ok, html = build(world)
            fetches[(path, readers)] = Fetch(path, readers, ok, html, name=route)
    world.fetches = list(fetches.values())
    return world


def _readers() -> dict[int, Any]:
    """Delegates of Mexico with 0, 1, 2, 3, 5, 11 and 21 unread notifications, copied from
    the kinds of notification the world's services wrote (so each kind is rendered)."""
    from compact_process.notifications.models import Notification

    made = list(Notification.objects.order_by("kind", "id"))
    kinds = {}
    for notification in made:
        kinds.setdefault(notification.kind, notification)
    samples = list(kinds.values())
    assert samples, "the world's services wrote no notification"
    readers = {}
    for count in UNREAD_COUNTS:
        from tests.people import delegate

        reader = delegate(f"every-page-reader-{count}", "MEX")
        # One read one as well, so that the inbox shows both.
        copies = [samples[i % len(samples)] for i in range(count + 1)]
        Notification.objects.bulk_create(
            Notification(
                recipient=reader,
                kind=sample.kind,
                key=f"{sample.key}:every-page:{i}",
                route=sample.route,
                route_args=sample.route_args,
                params=sample.params,
                read_at=sample.created_at if i == count else None,
            )
            for i, sample in enumerate(copies)
        )
        readers[count] = reader
    return readers


# --- The test --------------------------------------------------------------------------------


def test_every_route_of_the_urlconf_is_filled(gcm):
    """A new route must be added to the page registry (tests/pages.py) or to EXTRA here."""
    world = build_world(gcm)
    covered = {route_of(fetch.path) for fetch in world.fetches}
    missing = sorted(set(routes()) - covered)
    assert not missing, (
        "these routes are fetched by no test of every page; add them to tests/pages.py "
        f"(a page) or EXTRA in {__name__}: {missing}"
    )


def _client(role: str | None, cache: dict) -> Client:
    """A client signed in as the registry's user of ``role``, that answers a crash with a
    500 (and goes on) instead of raising it, so that one run lists every failure."""
    if role not in cache:
        cache[role] = Client(raise_request_exception=False)
        if role is not None:
            cache[role].force_login(user_with_role(role))
    return cache[role]


@pytest.fixture(autouse=True)
def _no_wait_for_pdfs(settings):
    """No worker renders PDFs here: the PDF route shows its progress page at once."""
    settings.PDF_WAIT_SECONDS = 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_answers_every_role_in_every_language(gcm, language):
    world = build_world(gcm)
    clients: dict[Any, Client] = {}
    failures: list[str] = []
    for fetch in world.fetches:
        path = in_language(fetch.path, language)
        for role in EVERYONE:
            permitted = role in fetch.readers
            if not permitted and language != "en":
                continue  # refusals are checked once, in English
            response = _client(role, clients).get(path)
            status = response.status_code
            who = role or "anonymous"
            if status >= 500:
                failures.append(f"{fetch.name}: {who} GET {path} → {status}")
            elif permitted and fetch.ok and status not in fetch.ok:
                failures.append(f"{fetch.name}: {who} GET {path} → {status}, not {fetch.ok}")
            elif (
                permitted
                and status == 200
                and fetch.html
                and f'<html lang="{language}"' not in response.content.decode()[:500]
            ):
                failures.append(f"{fetch.name}: {who} GET {path} is not in {language}")
    for count, reader in world.readers.items():
        client = Client(raise_request_exception=False)
        client.force_login(reader)
        path = in_language(reverse("notifications:inbox"), language)
        response = client.get(path)
        if response.status_code != 200:
            failures.append(f"inbox with {count} unread: GET {path} → {response.status_code}")
    assert not failures, f"{len(failures)} page(s) failed:\n" + "\n".join(failures)
