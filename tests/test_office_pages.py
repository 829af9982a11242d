"""The Office of the PGA's pages (OP 6, footnote 5): who may read and act, screening,
composing with the live balance, submitting, closing, sharing on request and the audit
trail, with query counts that do not grow with the data."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compact_process.audit.models import AuditEvent
from phases.models import MemberState
from stakeholders import services
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, Gender, ListStatus
from stakeholders.models import (
    Application,
    InformationRequest,
    ListEntry,
    Organization,
    Representative,
    StakeholderList,
)
from tests.people import delegate, person

User = get_user_model()
UTC = datetime.UTC
NS = "stakeholders-office"


# --- Helpers (after tests/test_review.py) --------------------------------------------------


def state(iso3: str) -> MemberState:
    return MemberState.objects.get(iso3=iso3)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def screened_in(process, office, name: str, iso3: str = "KEN", reps=(("A. Person", "woman"),)):
    org = Organization.objects.create(
        name=name, kind="ngo", country=state(iso3), email="org@example.org"
    )
    application = services.submit_application(
        process=process,
        organization=org,
        channel=Channel.SPECIAL,
        activities="Support to migrants",
        representatives=list(reps),
    )
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_IN, actor=office
    )
    return application


def draft_with(process, office, specs):
    """A draft list with one entry per (name, iso3, reps) spec."""
    lst = services.create_list(process=process, purpose="preparatory", title="Prep", actor=office)
    for name, iso3, reps in specs:
        application = screened_in(process, office, name, iso3, reps)
        services.add_entry(stakeholder_list=lst, application=application, actor=office)
    return lst


def submitted(process, office, n=2, deadline=None):
    lst = draft_with(process, office, [(f"Org {i}", "KEN", [("P", "woman")]) for i in range(n)])
    deadline = deadline or timezone.now() + datetime.timedelta(days=3)
    services.submit_list(stakeholder_list=lst, deadline=deadline, actor=office)
    lst.refresh_from_db()
    return lst


def bulk_entries(process, lst, n: int, start: int = 0) -> None:
    """n organizations with two representatives each, on ``lst`` (rows written directly:
    test data, not a page)."""
    countries = list(MemberState.objects.filter(iso3__in=["KEN", "DEU", "MEX", "IND"]))
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Bulk {start + i}",
            kind="ngo",
            country=countries[i % len(countries)],
            email="b@example.org",
        )
        for i in range(n)
    )
    apps = Application.objects.bulk_create(
        Application(
            process=process,
            organization=o,
            channel=Channel.SPECIAL,
            state=ApplicationState.SCREENED_IN,
            activities="x",
        )
        for o in orgs
    )
    Representative.objects.bulk_create(
        Representative(application=a, name=f"R{k}", gender=g)
        for a in apps
        for k, g in enumerate([Gender.WOMAN, Gender.MAN])
    )
    ListEntry.objects.bulk_create(ListEntry(stakeholder_list=lst, application=a) for a in apps)


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


# --- The permission matrix ---------------------------------------------------------------


@pytest.fixture
def world(gcm):
    office = person("office", "pga_office")
    draft = draft_with(gcm, office, [("Draft org", "KEN", [("P", "woman")])])
    review = submitted(gcm, office)
    entry = review.entries.first()
    kenya = delegate("ke", "KEN")
    request = services.request_information(entry=entry, member_state=state("KEN"), user=kenya)
    return {
        "office": office,
        "application": Application.objects.order_by("id").first(),
        "draft": draft,
        "review": review,
        "request": request,
    }


def every_url(w) -> list[tuple[str, str]]:
    return [
        ("home", url("home")),
        ("applications", url("applications")),
        ("application", url("application", w["application"].pk)),
        ("lists", url("lists")),
        ("list-create", url("list-create")),
        ("list", url("list", w["draft"].pk)),
        ("list-review", url("list", w["review"].pk)),
        ("list-submit", url("list-submit", w["draft"].pk)),
        ("close", url("close", w["review"].pk)),
        ("list-extend", url("list-extend", w["review"].pk)),
        ("requests", url("requests")),
        ("share", url("share", w["request"].pk)),
        ("audit", url("audit")),
    ]


def test_permission_matrix_for_every_url(world):
    secretariat = signed_in(person("sec", "secretariat"))
    office = signed_in(world["office"])
    others = [
        signed_in(person("stake", "stakeholder")),
        signed_in(delegate("mx", "MEX")),
        signed_in(person("cofac", "co_facilitator")),
    ]
    anonymous = Client()
    for name, path in every_url(world):
        assert office.get(path).status_code == 200, name
        assert secretariat.get(path).status_code == 200, name
        assert secretariat.post(path, {}).status_code == 403, name
        for other in others:
            assert other.get(path).status_code == 403, name
            assert other.post(path, {}).status_code == 403, name
        response = anonymous.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
        assert anonymous.post(path, {}).status_code == 302, name
    # Nothing changed through any refused POST.
    assert StakeholderList.objects.filter(status=ListStatus.DRAFT).count() == 1
    assert not InformationRequest.objects.filter(shared_at__isnull=False).exists()


def test_the_secretariat_reads_without_action_forms(world):
    secretariat = signed_in(person("sec", "secretariat"))
    html = secretariat.get(url("application", world["application"].pk)).content.decode()
    assert "Read only:" in html
    assert 'name="state"' not in html
    html = secretariat.get(url("list", world["draft"].pk)).content.decode()
    assert 'name="application"' not in html


# --- Screening ---------------------------------------------------------------------------


def test_screening_out_sends_the_reason_and_is_audited(gcm):
    office = person("office", "pga_office")
    org = Organization.objects.create(
        name="Applicant", kind="ngo", country=state("KEN"), email="a@example.org"
    )
    application = services.submit_application(
        process=gcm,
        organization=org,
        channel=Channel.SPECIAL,
        activities="Work with migrants",
        representatives=[("Amina Diallo", Gender.WOMAN)],
    )
    client = signed_in(office)
    page = client.get(url("application", application.pk)).content.decode()
    assert "Amina Diallo" in page and "Woman" in page and "Work with migrants" in page

    # A screening-out without a reason is refused, nothing changes, 422.
    response = client.post(url("application", application.pk), {"state": "screened_out"})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED

    response = client.post(
        url("application", application.pk),
        {"state": "screened_out", "reason": "No activity related to migration."},
        follow=True,
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.state == ApplicationState.SCREENED_OUT
    assert application.reason == "No activity related to migration."
    assert AuditEvent.objects.filter(action="application.screened").count() == 1

    listing = client.get(url("applications"), {"state": "screened_out", "q": "applic"})
    assert "Applicant" in listing.content.decode()
    listing = client.get(url("applications"), {"state": "screened_in"})
    assert "Applicant" not in listing.content.decode()


# --- Composing ---------------------------------------------------------------------------


def test_composing_shows_the_live_balance(gcm):
    office = person("office", "pga_office")
    client = signed_in(office)
    response = client.post(url("list-create"), {"purpose": "preparatory", "title": "Prep 2017"})
    lst = StakeholderList.objects.get(title="Prep 2017")
    assert response.status_code == 302 and response["Location"] == url("list", lst.pk)

    woman, man = ("W", Gender.WOMAN), ("M", Gender.MAN)
    candidates = [
        screened_in(gcm, office, "Kenyan org", "KEN", [woman, man]),
        screened_in(gcm, office, "Nigerian org", "NGA", [woman]),
        screened_in(gcm, office, "German org", "DEU", [woman]),
    ]
    page = client.get(url("list", lst.pk)).content.decode()
    assert "Kenyan org" in page  # offered in the select
    for application in candidates:
        response = client.post(url("list", lst.pk), {"application": application.pk})
        assert response.status_code == 302

    page = client.get(url("list", lst.pk)).content.decode()
    region = page.split('id="balance-region"')[1].split("</table>")[0]
    assert "African States</th><td>2</td><td>66.7%" in region
    assert "Western European and other States</th><td>1</td><td>33.3%" in region
    gender = page.split('id="balance-gender"')[1].split("</table>")[0]
    assert "Woman</th><td>3</td><td>75%" in gender
    assert "Man</th><td>1</td><td>25%" in gender
    # In French: a decimal comma and a narrow no-break space before the sign.
    from django.utils import translation

    with translation.override("fr"):
        french = client.get(url("list", lst.pk)).content.decode()
    region = french.split('id="balance-region"')[1].split("</table>")[0]
    assert "<td>2</td><td>66,7\u202f%</td>" in region

    # An application already on the list is refused with a message; nothing is added.
    response = client.post(url("list", lst.pk), {"application": candidates[0].pk})
    assert response.status_code == 422
    assert lst.entries.count() == 3
    # The search narrows the offered candidates.
    screened_in(gcm, office, "Zeta collective", "MEX")
    screened_in(gcm, office, "Omega network", "MEX")
    page = client.get(url("list", lst.pk), {"q": "zeta"}).content.decode()
    assert "Zeta collective" in page and "Omega network" not in page


@pytest.mark.parametrize(
    ("zone", "typed", "stored"),
    [
        # Zurich in summer is UTC+2, New York in winter UTC−5.
        (
            "Europe/Zurich",
            "2040-07-01T18:00",
            datetime.datetime(2040, 7, 1, 16, 0, tzinfo=datetime.UTC),
        ),
        (
            "America/New_York",
            "2040-01-15T23:59",
            datetime.datetime(2040, 1, 16, 4, 59, tzinfo=datetime.UTC),
        ),
        ("UTC", "2040-01-15T23:59", datetime.datetime(2040, 1, 15, 23, 59, tzinfo=datetime.UTC)),
    ],
)
def test_a_review_deadline_typed_in_a_named_zone_is_stored_as_that_instant(
    gcm, zone, typed, stored
):
    """The list-submission form offers the zones of the window form (New York first
    chosen), and the deadline typed there is the instant its clock names."""
    office = person("office", "pga_office")
    lst = draft_with(gcm, office, [("Org A", "KEN", [("P", "woman")])])
    client = signed_in(office)
    page = client.get(url("list-submit", lst.pk)).content.decode()
    assert '<option value="America/New_York" selected>' in page
    assert '<option value="Europe/Zurich"' in page or zone != "Europe/Zurich"
    response = client.post(url("list-submit", lst.pk), {"zone": zone, "deadline": typed})
    assert response.status_code == 200
    assert f'<input type="hidden" name="zone" value="{zone}">' in response.content.decode()
    response = client.post(
        url("list-submit", lst.pk), {"zone": zone, "deadline": typed, "confirm": "yes"}
    )
    assert response.status_code == 302
    lst.refresh_from_db()
    assert lst.review_deadline == stored


def test_an_extended_deadline_typed_in_a_named_zone_is_stored_as_that_instant(gcm):
    office = person("office", "pga_office")
    lst = draft_with(gcm, office, [("Org A", "KEN", [("P", "woman")])])
    client = signed_in(office)
    client.post(
        url("list-submit", lst.pk),
        {"zone": "UTC", "deadline": "2040-01-15T23:59", "confirm": "yes"},
    )
    form = client.get(url("list-extend", lst.pk)).content.decode()
    assert 'name="zone"' in form and "15 January 2040, 23:59:00 UTC" in form
    response = client.post(
        url("list-extend", lst.pk),
        {
            "zone": "Europe/Zurich",
            "deadline": "2040-01-20T18:00",
            "reason": "More time",
            "confirm": "yes",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    lst.refresh_from_db()
    assert lst.review_deadline == datetime.datetime(2040, 1, 20, 17, 0, tzinfo=datetime.UTC)


def test_submitting_confirms_then_freezes_the_entries(gcm):
    office = person("office", "pga_office")
    lst = draft_with(gcm, office, [("Org A", "KEN", [("P", "woman")])])
    client = signed_in(office)
    page = client.get(url("list-submit", lst.pk)).content.decode()
    assert "UTC" in page and 'type="datetime-local"' in page

    # A past deadline is refused.
    response = client.post(
        url("list-submit", lst.pk), {"zone": "UTC", "deadline": "2017-04-01T12:00"}
    )
    assert response.status_code == 422
    assert "must be in the future" in response.content.decode()

    # The first POST only asks for confirmation.
    deadline = (timezone.now() + datetime.timedelta(days=10)).replace(second=0, microsecond=0)
    typed = deadline.strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("list-submit", lst.pk), {"zone": "UTC", "deadline": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "From now on the entries are frozen and every Member State delegate is notified" in html
    lst.refresh_from_db()
    assert lst.status == ListStatus.DRAFT

    response = client.post(
        url("list-submit", lst.pk), {"zone": "UTC", "deadline": typed, "confirm": "yes"}
    )
    assert response.status_code == 302
    lst.refresh_from_db()
    assert lst.status == ListStatus.UNDER_REVIEW
    assert lst.review_deadline == deadline  # read as UTC

    # Frozen: adding is refused with the message, and nothing is added.
    late = screened_in(gcm, office, "Late org")
    response = client.post(url("list", lst.pk), {"application": late.pk})
    assert response.status_code == 422
    assert "entries are frozen" in response.content.decode()
    assert lst.entries.count() == 1


# --- Closing -----------------------------------------------------------------------------


def test_close_is_refused_before_the_deadline_and_happens_once_after(gcm):
    office = person("office", "pga_office")
    deadline = timezone.now() + datetime.timedelta(days=2)
    lst = submitted(gcm, office, n=2, deadline=deadline)
    objected = lst.entries.order_by("id").first()
    mexico = delegate("mx", "MEX")
    services.lodge_objection(entry=objected, member_state=state("MEX"), user=mexico, basis="B")
    client = signed_in(office)

    response = client.post(url("close", lst.pk))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'role="alert"' in html and "it cannot be closed before" in html
    lst.refresh_from_db()
    assert lst.status == ListStatus.UNDER_REVIEW

    with time_machine.travel(deadline + datetime.timedelta(minutes=1)):
        response = client.post(url("close", lst.pk), follow=True)
        assert response.status_code == 200
        assert "The review is closed" in response.content.decode()
        response = client.post(url("close", lst.pk), follow=True)
        assert response.status_code == 200
        assert "already closed" in response.content.decode()
    assert AuditEvent.objects.filter(action="review.closed", list_id=lst.pk).count() == 1
    objected.refresh_from_db()
    assert objected.outcome == EntryOutcome.NOT_APPROVED

    # The closed list shows each entry's outcome and the objections the Office received.
    page = client.get(url("list", lst.pk)).content.decode()
    assert "Not approved" in page and "Approved" in page
    assert "Mexico" in page


# --- Sharing (footnote 5) -----------------------------------------------------------------


def test_sharing_shows_only_the_identities_allowed(gcm):
    office = person("office", "pga_office")
    lst = submitted(gcm, office, n=1)
    entry = lst.entries.get()
    services.lodge_objection(
        entry=entry,
        member_state=state("MEX"),
        user=delegate("mx", "MEX"),
        basis="Basis from an open State",
        disclose_identity=True,
    )
    services.lodge_objection(
        entry=entry,
        member_state=state("DEU"),
        user=delegate("de", "DEU"),
        basis="Basis from a discreet State",
        disclose_identity=False,
    )
    request = services.request_information(
        entry=entry, member_state=state("KEN"), user=delegate("ke", "KEN")
    )
    client = signed_in(office)
    assert "1 request" in client.get(url("home")).content.decode()
    page = client.get(url("share", request.pk)).content.decode()
    shared = page.split('id="shared-items"')[1].split("</table>")[0]
    assert "Basis from an open State" in shared and "Basis from a discreet State" in shared
    assert "Mexico" in shared
    assert "Germany" not in shared

    response = client.post(url("share", request.pk))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.shared_at is not None
    assert {item["state"] for item in request.shared} == {"Mexico", None}
    # A second share is refused.
    response = client.post(url("share", request.pk))
    assert response.status_code == 422
    assert "already answered" in response.content.decode()
    assert AuditEvent.objects.filter(action="information.shared").count() == 1


# --- Audit ---------------------------------------------------------------------------------


def test_the_audit_page_lists_events_newest_first_and_offers_no_change(gcm):
    office = person("office", "pga_office")
    lst = submitted(gcm, office, n=1)
    other = draft_with(gcm, office, [("Other org", "DEU", [])])
    client = signed_in(office)
    html = client.get(url("audit"), {"stakeholder_list": lst.pk}).content.decode()
    assert (
        html.index("The Office submitted")
        < html.index("The Office added")
        < html.index("The Office created")
    )
    assert "Other org" not in html  # another list's events are filtered out
    assert other.pk != lst.pk
    table = html.split('id="audit-events"')[1].split("</table>")[0]
    assert "<form" not in table and "<button" not in table
    # No way to change events: POST is not a method of the page.
    assert client.post(url("audit"), {}).status_code == 405
    entry = lst.entries.get()
    html = client.get(url("audit"), {"stakeholder_list": lst.pk, "entry": entry.pk}).content
    table = html.decode().split('id="audit-events"')[1].split("</table>")[0]
    assert "The Office added" in table and "The Office created" not in table


# --- Query counts ----------------------------------------------------------------------------


def _count(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, params or {}).status_code == 200
    return len(queries)


def test_the_composition_page_runs_constant_queries(gcm, django_assert_num_queries):
    office = person("office", "pga_office")
    client = signed_in(office)
    lst = services.create_list(process=gcm, purpose="preparatory", title="Big", actor=office)
    bulk_entries(gcm, lst, 20)
    small = _count(client, url("list", lst.pk))
    bulk_entries(gcm, lst, 180, start=20)
    page = client.get(url("list", lst.pk)).content.decode()
    assert "200 entries" in page
    with django_assert_num_queries(small):
        client.get(url("list", lst.pk))
    print(f"composition page: {small} queries at 20 and at 200 entries")


def test_the_closed_list_page_runs_constant_queries(gcm, django_assert_num_queries):
    office = person("office", "pga_office")
    lst = submitted(gcm, office, n=1)
    bulk_entries(gcm, lst, 19, start=100)
    StakeholderList.objects.filter(pk=lst.pk).update(status=ListStatus.CLOSED)
    client = signed_in(office)
    small = _count(client, url("list", lst.pk))
    bulk_entries(gcm, lst, 180, start=200)
    with django_assert_num_queries(small):
        client.get(url("list", lst.pk))


def test_the_audit_page_runs_constant_queries(gcm, django_assert_num_queries):
    office = person("office", "pga_office")
    client = signed_in(office)
    lst = services.create_list(process=gcm, purpose="preparatory", title="Audited", actor=office)

    def events(n):
        AuditEvent.objects.bulk_create(
            AuditEvent(actor=office, actor_label="office", action="x.y", list_id=lst.pk, data={})
            for _ in range(n)
        )

    events(19)
    small = _count(client, url("audit"), {"stakeholder_list": lst.pk})
    events(180)
    with django_assert_num_queries(small):
        client.get(url("audit"), {"stakeholder_list": lst.pk})
    print(f"audit page: {small} queries at 20 and at 200 events")
