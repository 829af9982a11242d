"""A trail that proves itself (issue 14): every audit event is chained to the one before
it by hashes, written with the change; ``verify_audit`` passes on the seed and after a
real review, and names the first broken link when a superuser edits, deletes or moves an
event with the triggers disabled; the database refuses TRUNCATE (PostgreSQL) and UPDATE
and DELETE (both vendors); the entries and objections of a submitted list cannot be
rewritten, while the writes the review makes still go through; concurrent writers leave
one intact chain; the operations page shows the last verification."""

from __future__ import annotations

import datetime
import itertools
import threading
import uuid
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from compact_process.audit import verification
from compact_process.audit.models import AuditChainHead, AuditEvent, AuditVerification, record
from stakeholders import services
from stakeholders.enums import EntryOutcome, ListStatus
from stakeholders.models import FrozenRecordError, ListEntry, Objection, StakeholderList
from stakeholders.services import CLOSE_GRACE
from tests.people import delegate, person
from tests.test_review import DEADLINE, review_with, state

DURING = DEADLINE - datetime.timedelta(days=1)


def verify(*args: str) -> tuple[int, str]:
    """Run ``manage.py verify_audit``: its exit code and what it printed."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def refused(sql: str, params=()) -> str:
    """Run raw SQL that the database must refuse; the refusal's message."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(refusal.value)


def a_closed_review(gcm):
    """A list reviewed for real: objections lodged, one withdrawn, the review closed."""
    lst, office, entries = review_with(gcm, 3)
    mexico, germany = delegate("mx", "MEX"), delegate("de", "DEU")
    with time_machine.travel(DURING, tick=False):
        kept = services.lodge_objection(
            entry=entries[0], member_state=state("MEX"), user=mexico, basis="General basis"
        )
        withdrawn = services.lodge_objection(
            entry=entries[1], member_state=state("DEU"), user=germany
        )
        services.withdraw_objection(objection=withdrawn, user=germany)
    services.close_review(list_id=lst.pk, now=DEADLINE + CLOSE_GRACE)
    lst.refresh_from_db()
    return lst, office, entries, kept, withdrawn


# --- The chain ----------------------------------------------------------------------------


def test_a_fresh_seed_verifies(gcm):
    code, printed = verify()
    assert code == 0, printed
    assert printed.startswith("OK")
    count = AuditEvent.objects.count()
    assert f"intact, {count} event{'' if count == 1 else 's'} (" in printed


def test_a_real_review_verifies_and_every_event_links_to_the_one_before(gcm):
    a_closed_review(gcm)
    code, printed = verify()
    assert code == 0, printed
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert all(e.prev_hash == before.hash for before, e in itertools.pairwise(events))
    actions = {e.action for e in events}
    assert {"objection.lodged", "objection.withdrawn", "review.closed"} <= actions
    head = AuditChainHead.objects.get(pk=1)
    assert (head.sequence, head.hash) == (events[-1].sequence, events[-1].hash)


def test_an_event_rolled_back_with_its_change_leaves_the_chain_intact(gcm):
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        record("test.undone", note="rolled back")
        raise Undone
    record("test.kept", note="after the rollback")
    assert not AuditEvent.objects.filter(action="test.undone").exists()
    assert verify()[0] == 0


def test_bulk_created_events_take_their_places_in_the_chain(gcm):
    office = person("office", "pga_office")
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=office, actor_label="office", action="test.bulk", data={"i": i})
        for i in range(5)
    )
    assert verify()[0] == 0


def test_an_incremental_run_reads_only_the_new_events(gcm):
    assert verify("--full")[0] == 0
    for i in range(3):
        record("test.later", i=i)
    code, printed = verify("--incremental")
    assert code == 0, printed
    latest = verification.latest()
    assert (latest.full, latest.checked, latest.events) == (False, 3, AuditEvent.objects.count())


# --- Tampering by a superuser, triggers disabled (PostgreSQL) ------------------------------


def _as_superuser(sql: str, params=()) -> None:
    """Rewrite the trail the way only a superuser can: replica mode skips every trigger,
    for this transaction (the test's, rolled back at its end)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def _checked_now() -> None:
    """Run the test transaction's deferred foreign-key checks now: PostgreSQL refuses
    ALTER TABLE and TRUNCATE on a table with checks pending."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.postgres
def test_an_event_edited_with_the_triggers_disabled_is_named(gcm):
    lst, *_ = a_closed_review(gcm)
    event = AuditEvent.objects.get(action="review.closed", list_id=lst.pk)
    _checked_now()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
        cursor.execute(
            "UPDATE audit_auditevent SET data = %s WHERE id = %s",
            ['{"approved": 3, "not_approved": 0}', event.pk],
        )
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")
    code, printed = verify()
    assert code == 1
    assert f"event #{event.pk} (sequence {event.sequence}, review.closed)" in printed
    assert "content changed" in printed


@pytest.mark.postgres
def test_a_deleted_event_is_named(gcm):
    a_closed_review(gcm)
    gone = AuditEvent.objects.get(action="objection.withdrawn")
    after = AuditEvent.objects.get(sequence=gone.sequence + 1)
    _as_superuser("DELETE FROM audit_auditevent WHERE id = %s", [gone.pk])
    code, printed = verify()
    assert code == 1
    assert f"event #{after.pk} (sequence {after.sequence}, {after.action})" in printed
    assert f"missing: the event with sequence {gone.sequence} is missing" in printed


@pytest.mark.postgres
def test_the_last_event_deleted_is_noticed(gcm):
    a_closed_review(gcm)
    last = AuditEvent.objects.order_by("-sequence").first()
    _as_superuser("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    code, printed = verify()
    assert code == 1
    assert "head mismatch" in printed
    assert "the last ones were removed" in printed


@pytest.mark.postgres
def test_two_events_swapped_are_named(gcm):
    """The order changed: two events exchange their sequences and instants."""
    a_closed_review(gcm)
    first = AuditEvent.objects.get(action="objection.withdrawn")
    second = AuditEvent.objects.get(sequence=first.sequence + 1)
    swap = (
        "UPDATE audit_auditevent SET sequence = %s, at = %s WHERE id = %s",
        [1_000_000_000, second.at, first.pk],  # out of the way of the unique sequence
        [first.sequence, first.at, second.pk],
        [second.sequence, second.at, first.pk],
    )
    for params in swap[1:]:
        _as_superuser(swap[0], params)
    code, printed = verify()
    assert code == 1
    assert f"event #{second.pk} (sequence {first.sequence}, {second.action})" in printed
    assert f"order changed: it was written after event #{first.pk}" in printed


@pytest.mark.postgres
def test_the_operations_page_names_a_broken_link(gcm, client):
    a_closed_review(gcm)
    event = AuditEvent.objects.filter(action="objection.lodged").first()
    _as_superuser(
        "UPDATE audit_auditevent SET actor_label = 'someone else' WHERE id = %s", [event.pk]
    )
    assert verify()[0] == 1
    client.force_login(person("ops", "secretariat"))
    text = client.get(reverse("operations:overview")).content.decode()
    assert "Broken." in text
    assert f"the first broken link is event {event.pk} (sequence {event.sequence}" in text
    assert "Its content was changed after it was written." in text


# --- The database refuses -----------------------------------------------------------------


def test_raw_sql_cannot_update_or_delete_an_event(gcm):
    """PostgreSQL: the row trigger of audit 0002; SQLite: the triggers of audit 0006."""
    review_with(gcm, 1)
    assert "append-only" in refused("UPDATE audit_auditevent SET action = 'rewritten'")
    assert "append-only" in refused("DELETE FROM audit_auditevent")
    assert verify()[0] == 0


@pytest.mark.postgres
def test_truncate_is_refused(gcm):
    review_with(gcm, 1)
    _checked_now()
    assert "TRUNCATE refused" in refused("TRUNCATE audit_auditevent")
    for table in ("stakeholders_objection", "stakeholders_listentry"):
        assert "TRUNCATE refused" in refused(f"TRUNCATE {table} CASCADE")


@pytest.mark.postgres
def test_the_test_harness_flush_exception_is_no_use_to_a_role_that_is_not_superuser(gcm):
    """The TRUNCATE trigger lets the test harness's flush through only for a superuser
    (audit 0006): a role like the app's, even granted TRUNCATE and setting the flag, is
    refused."""
    role = f"not_super_{uuid.uuid4().hex[:8]}"
    _checked_now()
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER")
        cursor.execute(f"GRANT TRUNCATE, SELECT ON audit_auditevent TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
        cursor.execute("SET LOCAL compact.flush_all = 'on'")
    try:
        assert "TRUNCATE refused" in refused("TRUNCATE audit_auditevent")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_the_guards_are_installed(db):
    """Django rebuilds a SQLite table to alter it, dropping its triggers: a migration that
    does so must create them again."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {
                "audit_event_no_update",
                "audit_event_no_delete",
                "stakeholders_list_no_delete",
                "stakeholders_list_no_redraft",
                "stakeholders_entry_no_delete",
                "stakeholders_entry_frozen",
                "stakeholders_objection_no_delete",
                "stakeholders_objection_frozen",
                "stakeholders_objection_withdrawal",
            }
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {
                "audit_event_append_only",
                "audit_event_no_truncate",
                "stakeholders_list_guard",
                "stakeholders_entry_guard",
                "stakeholders_objection_guard",
                "stakeholders_list_no_truncate",
                "stakeholders_entry_no_truncate",
                "stakeholders_objection_no_truncate",
            }
        installed = {name for (name,) in cursor.fetchall()}
    assert expected <= installed


# --- A submitted list's record ------------------------------------------------------------


def test_a_submitted_lists_entry_cannot_be_deleted(gcm):
    lst, _office, entries, kept, _withdrawn = a_closed_review(gcm)
    entry = entries[0]
    with pytest.raises(FrozenRecordError):
        entry.delete()
    with pytest.raises(FrozenRecordError):
        ListEntry.objects.filter(pk=entry.pk).delete()
    assert "cannot be deleted" in refused(
        "DELETE FROM stakeholders_listentry WHERE id = %s", [entry.pk]
    )
    # A cascade from the list is refused by the database too.
    with pytest.raises(DatabaseError), transaction.atomic():
        StakeholderList.objects.filter(pk=lst.pk).delete()
    assert ListEntry.objects.filter(pk=entry.pk).exists()
    assert Objection.objects.filter(pk=kept.pk).exists()


def test_a_submitted_lists_entry_cannot_get_another_organization(gcm):
    _lst, _office, entries, *_ = a_closed_review(gcm)
    first, second = entries[0], entries[1]
    first.application_id = second.application_id
    with pytest.raises(FrozenRecordError):
        first.save()
    with pytest.raises(FrozenRecordError):
        ListEntry.objects.filter(pk=first.pk).update(application=second.application)
    assert "cannot be changed" in refused(
        "UPDATE stakeholders_listentry SET application_id = %s WHERE id = %s",
        [second.application_id, first.pk],
    )


def test_an_objections_content_cannot_change_nor_the_objection_be_deleted(gcm):
    _lst, _office, _entries, kept, _withdrawn = a_closed_review(gcm)
    kept.basis = "Another basis"
    with pytest.raises(FrozenRecordError):
        kept.save()
    with pytest.raises(FrozenRecordError):
        Objection.objects.filter(pk=kept.pk).update(basis="Another basis")
    assert "cannot be changed" in refused(
        "UPDATE stakeholders_objection SET basis = 'Another basis' WHERE id = %s", [kept.pk]
    )
    assert "cannot be changed" in refused(
        "UPDATE stakeholders_objection SET disclose_identity = %s WHERE id = %s", [True, kept.pk]
    )
    with pytest.raises(FrozenRecordError):
        Objection.objects.get(pk=kept.pk).delete()
    with pytest.raises(FrozenRecordError):
        Objection.objects.filter(pk=kept.pk).delete()
    assert "cannot be deleted" in refused(
        "DELETE FROM stakeholders_objection WHERE id = %s", [kept.pk]
    )
    assert Objection.objects.get(pk=kept.pk).basis == "General basis"


def test_after_the_close_no_withdrawal_and_the_list_never_goes_back_to_draft(gcm):
    lst, _office, _entries, kept, withdrawn = a_closed_review(gcm)
    refusal = refused(
        "UPDATE stakeholders_objection SET withdrawn_at = %s WHERE id = %s",
        [DEADLINE, kept.pk],
    )
    # PostgreSQL: "the review is closed"; SQLite: "none is made after the close".
    assert "closed" in refusal or "after the close" in refusal
    assert "final" in refused(
        "UPDATE stakeholders_objection SET withdrawn_at = NULL WHERE id = %s", [withdrawn.pk]
    )
    assert "back to draft" in refused(
        "UPDATE stakeholders_stakeholderlist SET status = 'draft' WHERE id = %s", [lst.pk]
    )


def test_the_reviews_own_writes_still_go_through(gcm):
    """Lodging, withdrawing, the close's outcome and standing objections: the services
    work under the guards (a_closed_review runs them), with their audit events."""
    lst, _office, entries, kept, withdrawn = a_closed_review(gcm)
    assert lst.status == ListStatus.CLOSED
    outcomes = [
        (e.outcome, e.standing_objections)
        for e in ListEntry.objects.order_by("id").filter(stakeholder_list=lst)
    ]
    assert outcomes == [
        (EntryOutcome.NOT_APPROVED, 1),
        (EntryOutcome.APPROVED, 0),
        (EntryOutcome.APPROVED, 0),
    ]
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_at is not None
    assert entries[0].objections.get() == kept


def test_a_draft_lists_entries_can_still_be_deleted_but_not_moved_into_a_submitted_one(gcm):
    submitted, office, entries = review_with(gcm, 3)
    draft = services.create_list(process=gcm, purpose="preparatory", title="Draft", actor=office)
    first, second, third = (
        services.add_entry(stakeholder_list=draft, application=e.application, actor=office)
        for e in entries
    )
    with pytest.raises(FrozenRecordError):
        ListEntry.objects.filter(pk=first.pk).update(stakeholder_list=submitted)
    assert "cannot be changed" in refused(
        "UPDATE stakeholders_listentry SET stakeholder_list_id = %s WHERE id = %s",
        [submitted.pk, first.pk],
    )
    first.delete()
    ListEntry.objects.filter(pk=second.pk).delete()
    assert list(draft.entries.all()) == [third]
    draft.delete()  # the list and, by cascade, its last entry
    assert not ListEntry.objects.filter(pk=third.pk).exists()
    assert verify()[0] == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_leaving_a_closed_review_is_still_flushed(gcm):
    """The flush at this test's end empties the audit trail and a closed list's entries
    and objections, which the guards refuse to anyone else (conftest, audit 0006); it
    errors at teardown if the harness's exception does not work."""
    a_closed_review(gcm)
    assert verify()[0] == 0


def test_the_next_test_starts_from_the_seed_with_a_chain_that_verifies(gcm):
    assert not StakeholderList.objects.filter(title="Preparatory list").exists()
    record("test.after_a_flush")
    assert verify()[0] == 0


# --- Concurrent writers (PostgreSQL) ------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_leave_one_intact_chain(gcm):
    writers, each = 6, 10
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(each):
                with transaction.atomic():
                    record("test.concurrent", writer=n, i=i)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    before = AuditEvent.objects.count()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert AuditEvent.objects.count() == before + writers * each
    code, printed = verify()
    assert code == 0, printed
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))


# --- The operations page ------------------------------------------------------------------


def test_the_operations_page_shows_the_last_verification(gcm, client):
    client.force_login(person("ops", "secretariat"))
    page = reverse("operations:overview")
    assert "Not verified yet." in client.get(page).content.decode()
    record("test.one")
    record("test.two")
    assert verify()[0] == 0
    text = client.get(page).content.decode()
    assert "Audit trail verified at" in text
    assert f"{AuditEvent.objects.count()} events, intact." in text
    assert AuditVerification.objects.count() == 1


def test_beats_task_verifies_and_stores_the_result(gcm):
    from compact_process.audit.tasks import verify as verify_task
    from compact_process.celery import app

    assert verify_task(full=True) is True
    assert verification.latest().ok
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "compact_process.audit.tasks.verify" in tasks
    full_runs = [
        entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == verify_task.name and entry.get("kwargs", {}).get("full")
    ]
    assert full_runs and all(float(entry["schedule"]) <= 24 * 3600 for entry in full_runs)
