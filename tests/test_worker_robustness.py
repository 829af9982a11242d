"""Issue 5, the real parts under stress: a worker killed in the middle of a batch, the
broker down while a deadline is created, two sends at once on PostgreSQL, and the clock
moved across a review's deadline.

The worker tests start a real Celery worker with embedded beat (tests/test_celery_worker)
against a throwaway SQLite database in VAR_DIR, with a slow mail server that leaves one
file per message (``SlowFileBackend``, loaded by the worker from this module)."""

from __future__ import annotations

import datetime
import json
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections

from tests.test_celery_worker import (
    base_env,
    dedicated_redis,
    kill_worker,
    manage,
    run_worker_until,
    start_worker,
    succeeded,
)

# Redis databases of their own (the suite's other worker tests use TEST_REDIS_URL's).
KILL_REDIS_DB = 13
BACK_REDIS_DB = 12

pytestmark = pytest.mark.worker


# --- A slow mail server ------------------------------------------------------------------


class SlowFileBackend(BaseEmailBackend):
    """Each message takes ``HAND_OVER`` seconds to hand over, then exists as one file
    ``<recipient>.<random>.eml`` in EMAIL_FILE_PATH. The file is written aside and renamed,
    so it appears whole (the mail server's "250 OK"): a worker killed before the rename
    left nothing, one killed after it (before the row was marked sent) left the message
    delivered and its row "sending" (uncertain)."""

    HAND_OVER = 0.02

    def send_messages(self, email_messages) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            time.sleep(self.HAND_OVER)
            name = f"{message.to[0]}.{uuid.uuid4().hex}"
            part = folder / f".{name}.part"
            part.write_bytes(message.message().as_bytes())
            part.rename(folder / f"{name}.eml")
        return len(email_messages)


def delivered(mail_dir: Path) -> Counter:
    """Messages the mail server accepted, by recipient."""
    if not mail_dir.is_dir():
        return Counter()
    return Counter(path.name.rsplit(".", 2)[0] for path in mail_dir.glob("*.eml"))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated SQLite database for the module (migrating takes long on a busy disk);
    each test works on a copy."""
    var_dir = tmp_path_factory.mktemp("migrated")
    manage(base_env(var_dir), "migrate", "-v0")
    return var_dir / "compact_process.sqlite3"


def worker_env(tmp_path: Path, migrated: Path) -> dict[str, str]:
    """A fresh copy of the migrated database in ``tmp_path`` (the VAR_DIR), the slow mail
    server writing to ``tmp_path / "mail"`` and a sweep every second."""
    shutil.copy(migrated, tmp_path / migrated.name)
    return {
        **base_env(tmp_path),
        "EMAIL_BACKEND": f"{__name__}.SlowFileBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "NOTIFICATION_SWEEP_SECONDS": "1",
        # A claim cut off before its hand-over is released after 3 s, not 2 minutes.
        "EMAIL_TIMEOUT": "1",
        "EMAIL_ABANDONED_SECONDS": "3",
    }


# --- Reading the worker's database ---------------------------------------------------------


def rows(var_dir: Path) -> list[tuple[str, str, str, int]]:
    """(recipient's e-mail, kind, e-mail status, attempts) of every notification, read
    straight from the SQLite file the worker writes. Not read-only: after a SIGKILL in the
    middle of a write, the first reader rolls the hot journal back, which needs write
    access."""
    path = Path(var_dir) / "compact_process.sqlite3"
    with closing(sqlite3.connect(path, timeout=30)) as db:
        return db.execute(
            "SELECT u.email, n.kind, n.email_status, n.email_attempts "
            "FROM notifications_notification n JOIN accounts_user u ON u.id = n.recipient_id"
        ).fetchall()


def handed_over_unfinished(var_dir: Path) -> set[str]:
    """Recipients of the e-mails left "sending" whose hand-over had begun (uncertain)."""
    path = Path(var_dir) / "compact_process.sqlite3"
    with closing(sqlite3.connect(path, timeout=30)) as db:
        found = db.execute(
            "SELECT u.email FROM notifications_notification n JOIN accounts_user u "
            "ON u.id = n.recipient_id WHERE n.email_status = 'sending' "
            "AND n.email_handover_at IS NOT NULL"
        ).fetchall()
    return {email for (email,) in found}


def statuses(var_dir: Path) -> Counter:
    return Counter(status for _email, _kind, status, _attempts in rows(var_dir))


def until_settled(var_dir: Path, sweeps: int = 3):
    """``done`` for run_worker_until: no e-mail is pending any more, none is claimed
    without its hand-over begun (the sweep releases those), and ``sweeps`` more sweeps have
    run (which must send nothing more)."""
    sweep = succeeded("notifications.tasks.send_due")
    after = 0

    def settled() -> bool:
        now = statuses(var_dir)
        return now["pending"] == 0 and now["sending"] == len(handed_over_unfinished(var_dir))

    def done(line: str) -> bool:
        nonlocal after
        if sweep(line) and settled():
            after += 1
        return after >= sweeps

    return done


# --- 1. The worker killed in the middle of a batch ---------------------------------------

RECIPIENTS = 300

DEADLINE_FOR_THE_SECRETARIAT = """
import datetime
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from compact_process.deadlines import services as deadlines

User = get_user_model()
people = User.objects.bulk_create(
    User(username=f"staff{i:03d}", email=f"staff{i:03d}@example.org") for i in range(RECIPIENTS)
)
Group.objects.get(name="secretariat").user_set.add(*people)
deadlines.upsert(
    key="test:zero-draft",
    kind="deliverable",
    title="Zero draft of the global compact",
    due_at=timezone.now() + datetime.timedelta(hours=12),  # the 24-hour reminder is due
    audience=[deadlines.role("secretariat")],
    route="secretariat:deliverables",
)
print("written", deadlines.scan())
""".replace("RECIPIENTS", str(RECIPIENTS))

# What the secretariat's operations page lists as uncertain once a hand-over has been under
# way longer than one takes (operations.uncertain_after()).
UNCERTAIN_LATER = """
import datetime
from django.utils import timezone
from compact_process.notifications import operations
later = timezone.now() + operations.uncertain_after() + datetime.timedelta(minutes=1)
print("uncertain", sorted(n.recipient.email for n in operations.uncertain(now=later)))
"""


def send_until_killed(env: dict[str, str], mail_dir: Path, at: int) -> str:
    """Start the worker; SIGKILL it (with its beat) once ``at`` messages were handed over.
    Returns its log."""
    log_path = Path(env["VAR_DIR"]) / "killed-worker.log"
    with log_path.open("w") as log:
        worker = start_worker(env, stdout=log)
        try:
            limit = time.monotonic() + 60
            while sum(delivered(mail_dir).values()) < at:
                if worker.poll() is not None or time.monotonic() > limit:
                    pytest.fail("the worker never got there:\n" + log_path.read_text()[-4000:])
                time.sleep(0.005)
        finally:
            kill_worker(worker)
    return log_path.read_text()


@pytest.mark.parametrize("broker", ["filesystem", pytest.param("redis", marks=pytest.mark.redis)])
def test_a_worker_killed_mid_batch_and_restarted_sends_each_reminder_once(
    broker, tmp_path, migrated, request
):
    env = worker_env(tmp_path, migrated)
    if broker == "redis":
        env["REDIS_URL"] = dedicated_redis(request.getfixturevalue("redis_url"), KILL_REDIS_DB)
    mail_dir = tmp_path / "mail"
    assert f"written {RECIPIENTS}" in manage(env, "shell", "-c", DEADLINE_FOR_THE_SECRETARIAT)

    send_until_killed(env, mail_dir, at=RECIPIENTS // 3)
    cut = statuses(tmp_path)
    assert cut["pending"] > RECIPIENTS // 3, f"not killed in the middle of the batch: {cut}"
    assert cut["sending"] <= 1, cut  # only the hand-over under way when it was killed

    run_worker_until(env, until_settled(tmp_path))

    got = delivered(mail_dir)
    by_status = Counter()
    uncertain_now = handed_over_unfinished(tmp_path)
    claimed_twice = []
    for email, kind, status, attempts in rows(tmp_path):
        assert kind == "reminder"
        by_status[status] += 1
        if status == "sent":
            assert got[email] == 1, f"{email}: {got[email]} messages"
            if attempts != 1:  # cut off after its claim, before its hand-over: released
                claimed_twice.append((email, attempts))
        else:  # cut off during its hand-over: left for a person to judge, never resent
            assert status == "sending" and got[email] <= 1, (email, status, got[email])
            assert email in uncertain_now, f"{email}: left sending with no hand-over begun"
    assert by_status["sent"] + by_status["sending"] == RECIPIENTS, by_status
    # The one e-mail under way when the worker was killed is either uncertain (its
    # hand-over had begun) or was released and sent once (it had not); no other changed.
    assert by_status["sending"] + len(claimed_twice) == cut["sending"], (by_status, claimed_twice)
    assert all(attempts == 2 for _email, attempts in claimed_twice), claimed_twice
    assert max(got.values()) == 1
    assert len(got) >= RECIPIENTS - 1
    uncertain = sorted(email for email, _k, status, _a in rows(tmp_path) if status == "sending")
    assert f"uncertain {uncertain}" in manage(env, "shell", "-c", UNCERTAIN_LATER)


# --- 1b. Redis stopped while the worker sends ----------------------------------------------


class RedisServer:
    """A Redis server of the test's own, on a free port, that the test stops (SIGKILL, as
    a crash or ``docker kill`` does) and starts again on the same port. Like the machine's,
    it keeps nothing on disk: what was queued in it is gone when it comes back."""

    def __init__(self, folder: Path) -> None:
        from tests.conftest import need

        self.binary = shutil.which("redis-server")
        need(self.binary is not None, "redis-server is not installed")
        self.port = closed_port()
        self.folder = folder
        folder.mkdir(exist_ok=True)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        limit = time.monotonic() + 20
        while time.monotonic() < limit:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


REDIS_OUTAGE_SECONDS = 30


@pytest.mark.redis
@pytest.mark.parametrize(
    "pool", [("--pool=solo",), ("--concurrency=2",)], ids=["make-run", "docker-compose"]
)
def test_redis_stopped_mid_batch_every_e_mail_goes_out_once_and_the_worker_carries_on(
    tmp_path, migrated, own_redis, pool
):
    """The worker sends a batch of 300 reminders; Redis is stopped in the middle of it for
    30 s, then started again. Nobody touches the worker: it must still be the same process
    at the end, and every reminder must have been handed over exactly once."""
    env = {**worker_env(tmp_path, migrated), "REDIS_URL": own_redis.url}
    mail_dir = tmp_path / "mail"
    assert f"written {RECIPIENTS}" in manage(env, "shell", "-c", DEADLINE_FOR_THE_SECRETARIAT)

    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = start_worker(env, stdout=log, pool=pool)
        try:

            def wait_for(condition, seconds: float, what: str) -> None:
                limit = time.monotonic() + seconds
                while not condition():
                    if worker.poll() is not None:
                        pytest.fail(f"the worker died {what}:\n" + log_path.read_text()[-6000:])
                    if time.monotonic() > limit:
                        pytest.fail(
                            f"timed out {what}: {statuses(tmp_path)}\n"
                            + log_path.read_text()[-6000:]
                        )
                    time.sleep(0.05)

            wait_for(
                lambda: sum(delivered(mail_dir).values()) >= RECIPIENTS // 3,
                60,
                "before the batch was a third through",
            )
            own_redis.stop()
            cut = sum(delivered(mail_dir).values())
            assert cut < RECIPIENTS, "the batch was over before Redis stopped"
            outage_ends = time.monotonic() + REDIS_OUTAGE_SECONDS
            wait_for(
                lambda: time.monotonic() > outage_ends,
                REDIS_OUTAGE_SECONDS + 5,
                "while Redis was down",
            )
            own_redis.start()
            wait_for(
                lambda: statuses(tmp_path)["pending"] == 0 and statuses(tmp_path)["sending"] == 0,
                120,
                "after Redis came back",
            )
            # A few more sweeps, which must send nothing more.
            sweeps = log_path.read_text().count("send_due") + 6
            wait_for(
                lambda: log_path.read_text().count("send_due") >= sweeps,
                60,
                "for the sweeps after the batch",
            )
            assert worker.poll() is None
        finally:
            kill_worker(worker)

    got = delivered(mail_dir)
    assert len(got) == RECIPIENTS and set(got.values()) == {1}, (len(got), max(got.values()))
    assert statuses(tmp_path) == Counter(sent=RECIPIENTS)
    assert {attempts for _e, _k, _s, attempts in rows(tmp_path)} == {1}


# --- 2. The broker down when a deadline is created -----------------------------------------

THREE_DELEGATES_AND_A_DRAFT_LIST = """
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from compact_process.accounts.permissions import grant_delegate
from phases.models import MemberState, Process
from stakeholders import services
from stakeholders.models import Organization

User = get_user_model()
office = User.objects.create_user("office", password="x-long-password-1")
office.groups.add(Group.objects.get(name="pga_office"))
for iso3 in ("MEX", "DEU", "KEN"):
    delegate = User.objects.create_user(
        iso3.lower(), email=f"{iso3.lower()}@example.org", password="x-long-password-1"
    )
    grant_delegate(delegate, MemberState.objects.get(iso3=iso3))
process = Process.objects.create(slug="p", title="Process", mandate="A/RES/71/280")
org = Organization.objects.create(
    name="Org", kind="ngo", country=MemberState.objects.get(iso3="KEN"), email="o@example.org"
)
application = services.submit_application(
    process=process, organization=org, channel="special", activities="x"
)
services.screen_application(application=application, state="screened_in", actor=office)
lst = services.create_list(process=process, purpose="preparatory", title="List", actor=office)
services.add_entry(stakeholder_list=lst, application=application, actor=office)
print("ready")
"""

# The Office submits the list through the page (a real request through the whole
# middleware stack): a review deadline in 12 hours and a notification to every delegate.
SUBMIT_THE_LIST = """
import datetime, json, logging, time
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from compact_process.deadlines.models import Deadline
from compact_process.notifications.models import Notification
from stakeholders.models import StakeholderList

from compact_process.notifications import services

warnings, enqueues = [], []
class Keep(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger("compact_process.notifications.services").addHandler(Keep())
enqueue = services._enqueue_sending
def timed_enqueue():  # what on_commit runs after the list is submitted
    start = time.monotonic()
    enqueue()
    enqueues.append(round(time.monotonic() - start, 2))
services._enqueue_sending = timed_enqueue

client = Client(raise_request_exception=False, HTTP_HOST="localhost")
office = get_user_model().objects.get(username="office")
client.force_login(office)
# The Office gave its second factor at sign-in (tests/people.py second_factor).
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
session = client.session
session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(
    user=office, name="Test phone", confirmed=True
).persistent_id
session.save()
lst = StakeholderList.objects.get()
due = timezone.now() + datetime.timedelta(hours=12)
start = time.monotonic()
response = client.post(
    reverse("stakeholders-office:list-submit", args=[lst.pk]),
    {"zone": "UTC", "deadline": f"{due:%Y-%m-%dT%H:%M}", "confirm": "yes"},
)
print(json.dumps({
    "status": response.status_code,
    "seconds": round(time.monotonic() - start, 2),
    "enqueue_seconds": enqueues,
    "deadlines": Deadline.objects.filter(kind="list_review", met_at__isnull=True).count(),
    "pending": Notification.objects.filter(email_status="pending").count(),
    "enqueue_failed": sum("Could not enqueue" in w for w in warnings),
}))
"""

DELEGATES = ["mex@example.org", "deu@example.org", "ken@example.org"]


def closed_port() -> int:
    """A local port nothing listens on (a stopped Redis: connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def a_draft_list(tmp_path: Path, migrated: Path) -> dict[str, str]:
    env = worker_env(tmp_path, migrated)
    assert "ready" in manage(env, "shell", "-c", THREE_DELEGATES_AND_A_DRAFT_LIST)
    return env


def submit(env: dict[str, str], timeout: float = 120) -> dict:
    return json.loads(manage(env, "shell", "-c", SUBMIT_THE_LIST, timeout=timeout).splitlines()[-1])


@pytest.mark.redis
def test_with_the_broker_down_the_request_succeeds_and_the_e_mails_go_out_once_it_is_back(
    tmp_path, migrated, redis_url
):
    env = a_draft_list(tmp_path, migrated)
    down = {**env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{closed_port()}/0"}
    submitted = submit(down)
    assert submitted["status"] == 302  # the list is submitted, the Office sees it
    assert submitted["enqueue_failed"] == 1  # the broker was really asked, and was down
    (enqueue_seconds,) = submitted["enqueue_seconds"]
    assert enqueue_seconds < 3  # it gave up quickly (measured: about 0.7 s)
    assert submitted["deadlines"] == 1 and submitted["pending"] == len(DELEGATES)

    back = {
        **env,
        "REDIS_URL": dedicated_redis(redis_url, BACK_REDIS_DB),
        "DEADLINE_SCAN_SECONDS": "1",
    }
    # Nothing was enqueued: the sweep sends the notifications, the scan writes the review's
    # 24-hour reminders (the sweep sends them too). Wait until both kinds are out.
    settled = until_settled(tmp_path)

    def done(line: str) -> bool:
        kinds = Counter(kind for _e, kind, _s, _a in rows(tmp_path))
        return kinds["reminder"] == len(DELEGATES) and settled(line)

    run_worker_until(back, done)
    assert sorted(rows(tmp_path)) == sorted(
        (email, kind, "sent", 1) for email in DELEGATES for kind in ("list.submitted", "reminder")
    )
    assert delivered(tmp_path / "mail") == Counter(dict.fromkeys(DELEGATES, 2))


def test_with_all_of_redis_down_the_request_still_succeeds(tmp_path, migrated):
    env = a_draft_list(tmp_path, migrated)
    down = f"redis://127.0.0.1:{closed_port()}/0"
    submitted = submit({**env, "REDIS_URL": down})
    assert submitted["status"] == 302
    assert submitted["pending"] == len(DELEGATES)


def test_a_broker_that_does_not_answer_does_not_hang_the_request(tmp_path, migrated):
    env = a_draft_list(tmp_path, migrated)
    with socket.create_server(("127.0.0.1", 0), backlog=16) as silent:  # never accepts
        port = silent.getsockname()[1]
        submitted = submit({**env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0"}, 20)
    assert submitted["status"] == 302
    assert max(submitted["enqueue_seconds"]) < 10


# --- 3. Two sends at once (PostgreSQL: real concurrent transactions) ---------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sends_at_once_hand_each_e_mail_over_once(monkeypatch):
    from compact_process.notifications import services as notifications
    from compact_process.notifications.models import Notification

    monkeypatch.setattr(notifications, "_enqueue_sending", lambda: None)  # no broker here
    User = get_user_model()
    people = User.objects.bulk_create(
        User(username=f"p{i:03d}", email=f"p{i:03d}@example.org") for i in range(200)
    )
    Group.objects.get(name="secretariat").user_set.add(*people)
    due = datetime.datetime(2030, 6, 30, 12, 0, tzinfo=datetime.UTC)
    notifications.notify(
        notifications.Note(
            recipient_id=p.pk,
            kind="reminder",
            key="reminder:test:1:before-1440",
            route="secretariat:deliverables",
            params={"title": "Zero draft", "kind": "deliverable", "due_at": due, "overdue": False},
        )
        for p in people
    )
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(notifications.send_due())
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert connection.vendor == "postgresql"
    assert sum(r.get("sent", 0) for r in results) == len(people)
    assert Counter(m.to[0] for m in mail.outbox) == Counter({p.email: 1 for p in people})
    assert set(Notification.objects.values_list("email_status", "email_attempts")) == {("sent", 1)}


# --- 4. The clock moved across a review's deadline ----------------------------------------


def test_the_clock_moved_across_the_deadline_closes_the_review_exactly_once(gcm):
    from compact_process.audit.models import AuditEvent
    from stakeholders import services
    from stakeholders.enums import ListStatus
    from stakeholders.services import CLOSE_GRACE
    from tests.test_review import DEADLINE, review_with

    lst, _office, _entries = review_with(gcm, 2)
    second = datetime.timedelta(seconds=1)
    # The beat sweep as the clock goes by: before, at, across the deadline and its grace,
    # then an hour and a day later; then the clock set back (a corrected clock) and
    # forward again.
    instants = [
        DEADLINE - datetime.timedelta(hours=1),
        DEADLINE - second,
        DEADLINE,
        DEADLINE + CLOSE_GRACE - second,
        DEADLINE + CLOSE_GRACE,
        DEADLINE + CLOSE_GRACE + second,
        DEADLINE + datetime.timedelta(hours=1),
        DEADLINE + datetime.timedelta(days=1),
        DEADLINE - datetime.timedelta(minutes=5),
        DEADLINE + datetime.timedelta(days=2),
    ]
    closed_at: list[datetime.datetime] = []
    with time_machine.travel(instants[0], tick=False) as traveller:
        for instant in instants:
            traveller.move_to(instant)
            if services.close_due_reviews():
                closed_at.append(instant)
    assert closed_at == [DEADLINE + CLOSE_GRACE]
    lst.refresh_from_db()
    assert lst.status == ListStatus.CLOSED
    assert AuditEvent.objects.for_list(lst.pk).filter(action="review.closed").count() == 1
