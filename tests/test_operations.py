"""The secretariat's operations pages (issue 5): who may see and act (only the
secretariat), the health line from the worker's heartbeat, a failing mail server whose
failures succeed on retry without a duplicate, uncertain hand-overs resent or dropped by a
person, the reminder schedules typed in words and used by the next scan, the reminders
coming up worked out without writing anything, and query counts that do not grow with
the e-mails."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from compact_process.audit.models import AuditEvent
from compact_process.deadlines import services as deadlines
from compact_process.deadlines.forms import parse_steps
from compact_process.deadlines.models import DeadlineKind, ReminderSchedule
from compact_process.notifications import operations
from compact_process.notifications import services as notifications
from compact_process.notifications.models import EmailStatus, Notification
from compact_process.notifications.views_operations import SECTIONS
from compact_process.tasks import HEARTBEAT_KEY, heartbeat
from tests.people import person
from tests.test_notifications import FlakyBackend

User = get_user_model()
UTC = datetime.UTC
NOW = datetime.datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
LOGIN = "/accounts/login/"
OTHER_ROLES = ["pga_office", "co_facilitator", "delegate", "stakeholder", None]


@pytest.fixture(autouse=True)
def _at_now():
    """Every test runs at NOW (a later tick is a nested travel); signing in too, so that
    the session has not expired by then."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _no_heartbeat():
    """The cache outlives a test's transaction: each test starts without a heartbeat."""
    cache.delete(HEARTBEAT_KEY)
    yield
    cache.delete(HEARTBEAT_KEY)


@pytest.fixture(autouse=True)
def _mail_server(settings):
    """The test outbox, behind a mail server that refuses as many hand-overs as a test
    says (none unless told)."""
    settings.EMAIL_BACKEND = "tests.test_notifications.FlakyBackend"
    FlakyBackend.failures = 0
    yield
    FlakyBackend.failures = 0


# --- Helpers ------------------------------------------------------------------------------


def signed_in(client, role: str | None, username: str = ""):
    user = person(username or f"{role or 'nobody'}-user", role)
    client.force_login(user)
    return user


def reminder(recipient, title: str = "Zero draft", *, key: str = "") -> Notification:
    """A reminder notification written as the scan writes it (not sent yet)."""
    key = key or f"reminder:test:{title}"
    notifications.notify(
        [
            notifications.Note(
                recipient_id=recipient.pk,
                kind="reminder",
                key=key,
                route="secretariat:deliverables",
                params={
                    "title": title,
                    "kind": DeadlineKind.DELIVERABLE,
                    "due_at": NOW + datetime.timedelta(days=1),
                    "overdue": False,
                },
            )
        ]
    )
    return Notification.objects.get(recipient=recipient, key=key)


def cut_off(row: Notification, at: datetime.datetime) -> None:
    """A worker claimed this e-mail (with the person's other reminders due, as a digest)
    at ``at`` and was killed during the hand-over, which it had begun."""
    Notification.objects.filter(
        recipient_id=row.recipient_id, email_status=EmailStatus.PENDING
    ).update(email_next_attempt_at=at)
    batch = notifications._claim(row.pk, at)
    with time_machine.travel(at, tick=False):
        assert notifications._begin_hand_over(batch)


def fail_for_good(row: Notification, start: datetime.datetime = NOW) -> None:
    """A mail server that refuses every attempt until the row is failed."""
    FlakyBackend.failures = notifications.MAX_ATTEMPTS
    Notification.objects.filter(pk=row.pk).update(email_next_attempt_at=start)
    at = start
    for attempt in range(1, notifications.MAX_ATTEMPTS + 1):
        notifications.send_one(row.pk, now=at)
        at += notifications.backoff(attempt)
    row.refresh_from_db()
    assert row.email_status == EmailStatus.FAILED


def overview(show: str = "") -> str:
    url = reverse("operations:overview")
    return f"{url}?show={show}" if show else url


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def ledger() -> list[tuple]:
    return list(
        Notification.objects.order_by("pk").values_list(
            "pk", "email_status", "email_next_attempt_at"
        )
    )


def snapshot() -> tuple:
    return (
        ledger(),
        list(ReminderSchedule.objects.values_list("kind", "minutes_before", "when_overdue")),
        AuditEvent.objects.count(),
    )


# --- Who may see and act ----------------------------------------------------------------------


@pytest.fixture
def rows(db):
    """A failed and an uncertain e-mail, so that every action has something to act on."""
    recipient = person("recipient", "delegate", name="Amina Diallo")
    failed = reminder(recipient, "Failed one")
    fail_for_good(failed, NOW - datetime.timedelta(days=1))
    uncertain = reminder(recipient, "Uncertain one")
    cut_off(uncertain, NOW - datetime.timedelta(hours=1))
    return {"failed": failed, "uncertain": uncertain}


def pages(rows) -> list[str]:
    return [
        overview(),
        overview("failed"),
        reverse("operations:schedules"),
        reverse("operations:schedule-edit", args=[DeadlineKind.LIST_REVIEW]),
        reverse("operations:resend", args=[rows["uncertain"].pk]),
        reverse("operations:drop", args=[rows["uncertain"].pk]),
    ]


def actions(rows) -> list[tuple[str, dict]]:
    """Every POST, with data that would change something if it were allowed."""
    return [
        (reverse("operations:retry", args=[rows["failed"].pk]), {}),
        (reverse("operations:resend", args=[rows["uncertain"].pk]), {}),
        (reverse("operations:drop", args=[rows["uncertain"].pk]), {}),
        (
            reverse("operations:schedule-edit", args=[DeadlineKind.DELIVERABLE]),
            {"steps": "2 minutes", "when_overdue": "on"},
        ),
        (reverse("operations:schedule-default", args=[DeadlineKind.DELIVERABLE]), {}),
    ]


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page_and_action(client, rows):
    ReminderSchedule.objects.create(kind=DeadlineKind.DELIVERABLE, minutes_before=[60])
    before = snapshot()
    with time_machine.travel(NOW, tick=False):
        for url in pages(rows):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(f"{LOGIN}?next="), url
        for url, data in actions(rows):
            response = client.post(url, data)
            assert response.status_code == 302, url
            assert response["Location"].startswith(f"{LOGIN}?next="), url
    assert snapshot() == before


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_everyone_but_the_secretariat_is_refused_every_page_and_action(client, rows, role):
    ReminderSchedule.objects.create(kind=DeadlineKind.DELIVERABLE, minutes_before=[60])
    signed_in(client, role)
    before = snapshot()
    with time_machine.travel(NOW, tick=False):
        for url in pages(rows):
            assert client.get(url).status_code == 403, url
        for url, data in actions(rows):
            assert client.post(url, data).status_code == 403, url
    assert snapshot() == before
    assert mail.outbox == []


def test_the_secretariat_opens_every_page_and_actions_refuse_get(client, rows):
    signed_in(client, "secretariat")
    with time_machine.travel(NOW, tick=False):
        for url in pages(rows):
            assert client.get(url).status_code == 200, url
        assert client.get(reverse("operations:retry", args=[rows["failed"].pk])).status_code == 405
        default = reverse("operations:schedule-default", args=[DeadlineKind.DELIVERABLE])
        assert client.get(default).status_code == 405
    assert client.get(reverse("operations:schedule-edit", args=["nonsense"])).status_code == 404
    assert client.get(reverse("operations:resend", args=[999_999])).status_code == 404


def test_the_nav_links_to_operations(client, db):
    signed_in(client, "secretariat")
    text = page_text(client, reverse("operations:schedules"))
    assert f'href="{overview()}" aria-current="page">Operations</a>' in text


# --- The health line ----------------------------------------------------------------------------


def test_without_any_heartbeat_the_page_says_so_and_what_to_do(client, db):
    signed_in(client, "secretariat")
    text = page_text(client, overview())
    assert "No beat tick was ever seen." in text
    assert "celery -A compact_process worker --beat" in text
    assert "<code>make run</code>" in text
    assert "health--dead" in text


def test_a_recent_heartbeat_means_the_worker_and_beat_are_alive(client, db):
    signed_in(client, "secretariat")
    interval = operations.heartbeat_interval()
    with time_machine.travel(NOW - interval, tick=False):
        heartbeat()  # the task body, as the worker runs it when beat sends it
    with time_machine.travel(NOW, tick=False):
        text = page_text(client, overview())
        assert operations.health().alive
    assert "health--alive" in text and "Alive." in text
    assert "The last beat tick was 1\xa0minute ago" in text
    assert 'datetime="2030-06-01T11:59:00Z"' in text
    assert "celery -A compact_process worker" not in text


def test_a_heartbeat_older_than_three_intervals_means_not_running(client, db):
    signed_in(client, "secretariat")
    interval = operations.heartbeat_interval()
    cache.set(HEARTBEAT_KEY, (NOW - 3 * interval).isoformat())
    with time_machine.travel(NOW, tick=False):
        assert not operations.health().alive
        text = page_text(client, overview())
    assert "health--dead" in text and "Not running, or not seen." in text
    assert "The last beat tick was 3\xa0minutes ago" in text
    assert "celery -A compact_process worker --beat" in text
    # Just younger than the limit is still alive.
    cache.set(HEARTBEAT_KEY, (NOW - 3 * interval + datetime.timedelta(seconds=1)).isoformat())
    with time_machine.travel(NOW, tick=False):
        assert operations.health().alive


def test_an_unreadable_cache_is_reported_not_a_server_error(client, db):
    signed_in(client, "secretariat")
    down = {  # nothing listens on port 1
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=down):
        text = page_text(client, overview())
    assert "The heartbeat could not be read from the cache: ConnectionError" in text
    assert "celery -A compact_process worker --beat" in text


# --- A failing mail server, and retry -------------------------------------------------------


def test_a_failing_mail_server_shows_the_failure_and_retry_sends_it_once(
    client, db, settings, django_capture_on_commit_callbacks
):
    recipient = person("mx", "delegate", name="Lucía Gómez")
    row = reminder(recipient, "Preparatory list")
    fail_for_good(row)
    operator = signed_in(client, "secretariat", "operator")
    assert mail.outbox == []

    text = page_text(client, overview("failed"))
    assert "Review of" not in text  # a deliverable reminder, not a review's
    assert "Preparatory list" in text
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in text
    assert "Lucía Gómez" in text and "mx@example.org" in text
    retry_url = reverse("operations:retry", args=[row.pk])
    assert f'action="{retry_url}"' in text

    # The mail server works again; the secretariat presses Retry.
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(retry_url)
    assert response.status_code == 302 and response.url == overview("failed")
    assert len(callbacks) == 1  # a worker is asked to send, once the change is committed
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING
    assert notifications.send_due() == {"sent": 1}  # what the worker then runs
    assert notifications.send_due() == {}
    assert [m.to for m in mail.outbox] == [["mx@example.org"]]
    row.refresh_from_db()
    # A person's retry starts a new round of attempts; it took one.
    assert (row.email_status, row.email_attempts, row.email_error) == (EmailStatus.SENT, 1, "")
    (event,) = AuditEvent.objects.filter(action="notification.retried")
    assert event.actor == operator and event.actor_label == "operator"
    assert event.data["notification_ids"] == [row.pk]

    # A second press (another tab) finds nothing to retry: refused, nothing sent.
    followed = client.post(retry_url, follow=True)
    assert "This e-mail is no longer failed" in followed.content.decode()
    assert notifications.send_due() == {}
    assert len(mail.outbox) == 1
    assert "Preparatory list" in page_text(client, overview("sent"))


def test_a_retry_that_fails_again_is_retried_with_backoff_not_lost(client, db, settings):
    row = reminder(person("mx", "delegate"))
    fail_for_good(row)
    signed_in(client, "secretariat")
    client.post(reverse("operations:retry", args=[row.pk]))
    FlakyBackend.failures = 1
    assert notifications.send_due() == {"retry": 1}  # the automatic retries start again
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING and mail.outbox == []
    assert notifications.send_due(now=row.email_next_attempt_at) == {"sent": 1}
    assert len(mail.outbox) == 1


# --- Uncertain hand-overs: resend or drop ------------------------------------------------------


class UnreachableBackend(FlakyBackend):
    """A mail server whose connection cannot be opened (refused, or the TLS greeting
    failed): nothing of the message left."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


def claimed_and_abandoned(row: Notification, at: datetime.datetime) -> None:
    """A worker claimed this e-mail at ``at`` and died before it began the hand-over
    (writing the message, or connecting to the mail server)."""
    Notification.objects.filter(pk=row.pk).update(email_next_attempt_at=at)
    assert notifications._claim(row.pk, at)


def test_a_claim_abandoned_before_its_hand_over_is_sent_by_the_sweep_once(db, settings):
    row = reminder(person("mx", "delegate"), "Abandoned")
    claimed_and_abandoned(row, NOW)
    abandoned = datetime.timedelta(seconds=settings.EMAIL_ABANDONED_SECONDS)
    # A live worker may still be writing it: the sweep leaves it alone meanwhile.
    with time_machine.travel(NOW + abandoned - datetime.timedelta(seconds=1), tick=False):
        assert notifications.send_due() == {}
    with time_machine.travel(NOW + abandoned, tick=False):
        assert notifications.send_due() == {"released": 1, "sent": 1}
        assert notifications.send_due() == {}
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT and row.email_attempts == 2
    assert [m.subject for m in mail.outbox].count(mail.outbox[0].subject) == 1
    assert len(mail.outbox) == 1
    # Never uncertain: nobody was asked to decide.
    assert not operations.uncertain(now=NOW + datetime.timedelta(days=1)).exists()


def test_a_claim_whose_hand_over_began_is_never_sent_again_by_itself(db):
    row = reminder(person("mx", "delegate"), "Cut off")
    cut_off(row, NOW)
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert notifications.send_due() == {}
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENDING and mail.outbox == []
    assert list(operations.uncertain(now=NOW + datetime.timedelta(days=1))) == [row]


def test_a_slow_worker_whose_claim_was_released_does_not_send_it_too(db, settings, monkeypatch):
    """A worker still writing the message when its claim is released (and sent by another
    sweep) finds its claim gone at the hand-over, and sends nothing."""
    row = reminder(person("mx", "delegate"), "Slow")
    Notification.objects.filter(pk=row.pk).update(email_next_attempt_at=NOW)
    later = NOW + datetime.timedelta(seconds=settings.EMAIL_ABANDONED_SECONDS)
    render = notifications.render_email

    def slow_render(notification):
        # While this worker writes, its claim is released and the e-mail sent elsewhere.
        with time_machine.travel(later, tick=False):
            monkeypatch.setattr(notifications, "render_email", render)
            assert notifications.send_due() == {"released": 1, "sent": 1}
        return render(notification)

    monkeypatch.setattr(notifications, "render_email", slow_render)
    assert notifications.send_one(row.pk, now=NOW) == "not_due"
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENT


def test_a_mail_server_that_cannot_be_reached_is_retried_not_uncertain(db, settings):
    settings.EMAIL_BACKEND = "tests.test_operations.UnreachableBackend"
    row = reminder(person("mx", "delegate"), "Unreachable")
    Notification.objects.filter(pk=row.pk).update(email_next_attempt_at=NOW)
    assert notifications.send_due() == {"retry": 1}
    row.refresh_from_db()
    assert row.email_status == EmailStatus.PENDING and row.email_handover_at is None
    assert "Connection refused" in row.email_error


def test_the_operations_page_alerts_the_secretariat_to_uncertain_e_mails(client, db):
    signed_in(client, "secretariat")
    assert 'class="ops-alert"' not in page_text(client, overview())
    for i in range(2):
        cut_off(reminder(person(f"p{i}", "delegate"), f"Cut off {i}"), NOW)
    with time_machine.travel(NOW + operations.uncertain_after(), tick=False):
        text = page_text(client, overview())
    alert = text.split('<div class="ops-alert" role="alert">', 1)[1].split("</div>", 1)[0]
    assert "2 e-mails wait for your decision" in alert
    assert 'href="?show=uncertain#uncertain-title"' in alert


def test_the_waits_are_settings(db, settings):
    settings.EMAIL_UNCERTAIN_MINUTES = 3
    assert operations.uncertain_after() == datetime.timedelta(minutes=3)
    settings.EMAIL_ABANDONED_SECONDS = 45
    assert notifications.abandoned_after() == datetime.timedelta(seconds=45)


def test_a_hand_over_cut_off_is_uncertain_only_after_ten_minutes(client, db):
    row = reminder(person("mx", "delegate"), "Cut off")
    cut_off(row, NOW)
    signed_in(client, "secretariat")
    resend = reverse("operations:resend", args=[row.pk])
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        assert "Cut off" not in page_text(client, overview("uncertain"))
        assert "is not uncertain (any more)" in page_text(client, resend)
        response = client.post(resend)
        assert response.status_code == 422
        assert "no longer uncertain" in response.content.decode()
    row.refresh_from_db()
    assert row.email_status == EmailStatus.SENDING
    with time_machine.travel(NOW + operations.uncertain_after(), tick=False):
        text = page_text(client, overview("uncertain"))
        assert "Cut off" in text and f'href="{resend}"' in text


def test_resending_an_uncertain_e_mail_sends_it_once_after_a_page_that_says_the_risk(
    client, db, django_capture_on_commit_callbacks
):
    row = reminder(person("mx", "delegate", name="Lucía Gómez"), "Cut off")
    cut_off(row, NOW - datetime.timedelta(hours=1))
    assert notifications.send_due() == {}  # never resent silently
    operator = signed_in(client, "secretariat", "operator")
    url = reverse("operations:resend", args=[row.pk])
    with time_machine.travel(NOW, tick=False):
        text = page_text(client, url)
        assert "If it did go out, the recipient gets it twice." in text
        assert "Lucía Gómez" in text and "mx@example.org" in text
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(url)
        assert response.status_code == 302 and response.url == overview("uncertain")
        assert len(callbacks) == 1
        assert notifications.send_due() == {"sent": 1}
        assert notifications.send_due() == {}
        assert client.post(url).status_code == 422  # a second press changes nothing
    assert len(mail.outbox) == 1
    (event,) = AuditEvent.objects.filter(action="notification.resent")
    assert event.actor == operator and event.data["notification_ids"] == [row.pk]


def test_dropping_an_uncertain_e_mail_sends_nothing_and_keeps_it_listed(client, db):
    row = reminder(person("mx", "delegate"), "Cut off")
    cut_off(row, NOW - datetime.timedelta(hours=1))
    operator = signed_in(client, "secretariat", "operator")
    url = reverse("operations:drop", args=[row.pk])
    with time_machine.travel(NOW, tick=False):
        text = page_text(client, url)
        assert "If it did not go out, it is lost" in text
        assert client.post(url).status_code == 302
        assert notifications.send_due() == {}
        assert "Cut off" in page_text(client, overview("dropped"))
        assert "Cut off" not in page_text(client, overview("uncertain"))
    row.refresh_from_db()
    assert row.email_status == EmailStatus.DROPPED
    assert mail.outbox == []
    (event,) = AuditEvent.objects.filter(action="notification.dropped")
    assert event.actor == operator


def test_a_digest_cut_off_is_resent_as_one_e_mail(client, db):
    recipient = person("mx", "delegate")
    first, second = reminder(recipient, "First"), reminder(recipient, "Second")
    cut_off(first, NOW - datetime.timedelta(hours=1))  # claims both, as one digest
    second.refresh_from_db()
    assert second.email_status == EmailStatus.SENDING
    signed_in(client, "secretariat")
    with time_machine.travel(NOW, tick=False):
        text = page_text(client, reverse("operations:resend", args=[second.pk]))
        assert "The 2 notifications of this digest are treated together" in text
        client.post(reverse("operations:resend", args=[second.pk]))
        assert notifications.send_due() == {"sent": 1}
    (digest,) = mail.outbox
    assert digest.subject == "2 reminders"
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


# --- Reminder schedules --------------------------------------------------------------------------


def test_the_schedules_page_shows_each_kind_with_its_default(client, db):
    signed_in(client, "secretariat")
    text = page_text(client, reverse("operations:schedules"))
    for kind in DeadlineKind:
        assert str(kind.label) in text
    assert text.count("14 days, 3 days, 1 day") == 2 * len(DeadlineKind)  # now and default
    edit = page_text(client, reverse("operations:schedule-edit", args=[DeadlineKind.DELIVERABLE]))
    assert "14 days, 3 days, 1 day</textarea>" in edit
    assert 'name="when_overdue"' in edit and "checked" in edit
    # A review closes by itself: nothing to remind once it is past.
    review = page_text(client, reverse("operations:schedule-edit", args=[DeadlineKind.LIST_REVIEW]))
    assert 'name="when_overdue"' not in review


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("14 days, 3 days, 1 day", [20160, 4320, 1440]),
        ("14 days\n3 days\n24 hours", [20160, 4320, 1440]),
        ("2 minutes", [2]),
        ("2 min; 1 hour and 1.5 hours", [90, 60, 2]),
        ("1 week, 3d, 12h, 30m", [10080, 4320, 720, 30]),
        ("  1 Day ,, 1 day before\n", [1440]),
        ("", []),
    ],
)
def test_steps_are_read_as_people_type_them(typed, minutes):
    assert parse_steps(typed) == minutes


def test_steps_follow_the_page_s_language_both_ways(db):
    from compact_process.deadlines.forms import describe_steps

    for language in ("fr", "ru", "ar", "zh-hans", "es"):
        with translation.override(language):
            assert parse_steps(describe_steps([20160, 90, 2])) == [20160, 90, 2]


def test_the_secretariat_sets_a_short_schedule_and_the_scan_uses_it(client, db):
    operator = signed_in(client, "secretariat", "operator")
    url = reverse("operations:schedule-edit", args=[DeadlineKind.DELIVERABLE])
    response = client.post(url, {"steps": "2 minutes"})  # and no overdue reminder
    assert response.status_code == 302 and response.url == reverse("operations:schedules")
    stored = ReminderSchedule.objects.get(kind=DeadlineKind.DELIVERABLE)
    assert (stored.minutes_before, stored.when_overdue) == ([2], False)
    assert "2 minutes" in page_text(client, reverse("operations:schedules"))
    (event,) = AuditEvent.objects.filter(action="reminder_schedule.set")
    assert event.actor == operator
    assert event.data["before"] == {"minutes_before": [20160, 4320, 1440], "when_overdue": True}

    staff = person("staff", "secretariat")
    due = NOW + datetime.timedelta(days=20)
    deadlines.upsert(
        key="ops:1",
        kind=DeadlineKind.DELIVERABLE,
        title="Zero draft",
        due_at=due,
        audience=[deadlines.user(staff.pk)],
    )
    assert deadlines.scan(now=due - datetime.timedelta(days=14)) == 0
    assert deadlines.scan(now=due - datetime.timedelta(minutes=2)) == 1
    assert deadlines.scan(now=due + datetime.timedelta(days=1)) == 0
    (key,) = Notification.objects.filter(recipient=staff).values_list("key", flat=True)
    assert key.endswith(":before-2")


def test_a_review_reminds_delegates_two_minutes_before_it_closes_when_so_configured(client, db):
    signed_in(client, "secretariat")
    client.post(
        reverse("operations:schedule-edit", args=[DeadlineKind.LIST_REVIEW]),
        {"steps": "1 day, 2 minutes", "when_overdue": "on"},  # overdue is not offered
    )
    assert deadlines.schedules()[DeadlineKind.LIST_REVIEW] == ([1440, 2], False)


def test_unreadable_steps_are_refused_with_what_was_typed_kept(client, db):
    signed_in(client, "secretariat")
    url = reverse("operations:schedule-edit", args=[DeadlineKind.DELIVERABLE])
    typed = "3 dais, 5, 0 minutes, 2 minutes"
    response = client.post(url, {"steps": typed})
    assert response.status_code == 422
    text = response.content.decode()
    assert "Please correct the following; nothing was saved" in text
    assert "“3 dais”: “dais” is not a unit of time" in text
    assert "“5”: say minutes, hours or days" in text
    assert "“0 minutes”: a reminder is sent between 1 minute and 365 days before." in text
    assert f">\n{typed}</textarea>" in text
    assert 'aria-invalid="true"' in text
    assert not ReminderSchedule.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="reminder_schedule").exists()


def test_restoring_the_default_removes_the_secretariat_s_schedule(client, db):
    operator = signed_in(client, "secretariat", "operator")
    ReminderSchedule.objects.create(
        kind=DeadlineKind.DELIVERABLE, minutes_before=[2], when_overdue=False
    )
    edit = page_text(client, reverse("operations:schedule-edit", args=[DeadlineKind.DELIVERABLE]))
    assert "Or go back to the default: 14 days, 3 days, 1 day." in edit
    url = reverse("operations:schedule-default", args=[DeadlineKind.DELIVERABLE])
    followed = client.post(url, follow=True)
    assert "are back to the default" in followed.content.decode()
    assert not ReminderSchedule.objects.exists()
    assert deadlines.schedules()[DeadlineKind.DELIVERABLE] == ([20160, 4320, 1440], True)
    (event,) = AuditEvent.objects.filter(action="reminder_schedule.restored")
    assert event.actor == operator
    # Again: nothing to restore, nothing recorded.
    assert "were already the default" in client.post(url, follow=True).content.decode()
    assert AuditEvent.objects.filter(action="reminder_schedule.restored").count() == 1


# --- Reminders coming up ------------------------------------------------------------------------


def test_the_reminders_coming_up_are_the_scan_s_own_and_nothing_is_written(client, db):
    staff = [person(f"s{i}", "secretariat") for i in range(2)]
    due = NOW + datetime.timedelta(days=2)
    deadline = deadlines.upsert(
        key="ops:upcoming",
        kind=DeadlineKind.DELIVERABLE,
        title="Zero draft of the compact",
        due_at=due,
        audience=[deadlines.role("secretariat")],
    )
    deadlines.upsert(  # beyond the horizon's last step: not listed
        key="ops:later",
        kind=DeadlineKind.DELIVERABLE,
        title="Later",
        due_at=NOW + datetime.timedelta(days=30),
        audience=[deadlines.role("secretariat")],
    )
    before = ledger()
    with CaptureQueriesContext(connection) as queries:
        found = operations.upcoming(now=NOW)
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert ledger() == before
    assert [(u.deadline.key, u.step, u.at, u.now, u.recipients) for u in found] == [
        ("ops:upcoming", "before-4320", NOW, True, 2),  # due now: the next scan writes it
        ("ops:upcoming", "before-1440", due - datetime.timedelta(days=1), False, 2),
        ("ops:upcoming", "overdue", due, False, 2),
    ]
    # The scan agrees: at each instant listed it writes that step, to that many people.
    for item in found:
        assert deadlines.scan(now=item.at) == item.recipients
        assert Notification.objects.filter(
            key=deadlines.reminder_key(deadline, item.step)
        ).count() == len(staff)
    # Written now: no longer coming up.
    assert [u.step for u in operations.upcoming(now=NOW)] == ["before-1440", "overdue"]

    signed_in(client, "secretariat")
    with time_machine.travel(NOW, tick=False):
        text = page_text(client, overview("upcoming"))
    assert "Zero draft of the compact" in text and "1 day before" in text
    assert "once overdue" in text and "Later" not in text
    assert "A reminder due now is written at the next scan (every 30 seconds)" in text


def test_a_review_s_reminders_coming_up_stop_at_its_close(db):
    person("mx", "delegate")
    ReminderSchedule.objects.create(kind=DeadlineKind.LIST_REVIEW, minutes_before=[2])
    deadlines.upsert(
        key="ops:review",
        kind=DeadlineKind.LIST_REVIEW,
        title="Preparatory list",
        due_at=NOW + datetime.timedelta(minutes=10),
        audience=[deadlines.user(User.objects.get(username="mx").pk)],
    )
    found = operations.upcoming(now=NOW)
    assert [(u.step, u.at) for u in found] == [("before-2", NOW + datetime.timedelta(minutes=8))]


# --- Query counts --------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _fill(n: int, offset: int) -> None:
    """n e-mails in each status (pending, sent, failed, uncertain), each to its own person."""
    for i in range(offset, offset + n):
        recipient = person(f"p{i}", "delegate", name=f"Person {i}")
        rows = [reminder(recipient, f"Reminder {i}-{k}", key=f"r:{i}:{k}") for k in range(4)]
        Notification.objects.filter(pk=rows[1].pk).update(
            email_status=EmailStatus.SENT, email_sent_at=NOW
        )
        Notification.objects.filter(pk=rows[2].pk).update(
            email_status=EmailStatus.FAILED, email_error="SMTPServerDisconnected: closed"
        )
        Notification.objects.filter(pk=rows[3].pk).update(
            email_status=EmailStatus.SENDING,
            email_claimed_at=NOW - datetime.timedelta(hours=1),
            email_handover_at=NOW - datetime.timedelta(hours=1),
            email_batch=f"b{i}",
        )


def _deadlines(n: int, offset: int, audience) -> None:
    for i in range(offset, offset + n):
        deadlines.upsert(
            key=f"ops:q:{i}",
            kind=DeadlineKind.DELIVERABLE,
            title=f"Deadline {i}",
            due_at=NOW + datetime.timedelta(days=2, minutes=i),
            audience=audience,
        )


def test_the_page_runs_as_many_queries_for_5_as_for_50_e_mails_of_each_kind(client, db):
    signed_in(client, "secretariat")
    person("coordinator", "secretariat")
    _deadlines(3, 0, [deadlines.role("secretariat")])
    _deadlines(2, 3, [deadlines.DELEGATES])
    urls = [overview(), *(overview(section.name) for section in SECTIONS)]
    client.get(overview())  # warm the session
    _fill(5, 0)
    small = {url: _queries(client, url) for url in urls}
    _fill(45, 5)
    assert Notification.objects.count() == 200
    large = {url: _queries(client, url) for url in urls}
    assert small == large


def test_reminders_coming_up_cost_the_same_queries_for_5_as_for_50_deadlines(client, db):
    """People are looked up once per distinct audience, not once per deadline."""
    signed_in(client, "secretariat")
    audience = [deadlines.role("secretariat"), deadlines.DELEGATES]
    url = overview("upcoming")
    _deadlines(5, 0, audience)
    small = _queries(client, url)
    _deadlines(45, 5, audience)
    assert len(operations.upcoming()) == 150
    assert _queries(client, url) == small


# --- For the page registry (tests/pages.py) ------------------------------------------------------


def registry_url(process, which: str) -> str:
    """A page of the operations views, over one e-mail in each status and a deadline
    coming up (made once per test, at the real time: the registry's checks do not
    travel)."""
    from django.utils import timezone

    now = timezone.now()
    recipient, created = User.objects.get_or_create(
        username="pagecheck-ops-recipient",
        defaults={"email": "ops-recipient@example.org", "first_name": "Amina"},
    )
    if created:
        statuses = {
            "pending": {"email_error": "SMTPServerDisconnected: Connection unexpectedly closed"},
            "sent": {"email_status": EmailStatus.SENT, "email_sent_at": now},
            "failed": {
                "email_status": EmailStatus.FAILED,
                "email_attempts": notifications.MAX_ATTEMPTS,
                "email_error": "SMTPRecipientsRefused: {'ops-recipient@example.org': (550, b'No')}",
            },
            "uncertain": {
                "email_status": EmailStatus.SENDING,
                "email_attempts": 1,
                "email_claimed_at": now - datetime.timedelta(hours=1),
                "email_handover_at": now - datetime.timedelta(hours=1),
            },
            "dropped": {
                "email_status": EmailStatus.DROPPED,
                "email_claimed_at": now - datetime.timedelta(hours=2),
                "email_handover_at": now - datetime.timedelta(hours=2),
            },
            "no_address": {"email_status": EmailStatus.NO_ADDRESS},
            "held": {"email_status": EmailStatus.HELD},
        }
        for name, changes in statuses.items():
            row = reminder(recipient, f"Page check: {name}", key=f"pagecheck:{name}")
            Notification.objects.filter(pk=row.pk).update(**changes)
        deadlines.upsert(
            key="pagecheck:ops",
            kind=DeadlineKind.DELIVERABLE,
            title="Page check: a deadline coming up",
            due_at=now + datetime.timedelta(days=2),
            audience=[deadlines.user(recipient.pk)],
        )
    uncertain = Notification.objects.get(recipient=recipient, key="pagecheck:uncertain")
    with translation.override("en"):
        if which in ("resend", "drop"):
            return reverse(f"operations:{which}", args=[uncertain.pk])
        if which in ("send-held-one", "drop-held-one"):
            held = Notification.objects.get(recipient=recipient, key="pagecheck:held")
            return reverse(f"operations:{which}", args=[held.pk])
        if which == "schedule-edit":
            return reverse("operations:schedule-edit", args=[DeadlineKind.DELIVERABLE])
        return reverse(f"operations:{which}")
