"""The Member State review pages (delegates, /review/) and the public transparency pages
(/lists/): who may see and do what, through the pages; the deadline; filters and
pagination; query counts that do not grow with the list; the public pages show counts
only, never an objecting State or a person."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact_process.accounts.permissions import grant_delegate
from phases.models import MemberState
from stakeholders import services
from stakeholders.enums import ApplicationState, Channel, EntryOutcome
from stakeholders.models import (
    Application,
    InformationRequest,
    ListEntry,
    Objection,
    Organization,
    Representative,
)
from stakeholders.services import CLOSE_GRACE
from tests.people import delegate, person

User = get_user_model()
UTC = datetime.UTC
OPENED = datetime.datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
DEADLINE = datetime.datetime(2030, 4, 20, 23, 59, 59, tzinfo=UTC)
DURING = DEADLINE - datetime.timedelta(days=2)
AFTER = DEADLINE + CLOSE_GRACE

# Organizations come from these countries (three regional groups); the objecting States
# (Mexico, Germany) are never an organization's country, so that their names must not
# appear on a public page at all.
COUNTRIES = ["KEN", "JPN", "BRA"]
KINDS = ["ngo", "academia", "diaspora"]


# --- Helpers (after tests/test_review.py) ---------------------------------------------


def state(iso3: str) -> MemberState:
    return MemberState.objects.get(iso3=iso3)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def build_list(process, n: int = 3, *, title: str = "Preparatory list", submit: bool = True):
    """A list of n screened-in organizations (bulk-created: the services are tested in
    test_review.py), submitted for review with DEADLINE. Organization i is in
    COUNTRIES[i % 3], of kind KINDS[i % 3], named "Organisation NNN"."""
    office = User.objects.filter(username="office").first() or person("office", "pga_office")
    countries = [state(iso3) for iso3 in COUNTRIES]
    prefix = title.split()[0]
    with time_machine.travel(OPENED, tick=False):
        lst = services.create_list(
            process=process, purpose="preparatory", title=title, actor=office
        )
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"{prefix} Organisation {i:03d}",
                name_latin=f"{prefix} Latin {i:03d}",
                kind=KINDS[i % 3],
                country=countries[i % 3],
                email=f"{prefix.lower()}{i}@example.org",
            )
            for i in range(n)
        )
        applications = Application.objects.bulk_create(
            Application(
                process=process,
                organization=org,
                channel=Channel.SPECIAL,
                state=ApplicationState.SCREENED_IN,
                activities="Support to migrants",
            )
            for org in orgs
        )
        Representative.objects.bulk_create(
            Representative(application=a, name="Representative Persona", gender="woman")
            for a in applications
        )
        ListEntry.objects.bulk_create(
            ListEntry(stakeholder_list=lst, application=a) for a in applications
        )
        if submit:
            services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    lst.refresh_from_db()
    return lst, office, list(lst.entries.order_by("id"))


def object_directly(entries, iso3: str, user, *, withdrawn: bool = False) -> None:
    """Objections as test data, in bulk (the service is exercised by the page tests)."""
    member_state = state(iso3)
    Objection.objects.bulk_create(
        Objection(
            entry=e,
            member_state=member_state,
            lodged_by=user,
            lodged_at=DURING,
            withdrawn_at=DURING + datetime.timedelta(hours=1) if withdrawn else None,
            withdrawn_by=user if withdrawn else None,
        )
        for e in entries
    )


def review_urls(lst, entry, objection) -> dict[str, str]:
    return {
        "lists": reverse("stakeholders-review:lists"),
        "list": reverse("stakeholders-review:list", args=[lst.pk]),
        "object": reverse("stakeholders-review:object", args=[lst.pk, entry.pk]),
        "information": reverse("stakeholders-review:information", args=[lst.pk, entry.pk]),
        "withdraw": reverse("stakeholders-review:withdraw", args=[objection.pk]),
    }


# --- Who may see what -------------------------------------------------------------------


@pytest.fixture
def objected(gcm):
    """A list under review; Mexico objects to the first entry, with a basis."""
    lst, office, entries = build_list(gcm, 3)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DURING, tick=False):
        objection = services.lodge_objection(
            entry=entries[0],
            member_state=state("MEX"),
            user=mexico,
            basis="A confidential basis",
        )
    return lst, office, entries, mexico, objection


@pytest.mark.parametrize("name", ["lists", "list", "object", "information", "withdraw"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_sign_in(objected, name, method):
    lst, _, entries, _, objection = objected
    url = review_urls(lst, entries[0], objection)[name]
    if name in ("lists", "list") and method == "post":
        assert Client().post(url).status_code in (302, 405)
        return
    response = getattr(Client(), method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "pga_office"])
@pytest.mark.parametrize("name", ["lists", "list", "object", "information", "withdraw"])
def test_other_roles_are_refused(objected, role, name):
    lst, _, entries, _, objection = objected
    client = signed_in(person(f"someone-{role}", role))
    urls = review_urls(lst, entries[0], objection)
    assert client.get(urls[name]).status_code == 403
    if name not in ("lists", "list"):
        assert client.post(urls[name], {"basis": "x"}).status_code == 403
    assert Objection.objects.count() == 1
    assert InformationRequest.objects.count() == 0
    objection.refresh_from_db()
    assert objection.withdrawn_at is None


def test_a_delegate_without_a_state_sees_a_notice_and_cannot_review(objected):
    lst, _, entries, _, objection = objected
    client = signed_in(person("stateless", "delegate"))
    urls = review_urls(lst, entries[0], objection)
    response = client.get(urls["lists"])
    assert response.status_code == 200
    assert "not registered as acting for any State" in response.content.decode()
    for name in ("list", "object", "information", "withdraw"):
        assert client.get(urls[name]).status_code == 403


def test_another_state_cannot_see_or_withdraw_an_objection_by_url(objected):
    lst, _, entries, _, objection = objected
    germany = signed_in(delegate("de", "DEU"))
    withdraw_url = reverse("stakeholders-review:withdraw", args=[objection.pk])
    with time_machine.travel(DURING, tick=False):
        assert germany.get(withdraw_url).status_code == 404
        assert germany.post(withdraw_url).status_code == 404
        page = germany.get(reverse("stakeholders-review:list", args=[lst.pk]))
    objection.refresh_from_db()
    assert objection.withdrawn_at is None
    html = page.content.decode()
    assert page.status_code == 200
    # Germany sees no objection on any entry, and nothing of Mexico's.
    assert "objection--standing" not in html
    assert withdraw_url not in html
    assert "Mexico" not in html
    assert "confidential basis" not in html
    info = germany.get(reverse("stakeholders-review:information", args=[lst.pk, entries[0].pk]))
    assert "confidential basis" not in info.content.decode()


def test_an_objection_of_a_draft_list_or_another_list_is_not_found(gcm, objected):
    _lst, _, entries, mexico, _ = objected
    draft, _, draft_entries = build_list(gcm, 1, title="Draft list", submit=False)
    client = signed_in(mexico)
    assert client.get(reverse("stakeholders-review:list", args=[draft.pk])).status_code == 404
    assert (
        client.get(
            reverse("stakeholders-review:object", args=[draft.pk, draft_entries[0].pk])
        ).status_code
        == 404
    )
    # An entry of one list under another list's URL.
    assert (
        client.get(
            reverse("stakeholders-review:object", args=[draft.pk, entries[0].pk])
        ).status_code
        == 404
    )
    assert "Draft list" not in client.get(reverse("stakeholders-review:lists")).content.decode()


def test_a_delegate_cannot_object_for_another_state_by_posting_a_state(objected):
    lst, _, entries, _, _ = objected
    germany = delegate("de", "DEU")
    url = reverse("stakeholders-review:object", args=[lst.pk, entries[1].pk])
    mexico_pk = state("MEX").pk
    with time_machine.travel(DURING, tick=False):
        response = signed_in(germany).post(
            url, {"state": mexico_pk, "member_state": mexico_pk, "basis": ""}
        )
    assert response.status_code == 302
    objection = Objection.objects.get(entry=entries[1])
    assert objection.member_state.iso3 == "DEU"
    assert objection.lodged_by == germany


def test_a_delegate_of_several_states_chooses_only_among_its_own(objected):
    lst, _, entries, _, _ = objected
    both = delegate("eu", "DEU", "FRA")
    client = signed_in(both)
    url = reverse("stakeholders-review:object", args=[lst.pk, entries[1].pk])
    with time_machine.travel(DURING, tick=False):
        form = client.get(url).content.decode()
        refused = client.post(url, {"state": state("MEX").pk, "basis": "kept text"})
        assert refused.status_code == 422
        assert 'role="alert"' in refused.content.decode()
        assert "kept text" in refused.content.decode()
        assert not Objection.objects.filter(entry=entries[1]).exists()
        done = client.post(url, {"state": state("FRA").pk})
    assert done.status_code == 302
    assert Objection.objects.get(entry=entries[1]).member_state.iso3 == "FRA"
    assert "France" in form and "Germany" in form and "Mexico" not in form


# --- Lodge, withdraw, request through the pages ------------------------------------------


def test_lodge_and_withdraw_an_objection_through_the_pages(objected):
    lst, _, entries, _, _ = objected
    kenya = delegate("ke", "KEN")
    client = signed_in(kenya)
    list_url = reverse("stakeholders-review:list", args=[lst.pk])
    object_url = reverse("stakeholders-review:object", args=[lst.pk, entries[2].pk])
    with time_machine.travel(DURING, tick=False):
        form = client.get(object_url)
        assert form.status_code == 200
        assert "My State&#x27;s identity may be disclosed on request" in form.content.decode()
        response = client.post(
            object_url,
            {"basis": "  A general basis  ", "disclose_identity": "on", "next": list_url},
        )
        assert response.status_code == 302
        assert response["Location"] == list_url
        objection = Objection.objects.get(entry=entries[2], member_state__iso3="KEN")
        assert (objection.basis, objection.disclose_identity) == ("A general basis", True)
        assert objection.lodged_by == kenya
        page = client.get(list_url).content.decode()
        withdraw_url = reverse("stakeholders-review:withdraw", args=[objection.pk])
        assert withdraw_url in page
        assert "objects to" in page  # the success message
        confirm = client.get(withdraw_url)
        assert confirm.status_code == 200
        assert "A general basis" in confirm.content.decode()
        assert client.post(withdraw_url, {"next": list_url}).status_code == 302
        # Withdrawn twice: refused, nothing changes.
        again = client.post(withdraw_url)
        assert again.status_code == 422
        assert "already withdrawn" in again.content.decode()
    objection.refresh_from_db()
    assert objection.withdrawn_by == kenya
    assert Objection.objects.filter(entry=entries[2], withdrawn_at__isnull=True).count() == 0


def test_request_information_and_see_what_was_shared(objected):
    lst, office, entries, _, _ = objected
    germany = delegate("de", "DEU")
    with time_machine.travel(DURING, tick=False):
        services.lodge_objection(
            entry=entries[0],
            member_state=state("DEU"),
            user=germany,
            basis="German basis",
            disclose_identity=True,
        )
    kenya = delegate("ke", "KEN")
    client = signed_in(kenya)
    url = reverse("stakeholders-review:information", args=[lst.pk, entries[0].pk])
    with time_machine.travel(DURING, tick=False):
        assert "has not requested" in client.get(url).content.decode()
        response = client.post(url)
        assert response.status_code == 302
        request = InformationRequest.objects.get()
        assert (request.requesting_state.iso3, request.requested_by) == ("KEN", kenya)
        pending = client.get(url).content.decode()
        assert "not answered yet" in pending
        assert "German basis" not in pending
        services.share_information(request=request, actor=office)
        shared = client.get(url).content.decode()
    assert "German basis" in shared and "Germany" in shared
    assert "confidential basis" in shared  # the first basis, without its State's name
    assert "Mexico" not in shared
    assert "Not disclosed" in shared


def test_an_objection_one_second_after_the_deadline_is_refused_with_422(objected):
    lst, _, entries, mexico, objection = objected
    kenya = delegate("ke", "KEN")
    url = reverse("stakeholders-review:object", args=[lst.pk, entries[1].pk])
    before = Objection.objects.count()
    with time_machine.travel(DEADLINE + datetime.timedelta(seconds=1), tick=False):
        response = signed_in(kenya).post(url, {"basis": "Too late, but kept"})
        withdrawal = signed_in(mexico).post(
            reverse("stakeholders-review:withdraw", args=[objection.pk])
        )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in html
    assert "The review closed at" in html
    assert "Too late, but kept" in html  # input kept
    assert Objection.objects.count() == before
    assert withdrawal.status_code == 422
    assert "The review closed at" in withdrawal.content.decode()
    objection.refresh_from_db()
    assert objection.withdrawn_at is None


# --- Filters and pagination ------------------------------------------------------------


def _rows(html: str) -> int:
    return html.count('<tr id="entry-')


def test_filters_and_pagination(gcm):
    lst, _, _entries = build_list(gcm, 120)
    client = signed_in(delegate("mx", "MEX"))
    url = reverse("stakeholders-review:list", args=[lst.pk])
    with time_machine.travel(DURING, tick=False):
        first = client.get(url).content.decode()
        last = client.get(url, {"page": 3}).content.decode()
        by_region = client.get(url, {"region": "african"}).content.decode()
        by_country = client.get(url, {"country": state("JPN").pk}).content.decode()
        by_kind = client.get(url, {"kind": "diaspora"}).content.decode()
        by_name = client.get(url, {"name": "latin 007"}).content.decode()
        combined = client.get(url, {"region": "african", "kind": "ngo", "page": 1})
    assert (_rows(first), _rows(last)) == (50, 20)
    assert "Page 1 of 3" in first and "page=2" in first
    assert _rows(by_region) == 40 and "Japan" not in by_region.split("<tbody>")[1]
    assert _rows(by_country) == 40
    assert _rows(by_kind) == 40
    assert _rows(by_name) == 1 and "Preparatory Organisation 007" in by_name
    # Kenya (i % 3 == 0) and NGO (i % 3 == 0) coincide: 40 rows, on one page.
    assert _rows(combined.content.decode()) == 40
    paged = client.get(url, {"region": "weog"}).content.decode()
    assert _rows(paged) == 0 and "No entry matches these filters." in paged


def test_page_links_keep_the_filters(gcm):
    lst, _, _ = build_list(gcm, 120)
    client = signed_in(delegate("mx", "MEX"))
    url = reverse("stakeholders-review:list", args=[lst.pk])
    with time_machine.travel(DURING, tick=False):
        html = client.get(url, {"name": "organisation"}).content.decode()
    assert "?name=organisation&amp;page=2" in html


# --- Query counts do not grow with the list --------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("size", [20, 200])
def test_the_review_list_page_runs_a_constant_number_of_queries(
    gcm, size, django_assert_num_queries
):
    lst, _, entries = build_list(gcm, size)
    others = [delegate(f"d{iso3}", iso3) for iso3 in ("DEU", "FRA", "ITA")]
    for user, iso3 in zip(others, ("DEU", "FRA", "ITA"), strict=True):
        object_directly(entries[::2], iso3, user)
    mexico = delegate("mx", "MEX")
    object_directly(entries[::3], "MEX", mexico)
    object_directly(entries[1::3], "MEX", mexico, withdrawn=True)
    client = signed_in(mexico)
    url = reverse("stakeholders-review:list", args=[lst.pk])
    with time_machine.travel(DURING, tick=False):
        client.get(url)  # warm the session
        # 11 at both sizes, the header's unread-notification count included.
        with django_assert_num_queries(11):
            response = client.get(url)
    assert _rows(response.content.decode()) == min(size, 50)


@pytest.mark.parametrize("size", [20, 200])
def test_the_public_compare_page_runs_a_constant_number_of_queries(
    gcm, size, django_assert_num_queries
):
    lst, _, entries = build_list(gcm, size)
    for iso3 in ("MEX", "DEU"):
        object_directly(entries[::4], iso3, delegate(f"d{iso3}", iso3))
    services.close_review(list_id=lst.pk, now=AFTER)
    url = reverse("stakeholders-public:compare", args=[lst.pk])
    with django_assert_num_queries(7):
        response = Client().get(url)
    # A page of at most 100 entries (issue 14), and the header row.
    assert response.content.decode().count("<tr") == min(size, 100) + 1


# --- The public pages -------------------------------------------------------------------


@pytest.fixture
def closed(gcm):
    """A closed list: entry 0 objected by Mexico and Germany (Germany allowing
    disclosure), entry 1 objected by Mexico then withdrawn, entry 2 clean; Kenya
    requested the information on entry 0 and the Office answered; a draft list and a
    list still under review exist too."""
    lst, office, entries = build_list(gcm, 3)
    mexico, germany, kenya = delegate("mx", "MEX"), delegate("de", "DEU"), delegate("ke", "KEN")
    with time_machine.travel(DURING, tick=False):
        services.lodge_objection(
            entry=entries[0], member_state=state("MEX"), user=mexico, basis="Secret basis"
        )
        services.lodge_objection(
            entry=entries[0], member_state=state("DEU"), user=germany, disclose_identity=True
        )
        gone = services.lodge_objection(entry=entries[1], member_state=state("MEX"), user=mexico)
        services.withdraw_objection(objection=gone, user=mexico)
        request = services.request_information(
            entry=entries[0], member_state=state("KEN"), user=kenya
        )
        services.share_information(request=request, actor=office)
        services.request_information(entry=entries[2], member_state=state("KEN"), user=kenya)
    services.close_review(list_id=lst.pk, now=AFTER)
    build_list(gcm, 2, title="Drafted list", submit=False)
    open_list, _, _ = build_list(gcm, 2, title="Conference list")
    return lst, entries, open_list


def _assert_nothing_personal(html: str) -> None:
    for secret in (
        "Mexico",
        "Germany",
        "Secret basis",
        "Representative Persona",
        "csrfmiddlewaretoken",
        "office@",
        "Sign out",
    ):
        assert secret not in html, secret


def test_the_public_index_shows_the_figures_as_counts_only(client, closed):
    _lst, _, _open_list = closed
    with time_machine.travel(DURING, tick=False):
        response = client.get(reverse("stakeholders-public:index"))
    html = response.content.decode()
    assert response.status_code == 200
    _assert_nothing_personal(html)
    assert "Drafted list" not in html
    assert "Conference list" in html and "Member States may object until" in html
    assert "Under review under review" not in html
    # The heading says which list it is now: the final one once the review has closed.
    assert "Final list of relevant stakeholders: <bdi>" in html
    assert "Proposed list of relevant stakeholders: <bdi>Conference list</bdi>" in html
    table = html.split("Transparency figures")[1].split("</table>")[0]
    figures = [
        ("Entries proposed", 3),
        ("Approved", 2),
        ("Not approved", 1),
        ("Objections standing at the close", 2),
        ("Objections lodged (including withdrawn)", 3),
        ("Information requests made", 2),
        ("Information requests answered", 1),
    ]
    for label, n in figures:
        assert f'<th scope="row">{label}</th><td>{n}</td>' in table


def test_the_public_compare_page_marks_removed_entries_with_their_count(client, closed):
    lst, _entries, open_list = closed
    response = client.get(reverse("stakeholders-public:compare", args=[lst.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    _assert_nothing_personal(html)
    assert html.count("Not approved: removed") == 1
    assert "(2 objections)" in html
    assert html.count("Approved: on the final list") == 2
    # A list under review: the proposed list, with its deadline; no CSV yet.
    under_review = client.get(reverse("stakeholders-public:compare", args=[open_list.pk]))
    assert "Member States may object until" in under_review.content.decode()
    assert "<h1>Proposed list of relevant stakeholders: <bdi>" in under_review.content.decode()
    assert "<h1>Final list of relevant stakeholders: <bdi>" in html
    assert "Not approved" not in under_review.content.decode()
    assert client.get(reverse("stakeholders-public:csv", args=[open_list.pk])).status_code == 404


def test_draft_lists_are_not_published(client, gcm):
    draft, _, _ = build_list(gcm, 1, title="Drafted list", submit=False)
    assert client.get(reverse("stakeholders-public:compare", args=[draft.pk])).status_code == 404
    assert client.get(reverse("stakeholders-public:csv", args=[draft.pk])).status_code == 404


def test_the_public_pages_do_not_depend_on_who_asks(closed):
    lst, _, _ = closed
    url = reverse("stakeholders-public:compare", args=[lst.pk])
    anonymous = Client().get(url).content
    signed = signed_in(User.objects.get(username="mx")).get(url).content
    assert anonymous == signed


def test_the_csv(client, closed):
    lst, _entries, _ = closed
    response = client.get(reverse("stakeholders-public:csv", args=[lst.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.startswith("\ufeff")  # Excel reads the UTF-8 of the six languages
    _assert_nothing_personal(text)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [
        ["organization", "country", "kind", "outcome", "objections_at_close"],
        ["Preparatory Organisation 000", "Kenya", "ngo", EntryOutcome.NOT_APPROVED, "2"],
        ["Preparatory Organisation 001", "Japan", "academia", EntryOutcome.APPROVED, "0"],
        ["Preparatory Organisation 002", "Brazil", "diaspora", EntryOutcome.APPROVED, "0"],
    ]


# --- The page registry (tests/pages.py) --------------------------------------------------


def registry_url(process, which: str) -> str:
    """URLs for the accessibility and HTML checks (tests/pages.py). The registry's
    delegate has no State: grant it Kenya, and build a list under review with one of
    Kenya's objections and an answered information request, and a closed list (each
    once, however many pages ask)."""
    from tests.pages import user_with_role

    user = user_with_role("delegate")
    kenya = state("KEN")
    grant_delegate(user, kenya)
    open_title = "Registry list under review"
    from stakeholders.models import StakeholderList

    lst = StakeholderList.objects.filter(title=open_title).first()
    if lst is None:
        lst, office, entries = build_list(process, 3, title=open_title)
        with time_machine.travel(DURING, tick=False):
            services.lodge_objection(
                entry=entries[0], member_state=kenya, user=user, basis="A general basis"
            )
            request = services.request_information(entry=entries[1], member_state=kenya, user=user)
            services.share_information(request=request, actor=office)
        # Submitted in 2030: its deadline is in the future whatever today is.
        closed_list, _, closed_entries = build_list(process, 3, title="Registry closed list")
        object_directly(closed_entries[:1], "MEX", delegate("registry-mx", "MEX"))
        services.close_review(list_id=closed_list.pk, now=AFTER)
    entry = lst.entries.order_by("id").first()
    closed_list = StakeholderList.objects.get(title="Registry closed list")
    objection = Objection.objects.get(entry=entry, member_state=kenya, withdrawn_at__isnull=True)
    return {
        "lists": reverse("stakeholders-review:lists"),
        "list": reverse("stakeholders-review:list", args=[lst.pk]),
        "object": reverse(
            "stakeholders-review:object", args=[lst.pk, lst.entries.order_by("id")[2].pk]
        ),
        "withdraw": reverse("stakeholders-review:withdraw", args=[objection.pk]),
        "information": reverse(
            "stakeholders-review:information", args=[lst.pk, lst.entries.order_by("id")[1].pk]
        ),
        "entry": reverse("stakeholders-review:entry", args=[lst.pk, entry.pk]),
        "public-index": reverse("stakeholders-public:index"),
        "public-compare": reverse("stakeholders-public:compare", args=[closed_list.pk]),
        "public-under-review": reverse("stakeholders-public:compare", args=[lst.pk]),
    }[which]


@pytest.mark.parametrize(
    "which",
    [
        "lists",
        "list",
        "object",
        "withdraw",
        "information",
        "entry",
        "public-index",
        "public-compare",
        "public-under-review",
    ],
)
def test_the_registry_pages_answer(gcm, which):
    from tests.pages import client_for

    role = None if which.startswith("public") else "delegate"
    url = registry_url(gcm, which)
    assert client_for(role).get(url).status_code == 200


def test_the_lists_page_shows_deadlines_countdowns_and_closed_lists(gcm):
    build_list(gcm, 2, title="Conference list")
    done, _, _ = build_list(gcm, 1, title="Earlier list")
    services.close_review(list_id=done.pk, now=AFTER)
    build_list(gcm, 1, title="Drafted list", submit=False)
    client = signed_in(delegate("mx", "MEX"))
    with time_machine.travel(DEADLINE - datetime.timedelta(days=2, hours=3), tick=False):
        html = client.get(reverse("stakeholders-review:lists")).content.decode()
    under_review, closed = html.split('id="closed"')
    assert "Conference list" in under_review and "Earlier list" in closed
    assert "Drafted list" not in html
    assert (
        '<time datetime="2030-04-20T23:59:59Z" data-instant="seconds" data-end="1">'
        "20 April 2030, 23:59:59 UTC</time>"
    ) in html
    assert "2 days and 3 hours left" in under_review
