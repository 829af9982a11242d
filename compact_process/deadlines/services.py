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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compact_process.accounts.permissions import delegate_user_ids
from compact_process.deadlines.models import (
    Audience,
    AudienceType,
    Deadline,
    DeadlineKind,
    ReminderSchedule,
    default_steps,
)
from compact_process.notifications.models import Notification
from compact_process.notifications.services import Note, notify

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


def upsert(
    *,
    key: str,
    kind: str,
    title: str,
    due_at: datetime.datetime,
    audience: Iterable[Target],
    route: str = "",
    route_args: Iterable = (),
    met_at: datetime.datetime | None = None,
) -> Deadline:
    with transaction.atomic():
        deadline, _created = Deadline.objects.update_or_create(
            key=key,
            defaults={
                "kind": kind,
                "title": title[:300],
                "due_at": due_at,
                "route": route,
                "route_args": list(route_args),
                "met_at": met_at,
            },
        )
        wanted = {(t.type, t.value) for t in audience}
        have = set(deadline.audience.values_list("type", "value"))
        if wanted != have:
            deadline.audience.all().delete()
            Audience.objects.bulk_create(
                Audience(deadline=deadline, type=type, value=value) for type, value in wanted
            )
    return deadline


def remove(key: str) -> None:
    Deadline.objects.filter(key=key).delete()


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
                        "title": deadline.title,
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
