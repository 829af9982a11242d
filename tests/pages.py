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

import importlib
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
    # Filtered by kind and venue (issue 17): plain GET parameters, known values only.
    Page(
        "timeline-filtered",
        lambda p: url("phases:public-home")(p) + "?kind=hearing&venue=geneva",
    ),
    Page("calendar", url("phases:calendar")),
    Page("calendar-2017-05", url("phases:calendar-month", 2017, 5)),
    Page("meeting-thematic-1", url("phases:meeting", "thematic-1")),
    Page("meeting-conference", url("phases:meeting", "conference")),
    Page("sign-in", url("accounts:login")),
    # Getting back in (issue 15): a forgotten password, the confirmation link again.
    Page("password-reset", url("accounts:password-reset")),
    Page("password-reset-ar", url("accounts:password-reset", lang="ar")),
    Page("password-reset-sent", url("accounts:password-reset-done")),
    Page("password-reset-bad-link", url("accounts:password-reset-confirm", "MQ", "no-token")),
    Page("password-reset-complete", url("accounts:password-reset-complete")),
    Page("verification-resend", url("stakeholders-registration:resend")),
    Page("verification-resend-sent", url("stakeholders-registration:resend-sent")),
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
        "secretariat-day-edit",
        lambda p: _meeting_child(p, "day-edit", "days"),
        role="secretariat",
    ),
    Page(
        "secretariat-panel-edit",
        lambda p: _meeting_child(p, "panel-edit", "panels"),
        role="secretariat",
    ),
    Page(
        "secretariat-deliverable-create", url("secretariat:deliverable-create"), role="secretariat"
    ),
    Page(
        "secretariat-deliverable-edit",
        lambda p: _deliverable(p, "work-plan", "deliverable-edit"),
        role="secretariat",
    ),
    Page(
        "secretariat-deliverable-move",
        lambda p: _deliverable(p, "work-plan", "deliverable-move"),
        role="secretariat",
    ),
    Page(
        "secretariat-deliverable-delivered",
        lambda p: _deliverable(p, "work-plan"),
        role="secretariat",
    ),
    # The Office of the PGA's pages (stakeholder lists, OP 6 and footnote 5).
    Page("office-home", lambda p: _office(p, "home"), role="pga_office"),
    Page("office-applications", lambda p: _office(p, "applications"), role="pga_office"),
    Page("office-application", lambda p: _office(p, "application"), role="pga_office"),
    Page("office-lists", lambda p: _office(p, "lists"), role="pga_office"),
    Page("office-list-create", lambda p: _office(p, "list-create"), role="pga_office"),
    Page("office-list-draft", lambda p: _office(p, "list"), role="pga_office"),
    Page("office-list-closed", lambda p: _office(p, "list-closed"), role="pga_office"),
    Page("office-list-submit", lambda p: _office(p, "list-submit"), role="pga_office"),
    Page("office-close", lambda p: _office(p, "close"), role="pga_office"),
    Page("office-list-review", lambda p: _office(p, "list-review"), role="pga_office"),
    Page("office-list-extend", lambda p: _office(p, "list-extend"), role="pga_office"),
    Page("office-requests", lambda p: _office(p, "requests"), role="pga_office"),
    Page("office-share", lambda p: _office(p, "share"), role="pga_office"),
    Page("office-audit", lambda p: _office(p, "audit"), role="pga_office"),
    Page("office-audit-secretariat", lambda p: _office(p, "audit"), role="secretariat"),
    # Registration (issue 4).
    Page("stakeholder-signup", url("stakeholders-registration:signup")),
    Page("stakeholder-signup-sent", url("stakeholders-registration:signup-sent")),
    Page("stakeholder-status", lambda p: _registration(p, "status"), role="stakeholder"),
    Page(
        "stakeholder-organization-edit",
        lambda p: _registration(p, "organization-edit"),
        role="stakeholder",
    ),
    Page("stakeholder-apply", lambda p: _registration(p, "apply"), role="stakeholder"),
    Page(
        "stakeholder-register-direct",
        lambda p: _registration(p, "register-direct"),
        role="stakeholder",
    ),
    Page(
        "secretariat-accredited-import",
        url("stakeholders-registration:accredited-import"),
        role="secretariat",
    ),
    Page("secretariat-matches", url("stakeholders-registration:matches"), role="secretariat"),
    Page("secretariat-match-decide", lambda p: _near_match(p), role="secretariat"),
    # Member State review (delegates) and the public stakeholder lists (issue 4). The
    # URL functions live in tests/test_review_pages.py (registry_url): they grant the
    # registry's delegate Kenya and build the lists once per test.
    Page("review-lists", lambda p: _review(p, "lists"), role="delegate"),
    Page("review-list", lambda p: _review(p, "list"), role="delegate"),
    Page("review-object", lambda p: _review(p, "object"), role="delegate"),
    Page("review-withdraw", lambda p: _review(p, "withdraw"), role="delegate"),
    Page("review-information", lambda p: _review(p, "information"), role="delegate"),
    Page("review-entry", lambda p: _review(p, "entry"), role="delegate"),
    Page("public-lists", lambda p: _review(p, "public-index")),
    Page("public-list-compare", lambda p: _review(p, "public-compare")),
    Page("public-list-under-review", lambda p: _review(p, "public-under-review")),
    # Representatives at meetings and the application windows (issue 4). The URL functions
    # live in tests/test_participation.py (registry_url).
    Page("participation-meetings", lambda p: _participation(p, "meetings"), role="stakeholder"),
    Page("participation-meeting", lambda p: _participation(p, "meeting"), role="stakeholder"),
    Page("participation-withdraw", lambda p: _participation(p, "withdraw"), role="stakeholder"),
    Page(
        "participation-organizations",
        lambda p: _participation(p, "organizations"),
        role="delegate",
    ),
    Page(
        "secretariat-participation",
        lambda p: _participation(p, "secretariat-meetings"),
        role="secretariat",
    ),
    Page(
        "secretariat-participation-meeting",
        lambda p: _participation(p, "secretariat-meeting"),
        role="secretariat",
    ),
    Page(
        "office-participation-meeting",
        lambda p: _participation(p, "secretariat-meeting"),
        role="pga_office",
    ),
    Page(
        "secretariat-participation-confirm",
        lambda p: _participation(p, "secretariat-confirm"),
        role="secretariat",
    ),
    Page(
        "secretariat-participation-decline",
        lambda p: _participation(p, "secretariat-decline"),
        role="secretariat",
    ),
    Page(
        "secretariat-participation-deadline",
        lambda p: _participation(p, "secretariat-deadline"),
        role="secretariat",
    ),
    Page(
        "secretariat-windows",
        lambda p: _participation(p, "secretariat-windows"),
        role="secretariat",
    ),
    Page(
        "secretariat-window-edit",
        lambda p: _participation(p, "secretariat-window-edit"),
        role="secretariat",
    ),
    # What is due for me, and the confirmation to replace the calendar feed address (issue
    # 5). The URL functions live in tests/test_due_for_me.py (registry_url).
    Page("due-secretariat", lambda p: _due(p, "secretariat"), role="secretariat"),
    Page("due-feed-replace", lambda p: _due(p, "replace"), role="secretariat"),
    Page("due-delegate", lambda p: _due(p, "delegate"), role="delegate"),
]

# The secretariat's operations pages (issue 5). The URL functions live in
# tests/test_operations.py (registry_url): one e-mail in each status, a deadline coming up.
PAGES += [
    Page("operations", lambda p: _operations(p, "overview"), role="secretariat"),
    Page("operations-schedules", lambda p: _operations(p, "schedules"), role="secretariat"),
    Page("operations-schedule-edit", lambda p: _operations(p, "schedule-edit"), role="secretariat"),
    Page("operations-resend", lambda p: _operations(p, "resend"), role="secretariat"),
    Page("operations-drop", lambda p: _operations(p, "drop"), role="secretariat"),
    Page("operations-send-held", lambda p: _operations(p, "send-held"), role="secretariat"),
    Page("operations-drop-held", lambda p: _operations(p, "drop-held"), role="secretariat"),
    Page("operations-send-held-one", lambda p: _operations(p, "send-held-one"), role="secretariat"),
    Page("operations-drop-held-one", lambda p: _operations(p, "drop-held-one"), role="secretariat"),
    # Locked sign-ins (issue 15): tests/test_throttling.py (registry_url).
    Page("lockouts", lambda p: _throttling(p, "list"), role="secretariat"),
    Page("lockouts-unlock", lambda p: _throttling(p, "unlock"), role="secretariat"),
]


# Documents, written summaries and negotiation texts (issue 6). The URL functions live in
# the tests of each (registry_url): a published document with a PDF and a DOCX, a draft
# document, the Vienna summary with two revisions, the seeded demonstration drafts.
PAGES += [
    Page("documents-library", lambda p: _documents(p, "library")),
    Page("documents-library-ar", lambda p: _documents(p, "library-ar")),
    Page("documents-detail", lambda p: _documents(p, "detail")),
    Page("documents-detail-fr", lambda p: _documents(p, "detail-fr")),
    *(
        Page(f"documents-{which}", lambda p, which=which: _documents(p, which), role="secretariat")
        for which in (
            "staff-list",
            "staff-create",
            "staff-detail",
            "staff-edit",
            "staff-upload",
            "staff-publish",
            "staff-version-remove",
        )
    ),
    *(
        Page(f"texts-{which}", lambda p, which=which: _texts(p, which), role="secretariat")
        for which in ("write-summary", "edit", "edit-ar", "history", "revision", "restore")
    ),
    Page("drafts", lambda p: _drafts(p, "list")),
    Page("draft-rev-1", lambda p: _drafts(p, "detail")),
    Page("drafts-compare", lambda p: _drafts(p, "compare")),
    Page("drafts-compare-changes", lambda p: _drafts(p, "compare-changes")),
    Page(
        "secretariat-draft-create",
        lambda p: _drafts(p, "secretariat-create"),
        role="secretariat",
    ),
]


def by_key_in(name: str, meeting_key: str, lang: str) -> Callable[[Any], str]:
    """``by_key`` in another language."""

    def build(process: Any) -> str:
        with translation.override(lang):
            return reverse(name, args=[process.meetings.get(key=meeting_key).pk])

    build.__qualname__ = f"by_key_in({name!r}, {meeting_key!r}, {lang!r})"
    return build


# The same checks in Arabic (right to left) and Chinese (issue 7): the public pages, the
# secretariat's dashboard and the meeting form with its six languages side by side.
PAGES += [
    Page(f"{name}-{lang}", build, role=role)
    for lang in ("ar", "zh-hans")
    for name, build, role in (
        ("meeting-thematic-5", url("phases:meeting", "thematic-5", lang=lang), None),
        ("calendar", url("phases:calendar", lang=lang), None),
        ("drafts-compare", lambda p, lang=lang: _in(lang, _drafts, p, "compare"), None),
        ("public-lists", lambda p, lang=lang: _in(lang, _review, p, "public-index"), None),
        ("secretariat-dashboard", url("secretariat:dashboard", lang=lang), "secretariat"),
        (
            "secretariat-meeting-edit",
            by_key_in("secretariat:meeting-edit", "thematic-5", lang),
            "secretariat",
        ),
        ("review-list", lambda p, lang=lang: _in(lang, _review, p, "list"), "delegate"),
        ("profile", url("accounts:profile", lang=lang), "delegate"),
    )
]
PAGES += [Page("profile", url("accounts:profile"), role="delegate")]
PAGES += [
    Page("password-change", url("accounts:password-change"), role="delegate"),
    Page("password-change-done", url("accounts:password-change-done"), role="delegate"),
    # The second factor: off for a delegate (offered), on for the secretariat (required).
    Page("two-factor-off", url("accounts:two-factor"), role="delegate"),
    Page("two-factor-on", url("accounts:two-factor"), role="secretariat"),
    Page("two-factor-setup", url("accounts:two-factor-setup"), role="delegate"),
]


def _in(lang: str, build: Callable[..., str], process: Any, which: str) -> str:
    """A registry URL function's path, under the language's prefix."""
    from django.urls import translate_url

    return translate_url(build(process, which), lang)


def _registry(module: str) -> Callable[[Any, str], str]:
    """The ``registry_url(process, which)`` of a test module, which builds the data its
    pages need; imported when first called, inside a test, with the database."""

    def build(process: Any, which: str) -> str:
        return importlib.import_module(f"tests.{module}").registry_url(process, which)

    build.__qualname__ = f"_registry({module!r})"
    return build


_documents = _registry("test_documents")
_texts = _registry("test_texts")
_drafts = _registry("test_drafts")
_review = _registry("test_review_pages")
_participation = _registry("test_participation")
_due = _registry("test_due_for_me")
_operations = _registry("test_operations")
_throttling = _registry("test_throttling")


def _office(process: Any, route: str) -> str:
    """A route of the Office's pages, over a small world made once per test: a draft
    list, a list under review with a pending information request, and a closed list
    with objections (created through the services)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from compact_process.accounts.permissions import grant_delegate
    from phases.models import MemberState
    from stakeholders import services
    from stakeholders.models import InformationRequest, Organization, StakeholderList

    office = user_with_role("pga_office")

    def screened_in(name: str, iso3: str):
        org = Organization.objects.create(
            name=name, kind="ngo", country=MemberState.objects.get(iso3=iso3), email="o@x.org"
        )
        application = services.submit_application(
            process=process,
            organization=org,
            channel="special",
            activities="Support to migrants",
            representatives=[("R. One", "woman"), ("R. Two", "man")],
        )
        services.screen_application(application=application, state="screened_in", actor=office)
        return application

    def make(title: str, n: int, *, submit: bool, close: bool = False) -> StakeholderList:
        found = StakeholderList.objects.filter(process=process, title=title).first()
        if found is not None:
            return found
        lst = services.create_list(
            process=process, purpose="preparatory", title=title, actor=office
        )
        for i, iso3 in zip(range(n), ["KEN", "DEU", "MEX"], strict=False):
            application = screened_in(f"{title} organisation {i}", iso3)
            services.add_entry(stakeholder_list=lst, application=application, actor=office)
        if submit:
            deadline = timezone.now() + datetime.timedelta(days=3)
            services.submit_list(stakeholder_list=lst, deadline=deadline, actor=office)
            entry = lst.entries.order_by("id").first()
            mexico, _ = get_user_model().objects.get_or_create(username="pagecheck-office-mx")
            grant_delegate(mexico, MemberState.objects.get(iso3="MEX"))
            services.lodge_objection(
                entry=entry,
                member_state=MemberState.objects.get(iso3="MEX"),
                user=mexico,
                basis="A general basis",
                disclose_identity=True,
            )
            services.request_information(
                entry=entry, member_state=MemberState.objects.get(iso3="MEX"), user=mexico
            )
            if close:
                services.close_review(
                    list_id=lst.pk, actor=office, now=deadline + datetime.timedelta(hours=1)
                )
        lst.refresh_from_db()
        return lst

    draft = make("Office page check: draft", 2, submit=False)
    if not Organization.objects.filter(name="Office page check: candidate").exists():
        screened_in("Office page check: candidate", "NGA")
    review = make("Office page check: under review", 2, submit=True)
    closed = make("Office page check: closed", 3, submit=True, close=True)
    args = {
        "application": [draft.entries.first().application_id],
        "list": [draft.pk],
        "list-closed": [closed.pk],
        "list-submit": [draft.pk],
        "close": [review.pk],
        "list-review": [review.pk],
        "list-extend": [review.pk],
        "share": [InformationRequest.objects.filter(entry__stakeholder_list=review).first().pk],
    }
    with translation.override("en"):
        name = "list" if route in ("list-closed", "list-review") else route
        return reverse(f"stakeholders-office:{name}", args=args.get(route, []))


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


def _deliverable(process: Any, key: str, route: str = "deliverable-delivered") -> str:
    with translation.override("en"):
        return reverse(f"secretariat:{route}", args=[process.deliverables.get(key=key).pk])


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


def _page_organization(process: Any):
    """The registry's stakeholder, member of an organization (created once), with the
    default application window."""
    from phases.models import MemberState
    from stakeholders import services
    from stakeholders.models_registry import OrganizationMember

    services.ensure_default_window(process)
    user = user_with_role("stakeholder")
    member = OrganizationMember.objects.filter(user=user).select_related("organization").first()
    if member is not None:
        return user, member.organization
    organization = services.create_organization(
        actor=user,
        name="Организация мигрантов",
        name_latin="Organizatsiya migrantov",
        kind="migrant_organization",
        country=MemberState.objects.get(iso3="KEN"),
        email="contact@example.org",
    )
    return user, organization


def _registration(process: Any, route: str) -> str:
    _user, organization = _page_organization(process)
    with translation.override("en"):
        return reverse(f"stakeholders-registration:{route}", args=[organization.pk])


def _near_match(process: Any) -> str:
    from stakeholders.models_registry import DirectRegistration

    user, organization = _page_organization(process)
    registration = DirectRegistration.objects.filter(state="pending").first()
    if registration is None:
        registration = DirectRegistration.objects.create(
            process=process,
            organization=organization,
            channel="ecosoc",
            matched_name="Organizatsiya migranta",
            ratio=0.9,
            requested_by=user,
        )
    with translation.override("en"):
        return reverse("stakeholders-registration:match-decide", args=[registration.pk])
