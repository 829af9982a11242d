"""One deadline mechanism (issue 5): every dated obligation mirrored as a deadline, its
reminders written once per (deadline, recipient, step) when due, re-planned when the
date moves, stopped when met, and a person's reminders of one sweep sent as a digest."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections

from compact_process.accounts.permissions import grant_delegate
from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Deadline, DeadlineKind, ReminderSchedule
from compact_process.notifications import services as notifications
from compact_process.notifications.models import Notification
from phases.enums import DeliverableStatus
from phases.models import Deliverable, MemberState
from stakeholders import services
from stakeholders.models import Organization
from stakeholders.models_registry import ApplicationWindow, OrganizationMember
from tests.people import person

User = get_user_model()
UTC = datetime.UTC
DUE = datetime.datetime(2030, 6, 30, 12, 0, tzinfo=UTC)


def a_deadline(key: str = "test:1", *, due_at=DUE, audience=None, kind=DeadlineKind.DELIVERABLE):
    return deadlines.upsert(
        key=key,
        kind=kind,
        title="Zero draft of the global compact",
        due_at=due_at,
        audience=audience if audience is not None else [deadlines.role("secretariat")],
        route="secretariat:deliverables",
    )


def reminder_keys(user) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=user, kind="reminder").values_list("key", flat=True)
    )


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def test_the_seeded_deliverables_are_deadlines_for_whoever_is_responsible(gcm):
    deliverables = Deliverable.objects.filter(process=gcm)
    mirrored = Deadline.objects.filter(kind=DeadlineKind.DELIVERABLE)
    assert mirrored.count() == deliverables.count() > 0
    delivered = deliverables.filter(status=DeliverableStatus.DELIVERED).count()
    assert mirrored.filter(met_at__isnull=False).count() == delivered


def test_one_reminder_per_step_and_recipient_however_often_the_scan_runs(db):
    staff, other_staff = person("s1", "secretariat"), person("s2", "secretariat")
    outsider = person("ngo", "stakeholder")
    a_deadline()
    assert deadlines.scan(now=DUE - days(20)) == 0  # nothing due yet
    assert deadlines.scan(now=DUE - days(14)) == 2
    assert deadlines.scan(now=DUE - days(13)) == 0  # the same step again: nothing
    assert deadlines.scan(now=DUE - days(3)) == 2
    assert deadlines.scan(now=DUE - days(1)) == 2
    assert deadlines.scan(now=DUE + days(1)) == 2  # once when overdue
    assert deadlines.scan(now=DUE + days(2)) == 0
    steps = [key.rsplit(":", 1)[1] for key in reminder_keys(staff)]
    assert steps == ["before-1440", "before-20160", "before-4320", "overdue"]
    assert len(reminder_keys(other_staff)) == 4 and reminder_keys(outsider) == []


def test_missed_steps_are_not_sent_late_only_the_latest(db):
    staff = person("s1", "secretariat")
    a_deadline()
    deadlines.scan(now=DUE - days(2))  # the first scan comes 2 days before: the 3-day step
    assert [k.rsplit(":", 1)[1] for k in reminder_keys(staff)] == ["before-4320"]


def test_a_met_deadline_stops_its_reminders(db):
    staff = person("s1", "secretariat")
    deadline = a_deadline()
    deadlines.scan(now=DUE - days(14))
    Deadline.objects.filter(pk=deadline.pk).update(met_at=DUE - days(5))
    assert deadlines.scan(now=DUE - days(3)) == 0
    assert deadlines.scan(now=DUE + days(1)) == 0
    assert len(reminder_keys(staff)) == 1


def test_a_new_date_re_plans_the_reminders(db):
    staff = person("s1", "secretariat")
    a_deadline()
    deadlines.scan(now=DUE - days(3))
    later = DUE + days(30)
    a_deadline(due_at=later)  # the date moves a month later
    assert deadlines.scan(now=DUE - days(1)) == 0  # the old 1-day step is not sent
    assert deadlines.scan(now=later - days(1)) == 1
    assert len(reminder_keys(staff)) == 2


def test_the_secretariat_s_schedule_is_used(db):
    staff = person("s1", "secretariat")
    ReminderSchedule.objects.create(
        kind=DeadlineKind.DELIVERABLE, minutes_before=[2], when_overdue=False
    )
    a_deadline()
    assert deadlines.scan(now=DUE - days(14)) == 0
    assert deadlines.scan(now=DUE - datetime.timedelta(minutes=2)) == 1
    assert deadlines.scan(now=DUE + days(1)) == 0
    assert [k.rsplit(":", 1)[1] for k in reminder_keys(staff)] == ["before-2"]


def test_a_list_under_review_reminds_every_delegate_and_stops_when_closed(gcm):
    mexico = User.objects.create_user("mx", email="mx@example.org", password="x-long-password-1")
    grant_delegate(mexico, MemberState.objects.get(iso3="MEX"))
    office = person("office", "pga_office")
    org = Organization.objects.create(
        name="Org", kind="ngo", country=MemberState.objects.get(iso3="KEN"), email="o@example.org"
    )
    application = services.submit_application(
        process=gcm, organization=org, channel="special", activities="x"
    )
    services.screen_application(application=application, state="screened_in", actor=office)
    lst = services.create_list(process=gcm, purpose="preparatory", title="List", actor=office)
    assert not Deadline.objects.filter(kind=DeadlineKind.LIST_REVIEW).exists()  # a draft
    services.add_entry(stakeholder_list=lst, application=application, actor=office)
    deadline_at = datetime.datetime.now(UTC) + days(2)
    services.submit_list(stakeholder_list=lst, deadline=deadline_at, actor=office)
    review = Deadline.objects.get(kind=DeadlineKind.LIST_REVIEW)
    assert review.due_at == deadline_at and review.met_at is None
    assert deadlines.scan(now=deadline_at - days(1)) == 1
    assert reminder_keys(mexico)[0].endswith("before-1440")
    assert deadlines.for_user(mexico).filter(pk=review.pk).exists()
    services.close_review(list_id=lst.pk, now=deadline_at + days(1))
    review.refresh_from_db()
    assert review.met_at is not None


def test_an_application_window_reminds_only_organizations_that_have_not_applied(gcm):
    waiting, applied = person("waiting"), person("applied")
    for member, name in [(waiting, "Waiting"), (applied, "Applied")]:
        org = Organization.objects.create(
            name=name,
            kind="ngo",
            country=MemberState.objects.get(iso3="KEN"),
            email="o@example.org",
        )
        OrganizationMember.objects.create(user=member, organization=org)
    services.submit_application(
        process=gcm,
        organization=Organization.objects.get(name="Applied"),
        channel="special",
        activities="x",
    )
    from stakeholders import services_participation

    window = ApplicationWindow.objects.get(process=gcm)
    services_participation.set_application_window(  # the service writes the deadline
        process=gcm,
        purpose=window.purpose,
        opens_at=window.opens_at,
        closes_at=DUE,
        actor=person("secretary", "secretariat"),
    )
    due = deadlines.for_user(waiting)
    assert [d.kind for d in due] == [DeadlineKind.APPLICATION_WINDOW]
    assert not deadlines.for_user(applied).exists()
    deadlines.scan(now=DUE - days(1))
    assert len(reminder_keys(waiting)) == 1 and reminder_keys(applied) == []


def test_several_reminders_the_same_sweep_go_out_as_one_digest_in_the_reader_s_language(db):
    staff = person("s1", "secretariat", language="fr")
    a_deadline("test:1")
    a_deadline("test:2", due_at=DUE + datetime.timedelta(hours=1))
    deadlines.scan(now=DUE - days(1))
    mail.outbox.clear()
    assert notifications.send_due(now=DUE - days(1)) == {"sent": 1}
    assert notifications.send_due(now=DUE - days(1)) == {}
    (digest,) = mail.outbox
    assert digest.to == [staff.email]
    assert digest.subject == "2 rappels"
    assert digest.body.count("Zero draft of the global compact") == 2
    assert Notification.objects.filter(email_status="sent").count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_scans_at_once_write_each_reminder_once():
    staff = [person(f"s{i}", "secretariat") for i in range(20)]
    a_deadline()
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(deadlines.scan(now=DUE - days(1)))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert connection.vendor == "postgresql"
    assert Notification.objects.filter(kind="reminder").count() == len(staff)
    for member in staff:
        assert len(reminder_keys(member)) == 1


def test_an_organization_approved_on_the_final_list_is_reminded_to_nominate_until_it_does(gcm):
    import time_machine

    from phases.models import Meeting
    from stakeholders import deadlines as stakeholder_deadlines
    from stakeholders import services_participation

    member, office = person("aid", "stakeholder"), person("office", "pga_office")
    org = Organization.objects.create(
        name="Migrant Aid",
        kind="ngo",
        country=MemberState.objects.get(iso3="KEN"),
        email="o@example.org",
    )
    OrganizationMember.objects.create(user=member, organization=org)
    application = services.submit_application(
        process=gcm, organization=org, channel="special", activities="x"
    )
    services.screen_application(application=application, state="screened_in", actor=office)
    lst = services.create_list(process=gcm, purpose="preparatory", title="List", actor=office)
    services.add_entry(stakeholder_list=lst, application=application, actor=office)
    closes = datetime.datetime.now(UTC) + days(1)
    services.submit_list(stakeholder_list=lst, deadline=closes, actor=office)
    services.close_review(list_id=lst.pk, now=closes + days(1))
    assert deadlines.run_pending() == 1  # the close's derived work (beat's sweep)

    thematic = Meeting.objects.get(process=gcm, key="thematic-1")
    april_2017 = datetime.datetime(2017, 4, 1, tzinfo=UTC)
    due = deadlines.for_user(member, now=april_2017).filter(kind=DeadlineKind.MEETING_REGISTRATION)
    titles = set(due.values_list("title", flat=True))
    assert thematic.title in titles
    # The preparatory list does not cover the conference (OP 6(b)–(c)).
    assert Meeting.objects.get(process=gcm, key="conference").title not in titles

    with time_machine.travel(april_2017, tick=False):
        services_participation.nominate(
            organization=org,
            meeting=thematic,
            name="Amina Diallo",
            gender="woman",
            email="amina@example.org",
            actor=member,
        )
    key = stakeholder_deadlines.registration_key(thematic.pk)
    assert not deadlines.for_user(member, now=april_2017).filter(key=key).exists()
    # Past its registration deadline, a meeting is no longer due for anyone.
    assert not deadlines.for_user(member).filter(kind=DeadlineKind.MEETING_REGISTRATION).exists()
