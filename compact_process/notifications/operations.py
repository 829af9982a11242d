"""Operations: what the secretariat reads and does about the worker and the e-mails it
sends (selectors first, then services).

Reading: whether the worker and beat are alive (the heartbeat beat sends and a worker
runs), the e-mails counted by status, each list of them, and the reminders the deadline
scan will write in the next days, worked out with the scan's own ``current_step`` and
without writing anything.

Acting, each a claim (a conditional UPDATE that must change the rows it read, so that two
people pressing the same button act once) audited with the person's name:

- *retry* a failed e-mail: back to pending, due now;
- *resend* an uncertain one (its hand-over began longer than ``uncertain_after()`` ago
  and never ended: the worker was cut off during it, and the message may or may not have
  reached the mail server; a claim cut off before its hand-over is released by the sweep
  itself, ``services.release_abandoned``):
  back to pending, at the risk of a duplicate;
- *drop* an uncertain one: marked dropped, never sent, at the risk that it was lost;
- *send* or *drop* the e-mails held after a restore (``hold_after_restore``): they were
  waiting or being sent when the backup was taken, and the system it came from may have
  sent them since. One at a time (with the rest of its digest) or all at once.

The audit rows name ids and kinds, not addresses (a mail server's error often quotes the
recipient's address; it stays on the notification, which staff read on the page).

A row that was sent in a digest (``email_batch``) is one e-mail with the other rows of
its batch: they are retried, resent or dropped together.

Reminder schedules per kind of deadline are set here too (the scan reads them on each
run), or restored to ``DEFAULT_SCHEDULES`` by removing the stored row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from compact_process.audit.models import record
from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Deadline, DeadlineKind, ReminderSchedule
from compact_process.errors import Refusal
from compact_process.notifications.models import EmailStatus, Notification

# The worker and beat count as alive while the last heartbeat is younger than this many
# heartbeat intervals (one missed beat is not an outage).
ALIVE_INTERVALS = 3
UPCOMING_HORIZON = datetime.timedelta(days=7)
# A step longer than a year is a typing error, not a reminder.
LONGEST_STEP = 365 * 24 * 60

UNCERTAIN = "uncertain"


# --- Health ------------------------------------------------------------------------------


def beat_interval(entry: str) -> datetime.timedelta:
    """How often beat sends this task: read from the beat schedule, the one place it is
    set (``HEARTBEAT_SECONDS``, ``DEADLINE_SCAN_SECONDS``...)."""
    from compact_process.celery import app

    return datetime.timedelta(seconds=float(app.conf.beat_schedule[entry]["schedule"]))


def heartbeat_interval() -> datetime.timedelta:
    return beat_interval("heartbeat")


@dataclass(frozen=True)
class Health:
    now: datetime.datetime
    interval: datetime.timedelta
    last_beat: datetime.datetime | None
    # Why the heartbeat could not be read (the cache is down), if so.
    error: str = ""

    @property
    def alive(self) -> bool:
        return self.last_beat is not None and self.age < ALIVE_INTERVALS * self.interval

    @property
    def age(self) -> datetime.timedelta:
        return self.now - self.last_beat if self.last_beat else datetime.timedelta.max

    @property
    def limit(self) -> datetime.timedelta:
        return ALIVE_INTERVALS * self.interval


def health(*, now: datetime.datetime | None = None) -> Health:
    """Whether a worker ran beat's heartbeat recently: both are then alive."""
    from compact_process.tasks import HEARTBEAT_KEY

    now = now or timezone.now()
    interval = heartbeat_interval()
    try:
        raw = cache.get(HEARTBEAT_KEY)
    except Exception as error:  # the cache server is down: say so, do not fail the page
        return Health(now, interval, None, f"{type(error).__name__}: {error}")
    last = parse_datetime(raw) if isinstance(raw, str) else None
    if last is not None and timezone.is_naive(last):
        last = timezone.make_aware(last, datetime.UTC)
    return Health(now, interval, last)


# --- The e-mails -------------------------------------------------------------------------


def uncertain_after() -> datetime.timedelta:
    """How long a hand-over may take before a row left "sending" is shown as uncertain
    (``EMAIL_UNCERTAIN_MINUTES``). An SMTP exchange takes seconds (``EMAIL_TIMEOUT`` at
    most); ten minutes means the worker was cut off."""
    return datetime.timedelta(minutes=settings.EMAIL_UNCERTAIN_MINUTES)


def uncertain_q(now: datetime.datetime) -> Q:
    """Its hand-over began longer ago than one takes, and never ended (or, claimed with no
    time noted at all, nothing is known of it)."""
    return Q(email_status=EmailStatus.SENDING) & (
        Q(email_handover_at__lte=now - uncertain_after())
        | Q(email_handover_at__isnull=True, email_claimed_at__isnull=True)
    )


def status_counts(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many e-mails are in each status, and how many of the "sending" ones are
    uncertain, in one query."""
    now = now or timezone.now()
    counts = {status: Count("pk", filter=Q(email_status=status)) for status in EmailStatus.values}
    counts[UNCERTAIN] = Count("pk", filter=uncertain_q(now))
    return Notification.objects.aggregate(**counts)


def _listed(rows: QuerySet[Notification]) -> QuerySet[Notification]:
    return rows.select_related("recipient")


def waiting() -> QuerySet[Notification]:
    return _listed(Notification.objects.filter(email_status=EmailStatus.PENDING)).order_by(
        "-created_at", "-pk"
    )


def sent() -> QuerySet[Notification]:
    return _listed(Notification.objects.filter(email_status=EmailStatus.SENT)).order_by(
        "-email_sent_at", "-pk"
    )


def failed() -> QuerySet[Notification]:
    return _listed(Notification.objects.filter(email_status=EmailStatus.FAILED)).order_by(
        "-created_at", "-pk"
    )


def uncertain(*, now: datetime.datetime | None = None) -> QuerySet[Notification]:
    now = now or timezone.now()
    return _listed(Notification.objects.filter(uncertain_q(now))).order_by(
        "-email_handover_at", "-pk"
    )


def dropped() -> QuerySet[Notification]:
    return _listed(Notification.objects.filter(email_status=EmailStatus.DROPPED)).order_by(
        "-created_at", "-pk"
    )


def no_address() -> QuerySet[Notification]:
    return _listed(Notification.objects.filter(email_status=EmailStatus.NO_ADDRESS)).order_by(
        "-created_at", "-pk"
    )


def held() -> QuerySet[Notification]:
    return _listed(Notification.objects.filter(email_status=EmailStatus.HELD)).order_by(
        "-created_at", "-pk"
    )


def same_email(row: Notification) -> QuerySet[Notification]:
    """The rows handed over as one e-mail with this one (a digest), itself included."""
    if not row.email_batch:
        return Notification.objects.filter(pk=row.pk)
    return Notification.objects.filter(email_batch=row.email_batch)


def batch_sizes(rows: Iterable[Notification]) -> dict[str, int]:
    """For these rows' batches: how many notifications each e-mail carried."""
    batches = {row.email_batch for row in rows if row.email_batch}
    if not batches:
        return {}
    return dict(
        Notification.objects.filter(email_batch__in=batches)
        .values_list("email_batch")
        .annotate(n=Count("pk"))
        .order_by()
    )


# --- Upcoming reminders ----------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    """A reminder the scan will write: for which deadline, which step, when, to how many."""

    deadline: Deadline
    step: str
    at: datetime.datetime
    # Due already, not yet written: the next scan writes it.
    now: bool
    recipients: int

    @property
    def overdue(self) -> bool:
        return self.step == deadlines.OVERDUE

    @property
    def minutes_before(self) -> int | None:
        if self.step.startswith("before-"):
            return int(self.step.removeprefix("before-"))
        return None


def _instants(
    deadline: Deadline, steps: list[int], now: datetime.datetime, until: datetime.datetime
) -> list[datetime.datetime]:
    """The instants at which the scan's step for this deadline can change: now, each
    step's time and the deadline itself, those up to ``until``."""
    times = [deadline.due_at - datetime.timedelta(minutes=m) for m in steps]
    times.append(deadline.due_at)
    return [now, *sorted(t for t in times if now < t <= until)]


def upcoming(
    *, now: datetime.datetime | None = None, horizon: datetime.timedelta = UPCOMING_HORIZON
) -> list[Upcoming]:
    """The reminders the scan will write from now to ``now + horizon``, soonest first:
    the one due now and not yet written, then each later step (with the scan's own
    ``current_step``, so a missed step or a lapsed deadline is left out as the scan
    leaves it). Reads only. Recipients are counted as of now; they are resolved once per
    distinct audience, not once per deadline."""
    now = now or timezone.now()
    until = now + horizon
    plans = deadlines.schedules()
    longest = max((max(steps, default=0) for steps, _ in plans.values()), default=0)
    candidates = (
        Deadline.objects.filter(
            met_at__isnull=True,
            due_at__gt=now - deadlines.OVERDUE_WINDOW,
            due_at__lte=until + datetime.timedelta(minutes=longest),
        )
        .prefetch_related("audience")
        .order_by("due_at", "pk")
    )
    planned: list[tuple[Deadline, str, datetime.datetime]] = []
    for deadline in candidates:
        steps, when_overdue = plans[deadline.kind]
        seen: set[str] = set()
        for instant in _instants(deadline, steps, now, until):
            step = deadlines.current_step(deadline, steps, when_overdue, instant)
            if step is not None and step not in seen:
                seen.add(step)
                planned.append((deadline, step, instant))

    due_keys = {deadlines.reminder_key(d, step) for d, step, at in planned if at == now}
    written: dict[str, set[int]] = {}
    for key, recipient in Notification.objects.filter(key__in=due_keys).values_list(
        "key", "recipient_id"
    ):
        written.setdefault(key, set()).add(recipient)

    audiences: dict[frozenset, set[int]] = {}
    found: list[Upcoming] = []
    for deadline, step, at in planned:
        signature = frozenset((a.type, a.value) for a in deadline.audience.all())
        if signature not in audiences:
            audiences[signature] = deadlines.recipients(deadline)
        people = audiences[signature]
        if at == now:
            people = people - written.get(deadlines.reminder_key(deadline, step), set())
        if people:  # the scan writes nothing for nobody
            found.append(Upcoming(deadline, step, at, at == now, len(people)))
    return sorted(found, key=lambda u: (u.at, u.deadline.due_at, u.deadline.pk))


# --- Acting on e-mails -------------------------------------------------------------------


def _enqueue() -> None:
    # The same hand-off as notify(): a worker sends what is due once this commits (and
    # beat's sweep does, if the broker is down).
    from compact_process.notifications.services import _enqueue_sending

    transaction.on_commit(_enqueue_sending)


def _take(pk: int, condition: Q, *, refusal: str, **changes) -> tuple[Notification, list[int]]:
    """Claim this row and the rest of its e-mail that still meet ``condition``: apply
    ``changes`` with one conditional UPDATE that must change every row read, or refuse
    (someone else acted first). Call inside a transaction."""
    row = Notification.objects.filter(condition, pk=pk).first()
    if row is None:
        raise Refusal(refusal)
    ids = list(same_email(row).filter(condition).values_list("pk", flat=True))
    changed = Notification.objects.filter(condition, pk__in=ids).update(**changes)
    if changed != len(ids):
        raise Refusal(refusal)
    return row, ids


def retry(*, pk: int, actor, now: datetime.datetime | None = None) -> list[int]:
    """Send a failed e-mail again, now, with a new round of automatic retries should the
    mail server still fail (the person has presumably fixed it). Returns the
    notifications it carries; the audit record keeps the attempts made before."""
    now = now or timezone.now()
    with transaction.atomic():
        row, ids = _take(
            pk,
            Q(email_status=EmailStatus.FAILED),
            refusal=_("This e-mail is no longer failed (it was retried meanwhile)."),
            email_status=EmailStatus.PENDING,
            email_next_attempt_at=now,
            email_claimed_at=None,
            email_handover_at=None,
            email_attempts=0,
        )
        record(
            "notification.retried",
            actor=actor,
            notification_ids=ids,
            kind=row.kind,
            attempts=row.email_attempts,
        )
        _enqueue()
    return ids


def resend(*, pk: int, actor, now: datetime.datetime | None = None) -> list[int]:
    """Send an uncertain e-mail again: the person judged that it most likely did not reach
    the mail server (if it did, the recipient gets it twice)."""
    now = now or timezone.now()
    with transaction.atomic():
        row, ids = _take(
            pk,
            uncertain_q(now),
            refusal=_("This e-mail is no longer uncertain (someone resent or dropped it)."),
            email_status=EmailStatus.PENDING,
            email_next_attempt_at=now,
            email_claimed_at=None,
            email_handover_at=None,
        )
        record(
            "notification.resent",
            actor=actor,
            notification_ids=ids,
            kind=row.kind,
            claimed_at=row.email_claimed_at.isoformat() if row.email_claimed_at else None,
        )
        _enqueue()
    return ids


def drop(*, pk: int, actor, now: datetime.datetime | None = None) -> list[int]:
    """Never send an uncertain e-mail: the person judged that it most likely reached the
    mail server (if it did not, it is lost; the in-app notification remains)."""
    now = now or timezone.now()
    with transaction.atomic():
        row, ids = _take(
            pk,
            uncertain_q(now),
            refusal=_("This e-mail is no longer uncertain (someone resent or dropped it)."),
            email_status=EmailStatus.DROPPED,
        )
        record(
            "notification.dropped",
            actor=actor,
            notification_ids=ids,
            kind=row.kind,
            claimed_at=row.email_claimed_at.isoformat() if row.email_claimed_at else None,
        )
    return ids


# --- After a restore ----------------------------------------------------------------------

HELD = Q(email_status=EmailStatus.HELD)


def hold_after_restore(*, taken_at: str, reason: str) -> int:
    """Hold every e-mail waiting or being sent: nothing sends a held e-mail until a person
    decides. Called by the restore (``compact_process.backups``) before any worker runs on
    the restored database: the system the backup came from may have sent them after the
    backup was taken. The claim and hand-over times stay, for the person to read. Returns
    how many."""
    with transaction.atomic():
        count = Notification.objects.filter(
            email_status__in=[EmailStatus.PENDING, EmailStatus.SENDING]
        ).update(email_status=EmailStatus.HELD)
        if count:
            record("notification.held_after_restore", count=count, taken_at=taken_at, reason=reason)
    return count


def _take_held(pk: int | None, *, refusal: str, **changes) -> tuple[str, list[int]]:
    """Claim one held e-mail (with the rest of its digest), or every held one."""
    if pk is not None:
        row, ids = _take(pk, HELD, refusal=refusal, **changes)
        return row.kind, ids
    ids = list(Notification.objects.filter(HELD).values_list("pk", flat=True))
    if not ids or Notification.objects.filter(HELD, pk__in=ids).update(**changes) != len(ids):
        raise Refusal(refusal)
    return "", ids


def send_held(*, actor, pk: int | None = None, now: datetime.datetime | None = None) -> list[int]:
    """Send a held e-mail (``pk``), or every held one: the person judged that the system
    the backup came from had not sent it (if it had, the recipient gets it twice)."""
    now = now or timezone.now()
    with transaction.atomic():
        kind, ids = _take_held(
            pk,
            refusal=_("This e-mail is no longer held (someone sent or dropped it)."),
            email_status=EmailStatus.PENDING,
            email_next_attempt_at=now,
            email_claimed_at=None,
            email_handover_at=None,
            email_batch="",
        )
        record("notification.held_sent", actor=actor, notification_ids=ids, kind=kind)
        _enqueue()
    return ids


def drop_held(*, actor, pk: int | None = None) -> list[int]:
    """Never send a held e-mail (``pk``), or any held one: the person judged that it went
    out before the restore, or no longer matters (the in-app notification remains)."""
    with transaction.atomic():
        kind, ids = _take_held(
            pk,
            refusal=_("This e-mail is no longer held (someone sent or dropped it)."),
            email_status=EmailStatus.DROPPED,
        )
        record("notification.held_dropped", actor=actor, notification_ids=ids, kind=kind)
    return ids


# --- Reminder schedules ------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleRow:
    kind: str
    label: str
    steps: list[int]
    when_overdue: bool
    default_steps: list[int]
    default_when_overdue: bool
    # Set by the secretariat (a stored row), not the default.
    custom: bool
    # Lapses by itself at its deadline (a review closes): never an overdue reminder.
    lapsing: bool

    @property
    def is_default(self) -> bool:
        return (sorted(self.steps), self.when_overdue) == (
            sorted(self.default_steps),
            self.default_when_overdue,
        )


def schedule(kind: str) -> ScheduleRow:
    return next(row for row in schedule_rows() if row.kind == kind)


def schedule_rows() -> list[ScheduleRow]:
    """Each kind of deadline with the schedule the scan uses and the default."""
    stored = set(ReminderSchedule.objects.values_list("kind", flat=True))
    plans = deadlines.schedules()
    rows = []
    for kind in DeadlineKind:
        steps, when_overdue = plans[kind.value]
        default_steps, default_when_overdue = deadlines.DEFAULT_SCHEDULES[kind.value]
        rows.append(
            ScheduleRow(
                kind=kind.value,
                label=str(kind.label),
                steps=sorted(steps, reverse=True),
                when_overdue=when_overdue,
                default_steps=sorted(default_steps, reverse=True),
                default_when_overdue=default_when_overdue,
                custom=kind.value in stored,
                lapsing=kind.value in deadlines.LAPSING,
            )
        )
    return rows


def _check_kind(kind: str) -> None:
    if kind not in DeadlineKind.values:
        raise ValueError(f"Unknown kind of deadline: {kind!r}")


def set_schedule(
    *, kind: str, minutes_before: Iterable[int], when_overdue: bool, actor
) -> ReminderSchedule:
    """Store the schedule of one kind of deadline; the next scan uses it."""
    _check_kind(kind)
    steps = sorted(set(minutes_before), reverse=True)
    # The scan never sends an overdue reminder of a lapsing deadline: do not store a wish
    # it would ignore.
    when_overdue = when_overdue and kind not in deadlines.LAPSING
    if any(not isinstance(m, int) or not 0 < m <= LONGEST_STEP for m in steps):
        raise ValidationError(
            {"steps": _("Each reminder must be between 1 minute and 365 days before.")}
        )
    with transaction.atomic():
        before = deadlines.schedules()[kind]
        stored, _created = ReminderSchedule.objects.update_or_create(
            kind=kind, defaults={"minutes_before": steps, "when_overdue": when_overdue}
        )
        record(
            "reminder_schedule.set",
            actor=actor,
            kind=kind,
            before={"minutes_before": before[0], "when_overdue": before[1]},
            after={"minutes_before": steps, "when_overdue": when_overdue},
        )
    return stored


def restore_default_schedule(*, kind: str, actor) -> bool:
    """Back to the default schedule of this kind; False if it was already the default."""
    _check_kind(kind)
    with transaction.atomic():
        before = deadlines.schedules()[kind]
        removed, _by_model = ReminderSchedule.objects.filter(kind=kind).delete()
        if removed:
            record(
                "reminder_schedule.restored",
                actor=actor,
                kind=kind,
                before={"minutes_before": before[0], "when_overdue": before[1]},
            )
    return bool(removed)
