"""The authorization matrix (issue 15, item 8): every route of the URLconf × eight people
× GET and POST, against one table of what each may do.

The eight: an anonymous visitor; two NGOs of different organizations (A: the page
registry's stakeholder, B: made here); two delegates of different States (A: the
registry's delegate, for Kenya; B: a delegate of Germany); a co-facilitator; the Office of
the President of the General Assembly; the secretariat.

Outcomes:

- ``allowed``: 2xx, 422 (a form shown again with its errors: the request reached it), or
  a redirect to a page of this site (one that resolves) that is not a sign-in page;
- ``refused``: 403, or a redirect to sign in (ours, or the support site's); an anonymous
  visitor answered 403 instead of being sent to sign in is a failure;
- ``not found``: 404, what a page answers when the object is not the reader's (it says
  nothing about whether the object exists);
- ``405``: the route does not take this method.
Anything else (a 500, a 400, a redirect off the site) is a failure whatever the table says.

The routes come from the URLconf (``tests/test_every_page.py``'s ``routes``), and the
paths from its world of real objects (``build_world``), so that a new route without its
row in ``MATRIX`` fails ``test_every_route_has_a_row``. Rows whose ids belong to someone
(an organization, a State's objection, a person's notification) name them here, and each
has a second row with the ids swapped (``SWAPPED``): NGO A asks for NGO B's organization,
Kenya's delegate for Germany's objection, and so on.

POSTs carry a valid CSRF token: each client enforces CSRF checks (``enforce_csrf_checks``;
Django's default test client skips them, which would hide a view that a real browser's
POST cannot reach, or one exempted by mistake) and takes its token from a form it was
served, as a browser does. An empty form is posted (a row may add fields: ``data``), so
that a form answers with its errors and a confirmation step acts (a share, a withdrawal,
a close): the allowed POST really does what the page does. Every cell runs in
its own savepoint, rolled back after the request, and its cookies are put back, so that
no cell sees what another did (a POST to sign out does not sign the next cell out).
"""

from __future__ import annotations

import copy
import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from tests.pages import _page_organization, user_with_role
from tests.people import delegate, person
from tests.test_every_page import build_world, route_of, routes

# --- The eight -------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
NGO_A, NGO_B = "ngo_a", "ngo_b"
DELEGATE_A, DELEGATE_B = "delegate_ken", "delegate_deu"
CO_FACILITATOR, OFFICE, SECRETARIAT = "co_facilitator", "pga_office", "secretariat"
ROLES = (ANONYMOUS, NGO_A, NGO_B, DELEGATE_A, DELEGATE_B, CO_FACILITATOR, OFFICE, SECRETARIAT)
SIGNED_IN = ROLES[1:]
NGOS = (NGO_A, NGO_B)
DELEGATES = (DELEGATE_A, DELEGATE_B)
# Who reads the secretariat's pages (phases/views/secretariat/_common.py STAFF).
STAFF = (CO_FACILITATOR, OFFICE, SECRETARIAT)

ALLOWED, REFUSED, NOT_FOUND, NO_METHOD = "allowed", "refused", "not found", "405"


def only(*allowed: str, not_found: tuple[str, ...] = ()) -> dict[str, str]:
    """``allowed`` may; ``not_found`` get 404 (the object is not theirs); the rest are
    refused."""
    return {
        role: ALLOWED if role in allowed else NOT_FOUND if role in not_found else REFUSED
        for role in ROLES
    }


def everyone() -> dict[str, str]:
    return only(*ROLES)


def nobody(outcome: str = NO_METHOD) -> dict[str, str]:
    """The same answer for all (``405``: the route does not take the method)."""
    return dict.fromkeys(ROLES, outcome)


def but(cells: dict[str, str], **changes: str) -> dict[str, str]:
    """``cells`` with some roles' outcomes changed."""
    return {**cells, **changes}


@dataclass(frozen=True)
class Row:
    """What each of the eight gets on GET and POST. ``args``: the route's arguments, a
    function of the world (``None``: the path of the every-page world). ``note``: whose
    ids these are."""

    get: dict[str, str]
    post: dict[str, str]
    args: Callable[[Any], list] | None = None
    note: str = ""
    # What the POST carries besides its CSRF token (none: an empty form).
    data: dict[str, str] | None = None


# --- The world ---------------------------------------------------------------------------------


@dataclass
class MatrixWorld:
    """The every-page world (a path for each route), the eight people, and the objects
    whose ids the rows swap."""

    paths: dict[str, str]
    users: dict[str, Any]
    objects: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def build_matrix_world(process) -> MatrixWorld:
    from compact_process.notifications.models import Notification
    from phases.models import MemberState
    from stakeholders import services
    from stakeholders import services_participation as participation
    from stakeholders.models import Application, InformationRequest, Objection, StakeholderList
    from stakeholders.models_participation import Nomination
    from tests.test_participation import future_meeting, nomination_data, registered
    from tests.test_review_pages import DURING

    world = build_world(process)
    paths: dict[str, str] = {}
    for fetch in world.fetches:
        paths.setdefault(route_of(fetch.path), fetch.path)

    ngo_a, org_a = _page_organization(process)
    ngo_b = person("matrix-ngo-b", "stakeholder")
    org_b = services.create_organization(
        actor=ngo_b,
        name="Matrix Organization B",
        kind="ngo",
        country=MemberState.objects.get(iso3="MEX"),
        email="b@example.org",
    )
    delegate_a = user_with_role("delegate")  # Kenya's (tests/test_review_pages.py)
    delegate_b = delegate("matrix-delegate-deu", "DEU")
    users = {
        ANONYMOUS: None,
        NGO_A: ngo_a,
        NGO_B: ngo_b,
        DELEGATE_A: delegate_a,
        DELEGATE_B: delegate_b,
        CO_FACILITATOR: user_with_role("co_facilitator"),
        OFFICE: user_with_role("pga_office"),
        SECRETARIAT: user_with_role("secretariat"),
    }

    def application_of(organization, user):
        found = Application.objects.filter(organization=organization).order_by("id").first()
        return found or services.submit_application(
            process=process,
            organization=organization,
            channel="special",
            activities="Support to migrants on the move",
            representatives=[("R. One", "woman"), ("R. Two", "man")],
        )

    # Nominations of each organization for a meeting whose nominations are open.
    future = future_meeting(process)
    nomination_a = Nomination.objects.filter(organization=org_a).order_by("id").first()
    registered(process, org_b, ngo_b)
    nomination_b = participation.nominate(
        organization=org_b,
        meeting=future,
        actor=ngo_b,
        **nomination_data("Beatriz Ortega", "beatriz@example.org"),
    )
    # The registry's list under review: Kenya objects to its first entry; Germany to its
    # second, here.
    review = StakeholderList.objects.get(title="Registry list under review")
    entries = list(review.entries.order_by("id"))
    germany = MemberState.objects.get(iso3="DEU")
    with time_machine.travel(DURING, tick=False):
        objection_b = services.lodge_objection(
            entry=entries[1], member_state=germany, user=delegate_b, basis="A basis"
        )
    objection_a = Objection.objects.get(
        entry=entries[0], member_state__iso3="KEN", withdrawn_at__isnull=True
    )
    closed = StakeholderList.objects.get(title="Registry closed list")
    draft = StakeholderList.objects.filter(status="draft").order_by("id").first()
    # A notification of Kenya's delegate, copied from one the world's services wrote.
    sample = Notification.objects.order_by("id").first()
    notification_a = Notification.objects.create(
        recipient=delegate_a,
        kind=sample.kind,
        key=f"{sample.key}:matrix",
        route=sample.route,
        route_args=sample.route_args,
        params=sample.params,
    )
    # Two draft documents: the secretariat's, with a written text (its PDF is for its
    # authors only), and the Office's.
    from phases.documents import services as documents

    secretariat_draft = documents.create_document(
        process=process,
        kind="issue_brief",
        title="Matrix: a draft of the secretariat",
        author_role="secretariat",
        issued_on=datetime.date(2018, 1, 1),
    )
    draft_version = documents.save_text(
        document=secretariat_draft, language="en", source="A draft.", html="<p>A draft.</p>"
    )
    office_document = documents.create_document(
        process=process,
        kind="issue_brief",
        title="Matrix: a document of the Office",
        author_role="pga_office",
        issued_on=datetime.date(2018, 1, 1),
    )
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    reset_link_a = [
        urlsafe_base64_encode(force_bytes(ngo_a.pk)),
        default_token_generator.make_token(ngo_a),
    ]
    objects = {
        "process": process,
        "reset_link_a": reset_link_a,
        "secretariat_draft": secretariat_draft,
        "secretariat_draft_version": draft_version,
        "office_document": office_document,
        "org_a": org_a,
        "org_b": org_b,
        "application_a": application_of(org_a, ngo_a),
        "application_b": application_of(org_b, ngo_b),
        "nomination_a": nomination_a,
        "nomination_b": nomination_b,
        "future": future,
        "review": review,
        "entries": entries,
        "closed": closed,
        "closed_entry": closed.entries.order_by("id").first(),
        "draft": draft,
        "objection_a": objection_a,
        "objection_b": objection_b,
        "notification_a": notification_a,
        "shared_request": InformationRequest.objects.filter(shared_at__isnull=False)
        .order_by("id")
        .first(),
    }
    return MatrixWorld(paths=paths, users=users, objects=objects)


# --- One cell ----------------------------------------------------------------------------------

SIGN_IN = ("accounts:login", "admin:login")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _client(user) -> tuple[Client, str]:
    """A client that enforces CSRF checks, signed in as ``user`` (or anonymous), and the
    CSRF token of a form it was served (the sign-in form, or the profile form)."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if user is None:
        page = client.get(reverse("accounts:login"))
    else:
        client.force_login(user)
        page = client.get(reverse("accounts:profile"))
    found = TOKEN.search(page.content.decode())
    assert found, f"no CSRF token on the form served to {user}"
    return client, found.group(1)


def outcome(response) -> str:
    status = response.status_code
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return NO_METHOD
    if status == 403:
        return REFUSED
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        path = re.split(r"[?#]", location, maxsplit=1)[0]
        try:
            with translation.override(translation.get_language_from_path(path) or "en"):
                match = resolve(path)
        except Resolver404:
            return f"redirect to {location}"  # off the site, or nowhere
        # To sign in: this site's page, or the support site's (Django's admin).
        return REFUSED if match.view_name in SIGN_IN else ALLOWED
    if 200 <= status < 300 or status == 422:
        return ALLOWED
    return f"status {status}"


def run_cell(client: Client, token: str, method: str, path: str, data: dict | None = None):
    """One request in its own savepoint, rolled back, with the client's cookies put back."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, {**(data or {}), "csrfmiddlewaretoken": token})
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


@pytest.fixture(autouse=True)
def _no_wait_for_pdfs(settings):
    """No worker renders PDFs here: the PDF route answers with its progress page at once."""
    settings.PDF_WAIT_SECONDS = 0


# --- The table -----------------------------------------------------------------------------------

PUBLIC = Row(get=everyone(), post=nobody())
# A public page that does not restrict its methods: a POST is answered as a GET (it
# changes nothing).
PUBLIC_ANY_METHOD = Row(get=everyone(), post=everyone())
SIGNED_IN_ONLY = only(*SIGNED_IN)
# The Office's pages: read by the Office and the secretariat, acted on by the Office.
OFFICE_READ = only(OFFICE, SECRETARIAT)
OFFICE_ACT = only(OFFICE)
OFFICE_PAGE = Row(get=OFFICE_READ, post=OFFICE_ACT)
# A page that only lists (no form): the Office's POST is answered 405, anyone else's 403.
OFFICE_LIST_PAGE = Row(get=OFFICE_READ, post=but(OFFICE_ACT, pga_office=NO_METHOD))
# The secretariat's pages: read by staff (STAFF), changed by the secretariat (EDITORS);
# panel chairs appointed by the secretariat and the Office (OP 17); texts and drafts by
# their authors (the secretariat, the co-facilitators: the world's documents are theirs).
STAFF_READ = Row(get=only(*STAFF), post=nobody())
EDITOR_FORM = Row(get=only(SECRETARIAT), post=only(SECRETARIAT))
APPOINTER_FORM = Row(get=only(OFFICE, SECRETARIAT), post=only(OFFICE, SECRETARIAT))
AUTHOR_FORM = Row(get=only(CO_FACILITATOR, SECRETARIAT), post=only(CO_FACILITATOR, SECRETARIAT))
AUTHOR_READ = Row(get=only(CO_FACILITATOR, SECRETARIAT), post=nobody())
AUTHOR_POST_ONLY = Row(get=nobody(), post=only(CO_FACILITATOR, SECRETARIAT))
# The secretariat alone: operations (e-mails, reminder schedules), lock-outs, the list
# imports and near matches, the decisions on representatives (who reads a participation
# page but may not post to it is written out in its row).
OPERATOR_FORM = Row(get=only(SECRETARIAT), post=only(SECRETARIAT))
OPERATOR_READ = Row(get=only(SECRETARIAT), post=nobody())
OPERATOR_POST_ONLY = Row(get=nobody(), post=only(SECRETARIAT))
# Pages of one's own organization (NGO A's: the registry's), and of one's own States.
ORG_A = only(NGO_A, not_found=(NGO_B,))
ORG_B = only(NGO_B, not_found=(NGO_A,))
NEITHER_ORG = only(not_found=NGOS)
REVIEWERS = only(*DELEGATES)


def _org(name: str) -> Callable[[Any], list]:
    return lambda w: [getattr(w, name).pk]


MATRIX: dict[str, Row] = {
    # Public pages and feeds.
    "healthz": PUBLIC_ANY_METHOD,
    "healthz-db": PUBLIC_ANY_METHOD,
    "phases:public-home": PUBLIC_ANY_METHOD,
    "phases:calendar": PUBLIC_ANY_METHOD,
    "phases:calendar-month": PUBLIC_ANY_METHOD,
    "phases:ical": PUBLIC_ANY_METHOD,
    "phases:ical-kind": PUBLIC_ANY_METHOD,
    "phases:meeting": PUBLIC_ANY_METHOD,
    "phases:meeting-ical": PUBLIC_ANY_METHOD,
    "drafts:list": PUBLIC_ANY_METHOD,
    "drafts:detail": PUBLIC_ANY_METHOD,
    "drafts:compare": PUBLIC_ANY_METHOD,
    "documents:library": PUBLIC,
    "documents:detail": PUBLIC,
    "documents:file": PUBLIC,
    "stakeholders-public:index": PUBLIC,
    "stakeholders-public:compare": PUBLIC,
    "stakeholders-public:csv": PUBLIC,
    # A closed list's PDF: anyone may read it, and ask for it to be rendered again.
    "pdf:file": PUBLIC_ANY_METHOD,
    "pdf:status": PUBLIC,
    # The secretariat's calendar feed: its secret token is the key, for anyone who has it.
    "deadlines-feed:feed": PUBLIC,
    # Accounts.
    "accounts:login": Row(get=everyone(), post=everyone()),
    "accounts:logout": Row(get=nobody(), post=everyone()),
    "accounts:landing": Row(get=everyone(), post=everyone()),
    "accounts:profile": Row(get=SIGNED_IN_ONLY, post=SIGNED_IN_ONLY),
    "accounts:language": Row(
        get=but(nobody(), anonymous=REFUSED), post=SIGNED_IN_ONLY, data={"language": "fr"}
    ),
    "accounts:password-change": Row(get=SIGNED_IN_ONLY, post=SIGNED_IN_ONLY),
    "accounts:password-change-done": Row(get=SIGNED_IN_ONLY, post=but(nobody(), anonymous=REFUSED)),
    # The second factor: each person's own (staff have theirs; the others may set one up).
    "accounts:two-factor": Row(get=SIGNED_IN_ONLY, post=SIGNED_IN_ONLY, data={"action": "codes"}),
    "accounts:two-factor-setup": Row(get=SIGNED_IN_ONLY, post=SIGNED_IN_ONLY),
    "accounts:two-factor-verify": Row(get=SIGNED_IN_ONLY, post=SIGNED_IN_ONLY),
    "accounts:password-reset": Row(get=everyone(), post=everyone()),
    "accounts:password-reset-done": PUBLIC,
    # The link of NGO A's e-mail: whoever holds it may set the password (it is the key).
    "accounts:password-reset-confirm": Row(
        get=everyone(), post=everyone(), args=lambda w: w.reset_link_a
    ),
    "accounts:password-reset-complete": PUBLIC,
    # Locked sign-ins: the secretariat only.
    "lockouts:list": OPERATOR_READ,
    "lockouts:unlock": Row(
        get=only(SECRETARIAT), post=only(SECRETARIAT), args=lambda w: ["account", "someone"]
    ),
    # The support site (Django's admin): nobody here is staff of it.
    "admin:index": Row(get=nobody(REFUSED), post=nobody(REFUSED)),
    # Notifications and what is due: each person's own.
    "notifications:inbox": Row(get=SIGNED_IN_ONLY, post=nobody()),
    "notifications:read": Row(
        get=nobody(),
        post=only(DELEGATE_A, not_found=tuple(r for r in SIGNED_IN if r != DELEGATE_A)),
        args=lambda w: [w.notification_a.pk],
        note="a notification of Kenya's delegate: everyone else's is not found",
    ),
    "notifications:read-all": Row(get=nobody(), post=SIGNED_IN_ONLY),
    "deadlines:due": Row(get=SIGNED_IN_ONLY, post=nobody()),
    "deadlines:feed-create": Row(get=nobody(), post=SIGNED_IN_ONLY),
    "deadlines:feed-replace": Row(get=SIGNED_IN_ONLY, post=SIGNED_IN_ONLY),
    # The secretariat's pages.
    "secretariat:dashboard": STAFF_READ,
    "secretariat:meetings": STAFF_READ,
    "secretariat:meeting": STAFF_READ,
    "secretariat:deliverables": STAFF_READ,
    "secretariat:compliance": STAFF_READ,
    "secretariat:meeting-create": EDITOR_FORM,
    "secretariat:meeting-edit": EDITOR_FORM,
    "secretariat:day-add": EDITOR_FORM,
    "secretariat:day-edit": EDITOR_FORM,
    "secretariat:day-remove": EDITOR_FORM,
    "secretariat:panel-edit": EDITOR_FORM,
    "secretariat:deliverable-create": EDITOR_FORM,
    "secretariat:deliverable-edit": EDITOR_FORM,
    "secretariat:deliverable-move": EDITOR_FORM,
    "secretariat:panel-add": EDITOR_FORM,
    "secretariat:panel-remove": EDITOR_FORM,
    "secretariat:deliverable-delivered": EDITOR_FORM,
    "secretariat:moderator-add": APPOINTER_FORM,
    "secretariat:moderator-remove": APPOINTER_FORM,
    "secretariat:draft-create": AUTHOR_FORM,
    # Documents (the world's: the co-facilitators', SWAPPED has the Office's).
    "documents-secretariat:list": STAFF_READ,
    "documents-secretariat:detail": STAFF_READ,
    "documents-secretariat:file": STAFF_READ,
    "documents-secretariat:create": Row(get=only(*STAFF), post=only(*STAFF)),
    "documents-secretariat:edit": AUTHOR_FORM,
    "documents-secretariat:upload": AUTHOR_FORM,
    "documents-secretariat:publish": AUTHOR_FORM,
    "documents-secretariat:version-remove": AUTHOR_FORM,
    "documents-secretariat:status": AUTHOR_POST_ONLY,
    "texts:edit": AUTHOR_FORM,
    "texts:history": AUTHOR_READ,
    "texts:revision": AUTHOR_READ,
    "texts:restore": AUTHOR_FORM,
    "texts:write-summary": AUTHOR_FORM,
    # Operations (e-mails, reminder schedules): the secretariat only.
    "operations:overview": OPERATOR_READ,
    "operations:schedules": OPERATOR_READ,
    "operations:schedule-edit": OPERATOR_FORM,
    "operations:resend": OPERATOR_FORM,
    "operations:drop": OPERATOR_FORM,
    "operations:send-held": OPERATOR_FORM,
    "operations:drop-held": OPERATOR_FORM,
    "operations:send-held-one": OPERATOR_FORM,
    "operations:drop-held-one": OPERATOR_FORM,
    "operations:retry": OPERATOR_POST_ONLY,
    "operations:schedule-default": OPERATOR_POST_ONLY,
    # Participation, the secretariat's side: representatives' data for the secretariat
    # and the Office (never the co-facilitators); decisions by the secretariat.
    "secretariat-participation:meetings": Row(get=only(*STAFF), post=only(SECRETARIAT)),
    "secretariat-participation:windows": Row(get=only(*STAFF), post=only(SECRETARIAT)),
    "secretariat-participation:meeting": Row(get=only(OFFICE, SECRETARIAT), post=only(SECRETARIAT)),
    "secretariat-participation:participants-csv": Row(
        get=only(OFFICE, SECRETARIAT), post=but(only(), secretariat=NO_METHOD)
    ),
    "secretariat-participation:deadline": OPERATOR_FORM,
    "secretariat-participation:confirm": OPERATOR_FORM,
    "secretariat-participation:decline": OPERATOR_FORM,
    "secretariat-participation:window-edit": OPERATOR_FORM,
    # The Office's pages.
    "stakeholders-office:home": OFFICE_PAGE,
    "stakeholders-office:applications": OFFICE_LIST_PAGE,
    "stakeholders-office:application": OFFICE_PAGE,
    "stakeholders-office:lists": OFFICE_LIST_PAGE,
    "stakeholders-office:list-create": OFFICE_PAGE,
    "stakeholders-office:list": OFFICE_PAGE,
    "stakeholders-office:list-submit": OFFICE_PAGE,
    "stakeholders-office:close": OFFICE_PAGE,
    "stakeholders-office:list-extend": OFFICE_PAGE,
    "stakeholders-office:requests": OFFICE_LIST_PAGE,
    "stakeholders-office:share": OFFICE_PAGE,
    "stakeholders-office:audit": OFFICE_LIST_PAGE,
    # Registration: sign-up for anyone (a signed-in visitor is sent on); the secretariat's
    # imports and near matches; an organization's pages for its own members.
    "stakeholders-registration:signup": Row(get=everyone(), post=everyone()),
    "stakeholders-registration:signup-sent": PUBLIC,
    "stakeholders-registration:verify": PUBLIC,
    "stakeholders-registration:resend": Row(get=everyone(), post=everyone()),
    "stakeholders-registration:resend-sent": PUBLIC,
    "stakeholders-registration:start": Row(get=only(*NGOS), post=nobody()),
    "stakeholders-registration:organization-create": Row(get=only(*NGOS), post=only(*NGOS)),
    "stakeholders-registration:accredited-import": OPERATOR_FORM,
    "stakeholders-registration:matches": OPERATOR_READ,
    "stakeholders-registration:match-decide": OPERATOR_FORM,
    "stakeholders-registration:status": Row(get=ORG_A, post=nobody(), args=_org("org_a")),
    "stakeholders-registration:organization-edit": Row(get=ORG_A, post=ORG_A, args=_org("org_a")),
    "stakeholders-registration:apply": Row(get=ORG_A, post=ORG_A, args=_org("org_a")),
    "stakeholders-registration:register-direct": Row(get=ORG_A, post=ORG_A, args=_org("org_a")),
    "stakeholders-registration:answer": Row(
        get=ORG_A, post=ORG_A, args=lambda w: [w.org_a.pk, w.application_a.pk]
    ),
    # Participation, the organization's side; and which organizations take part, for
    # delegates and staff.
    "stakeholders-participation:meetings": Row(get=ORG_A, post=nobody(), args=_org("org_a")),
    "stakeholders-participation:meeting": Row(
        get=ORG_A, post=ORG_A, args=lambda w: [w.org_a.pk, w.future.pk]
    ),
    "stakeholders-participation:withdraw": Row(
        get=ORG_A, post=ORG_A, args=lambda w: [w.org_a.pk, w.nomination_a.pk]
    ),
    "stakeholders-participation:organizations": Row(
        get=only(*DELEGATES, *STAFF), post=nobody(), args=lambda w: [w.future.pk]
    ),
    # The Member State review: delegates only; an objection is its State's own.
    "stakeholders-review:lists": Row(get=REVIEWERS, post=nobody()),
    "stakeholders-review:list": Row(get=REVIEWERS, post=nobody(), args=lambda w: [w.review.pk]),
    "stakeholders-review:entry": Row(
        get=REVIEWERS, post=nobody(), args=lambda w: [w.review.pk, w.entries[0].pk]
    ),
    "stakeholders-review:object": Row(
        get=REVIEWERS, post=REVIEWERS, args=lambda w: [w.review.pk, w.entries[2].pk]
    ),
    "stakeholders-review:information": Row(
        get=REVIEWERS, post=REVIEWERS, args=lambda w: [w.review.pk, w.entries[1].pk]
    ),
    "stakeholders-review:withdraw": Row(
        get=only(DELEGATE_A, not_found=(DELEGATE_B,)),
        post=only(DELEGATE_A, not_found=(DELEGATE_B,)),
        args=lambda w: [w.objection_a.pk],
        note="Kenya's objection: Germany's delegate does not find it",
    ),
}

# The same routes with the ids swapped: another organization's, another State's, an
# object that is not public (yet).
SWAPPED: dict[str, list[Row]] = {
    "stakeholders-registration:status": [
        Row(get=ORG_B, post=nobody(), args=_org("org_b"), note="NGO B's organization")
    ],
    "stakeholders-registration:organization-edit": [
        Row(get=ORG_B, post=ORG_B, args=_org("org_b"), note="NGO B's organization")
    ],
    "stakeholders-registration:apply": [
        Row(get=ORG_B, post=ORG_B, args=_org("org_b"), note="NGO B's organization")
    ],
    "stakeholders-registration:register-direct": [
        Row(get=ORG_B, post=ORG_B, args=_org("org_b"), note="NGO B's organization")
    ],
    "stakeholders-registration:answer": [
        Row(
            get=ORG_B,
            post=ORG_B,
            args=lambda w: [w.org_b.pk, w.application_b.pk],
            note="NGO B's organization and application",
        ),
        Row(
            get=NEITHER_ORG,
            post=NEITHER_ORG,
            args=lambda w: [w.org_a.pk, w.application_b.pk],
            note="NGO A's organization with NGO B's application",
        ),
    ],
    "stakeholders-participation:meetings": [
        Row(get=ORG_B, post=nobody(), args=_org("org_b"), note="NGO B's organization")
    ],
    "stakeholders-participation:meeting": [
        Row(
            get=ORG_B,
            post=ORG_B,
            args=lambda w: [w.org_b.pk, w.future.pk],
            note="NGO B's organization",
        )
    ],
    "stakeholders-participation:withdraw": [
        Row(
            get=ORG_B,
            post=ORG_B,
            args=lambda w: [w.org_b.pk, w.nomination_b.pk],
            note="NGO B's nomination",
        ),
        Row(
            get=NEITHER_ORG,
            post=NEITHER_ORG,
            args=lambda w: [w.org_a.pk, w.nomination_b.pk],
            note="NGO A's organization with NGO B's nomination",
        ),
    ],
    "stakeholders-review:withdraw": [
        Row(
            get=only(DELEGATE_B, not_found=(DELEGATE_A,)),
            post=only(DELEGATE_B, not_found=(DELEGATE_A,)),
            args=lambda w: [w.objection_b.pk],
            note="Germany's objection: Kenya's delegate does not find it",
        )
    ],
    "stakeholders-review:list": [
        Row(
            get=only(not_found=DELEGATES),
            post=nobody(),
            args=lambda w: [w.draft.pk],
            note="a draft list, never submitted to States",
        )
    ],
    "stakeholders-review:entry": [
        Row(
            get=only(not_found=DELEGATES),
            post=nobody(),
            args=lambda w: [w.review.pk, w.closed_entry.pk],
            note="the list under review with an entry of another list",
        )
    ],
    "stakeholders-review:object": [
        Row(
            get=only(not_found=DELEGATES),
            post=only(not_found=DELEGATES),
            args=lambda w: [w.review.pk, w.closed_entry.pk],
            note="the list under review with an entry of another list",
        )
    ],
    "stakeholders-review:information": [
        Row(
            get=only(not_found=DELEGATES),
            post=only(not_found=DELEGATES),
            args=lambda w: [w.review.pk, w.closed_entry.pk],
            note="the list under review with an entry of another list",
        )
    ],
    "stakeholders-public:compare": [
        Row(
            get=nobody(NOT_FOUND),
            post=nobody(),
            args=lambda w: [w.draft.pk],
            note="a draft list: not public",
        )
    ],
    "stakeholders-public:csv": [
        Row(
            get=nobody(NOT_FOUND),
            post=nobody(),
            args=lambda w: [w.review.pk],
            note="a list still under review: no final list yet",
        )
    ],
    "pdf:file": [
        Row(
            get=nobody(NOT_FOUND),
            post=nobody(NOT_FOUND),
            args=lambda w: [f"list-final:{w.review.pk}:en"],
            note="the final-list PDF of a list still under review",
        ),
        Row(
            get=only(SECRETARIAT, not_found=ROLES[:-1]),
            post=only(SECRETARIAT, not_found=ROLES[:-1]),
            args=lambda w: [f"document:{w.secretariat_draft_version.pk}"],
            note="a draft document of the secretariat's: its authors only",
        ),
    ],
    "pdf:status": [
        Row(
            get=nobody(NOT_FOUND),
            post=nobody(),
            args=lambda w: [f"list-final:{w.review.pk}:en"],
            note="the final-list PDF of a list still under review",
        )
    ],
    "documents:detail": [
        Row(
            get=nobody(NOT_FOUND),
            post=nobody(),
            args=lambda w: [w.secretariat_draft.pk],
            note="a draft document: not public",
        )
    ],
    "documents-secretariat:edit": [
        Row(
            get=only(OFFICE, SECRETARIAT),
            post=only(OFFICE, SECRETARIAT),
            args=lambda w: [w.office_document.pk],
            note="the Office's document: the co-facilitators may not change it",
        )
    ],
    "deadlines-feed:feed": [
        Row(
            get=nobody(NOT_FOUND),
            post=nobody(),
            args=lambda w: ["not-a-token-of-anyone"],
            note="a token nobody holds",
        )
    ],
}


# --- The tests -----------------------------------------------------------------------------------


def test_every_route_has_a_row():
    """A new route of the URLconf must have its row in MATRIX (and a route that is gone,
    its row removed), so that nobody adds a page without saying who may use it."""
    known = set(routes())
    missing = sorted(known - set(MATRIX))
    gone = sorted((set(MATRIX) | set(SWAPPED)) - known)
    assert not missing, f"routes with no row in MATRIX ({__name__}): {missing}"
    assert not gone, f"rows of MATRIX or SWAPPED for routes that no longer exist: {gone}"


def _path(world: MatrixWorld, route: str, row: Row) -> str:
    if row.args is not None:
        return reverse(route, args=row.args(world))
    if route in world.paths:
        return world.paths[route]
    return reverse(route)  # a route without arguments the every-page world did not visit


def _cells(world: MatrixWorld):
    for route in sorted(MATRIX):
        for row in [MATRIX[route], *SWAPPED.get(route, [])]:
            path = _path(world, route, row)
            for method, expected in (("GET", row.get), ("POST", row.post)):
                for role in ROLES:
                    yield route, row, path, method, role, expected[role]


def _described(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return f"{status} → {response['Location']}"
    return str(status)


def test_the_authorization_matrix(gcm):
    """Every cell of the table: each of the eight, GET and POST, on every route, with the
    ids of its own objects and of others'."""
    world = build_matrix_world(gcm)
    with translation.override("en"):
        cells = list(_cells(world))
        clients = {role: _client(user) for role, user in world.users.items()}
        started = time.perf_counter()
        failures = []
        for route, row, path, method, role, expected in cells:
            response = run_cell(*clients[role], method, path, row.data)
            got = outcome(response)
            if role == ANONYMOUS and got == REFUSED and response.status_code == 403:
                got = "403, not a redirect to sign in"
            if got != expected:
                swapped = f" [{row.note}]" if row.note else ""
                failures.append(
                    f"{route}{swapped}: {role} {method} {path} → {_described(response)}: "
                    f"{got}, expected {expected}"
                )
        elapsed = time.perf_counter() - started
    print(f"{len(cells)} cells in {elapsed:.1f} s")
    assert not failures, f"{len(failures)} of {len(cells)} cells differ:\n" + "\n".join(failures)
