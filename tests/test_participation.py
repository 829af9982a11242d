"""Representatives at meetings (issue 4) and the application windows: who may nominate for
which meeting, the registration deadline, nominating, withdrawing, confirming and
declining through the pages, who sees the representatives' personal data, the
participant list as CSV, editing the windows, query counts that do not grow with the
nominations, and the organization's page on a 390 px phone."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compact_process.accounts.permissions import grant_delegate
from compact_process.audit.models import AuditEvent
from phases.models import Meeting, MeetingDay, MemberState, Venue
from stakeholders import services
from stakeholders import services_participation as participation
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, ListPurpose, ListStatus
from stakeholders.models import Application, ListEntry, StakeholderList
from stakeholders.models_participation import Nomination, NominationState, RegistrationDeadline
from stakeholders.models_registry import (
    ApplicationWindow,
    DirectRegistration,
    RegistrationState,
)
from stakeholders.selectors import participation as selectors
from tests.people import person

User = get_user_model()
UTC = datetime.UTC
NS = "stakeholders-participation"
SNS = "secretariat-participation"
ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")
# Thematic session 1: Geneva, 8–9 May 2017. The default deadline: 24 April, 23:59:59 in
# Geneva (summer time, UTC+2).
THEMATIC_1_DEADLINE = datetime.datetime(2017, 4, 24, 23, 59, 59, tzinfo=ZURICH)
BEFORE_THEMATIC_1 = datetime.datetime(2017, 4, 10, 12, 0, tzinfo=UTC)


# --- Helpers ------------------------------------------------------------------------------


def member_of(username: str, name: str, iso3: str = "KEN", kind: str = "ngo"):
    user = person(username, "stakeholder")
    organization = services.create_organization(
        actor=user,
        name=name,
        kind=kind,
        country=MemberState.objects.get(iso3=iso3),
        email="contact@example.org",
    )
    return user, organization


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def meeting(process, key: str) -> Meeting:
    return Meeting.objects.get(process=process, key=key)


def _application(process, organization, purpose: str = ListPurpose.PREPARATORY) -> Application:
    """The organization's application for the purpose (a list holds applications of its
    own purpose only)."""
    application, _ = Application.objects.get_or_create(
        process=process,
        organization=organization,
        purpose=purpose,
        defaults={
            "channel": Channel.SPECIAL,
            "activities": "Support to migrants",
            "state": ApplicationState.SCREENED_IN,
        },
    )
    return application


def on_list(
    process,
    purpose: str,
    *organizations,
    status: str = ListStatus.CLOSED,
    outcome: str = EntryOutcome.APPROVED,
) -> StakeholderList:
    """A list of the purpose holding the organizations with the outcome given (a closed
    list with approved entries is a final list)."""
    now = timezone.now()
    lst = StakeholderList.objects.create(
        process=process,
        purpose=purpose,
        title=f"{purpose} list {StakeholderList.objects.count() + 1}",
        status=status,
        review_deadline=now,
        submitted_at=now,
        closed_at=now if status == ListStatus.CLOSED else None,
    )
    for organization in organizations:
        ListEntry.objects.create(
            stakeholder_list=lst,
            application=_application(process, organization, purpose),
            outcome=outcome,
        )
    return lst


def registered(process, organization, user, state: str = RegistrationState.CONFIRMED):
    return DirectRegistration.objects.create(
        process=process,
        organization=organization,
        channel=Channel.ECOSOC,
        matched_name=organization.name,
        ratio=1.0,
        requested_by=user,
        state=state,
    )


def nomination_data(name: str = "Amina Diallo", email: str = "amina@example.org", **extra):
    return {"name": name, "gender": "woman", "email": email, "function": "", **extra}


@pytest.fixture
def world(gcm):
    """Two organizations approved for the preparatory process (Migrant Aid, Kenya, with
    a nomination for thematic session 1; Diaspora Link, Mexico), the secretariat, the
    Office, a co-facilitator, a delegate, and a stakeholder without an organization."""
    aid_user, aid = member_of("aid", "Migrant Aid")
    other_user, other = member_of("link", "Diaspora Link", "MEX", "diaspora")
    on_list(gcm, ListPurpose.PREPARATORY, aid, other)
    session = meeting(gcm, "thematic-1")
    with time_machine.travel(BEFORE_THEMATIC_1, tick=False):
        nomination = participation.nominate(
            organization=aid,
            meeting=session,
            actor=aid_user,
            **nomination_data("Zainab Secretname", "zainab@example.org"),
        )
    delegate = person("delegate-ke", "delegate")
    grant_delegate(delegate, MemberState.objects.get(iso3="KEN"))
    return {
        "gcm": gcm,
        "meeting": session,
        "aid": aid,
        "aid_user": aid_user,
        "other": other,
        "other_user": other_user,
        "nomination": nomination,
        "secretariat": person("sec", "secretariat"),
        "office": person("office", "pga_office"),
        "cofac": person("cofac", "co_facilitator"),
        "delegate": delegate,
        "loner": person("loner", "stakeholder"),
    }


# --- Who may nominate for which meeting ------------------------------------------------


def test_only_organizations_on_a_final_list_or_registered_directly_may_nominate(gcm):
    _user, organization = member_of("aid", "Migrant Aid")
    session, conference = meeting(gcm, "thematic-1"), meeting(gcm, "conference")

    def may() -> tuple[bool, bool]:
        return (
            selectors.may_nominate(organization, session),
            selectors.may_nominate(organization, conference),
        )

    assert may() == (False, False)
    # A list still under review, or an entry not approved, gives no right.
    on_list(gcm, ListPurpose.PREPARATORY, organization, status=ListStatus.UNDER_REVIEW)
    on_list(gcm, ListPurpose.CONFERENCE, organization, outcome=EntryOutcome.NOT_APPROVED)
    assert may() == (False, False)
    # Approved on the final preparatory list: the preparatory meetings, not the conference.
    on_list(gcm, ListPurpose.PREPARATORY, organization)
    assert may() == (True, False)
    assert selectors.may_nominate(organization, meeting(gcm, "round-1"))
    assert selectors.may_nominate(organization, meeting(gcm, "hearing-1"))


def test_the_conference_list_covers_only_the_conference(gcm):
    _user, organization = member_of("aid", "Migrant Aid")
    on_list(gcm, ListPurpose.CONFERENCE, organization)
    assert selectors.may_nominate(organization, meeting(gcm, "conference"))
    assert not selectors.may_nominate(organization, meeting(gcm, "thematic-1"))


def test_a_confirmed_direct_registration_covers_every_meeting(gcm):
    user, organization = member_of("aid", "Migrant Aid")
    pending = registered(gcm, organization, user, RegistrationState.PENDING)
    assert not selectors.may_nominate(organization, meeting(gcm, "conference"))
    pending.state = RegistrationState.CONFIRMED
    pending.save()
    assert selectors.may_nominate(organization, meeting(gcm, "conference"))
    assert selectors.may_nominate(organization, meeting(gcm, "thematic-1"))


def test_nominating_without_the_right_is_refused(gcm):
    user, organization = member_of("aid", "Migrant Aid")
    on_list(gcm, ListPurpose.PREPARATORY, organization)
    with (
        time_machine.travel(datetime.datetime(2018, 11, 1, tzinfo=UTC), tick=False),
        pytest.raises(services.ReviewError, match="conference"),
    ):
        participation.nominate(
            organization=organization,
            meeting=meeting(gcm, "conference"),
            actor=user,
            **nomination_data(),
        )
    assert not Nomination.objects.exists()


def test_only_the_organizations_members_nominate_for_it(world):
    with (
        time_machine.travel(BEFORE_THEMATIC_1, tick=False),
        pytest.raises(PermissionDenied),
    ):
        participation.nominate(
            organization=world["aid"],
            meeting=world["meeting"],
            actor=world["other_user"],
            **nomination_data(),
        )


# --- The registration deadline ------------------------------------------------------------


def test_the_default_deadline_is_the_end_of_the_day_two_weeks_before_in_venue_time(gcm):
    deadline = selectors.deadline_of(meeting(gcm, "thematic-1"))
    assert deadline.is_default
    assert deadline.at == THEMATIC_1_DEADLINE
    assert deadline.at.astimezone(UTC) == datetime.datetime(2017, 4, 24, 21, 59, 59, tzinfo=UTC)
    # Marrakech, 10 December 2018: 26 November, end of the day in Morocco.
    conference = selectors.deadline_of(meeting(gcm, "conference"))
    assert conference.at.astimezone(zoneinfo.ZoneInfo("Africa/Casablanca")).replace(
        tzinfo=None
    ) == datetime.datetime(2018, 11, 26, 23, 59, 59)


def test_a_nomination_one_second_before_the_deadline_counts(world):
    client = signed_in(world["aid_user"])
    url = reverse(f"{NS}:meeting", args=[world["aid"].pk, world["meeting"].pk])
    with time_machine.travel(THEMATIC_1_DEADLINE - datetime.timedelta(seconds=1), tick=False):
        response = client.post(url, nomination_data())
    assert response.status_code == 302
    assert Nomination.objects.filter(email="amina@example.org").count() == 1


def test_a_nomination_at_the_deadline_is_refused_and_what_was_typed_is_kept(world):
    client = signed_in(world["aid_user"])
    url = reverse(f"{NS}:meeting", args=[world["aid"].pk, world["meeting"].pk])
    with time_machine.travel(THEMATIC_1_DEADLINE, tick=False):
        response = client.post(url, nomination_data(function="Director of programmes"))
    html = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in html
    assert "Nominations for Informal thematic session 1" in html
    # The venue's clock and UTC, as every instant is written (issue 17).
    assert (
        "closed on 24 April 2017, 23:59 UTC+2 (24 April 2017, 21:59 UTC); nothing was saved" in html
    )
    assert 'value="Amina Diallo"' in html and 'value="amina@example.org"' in html
    assert 'value="Director of programmes"' in html
    assert not Nomination.objects.filter(email="amina@example.org").exists()
    # After the deadline, the page says so and offers no form.
    with time_machine.travel(THEMATIC_1_DEADLINE + datetime.timedelta(days=1), tick=False):
        html = client.get(url).content.decode()
    assert "Nominations for this meeting are closed." in html
    assert '<form method="post" class="form nomination-form"' not in html


def test_the_secretariat_moves_the_deadline_in_venue_time(world):
    client = signed_in(world["secretariat"])
    session = world["meeting"]
    url = reverse(f"{SNS}:deadline", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"closes_at": "2017-05-01T18:00"})
    assert response.status_code == 302
    saved = RegistrationDeadline.objects.get(meeting=session)
    assert saved.closes_at == datetime.datetime(2017, 5, 1, 18, 0, tzinfo=ZURICH)
    assert AuditEvent.objects.filter(action="deadline.set", data__meeting_id=session.pk).exists()
    # The organization may now nominate later than the default would allow.
    with time_machine.travel(datetime.datetime(2017, 4, 30, 12, 0, tzinfo=UTC), tick=False):
        response = signed_in(world["aid_user"]).post(
            reverse(f"{NS}:meeting", args=[world["aid"].pk, session.pk]), nomination_data()
        )
    assert response.status_code == 302
    # Not after the meeting ends; the typed value is kept.
    response = client.post(url, {"closes_at": "2017-05-10T09:00"})
    assert response.status_code == 422
    assert "cannot be after the meeting ends" in response.content.decode()
    assert 'value="2017-05-10T09:00"' in response.content.decode()
    # Back to the default.
    assert client.post(url, {"use_default": "on", "closes_at": ""}).status_code == 302
    assert not RegistrationDeadline.objects.filter(meeting=session).exists()
    assert selectors.deadline_of(meeting(world["gcm"], "thematic-1")).at == THEMATIC_1_DEADLINE


def test_a_deadline_without_date_or_default_is_an_error_kept_on_the_form(world):
    client = signed_in(world["secretariat"])
    url = reverse(f"{SNS}:deadline", args=[world["meeting"].pk])
    response = client.post(url, {"closes_at": "not a date"})
    assert response.status_code == 422
    assert 'value="not a date"' in response.content.decode()
    assert not RegistrationDeadline.objects.exists()


# --- Nominating, withdrawing, confirming, declining -----------------------------------------


def test_nominate_then_withdraw_through_the_pages(world):
    client = signed_in(world["aid_user"])
    aid, session = world["aid"], world["meeting"]
    url = reverse(f"{NS}:meeting", args=[aid.pk, session.pk])
    with time_machine.travel(BEFORE_THEMATIC_1, tick=False):
        response = client.post(url, nomination_data(email="  Amina@Example.org "))
        assert response.status_code == 302
        nomination = Nomination.objects.get(name="Amina Diallo")
        assert nomination.email == "amina@example.org"
        assert nomination.state == NominationState.NOMINATED
        # The same person twice is an error on the e-mail field, with the rest kept.
        response = client.post(url, nomination_data(name="Amina D."))
        assert response.status_code == 422
        assert "already nominated for this meeting" in response.content.decode()
        assert 'value="Amina D."' in response.content.decode()
    page = client.get(url).content.decode()
    assert "Amina Diallo" in page and "Awaiting the secretariat" in page

    withdraw = reverse(f"{NS}:withdraw", args=[aid.pk, nomination.pk])
    confirm_page = client.get(withdraw)
    assert confirm_page.status_code == 200
    assert "cannot be restored" in confirm_page.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED  # nothing happens on GET
    assert client.post(withdraw).status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN
    assert nomination.withdrawn_by == world["aid_user"]
    events = list(
        AuditEvent.objects.filter(data__nomination_id=nomination.pk).values_list(
            "action", flat=True
        )
    )
    assert events == ["nomination.made", "nomination.withdrawn"]
    # Withdrawn once only.
    assert client.post(withdraw).status_code == 422


def test_the_audit_trail_names_no_person(world):
    for event in AuditEvent.objects.filter(action__startswith="nomination."):
        assert "Zainab" not in str(event.data) and "zainab@" not in str(event.data)


def test_the_secretariat_confirms_after_a_confirmation_page(world):
    client = signed_in(world["secretariat"])
    nomination = world["nomination"]
    url = reverse(f"{SNS}:confirm", args=[nomination.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm <bdi>Zainab Secretname</bdi>?" in page.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == NominationState.CONFIRMED
    assert nomination.decided_by == world["secretariat"]
    event = AuditEvent.objects.get(action="nomination.decided")
    assert event.data["state"] == "confirmed" and event.actor == world["secretariat"]
    # Decided once: a second decision is refused and changes nothing.
    response = client.post(reverse(f"{SNS}:decline", args=[nomination.pk]), {"reason": "x"})
    assert response.status_code == 422
    assert "already decided" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.state == NominationState.CONFIRMED
    # A confirmed nomination can no longer be withdrawn by the organization.
    withdraw = reverse(f"{NS}:withdraw", args=[world["aid"].pk, nomination.pk])
    assert signed_in(world["aid_user"]).post(withdraw).status_code == 422


def test_the_secretariat_declines_with_a_reason_the_organization_reads(world):
    client = signed_in(world["secretariat"])
    nomination = world["nomination"]
    response = client.post(
        reverse(f"{SNS}:decline", args=[nomination.pk]),
        {"reason": "The seat allocation for this session is full."},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.state == NominationState.DECLINED
    page = signed_in(world["aid_user"]).get(
        reverse(f"{NS}:meeting", args=[world["aid"].pk, world["meeting"].pk])
    )
    assert "The seat allocation for this session is full." in page.content.decode()
    # The organization is told by e-mail and in the application, with the reason.
    from django.core import mail

    from compact_process.notifications.services import send_due

    mail.outbox.clear()
    send_due()
    (message,) = [m for m in mail.outbox if "declined" in m.subject]
    assert message.to == [world["aid_user"].email]
    meeting = world["meeting"].title
    assert message.subject == f"\u2068Zainab Secretname\u2069 is declined for {meeting}"
    assert "The seat allocation for this session is full." in message.body


def test_the_office_reads_but_cannot_decide(world):
    client = signed_in(world["office"])
    nomination = world["nomination"]
    page = client.get(reverse(f"{SNS}:meeting", args=[world["meeting"].pk]))
    assert page.status_code == 200
    assert "Zainab Secretname" in page.content.decode()
    assert "Read only" in page.content.decode()
    assert client.get(reverse(f"{SNS}:confirm", args=[nomination.pk])).status_code == 403
    assert client.post(reverse(f"{SNS}:confirm", args=[nomination.pk])).status_code == 403
    nomination.refresh_from_db()
    assert nomination.state == NominationState.NOMINATED


# --- Who sees the representatives ----------------------------------------------------------


def _people_urls(world) -> dict[str, str]:
    aid, nomination, session = world["aid"], world["nomination"], world["meeting"]
    return {
        "organization-meetings": reverse(f"{NS}:meetings", args=[aid.pk]),
        "organization-meeting": reverse(f"{NS}:meeting", args=[aid.pk, session.pk]),
        "organization-withdraw": reverse(f"{NS}:withdraw", args=[aid.pk, nomination.pk]),
        "secretariat-meeting": reverse(f"{SNS}:meeting", args=[session.pk]),
        "secretariat-confirm": reverse(f"{SNS}:confirm", args=[nomination.pk]),
        "secretariat-decline": reverse(f"{SNS}:decline", args=[nomination.pk]),
        "participants-csv": reverse(f"{SNS}:participants-csv", args=[session.pk]),
    }


@pytest.mark.parametrize("who", ["delegate", "other_user", "loner", "cofac"])
def test_nobody_else_reaches_a_representative(world, who):
    client = signed_in(world[who])
    for name, url in _people_urls(world).items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # 405: a read-only page refuses any POST before asking who it is.
            refused = (403, 404, 405) if method == "post" else (403, 404)
            assert response.status_code in refused, (who, name, method, response.status_code)
            assert b"Zainab" not in response.content and b"zainab@" not in response.content
    world["nomination"].refresh_from_db()
    assert world["nomination"].state == NominationState.NOMINATED


def test_anonymous_visitors_are_sent_to_sign_in(world):
    client = Client()
    for name, url in _people_urls(world).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login")), name
        assert b"Zainab" not in response.content


def test_another_organizations_member_gets_404_on_its_own_urls_too(world):
    """The other organization's member asks for the first organization's nomination
    under its own organization's address: still not found."""
    client = signed_in(world["other_user"])
    url = reverse(f"{NS}:withdraw", args=[world["other"].pk, world["nomination"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_the_secretariat_and_the_office_read_the_participant_list(world):
    for who in ("secretariat", "office"):
        client = signed_in(world[who])
        response = client.get(reverse(f"{SNS}:meeting", args=[world["meeting"].pk]))
        assert response.status_code == 200
        assert "zainab@example.org" in response.content.decode()
        csv_response = client.get(reverse(f"{SNS}:participants-csv", args=[world["meeting"].pk]))
        assert csv_response.status_code == 200
        assert "Zainab Secretname" in csv_response.content.decode("utf-8-sig")
        assert "no-store" in csv_response["Cache-Control"]


def test_co_facilitators_see_counts_only(world):
    client = signed_in(world["cofac"])
    response = client.get(reverse(f"{SNS}:meetings"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Informal thematic session 1" in html and "Zainab" not in html
    assert reverse(f"{SNS}:meeting", args=[world["meeting"].pk]) not in html


def test_member_states_see_organizations_never_persons(world):
    services_nomination = world["nomination"]
    participation.decide_nomination(
        nomination=services_nomination, confirm=True, actor=world["secretariat"]
    )
    url = reverse(f"{NS}:organizations", args=[world["meeting"].pk])
    response = signed_in(world["delegate"]).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Migrant Aid" in html and "Zainab" not in html and "zainab@" not in html
    assert signed_in(world["aid_user"]).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_public_pages_never_show_persons(world):
    participation.decide_nomination(
        nomination=world["nomination"], confirm=True, actor=world["secretariat"]
    )
    client = Client()
    for url in (
        reverse("phases:meeting", args=["thematic-1"]),
        reverse("phases:calendar"),
        reverse("phases:public-home"),
        reverse("stakeholders-public:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Zainab" not in response.content and b"zainab@" not in response.content


# --- The participant list as CSV ----------------------------------------------------------


def test_the_participant_list_csv(world):
    session = world["meeting"]
    with time_machine.travel(BEFORE_THEMATIC_1, tick=False):
        names = ('=HYPERLINK("http://x")', "+1 Plus", "-minus", "@at", "Marta Gómez")
        for i, name in enumerate(names):
            participation.nominate(
                organization=world["other"],
                meeting=session,
                actor=world["other_user"],
                **nomination_data(name, f"person{i}@example.org"),
            )
        gone = participation.nominate(
            organization=world["other"],
            meeting=session,
            actor=world["other_user"],
            **nomination_data("Gone Away", "gone@example.org"),
        )
    participation.withdraw_nomination(nomination=gone, actor=world["other_user"])
    participation.decide_nomination(
        nomination=world["nomination"], confirm=True, actor=world["secretariat"]
    )
    response = signed_in(world["secretariat"]).get(
        reverse(f"{SNS}:participants-csv", args=[session.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "participants-thematic-1.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM, for Excel
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["organization", "country", "region", "kind", "name", "gender", "status"]
    # By organization (Diaspora Link, then Migrant Aid); the database's collation orders
    # the names within one.
    assert [r[0] for r in rows[1:]] == ["Diaspora Link"] * 5 + ["Migrant Aid"]
    assert sorted(r[4] for r in rows[1:]) == [
        "'+1 Plus",
        "'-minus",
        '\'=HYPERLINK("http://x")',
        "'@at",
        "Marta Gómez",
        "Zainab Secretname",
    ]
    by_name = {r[4]: r for r in rows[1:]}
    assert by_name["Marta Gómez"] == [
        "Diaspora Link",
        "Mexico",
        "Latin American and Caribbean States",
        "Diaspora community",
        "Marta Gómez",
        "Woman",
        "Awaiting the secretariat's confirmation",
    ]
    assert by_name["Zainab Secretname"][:3] == ["Migrant Aid", "Kenya", "African States"]
    assert by_name["Zainab Secretname"][6] == "Confirmed"
    assert "Gone Away" not in by_name  # withdrawn: not a participant


def test_the_csv_guard_quotes_every_formula_start():
    from compact_process.web.spreadsheets import safe_cell

    for start in "=+-@\t\r":
        assert safe_cell(f"{start}cmd") == f"'{start}cmd"
    assert safe_cell("Plain") == "Plain"
    assert safe_cell("") == "" and safe_cell(None) == ""
    assert safe_cell(-3) == -3  # a number stays a number


# --- The secretariat's overview -------------------------------------------------------------


def test_the_overview_counts_nominations_by_state(world):
    participation.decide_nomination(
        nomination=world["nomination"], confirm=False, actor=world["secretariat"]
    )
    rows = {r.meeting.key: r for r in selectors.meetings_with_counts(world["gcm"])}
    assert rows["thematic-1"].counts == {
        "nominated": 0,
        "confirmed": 0,
        "declined": 1,
        "withdrawn": 0,
    }
    assert rows["conference"].counts["declined"] == 0
    response = signed_in(world["secretariat"]).get(reverse(f"{SNS}:meetings"))
    assert response.status_code == 200


def test_the_organizations_meetings_page_lists_what_it_may_nominate_for(world):
    html = signed_in(world["aid_user"]).get(reverse(f"{NS}:meetings", args=[world["aid"].pk]))
    html = html.content.decode()
    assert "Informal thematic session 1" in html
    assert "Intergovernmental Conference" not in html  # not on the conference list
    assert "1 nomination" in html
    loner_org = member_of("solo", "Solo Org")[1]
    html = signed_in(User.objects.get(username="solo")).get(
        reverse(f"{NS}:meetings", args=[loner_org.pk])
    )
    assert "cannot nominate representatives yet" in html.content.decode()


# --- Query counts --------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_per_meeting_page_runs_as_many_queries_for_5_as_for_50_nominations(gcm):
    session = meeting(gcm, "thematic-1")
    secretariat = person("sec", "secretariat")
    organizations = [
        member_of(f"m{i}", f"Organization {i}", ["KEN", "MEX", "JPN"][i % 3]) for i in range(5)
    ]
    on_list(gcm, ListPurpose.PREPARATORY, *(o for _u, o in organizations))

    def nominate(numbers: range) -> None:
        with time_machine.travel(BEFORE_THEMATIC_1, tick=False):
            for i in numbers:
                user, organization = organizations[i % 5]
                n = participation.nominate(
                    organization=organization,
                    meeting=session,
                    actor=user,
                    **nomination_data(f"Person {i}", f"p{i}@example.org"),
                )
                if i % 3 == 0:
                    participation.decide_nomination(
                        nomination=n, confirm=bool(i % 2), actor=secretariat
                    )

    client = signed_in(secretariat)
    page = reverse(f"{SNS}:meeting", args=[session.pk])
    csv_url = reverse(f"{SNS}:participants-csv", args=[session.pk])
    overview = reverse(f"{SNS}:meetings")
    client.get(page)  # warm the session
    nominate(range(5))
    counts = {"page": _queries(client, page), "csv": _queries(client, csv_url)}
    counts["overview"] = _queries(client, overview)
    assert client.get(page).content.decode().count('<tr id="nomination-') == 5
    nominate(range(5, 50))
    # Each bound counts the session's second factor (django-otp's device) once.
    assert _queries(client, page) == counts["page"] <= 11
    assert _queries(client, csv_url) == counts["csv"] <= 7
    assert _queries(client, overview) == counts["overview"] <= 9
    assert client.get(page).content.decode().count('<tr id="nomination-') == 50


# --- Application windows ----------------------------------------------------------------


def test_the_windows_page_shows_the_time_zone(gcm):
    services.ensure_default_window(gcm)
    response = signed_in(person("sec", "secretariat")).get(reverse(f"{SNS}:windows"))
    html = response.content.decode()
    assert response.status_code == 200
    # The zone as an offset, as every instant is written: New York in March is UTC−4.
    assert "(UTC\u22124;" in html
    assert "14 March 2017, 00:00" in html  # opens at the start of 14 March
    # Closes at midnight, the end of 17 April: written as that day (issue 17).
    assert "17 April 2017, 23:59" in html and "18 April 2017, 00:00" not in html
    assert "No window set" in html  # the conference


def test_editing_a_window_with_bad_input_keeps_what_was_typed(gcm):
    services.ensure_default_window(gcm)
    client = signed_in(person("sec", "secretariat"))
    url = reverse(f"{SNS}:window-edit", args=["preparatory"])
    page = client.get(url).content.decode()
    assert 'value="2017-03-14T00:00"' in page and 'value="2017-04-18T00:00"' in page
    response = client.post(
        url,
        {"zone": "Europe/Zurich", "opens_at": "2017-04-20T09:00", "closes_at": "2017-04-01T17:00"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "The window must close after it opens." in html
    assert 'value="2017-04-20T09:00"' in html and 'value="2017-04-01T17:00"' in html
    assert '<option value="Europe/Zurich" selected>' in html
    response = client.post(
        url, {"zone": "Europe/Zurich", "opens_at": "31/02/2017", "closes_at": "2017-04-01T17:00"}
    )
    assert response.status_code == 422 and 'value="31/02/2017"' in response.content.decode()
    window = ApplicationWindow.objects.get(process=gcm, purpose="preparatory")
    assert window.opens_at == datetime.datetime(2017, 3, 14, 4, 0, tzinfo=UTC)  # unchanged


def test_editing_and_creating_windows(gcm):
    services.ensure_default_window(gcm)
    secretariat = person("sec", "secretariat")
    client = signed_in(secretariat)
    response = client.post(
        reverse(f"{SNS}:window-edit", args=["preparatory"]),
        {"zone": "Europe/Zurich", "opens_at": "2017-03-15T09:00", "closes_at": "2017-04-17T18:00"},
    )
    assert response.status_code == 302
    window = ApplicationWindow.objects.get(process=gcm, purpose="preparatory")
    assert window.opens_at == datetime.datetime(2017, 3, 15, 9, 0, tzinfo=ZURICH)
    assert window.closes_at == datetime.datetime(2017, 4, 17, 18, 0, tzinfo=ZURICH)
    event = AuditEvent.objects.get(action="window.set")
    assert event.actor == secretariat and event.data["before"]["opens_at"].startswith("2017-03-14")
    response = client.post(
        reverse(f"{SNS}:window-edit", args=["conference"]),
        {
            "zone": "America/New_York",
            "opens_at": "2018-03-01T00:00",
            "closes_at": "2018-04-01T00:00",
        },
    )
    assert response.status_code == 302
    assert ApplicationWindow.objects.filter(process=gcm, purpose="conference").exists()
    assert client.get(reverse(f"{SNS}:window-edit", args=["other"])).status_code == 404


def test_only_the_secretariat_edits_windows(gcm):
    services.ensure_default_window(gcm)
    url = reverse(f"{SNS}:window-edit", args=["preparatory"])
    data = {"zone": "UTC", "opens_at": "2017-03-15T09:00", "closes_at": "2017-04-17T18:00"}
    for role in ("pga_office", "co_facilitator", "delegate", "stakeholder"):
        client = signed_in(person(f"u-{role}", role))
        assert client.post(url, data).status_code == 403
    assert (
        signed_in(User.objects.get(username="u-pga_office"))
        .get(reverse(f"{SNS}:windows"))
        .status_code
        == 200
    )
    window = ApplicationWindow.objects.get(process=gcm, purpose="preparatory")
    assert window.opens_at.astimezone(UTC).date() == datetime.date(2017, 3, 14)


def test_a_time_the_clocks_skip_is_refused(gcm):
    services.ensure_default_window(gcm)
    client = signed_in(person("sec", "secretariat"))
    # 26 March 2017, 02:30 does not exist in Geneva (summer time starts at 02:00).
    response = client.post(
        reverse(f"{SNS}:window-edit", args=["preparatory"]),
        {"zone": "Europe/Zurich", "opens_at": "2017-03-26T02:30", "closes_at": "2017-04-17T18:00"},
    )
    assert response.status_code == 422
    assert "does not exist" in response.content.decode()


# --- The page registry (tests/pages.py) and the phone ------------------------------------------


FUTURE_KEY = "registry-future-hearing"


def future_meeting(process) -> Meeting:
    """A meeting sixty days from now (whatever today is), so that nominations are open
    on pages fetched in real time."""
    found = Meeting.objects.filter(process=process, key=FUTURE_KEY).first()
    if found is not None:
        return found
    found = Meeting.objects.create(
        process=process,
        key=FUTURE_KEY,
        kind="informal_consultation",
        title="Informal consultation with stakeholders",
        venue=Venue.objects.get(slug="new-york"),
    )
    MeetingDay.objects.create(
        meeting=found, date=timezone.now().date() + datetime.timedelta(days=60)
    )
    return found


def registry_url(process, which: str) -> str:
    """URLs for the accessibility and HTML checks: the registry's stakeholder acts for an
    organization registered directly, with one nomination awaiting a decision for a
    meeting whose nominations are open; the registry's delegate acts for Kenya."""
    from tests.pages import _page_organization, user_with_role

    user, organization = _page_organization(process)
    if not DirectRegistration.objects.filter(
        organization=organization, state=RegistrationState.CONFIRMED
    ).exists():
        registered(process, organization, user)
    future = future_meeting(process)
    nomination = Nomination.objects.filter(organization=organization, meeting=future).first()
    if nomination is None:
        nomination = participation.nominate(
            organization=organization,
            meeting=future,
            actor=user,
            **nomination_data("Wanjiru Kamau", "wanjiru@example.org", function="Coordinator"),
        )
    services.ensure_default_window(process)
    grant_delegate(user_with_role("delegate"), MemberState.objects.get(iso3="KEN"))
    return {
        "meetings": reverse(f"{NS}:meetings", args=[organization.pk]),
        "meeting": reverse(f"{NS}:meeting", args=[organization.pk, future.pk]),
        "withdraw": reverse(f"{NS}:withdraw", args=[organization.pk, nomination.pk]),
        "organizations": reverse(f"{NS}:organizations", args=[future.pk]),
        "secretariat-meetings": reverse(f"{SNS}:meetings"),
        "secretariat-meeting": reverse(f"{SNS}:meeting", args=[future.pk]),
        "secretariat-confirm": reverse(f"{SNS}:confirm", args=[nomination.pk]),
        "secretariat-decline": reverse(f"{SNS}:decline", args=[nomination.pk]),
        "secretariat-deadline": reverse(f"{SNS}:deadline", args=[future.pk]),
        "secretariat-windows": reverse(f"{SNS}:windows"),
        "secretariat-window-edit": reverse(f"{SNS}:window-edit", args=["preparatory"]),
    }[which]


REGISTRY = {
    "meetings": "stakeholder",
    "meeting": "stakeholder",
    "withdraw": "stakeholder",
    "organizations": "delegate",
    "secretariat-meetings": "secretariat",
    "secretariat-meeting": "secretariat",
    "secretariat-confirm": "secretariat",
    "secretariat-decline": "secretariat",
    "secretariat-deadline": "secretariat",
    "secretariat-windows": "secretariat",
    "secretariat-window-edit": "secretariat",
}


@pytest.mark.parametrize("which", sorted(REGISTRY))
def test_the_registry_pages_answer(gcm, which):
    from tests.pages import client_for

    url = registry_url(gcm, which)
    response = client_for(REGISTRY[which]).get(url)
    assert response.status_code == 200
    if which == "meeting":
        assert 'class="form nomination-form"' in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_nomination_page_works_on_a_390_pixel_phone(live_server, gcm, browser):
    from django.conf import settings

    from tests.pages import client_for

    path = registry_url(gcm, "meeting")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    cookie = client_for("stakeholder").cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + path)
        overflow = "() => document.documentElement.scrollWidth - window.innerWidth"
        assert page.evaluate(overflow) <= 0, "the page scrolls sideways at 390 px"
        # An invalid submission: the summary takes the alert role, the typed name stays.
        page.get_by_label("Full name").fill("Achieng Otieno")
        with page.expect_navigation():
            page.get_by_role("button", name="Nominate").click()
        assert "E-mail address" in page.get_by_role("alert").inner_text()
        assert page.get_by_label("Full name").input_value() == "Achieng Otieno"
        assert page.evaluate(overflow) <= 0
        # Completed from the keyboard alone.
        page.get_by_label("Gender").focus()
        page.keyboard.press("ArrowDown")
        page.get_by_label("E-mail address").focus()
        page.keyboard.type("achieng@example.org")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("alert").count() == 0, page.get_by_role("alert").inner_text()
        assert page.locator(".nomination h3", has_text="Achieng Otieno").count() == 1
        assert page.evaluate(overflow) <= 0
        from tests.test_secretariat_browser import serious_accessibility_violations

        assert serious_accessibility_violations(page) == []
    finally:
        context.close()
    assert Nomination.objects.filter(
        email="achieng@example.org", organization__name="Организация мигрантов"
    ).exists()
