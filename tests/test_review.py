"""The no-objection review (OP 6 and its footnote): objections by each State for itself,
withdrawal, information on request, the close at the deadline exactly once, and the
append-only audit trail."""

from __future__ import annotations

import datetime
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction

from compact_process.audit.models import AppendOnlyError, AuditEvent
from phases.models import MemberState
from stakeholders import services
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, Gender, ListStatus
from stakeholders.models import ListEntry, Objection, Organization
from stakeholders.services import CLOSE_GRACE, ReviewError
from tests.people import delegate, person

User = get_user_model()
UTC = datetime.UTC
OPENED = datetime.datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
DEADLINE = datetime.datetime(2030, 4, 20, 23, 59, 59, tzinfo=UTC)


def state(iso3: str) -> MemberState:
    return MemberState.objects.get(iso3=iso3)


def review_with(process, n: int = 3):
    """A list of n screened-in organizations submitted for review with DEADLINE."""
    office = person("office", "pga_office")
    with time_machine.travel(OPENED, tick=False):
        lst = services.create_list(
            process=process, purpose="preparatory", title="Preparatory list", actor=office
        )
        for i in range(n):
            org = Organization.objects.create(
                name=f"Organisation {i}",
                kind="ngo",
                country=state("KEN"),
                email=f"org{i}@example.org",
            )
            application = services.submit_application(
                process=process,
                organization=org,
                channel=Channel.SPECIAL,
                activities="Support to migrants",
                representatives=[("A. Person", Gender.WOMAN)],
            )
            services.screen_application(
                application=application, state=ApplicationState.SCREENED_IN, actor=office
            )
            services.add_entry(stakeholder_list=lst, application=application, actor=office)
        services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    lst.refresh_from_db()
    return lst, office, list(lst.entries.order_by("id"))


def test_submitting_freezes_the_entries(gcm):
    lst, office, _entries = review_with(gcm, 1)
    assert lst.status == ListStatus.UNDER_REVIEW
    org = Organization.objects.create(
        name="Late", kind="ngo", country=state("KEN"), email="late@example.org"
    )
    application = services.submit_application(
        process=gcm, organization=org, channel=Channel.SPECIAL, activities="x"
    )
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_IN, actor=office
    )
    with pytest.raises(ReviewError, match="entries are frozen"):
        services.add_entry(stakeholder_list=lst, application=application, actor=office)
    assert lst.entries.count() == 1


def test_a_delegate_objects_for_its_own_state_only(gcm):
    _lst, _, (entry, *_rest) = review_with(gcm)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DEADLINE - datetime.timedelta(days=1)):
        objection = services.lodge_objection(
            entry=entry, member_state=state("MEX"), user=mexico, basis="General basis"
        )
        with pytest.raises(PermissionDenied):
            services.lodge_objection(entry=entry, member_state=state("DEU"), user=mexico)
        with pytest.raises(ReviewError, match="already objects"):
            services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
    assert objection.lodged_by == mexico
    assert Objection.objects.filter(entry=entry).count() == 1


def test_a_withdrawn_objection_stays_on_record_and_can_be_made_again(gcm):
    _lst, _, (entry, *_rest) = review_with(gcm)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DEADLINE - datetime.timedelta(days=2)):
        first = services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
        services.withdraw_objection(objection=first, user=mexico)
        services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
    assert Objection.objects.filter(entry=entry).count() == 2
    assert Objection.objects.filter(entry=entry, withdrawn_at__isnull=True).count() == 1


def test_another_state_cannot_withdraw_an_objection(gcm):
    _lst, _, (entry, *_rest) = review_with(gcm)
    mexico, germany = delegate("mx", "MEX"), delegate("de", "DEU")
    with time_machine.travel(DEADLINE - datetime.timedelta(days=1)):
        objection = services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
        with pytest.raises(PermissionDenied):
            services.withdraw_objection(objection=objection, user=germany)
    objection.refresh_from_db()
    assert objection.withdrawn_at is None


def test_an_objection_one_second_after_the_deadline_is_refused_and_nothing_changes(gcm):
    _lst, _, (entry, *_rest) = review_with(gcm)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DEADLINE - datetime.timedelta(seconds=1), tick=False):
        services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
    kenya = delegate("ke", "KEN")
    with time_machine.travel(DEADLINE + datetime.timedelta(seconds=1), tick=False):
        with pytest.raises(ReviewError, match="The review closed at"):
            services.lodge_objection(entry=entry, member_state=state("KEN"), user=kenya)
        with pytest.raises(ReviewError, match="The review closed at"):
            services.withdraw_objection(objection=Objection.objects.get(), user=mexico)
    assert Objection.objects.filter(entry=entry, withdrawn_at__isnull=True).count() == 1


def test_the_close_decides_on_a_non_objection_basis_exactly_once(gcm):
    lst, _, (objected, withdrawn, clean) = review_with(gcm, 3)
    mexico, germany = delegate("mx", "MEX"), delegate("de", "DEU")
    with time_machine.travel(DEADLINE - datetime.timedelta(hours=1)):
        services.lodge_objection(entry=objected, member_state=state("MEX"), user=mexico)
        services.lodge_objection(entry=objected, member_state=state("DEU"), user=germany)
        gone = services.lodge_objection(entry=withdrawn, member_state=state("MEX"), user=mexico)
        services.withdraw_objection(objection=gone, user=mexico)
    with pytest.raises(ReviewError, match="cannot be closed before"):
        services.close_review(list_id=lst.pk, now=DEADLINE)
    after = DEADLINE + CLOSE_GRACE
    assert services.close_review(list_id=lst.pk, now=after) is True
    assert services.close_review(list_id=lst.pk, now=after) is False
    outcomes = {e.pk: (e.outcome, e.standing_objections) for e in ListEntry.objects.all()}
    assert outcomes == {
        objected.pk: (EntryOutcome.NOT_APPROVED, 2),
        withdrawn.pk: (EntryOutcome.APPROVED, 0),
        clean.pk: (EntryOutcome.APPROVED, 0),
    }
    closes = AuditEvent.objects.for_list(lst.pk).filter(action="review.closed")
    assert [(e.data["approved"], e.data["not_approved"]) for e in closes] == [(2, 1)]


def test_the_beat_sweep_closes_only_reviews_past_their_deadline(gcm):
    lst, _, _entries = review_with(gcm, 1)
    assert services.close_due_reviews(now=DEADLINE) == []
    assert services.close_due_reviews(now=DEADLINE + datetime.timedelta(minutes=1)) == [lst.pk]
    assert services.close_due_reviews(now=DEADLINE + datetime.timedelta(minutes=2)) == []


def test_information_is_shared_only_as_each_objecting_state_allowed(gcm):
    lst, office, (entry, *_rest) = review_with(gcm)
    mexico, germany, kenya = delegate("mx", "MEX"), delegate("de", "DEU"), delegate("ke", "KEN")
    with time_machine.travel(DEADLINE - datetime.timedelta(days=1)):
        services.lodge_objection(
            entry=entry,
            member_state=state("MEX"),
            user=mexico,
            basis="Basis given by Mexico",
            disclose_identity=False,
        )
        services.lodge_objection(
            entry=entry, member_state=state("DEU"), user=germany, basis="", disclose_identity=True
        )
        request = services.request_information(entry=entry, member_state=state("KEN"), user=kenya)
        with pytest.raises(PermissionDenied):
            services.share_information(request=request, actor=kenya)
        shared = services.share_information(request=request, actor=office)
    assert sorted(shared.shared, key=lambda i: i["basis"]) == [
        {"basis": "", "state": "Germany"},
        {"basis": "Basis given by Mexico", "state": None},
    ]
    actions = list(AuditEvent.objects.for_list(lst.pk).values_list("action", flat=True))
    assert actions[-2:] == ["information.requested", "information.shared"]


def test_every_step_names_who_took_it(gcm):
    lst, _office, (entry, *_rest) = review_with(gcm, 1)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DEADLINE - datetime.timedelta(days=1)):
        services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
    with time_machine.travel(DEADLINE + CLOSE_GRACE):
        services.close_review(list_id=lst.pk)
    trail = [(e.action, e.actor_label) for e in AuditEvent.objects.for_list(lst.pk)]
    assert trail == [
        ("list.created", "office"),
        ("entry.added", "office"),
        ("list.submitted", "office"),
        ("objection.lodged", "mx"),
        ("review.closed", "system"),
    ]


def test_the_audit_trail_cannot_be_changed_through_the_application(gcm):
    lst, _, _entries = review_with(gcm, 1)
    event = AuditEvent.objects.for_list(lst.pk).first()
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "list.created"


# --- Real concurrent transactions on PostgreSQL -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_itself_refuses_to_rewrite_the_audit_trail(gcm):
    from django.db import DatabaseError

    review_with(gcm, 1)
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'rewritten'")
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


def _in_thread(target, *args):
    errors: list[BaseException] = []
    results: list = []

    def run():
        try:
            results.append(target(*args))
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_close_triggers_produce_one_final_list(gcm):
    lst, _, _entries = review_with(gcm, 3)
    after = DEADLINE + CLOSE_GRACE
    barrier = threading.Barrier(2)

    def close():
        barrier.wait()
        return services.close_review(list_id=lst.pk, now=after)

    runs = [_in_thread(close) for _ in range(2)]
    for thread, _results, _errors in runs:
        thread.join(timeout=30)
    assert not any(errors for _t, _r, errors in runs)
    assert sorted(r[0] for _t, r, _e in runs) == [False, True]
    assert AuditEvent.objects.for_list(lst.pk).filter(action="review.closed").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_objection_made_in_the_last_second_counts_even_if_the_close_is_waiting(gcm):
    """The objection, made a second before the deadline, holds the list's lock while the
    close (triggered after the deadline) waits for it: the close must count it."""
    lst, _, (entry, *_rest) = review_with(gcm, 2)
    mexico = delegate("mx", "MEX")
    lodged, release = threading.Event(), threading.Event()

    def object_slowly():
        last_second = DEADLINE - datetime.timedelta(seconds=1)
        with time_machine.travel(last_second, tick=False), transaction.atomic():
            services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
            lodged.set()
            release.wait(timeout=10)  # still inside the transaction: lock held

    objector = _in_thread(object_slowly)
    assert lodged.wait(timeout=10)
    closer = _in_thread(lambda: services.close_review(list_id=lst.pk, now=DEADLINE + CLOSE_GRACE))
    closer[0].join(timeout=1)
    assert closer[0].is_alive(), "the close must wait for the objection's transaction"
    release.set()
    for thread, _results, errors in (objector, closer):
        thread.join(timeout=30)
        assert not errors, errors
    entry.refresh_from_db()
    assert (entry.outcome, entry.standing_objections) == (EntryOutcome.NOT_APPROVED, 1)


def test_the_public_list_page_is_never_stale_after_the_close(gcm, client):
    lst, _, (entry, *_rest) = review_with(gcm, 2)
    mexico = delegate("mx", "MEX")
    with time_machine.travel(DEADLINE - datetime.timedelta(days=1)):
        services.lodge_objection(entry=entry, member_state=state("MEX"), user=mexico)
    url = f"/lists/{lst.pk}/"
    before = client.get(url)
    assert "Not approved" not in before.content.decode()
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    services.close_review(list_id=lst.pk, now=DEADLINE + CLOSE_GRACE)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Not approved" in after.content.decode()
