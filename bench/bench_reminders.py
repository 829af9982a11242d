"""Reminders at the scale the issue names: about 10,000 due at once (a list under review
for 193 Member States × 50 delegates, plus deliverables due for the secretariat). The
scan writes them through the notifications ledger; one sender (``send_due``, the body of
the worker's task) sends them all through Django's e-mail backend, in batches of
``BATCH``. Per batch the queries must not grow with the number of reminders; reported:
reminders and e-mails per second, queries per e-mail and per batch, and the sender's peak
memory. Each person's reminders of one sweep go out as one digest, so a secretariat
member with five deliverables due gets one e-mail."""

from __future__ import annotations

import datetime
import math
import socketserver
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.utils import timezone

from bench.core import COUNT, MIB, MS, QUERIES, RATIO, Context, Record, peak_memory_mib
from bench.data import process_of_size, stakeholder_list
from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Deadline
from compact_process.notifications import services as notifications
from compact_process.notifications.models import EmailStatus, Notification
from phases.enums import DeliverableKind, DeliverableStatus, ResponsibleRole, StateStatus
from phases.models import MemberState, MemberStateUserObjectPermission
from phases.services import create_deliverable

PER_SECOND = "per s"
# (delegates per Member State, secretariat members) in all; the large size is the issue's.
# The large run adds people to the small run's: everyone gets the large run's reminders.
SIZES = {"small": (5, 20), "large": (50, 200)}
# E-mails sent again for the sender's peak memory (under tracemalloc, slow: not timed) and
# through a local SMTP server, at both sizes.
SAMPLE = 1000
DELIVERABLES = 5
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class DiscardingBackend(BaseEmailBackend):
    """What an SMTP backend does to a message before the socket (serialise it to bytes),
    without keeping it: locmem's outbox would hold 10,000 messages and be counted as the
    sender's memory."""

    sent = 0

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.message().as_bytes()
        DiscardingBackend.sent += len(email_messages)
        return len(email_messages)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's SMTP backend (no TLS, no authentication): accepts
    every message and counts it."""

    def handle(self) -> None:
        self.wfile.write(b"220 bench ESMTP\r\n")
        in_data = False
        while line := self.rfile.readline():
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    with self.server.lock:
                        self.server.received += 1
                    self.wfile.write(b"250 OK\r\n")
                continue
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 bench\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.wfile.write(b"250 OK\r\n")


@contextmanager
def smtp_catcher() -> Iterator[socketserver.ThreadingTCPServer]:
    """A local SMTP server on a free loopback port, with Django's SMTP backend pointed
    at it for the duration."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = 0
    server.lock = threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved = {
        name: getattr(settings, name)
        for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS")
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = False
    try:
        yield server
    finally:
        for name, value in saved.items():
            setattr(settings, name, value)
        server.shutdown()
        server.server_close()


@contextmanager
def counted_queries():
    """Count the queries, and the ones of each batch (a batch starts with the query that
    lists the next ``BATCH`` due e-mails), without keeping their SQL."""
    marker = f"LIMIT {notifications.BATCH}"
    counts = {"total": 0, "inserts": 0, "batches": []}

    def wrapper(execute, sql, params, many, context):
        counts["total"] += 1
        if sql.lstrip().upper().startswith("INSERT"):
            counts["inserts"] += 1
        if marker in sql and "email_next_attempt_at" in sql:
            counts["batches"].append(0)
        if counts["batches"]:
            counts["batches"][-1] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counts


@contextmanager
def enqueues_counted():
    """The scan's ``on_commit`` hand-off to the broker, counted instead of sent (no broker
    in a benchmark; a developer's worker must not pick the messages up)."""
    calls: list[int] = []
    original = notifications._enqueue_sending
    notifications._enqueue_sending = lambda: calls.append(1)
    try:
        yield calls
    finally:
        notifications._enqueue_sending = original


@transaction.atomic
def _people(size: str, per_state: int, secretariat: int) -> None:
    """``per_state`` more delegates of each Member State (as ``grant_delegate`` makes
    them, in bulk) and ``secretariat`` more secretariat members, in the six languages in
    turn."""
    User = get_user_model()
    states = list(MemberState.objects.filter(status=StateStatus.MEMBER).order_by("id"))
    delegates = User.objects.bulk_create(
        (
            User(
                username=f"bench-rem-{size}-{state.iso3}-{i}",
                email=f"{state.iso3.lower()}{i}.{size}@example.org",
                preferred_language=LANGUAGES[(n * per_state + i) % len(LANGUAGES)],
            )
            for n, state in enumerate(states)
            for i in range(per_state)
        ),
        batch_size=1000,
    )
    act_for_state = Permission.objects.get(
        content_type__app_label="phases", codename="act_for_state"
    )
    MemberStateUserObjectPermission.objects.bulk_create(
        (
            MemberStateUserObjectPermission(
                user=user, permission=act_for_state, content_object=states[k // per_state]
            )
            for k, user in enumerate(delegates)
        ),
        batch_size=1000,
    )
    staff = User.objects.bulk_create(
        User(
            username=f"bench-rem-{size}-staff-{i}",
            email=f"staff{i}.{size}@example.org",
            preferred_language=LANGUAGES[i % len(LANGUAGES)],
        )
        for i in range(secretariat)
    )
    Membership = User.groups.through
    delegate_group = Group.objects.get(name="delegate")
    secretariat_group = Group.objects.get(name="secretariat")
    Membership.objects.bulk_create(
        [Membership(user_id=u.pk, group_id=delegate_group.pk) for u in delegates]
        + [Membership(user_id=u.pk, group_id=secretariat_group.pk) for u in staff],
        batch_size=1000,
    )


def _deadlines(ctx: Context, process, size: str) -> list[int]:
    """A list under review closing in 12 hours (every delegate: its 24-hour reminder is
    due) and deliverables of the secretariat due the day after tomorrow (their 3-day
    reminder is due), written as deadlines by the real services (flow 3)."""
    now = timezone.now()
    lst = stakeholder_list(
        ctx,
        process,
        title=f"Bench reminders {size}",
        entries=20,
        deadline=now + datetime.timedelta(hours=12),
    )
    keys = [f"list-review:{lst.pk}"]
    for i in range(DELIVERABLES):
        title = f"Bench reminders {size} deliverable {i}"
        deliverable = create_deliverable(
            process=process,
            key=f"bench-rem-{size}-{i}",
            kind=DeliverableKind.ISSUE_BRIEF,
            title=title,
            title_en=title,
            responsible=ResponsibleRole.SECRETARIAT,
            due_on=now.date() + datetime.timedelta(days=2),
            status=DeliverableStatus.PLANNED,
        )
        keys.append(f"deliverable:{deliverable.pk}")
    return list(Deadline.objects.filter(key__in=keys).values_list("pk", flat=True))


def _one_size(ctx: Context, process, size: str) -> list[Record]:
    per_state, secretariat = SIZES[size]
    had_per_state, had_secretariat = ctx.shared.get("reminders:people", (0, 0))
    ctx.log(f"reminders {size}: {per_state} delegates per Member State, {secretariat} staff")
    _people(size, per_state - had_per_state, secretariat - had_secretariat)
    ctx.shared["reminders:people"] = (per_state, secretariat)
    mine = _deadlines(ctx, process, size)
    # Only this size's deadlines are due in this measurement (those of other benchmarks
    # and of the other size are set aside, then restored).
    others = list(
        Deadline.objects.filter(met_at__isnull=True)
        .exclude(pk__in=mine)
        .values_list("pk", flat=True)
    )
    Deadline.objects.filter(pk__in=others).update(met_at=timezone.now())
    try:
        return _measure(ctx, size)
    finally:
        Deadline.objects.filter(pk__in=others).update(met_at=None)
        Deadline.objects.filter(pk__in=mine).update(met_at=timezone.now())


def _measure(ctx: Context, size: str) -> list[Record]:
    ctx.log(f"reminders {size}: scanning…")
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with enqueues_counted() as enqueued, counted_queries() as scan_queries:
        start = time.perf_counter()
        written = deadlines.scan()
        scan_ms = (time.perf_counter() - start) * 1000
    mine = Notification.objects.filter(pk__gt=before)
    people = mine.values("recipient").distinct().count()
    ctx.log(f"reminders {size}: {written} written for {people} people; sending (locmem)…")

    mail.outbox = []
    with counted_queries() as send_queries:
        start = time.perf_counter()
        outcome = notifications.send_due()
        send_s = time.perf_counter() - start
    emails = len(mail.outbox)
    mail.outbox = []
    assert outcome == {"sent": emails}, outcome
    assert not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()
    full_batches = send_queries["batches"][:-1] or send_queries["batches"]  # last: empty

    sample = min(emails, SAMPLE)

    def again() -> None:
        mine.update(
            email_status=EmailStatus.PENDING,
            email_attempts=0,
            email_batch="",
            email_claimed_at=None,
            email_sent_at=None,
        )

    # The first SAMPLE e-mails again through Django's SMTP backend to a local SMTP server:
    # one connection per e-mail, as the sender opens them (each claimed, sent, marked).
    ctx.log(f"reminders {size}: {emails} e-mails in {send_s:.1f} s; {sample} through SMTP…")
    again()
    with smtp_catcher() as server:
        start = time.perf_counter()
        notifications.send_due(limit=sample)
        smtp_s = time.perf_counter() - start
    assert server.received == sample, (server.received, sample)

    # And again for the sender's peak memory (tracemalloc slows it down: not timed),
    # through a backend that serialises and drops each message. The sender holds one batch
    # of ids at a time: its peak must be the same at both sizes.
    ctx.log(f"reminders {size}: measuring memory…")
    again()
    backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = f"{__name__}.DiscardingBackend"
    DiscardingBackend.sent = 0
    try:
        memory = peak_memory_mib(lambda: notifications.send_due(limit=sample))
    finally:
        settings.EMAIL_BACKEND = backend
    assert DiscardingBackend.sent == sample, DiscardingBackend.sent

    prefix = f"reminders.{size}"
    return [
        Record(f"{prefix}.recipients", people, COUNT),
        Record(f"{prefix}.reminders", written, COUNT),
        Record(f"{prefix}.emails", emails, COUNT),
        Record(f"{prefix}.scan_time", round(scan_ms, 2), MS),
        Record(f"{prefix}.scan_queries", scan_queries["total"], QUERIES),
        Record(f"{prefix}.scan_inserts", scan_queries["inserts"], QUERIES),
        Record(f"{prefix}.scan_enqueued", len(enqueued), COUNT),
        Record(f"{prefix}.send_time", round(send_s * 1000, 2), MS),
        Record(f"{prefix}.reminders_per_s", round(written / send_s, 2), PER_SECOND),
        Record(f"{prefix}.emails_per_s", round(emails / send_s, 2), PER_SECOND),
        Record(f"{prefix}.send_queries", send_queries["total"], QUERIES),
        Record(f"{prefix}.batches", len(send_queries["batches"]), COUNT),
        Record(f"{prefix}.queries_per_batch", statistics.median(full_batches), QUERIES),
        Record(f"{prefix}.queries_per_email", round(send_queries["total"] / emails, 2), RATIO),
        Record(f"{prefix}.smtp_emails_per_s", round(sample / smtp_s, 2), PER_SECOND),
        Record(f"{prefix}.peak_memory", memory, MIB),
    ]


def run(ctx: Context) -> list[Record]:
    process = process_of_size(ctx, "small")
    records: list[Record] = []
    for size in SIZES:
        records += _one_size(ctx, process, size)
    value = {r.name: r.value for r in records}
    small, large = (
        value["reminders.small.queries_per_batch"],
        value["reminders.large.queries_per_batch"],
    )
    ratio = round(large / small, 2)
    records.append(Record("reminders.queries_per_batch_ratio", ratio, RATIO))
    if not math.isclose(ratio, 1.0, abs_tol=0.02):
        ctx.log(f"WARNING: {small} queries per batch on the small run, {large} on the large")
    return records
