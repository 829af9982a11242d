"""The close costs the same at any size (issue 14), and flow 3 (ARCHITECTURE.md): the
services that create or move a dated thing write its deadline row themselves, with no
signal handler behind their back.

The close is one set-based decision in a fixed number of queries; what follows from it
(the approved organizations may nominate for the meetings of the list's purpose, each
organization is told its outcome) is done after commit, by a task or by beat's sweep,
and doing it twice changes nothing. The time of the close at 3,000 entries is measured
by ``bench/bench_review.py``, not here."""

from __future__ import annotations

import datetime
import weakref
import zoneinfo

import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.test.utils import CaptureQueriesContext

from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Audience, Deadline, DeadlineKind, PendingSync
from compact_process.notifications.models import Notification
from phases import services as phase_services
from phases.enums import DeliverableKind, MeetingKind, ResponsibleRole
from phases.models import Deliverable, Meeting, MeetingDay, MemberState, Venue
from stakeholders import deadlines as review_deadlines
from stakeholders import services, services_participation
from stakeholders import tasks as stakeholder_tasks
from stakeholders.enums import EntryOutcome, ListPurpose
from stakeholders.models import Application, ListEntry, Objection, StakeholderList
from stakeholders.models_participation import Nomination, RegistrationDeadline
from stakeholders.models_registry import ApplicationWindow, DirectRegistration, OrganizationMember
from stakeholders.selectors import participation
from tests.people import person
from tests.test_review_pages import AFTER, DEADLINE, DURING, build_list

User = get_user_model()
UTC = datetime.UTC


def with_members_and_objections(lst: StakeholderList, objected: int) -> list[ListEntry]:
    """Each listed organization gets a member (so that the close has people to tell), and
    the first ``objected`` entries an objection from Mexico, lodged in time."""
    entries = list(lst.entries.select_related("application__organization").order_by("id"))
    users = User.objects.bulk_create(
        User(username=f"{lst.pk}-member-{i}", email=f"m{lst.pk}-{i}@example.org")
        for i in range(len(entries))
    )
    OrganizationMember.objects.bulk_create(
        OrganizationMember(user=u, organization=e.application.organization)
        for u, e in zip(users, entries, strict=True)
    )
    mexico = MemberState.objects.get(iso3="MEX")
    lodger = person(f"mx-{lst.pk}")
    Objection.objects.bulk_create(
        Objection(entry=e, member_state=mexico, lodged_by=lodger, lodged_at=DURING)
        for e in entries[:objected]
    )
    return entries


def close_counting(lst: StakeholderList) -> int:
    with time_machine.travel(AFTER, tick=False), CaptureQueriesContext(connection) as seen:
        assert services.close_review(list_id=lst.pk) is True
    return len(seen.captured_queries)


def registration_audience(meeting: Meeting) -> set[str]:
    return set(
        Audience.objects.filter(
            deadline__key=review_deadlines.registration_key(meeting.pk), type="organization"
        ).values_list("value", flat=True)
    )


def preparatory_and_conference(process) -> tuple[list[Meeting], list[Meeting]]:
    """The process's meetings that have a registration deadline, by the purpose of the
    list that covers them."""
    meetings = [
        m
        for m in Meeting.objects.filter(process=process).select_related("venue")
        if Deadline.objects.filter(key=review_deadlines.registration_key(m.pk)).exists()
    ]
    conference = [m for m in meetings if participation.purpose_of(m) == ListPurpose.CONFERENCE]
    return [m for m in meetings if m not in conference], conference


# --- The close --------------------------------------------------------------------------


def test_the_close_runs_the_same_queries_for_5_and_60_entries_on_a_process_with_meetings(gcm):
    assert Meeting.objects.filter(process=gcm).count() > 5  # the seeded GCM's meetings
    small, _office, _entries = build_list(gcm, 5, title="Small list")
    large, _office, _entries = build_list(gcm, 60, title="Large list")
    with_members_and_objections(small, 2)
    with_members_and_objections(large, 20)

    at_5, at_60 = close_counting(small), close_counting(large)

    assert at_5 == at_60 <= 15
    outcomes = ListEntry.objects.filter(stakeholder_list=large).values_list("outcome", flat=True)
    assert sorted(set(outcomes)) == [EntryOutcome.APPROVED, EntryOutcome.NOT_APPROVED]
    assert list(outcomes).count(EntryOutcome.NOT_APPROVED) == 20


def test_after_the_close_commits_its_approved_organizations_may_nominate_and_are_told(
    gcm, django_capture_on_commit_callbacks
):
    lst, _office, _entries = build_list(gcm, 4, title="Final list")
    entries = with_members_and_objections(lst, 1)
    rejected = str(entries[0].application.organization_id)
    approved = {str(e.application.organization_id) for e in entries[1:]}
    preparatory, conference = preparatory_and_conference(gcm)
    assert preparatory and conference

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        close_counting(lst)
    # In the close's own transaction: the review deadline is met and the work is queued.
    review = Deadline.objects.get(key=review_deadlines.review_key(lst))
    assert review.met_at == AFTER
    assert callbacks  # the task is enqueued once the close commits
    assert PendingSync.objects.filter(job=services.AFTER_CLOSE, arg=str(lst.pk)).exists()
    assert not approved & registration_audience(preparatory[0])

    stakeholder_tasks.after_close(lst.pk)  # what the worker runs

    for meeting in preparatory:
        audience = registration_audience(meeting)
        assert approved <= audience and rejected not in audience, meeting.title
    for meeting in conference:  # a preparatory list does not cover the conference
        assert not approved & registration_audience(meeting), meeting.title
    told = Notification.objects.filter(kind="review.outcome")
    assert told.count() == len(entries)
    member = OrganizationMember.objects.get(organization_id=entries[1].application.organization_id)
    thematic = Meeting.objects.get(process=gcm, key="thematic-1")
    early = datetime.datetime(2017, 4, 1, tzinfo=UTC)
    due = deadlines.for_user(member.user, now=early)
    assert due.filter(key=review_deadlines.registration_key(thematic.pk)).exists()
    assert not PendingSync.objects.exists()  # done: beat's sweep finds nothing


def test_the_derived_work_run_twice_changes_nothing(gcm):
    lst, _office, _entries = build_list(gcm, 6, title="Twice list")
    with_members_and_objections(lst, 2)
    close_counting(lst)
    stakeholder_tasks.after_close(lst.pk)

    def state():
        return (
            sorted(Deadline.objects.values_list("key", "due_at", "met_at", "updated_at")),
            sorted(Audience.objects.values_list("id", "deadline_id", "type", "value")),
            sorted(Notification.objects.values_list("id", "key")),
        )

    before = state()
    with CaptureQueriesContext(connection) as seen:
        stakeholder_tasks.after_close(lst.pk)
        assert deadlines.run_pending() == 0
    assert state() == before
    writes = [
        q["sql"]
        for q in seen.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    # No deadline row or audience line is written again (the notifications' insert is one
    # that skips rows already there: the state above shows it added none).
    assert not [sql for sql in writes if "deadlines_deadline" in sql or "deadlines_audience" in sql]


def test_a_lost_enqueue_is_repaired_by_beat_s_sweep(gcm):
    lst, _office, _entries = build_list(gcm, 3, title="Lost list")
    entries = with_members_and_objections(lst, 0)
    close_counting(lst)  # its on-commit enqueue never runs here: as if the broker were down
    preparatory, _conference = preparatory_and_conference(gcm)
    assert not registration_audience(preparatory[0])

    assert deadlines.run_pending() == 1

    wanted = {str(e.application.organization_id) for e in entries}
    assert wanted <= registration_audience(preparatory[0])
    assert Notification.objects.filter(kind="review.outcome").count() == 3
    with CaptureQueriesContext(connection) as seen:
        assert deadlines.run_pending() == 0
    assert len(seen.captured_queries) == 1  # cheap when nothing is pending


# --- Flow 3: no signal writes a deadline -------------------------------------------------

SOURCES = [
    StakeholderList,
    ApplicationWindow,
    Application,
    OrganizationMember,
    Meeting,
    MeetingDay,
    RegistrationDeadline,
    Nomination,
    DirectRegistration,
    Deliverable,
]
DEADLINE_MODULES = ("stakeholders.deadlines", "phases.deadlines", "compact_process.deadlines")


def receivers(signal, sender) -> list[tuple[str, object]]:
    """(dispatch uid or id, function) of every receiver connected for this sender."""
    found = []
    for entry in signal.receivers:
        (uid, sender_id), ref = entry[0], entry[1]
        if sender_id != id(sender):
            continue
        function = ref() if isinstance(ref, weakref.ReferenceType) else ref
        found.append((str(uid), function))
    return found


def test_no_signal_handler_writes_deadlines():
    for model in SOURCES:
        for signal in (post_save, post_delete):
            for uid, function in receivers(signal, model):
                module = getattr(function, "__module__", "") or ""
                assert not uid.startswith("deadline"), (model, uid)
                assert not module.startswith(DEADLINE_MODULES), (model, module)
    # The check sees real receivers: the public pages' cache bump stays (it writes no row).
    names = [getattr(f, "__name__", "") for _uid, f in receivers(post_save, Meeting)]
    assert "bump_content_version" in names


def deadline_of(key: str) -> Deadline:
    return Deadline.objects.get(key=key)


def test_each_service_that_moves_a_dated_thing_updates_its_deadline_row(gcm):
    secretary = person("secretary", "secretariat")
    office = person("office", "pga_office")

    # A meeting created with days has a registration deadline; moving its days moves it.
    venue = Venue.objects.get(slug="new-york")
    meeting = phase_services.create_meeting(
        process=gcm,
        key="flow-3-consultation",
        kind=MeetingKind.INFORMAL_CONSULTATION,
        title="Informal consultation on flow 3",
        venue=venue,
        days=[phase_services.DaySpec(datetime.date(2018, 5, 15))],
    )
    key = review_deadlines.registration_key(meeting.pk)
    first = deadline_of(key).due_at
    assert first == participation.default_deadline(meeting, datetime.date(2018, 5, 15))
    phase_services.add_meeting_day(
        meeting=meeting, day=phase_services.DaySpec(datetime.date(2018, 5, 14))
    )
    assert deadline_of(key).due_at == first - datetime.timedelta(days=1)
    phase_services.remove_meeting_day(meeting=meeting, date=datetime.date(2018, 5, 14))
    assert deadline_of(key).due_at == first
    phase_services.update_meeting(meeting=meeting, title="Consultation, renamed")
    assert deadline_of(key).title == "Consultation, renamed"
    # The secretariat's own registration deadline, and back to the default.
    own = datetime.datetime(2018, 5, 1, 12, 0, tzinfo=UTC)
    services_participation.set_registration_deadline(
        meeting=meeting, closes_at=own, actor=secretary
    )
    assert deadline_of(key).due_at == own
    services_participation.set_registration_deadline(
        meeting=meeting, closes_at=None, actor=secretary
    )
    assert deadline_of(key).due_at == first

    # A deliverable: due when created, met when delivered.
    deliverable = phase_services.create_deliverable(
        process=gcm,
        key="flow-3-note",
        kind=DeliverableKind.ORGANIZATIONAL_NOTE,
        title="A note on flow 3",
        due_on=datetime.date(2030, 6, 1),
        responsible=ResponsibleRole.SECRETARIAT,
    )
    row = deadline_of(f"deliverable:{deliverable.pk}")
    new_york = zoneinfo.ZoneInfo("America/New_York")  # no meeting: Headquarters' day
    assert row.met_at is None
    assert row.due_at == datetime.datetime(2030, 6, 1, 23, 59, 59, tzinfo=new_york)
    phase_services.mark_delivered(deliverable=deliverable, on=datetime.date(2030, 5, 30))
    assert deadline_of(f"deliverable:{deliverable.pk}").met_at is not None

    # The application window, moved by the secretariat.
    window = ApplicationWindow.objects.get(process=gcm)
    closes = datetime.datetime(2030, 7, 1, tzinfo=UTC)
    services_participation.set_application_window(
        process=gcm,
        purpose=window.purpose,
        opens_at=window.opens_at,
        closes_at=closes,
        actor=secretary,
    )
    assert deadline_of(review_deadlines.window_key(window)).due_at == closes

    # A list submitted for review is due for the delegates; closed, it is met.
    lst, _office, _entries = build_list(gcm, 2, title="Flow list", submit=False)
    assert not Deadline.objects.filter(key=review_deadlines.review_key(lst)).exists()
    with time_machine.travel(datetime.datetime(2030, 4, 1, 12, 0, tzinfo=UTC), tick=False):
        services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    review = deadline_of(review_deadlines.review_key(lst))
    assert review.kind == DeadlineKind.LIST_REVIEW and review.due_at == DEADLINE
    close_counting(lst)
    assert deadline_of(review_deadlines.review_key(lst)).met_at == AFTER
