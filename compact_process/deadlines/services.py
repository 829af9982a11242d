"""Deadlines: mirrored from their sources, scanned for reminders.

Providers call ``upsert`` (or ``remove``) when a source is saved. ``scan`` is what beat
runs: for each open deadline it works out the one reminder step that is due now (the
latest of the schedule's steps that has passed, or "overdue"), and writes a notification
for each person who must act, keyed by (deadline, its date, step). The notifications
ledger's unique (recipient, key) makes each reminder happen once, however many scans run
at once; a changed date is a new key, so the reminders are re-planned; a met deadline is
not scanned. Sending is the notifications app's (claimed once, retried, in the
recipient's language; a person's reminders of the same sweep go out as one digest).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compact_process import labels
from compact_process.accounts.permissions import delegate_user_ids
from compact_process.deadlines.models import (
    Audience,
    AudienceType,
    Deadline,
    DeadlineKind,
    PendingSync,
    ReminderSchedule,
    default_steps,
)
from compact_process.notifications.models import Notification
from compact_process.notifications.services import Note, notify

log = logging.getLogger(__name__)

# An overdue reminder is not sent for a deadline missed longer ago than this (a restored
# or seeded past process must not remind anyone of 2017).
OVERDUE_WINDOW = datetime.timedelta(days=7)
OVERDUE = "overdue"


@dataclass(frozen=True)
class Target:
    """One line of a deadline's audience."""

    type: str
    value: str = ""


def role(name: str) -> Target:
    return Target(AudienceType.ROLE, str(name))


def organization(pk: int) -> Target:
    return Target(AudienceType.ORGANIZATION, str(pk))


def user(pk: int) -> Target:
    return Target(AudienceType.USER, str(pk))


DELEGATES = Target(AudienceType.DELEGATES)


# --- Who is in an audience (organizations are resolved by the app that owns them) -------

_resolvers: dict[str, Callable[[list[str]], Iterable[int]]] = {}
_memberships: dict[str, Callable[[object], list[str]]] = {}


def register_audience(
    type: str,
    resolve: Callable[[list[str]], Iterable[int]],
    membership: Callable[[object], list[str]],
) -> None:
    """``resolve(values)``: the user ids behind these values; ``membership(user)``: the
    values of this type that include the user."""
    _resolvers[type] = resolve
    _memberships[type] = membership


def _active_users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


register_audience(
    AudienceType.ROLE,
    lambda names: _active_users().filter(groups__name__in=names).values_list("pk", flat=True),
    lambda u: list(u.groups.values_list("name", flat=True)),
)
register_audience(
    AudienceType.DELEGATES,
    lambda _values: delegate_user_ids(),
    lambda u: [""] if u.pk in set(delegate_user_ids(u.pk)) else [],
)
register_audience(
    AudienceType.USER,
    lambda pks: _active_users().filter(pk__in=pks).values_list("pk", flat=True),
    lambda u: [str(u.pk)],
)


def recipients(deadline: Deadline) -> set[int]:
    by_type: dict[str, list[str]] = {}
    for line in deadline.audience.all():
        by_type.setdefault(line.type, []).append(line.value)
    found: set[int] = set()
    for type, values in by_type.items():
        found.update(_resolvers[type](values))
    return found


# Deadlines after which nothing can be done any more (the review closes by itself, the
# window and the nominations close): never "overdue", no longer due for anyone once past.
LAPSING = frozenset(
    {DeadlineKind.LIST_REVIEW, DeadlineKind.APPLICATION_WINDOW, DeadlineKind.MEETING_REGISTRATION}
)


def for_user(user, *, now: datetime.datetime | None = None) -> QuerySet[Deadline]:
    """The deadlines this person must act on (lapsed ones left out)."""
    now = now or timezone.now()
    match = Q(pk__in=[])
    for type, membership in _memberships.items():
        values = membership(user)
        if values:
            match |= Q(audience__type=type, audience__value__in=values)
    return (
        Deadline.objects.filter(match)
        .exclude(kind__in=LAPSING, due_at__lte=now, met_at__isnull=True)
        .distinct()
    )


# --- Writing (providers) ------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One deadline as its provider wants it (``upsert_many``)."""

    key: str
    kind: str
    title: labels.Label
    due_at: datetime.datetime
    audience: frozenset[Target]
    route: str = ""
    route_args: tuple = ()
    met_at: datetime.datetime | None = None

    def fields(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title.in_language(settings.LANGUAGE_CODE)[:300],
            "title_key": self.title.key,
            "title_params": self.title.params,
            "due_at": self.due_at,
            "route": self.route,
            "route_args": list(self.route_args),
            "met_at": self.met_at,
        }


def spec(
    *,
    key: str,
    kind: str,
    title: labels.Label | str,
    due_at: datetime.datetime,
    audience: Iterable[Target],
    route: str = "",
    route_args: Iterable = (),
    met_at: datetime.datetime | None = None,
) -> Spec:
    """``title``: a label (``compact_process.labels``), so that each reader sees it in
    their language; never a gettext string rendered now, in the writer's language. A str
    is text in one language that nobody translates (shown as it is)."""
    if isinstance(title, str):
        title = labels.plain(title)
    return Spec(key, kind, title, due_at, frozenset(audience), route, tuple(route_args), met_at)


_FIELDS = ("kind", "title", "title_key", "title_params", "due_at", "route", "route_args", "met_at")

# Rows per statement when deleting audience lines by id (SQLite's parameter limit).
_CHUNK = 5_000


def upsert_many(specs: Iterable[Spec]) -> dict[str, Deadline]:
    """Write these deadlines as a diff, in a constant number of queries whatever their
    number: rows that are missing are created, rows that differ are updated, and of
    their audiences only the lines that left are deleted and only the new ones inserted.
    Nothing is written when nothing changed (so running it twice changes nothing), and
    two syncs at once do not collide (conflicting inserts are ignored)."""
    wanted_specs = {s.key: s for s in specs}
    if not wanted_specs:
        return {}
    with transaction.atomic():
        found = {d.key: d for d in Deadline.objects.filter(key__in=list(wanted_specs))}
        missing = [Deadline(key=k, **s.fields()) for k, s in wanted_specs.items() if k not in found]
        if missing:
            Deadline.objects.bulk_create(missing, ignore_conflicts=True)
            found = {d.key: d for d in Deadline.objects.filter(key__in=list(wanted_specs))}
        now = timezone.now()
        changed = []
        for key, deadline in found.items():
            fields = wanted_specs[key].fields()
            if any(getattr(deadline, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(deadline, name, value)
                deadline.updated_at = now
                changed.append(deadline)
        if changed:
            Deadline.objects.bulk_update(changed, [*_FIELDS, "updated_at"], batch_size=500)
        wanted = {
            (found[key].pk, t.type, t.value) for key, s in wanted_specs.items() for t in s.audience
        }
        have = {
            (deadline_id, type, value): pk
            for pk, deadline_id, type, value in Audience.objects.filter(
                deadline__in=[d.pk for d in found.values()]
            ).values_list("pk", "deadline_id", "type", "value")
        }
        leaving = [pk for line, pk in have.items() if line not in wanted]
        for start in range(0, len(leaving), _CHUNK):
            Audience.objects.filter(pk__in=leaving[start : start + _CHUNK]).delete()
        Audience.objects.bulk_create(
            (
                Audience(deadline_id=deadline_id, type=type, value=value)
                for deadline_id, type, value in wanted
                if (deadline_id, type, value) not in have
            ),
            batch_size=1000,
            ignore_conflicts=True,
        )
    return found


def upsert(
    *,
    key: str,
    kind: str,
    title: labels.Label | str,
    due_at: datetime.datetime,
    audience: Iterable[Target],
    route: str = "",
    route_args: Iterable = (),
    met_at: datetime.datetime | None = None,
) -> Deadline:
    """One deadline, as ``upsert_many`` writes it (a diff)."""
    one = spec(
        key=key,
        kind=kind,
        title=title,
        due_at=due_at,
        audience=audience,
        route=route,
        route_args=route_args,
        met_at=met_at,
    )
    return upsert_many([one])[key]


def remove_many(keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        Deadline.objects.filter(key__in=keys).delete()


def remove(key: str) -> None:
    Deadline.objects.filter(key=key).delete()


# --- Derived work after commit (an outbox) -------------------------------------------------
# A service whose change has costly consequences on deadlines (a review's close makes its
# approved organizations part of every meeting's registration audience) does not do them
# under its locks: it writes one ``PendingSync`` row in its own transaction and enqueues a
# task on commit. The task does the work and clears the row; beat's ``run_pending``
# sweep does whatever is left (a lost enqueue, a failed run). The work is idempotent.

_jobs: dict[str, Callable[[str], None]] = {}


def register_job(job: str, run: Callable[[str], None]) -> None:
    """``run(arg)`` does the work and calls ``job_done`` (the sweep calls it too)."""
    _jobs[job] = run


def request_job(job: str, arg: object) -> None:
    """Ask for ``job(arg)`` in the current transaction: one statement (a repeated request
    moves the row's time, so a run already under way does not clear it)."""
    PendingSync.objects.bulk_create(
        [PendingSync(job=job, arg=str(arg), requested_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["job", "arg"],
        update_fields=["requested_at"],
    )


def job_started(job: str, arg: object) -> datetime.datetime:
    """When the work about to run was asked for (now if it was not): pass it to
    ``job_done``, so that a request made during the run is not cleared with it. The
    request's own time, not the worker's clock, so that clocks need not agree."""
    asked = (
        PendingSync.objects.filter(job=job, arg=str(arg))
        .values_list("requested_at", flat=True)
        .first()
    )
    return asked or timezone.now()


def job_done(job: str, arg: object, *, started: datetime.datetime) -> None:
    """The work asked for up to ``started`` (``job_started``) is done."""
    PendingSync.objects.filter(job=job, arg=str(arg), requested_at__lte=started).delete()


def run_pending(*, limit: int = 100) -> int:
    """Beat's repair: do the derived work still asked for (one query when there is none)."""
    done = 0
    for row in list(PendingSync.objects.all()[:limit]):
        run = _jobs.get(row.job)
        if run is None:
            log.error("No handler for pending deadline work %s", row)
            continue
        try:
            run(row.arg)
        except Exception:  # one failing job must not hold back the others; retried later
            log.exception("Pending deadline work %s failed; the next sweep retries it", row)
            continue
        done += 1
    return done


# --- Reminders ----------------------------------------------------------------------------

# 14 days, 3 days and 1 day before, and once when overdue. A lapsing deadline (a review
# closes by itself; a window or nominations close) has no overdue reminder: delegates
# hear 14 and 3 days and 24 hours before a review closes.
DEFAULT_SCHEDULES: dict[str, tuple[list[int], bool]] = {
    kind: (default_steps(), kind not in LAPSING) for kind in DeadlineKind.values
}


def schedules() -> dict[str, tuple[list[int], bool]]:
    found = dict(DEFAULT_SCHEDULES)
    for schedule in ReminderSchedule.objects.all():
        found[schedule.kind] = (
            sorted(set(schedule.minutes_before), reverse=True),
            schedule.when_overdue,
        )
    return found


def current_step(
    deadline: Deadline, steps: list[int], when_overdue: bool, now: datetime.datetime
) -> str | None:
    """The reminder due now: the latest step that has passed (earlier ones missed are not
    sent late), or "overdue"; None if none."""
    if deadline.met_at is not None:
        return None
    if now >= deadline.due_at:
        if deadline.kind in LAPSING or not when_overdue:
            return None
        return OVERDUE if now - deadline.due_at <= OVERDUE_WINDOW else None
    passed = [m for m in steps if deadline.due_at - datetime.timedelta(minutes=m) <= now]
    return f"before-{min(passed)}" if passed else None


def reminders_to_come(deadline: Deadline, *, now: datetime.datetime | None = None) -> int:
    """How many of the schedule's reminders before the deadline are still to go out for
    its present date: the steps yet to come, and the one due now unless the ledger has
    it (a moved date is a new key, so none of its reminders has gone out yet)."""
    now = now or timezone.now()
    if deadline.met_at is not None or now >= deadline.due_at:
        return 0
    steps, _when_overdue = schedules()[deadline.kind]
    ahead = [m for m in steps if deadline.due_at - datetime.timedelta(minutes=m) > now]
    step = current_step(deadline, steps, False, now)
    if (
        step is not None
        and not Notification.objects.filter(key=reminder_key(deadline, step)).exists()
    ):
        ahead.append(0)
    return len(ahead)


def reminder_key(deadline: Deadline, step: str) -> str:
    return f"reminder:{deadline.key}:{deadline.due_at:%Y%m%dT%H%M%S}:{step}"


def scan(*, now: datetime.datetime | None = None) -> int:
    """Write the reminders due now; return how many were written. Safe to run twice at
    once: the ledger's unique key lets only one of two identical writes in."""
    now = now or timezone.now()
    plans = schedules()
    longest = max((max(steps, default=0) for steps, _ in plans.values()), default=0)
    candidates = (
        Deadline.objects.filter(
            met_at__isnull=True,
            due_at__gt=now - OVERDUE_WINDOW,
            due_at__lte=now + datetime.timedelta(minutes=longest),
        )
        .prefetch_related("audience")
        .order_by("due_at", "pk")
    )
    written = 0
    for deadline in candidates:
        steps, when_overdue = plans[deadline.kind]
        step = current_step(deadline, steps, when_overdue, now)
        if step is None:
            continue
        key = reminder_key(deadline, step)
        already = set(Notification.objects.filter(key=key).values_list("recipient_id", flat=True))
        new = sorted(recipients(deadline) - already)
        if not new:
            continue
        with transaction.atomic():
            notify(
                Note(
                    recipient_id=recipient,
                    kind="reminder",
                    key=key,
                    route=deadline.route,
                    route_args=deadline.route_args,
                    params={
                        # A label, rendered in the recipient's language when sent.
                        "title": deadline.title_label(),
                        "kind": deadline.kind,
                        "due_at": deadline.due_at,
                        "overdue": step == OVERDUE,
                    },
                )
                for recipient in new
            )
        written += len(new)
    return written


# --- The personal calendar feed -----------------------------------------------------------
# (Models imported in the functions: this section was added while the top of the module
# was being edited elsewhere; they can join the imports above.)


def create_feed_token(*, user):
    """The person's feed token, made if they have none (a second click changes nothing)."""
    from compact_process.deadlines.models import FeedToken

    token, _created = FeedToken.objects.get_or_create(user=user)
    return token


def replace_feed_token(*, user):
    """A new secret for the person's feed: the old address stops working at once."""
    from compact_process.deadlines.models import FeedToken, new_token

    token, _created = FeedToken.objects.update_or_create(user=user, defaults={"token": new_token()})
    return token
