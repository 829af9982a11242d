"""Reads of the deadline table that the "due for me" page and the personal calendar feed
share. Both start from ``services.for_user``, so that the page and the feed can never
disagree about whose deadlines they are; each is one query over the table, whatever the
number of deadlines (a person's memberships are a few more, also constant)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from compact_process.deadlines.models import Deadline, FeedToken
from compact_process.deadlines.services import for_user

# How long a met deadline stays on the page, in its collapsed section.
RECENTLY_MET = datetime.timedelta(days=30)


def link(deadline: Deadline) -> str:
    """The path of the page to act on, in the current language; "" if there is none."""
    if not deadline.route:
        return ""
    try:
        return reverse(deadline.route, args=deadline.route_args)
    except NoReverseMatch:
        return ""


def open_for(user) -> QuerySet[Deadline]:
    """The deadlines this person must still act on, soonest (so the overdue) first."""
    return for_user(user).filter(met_at__isnull=True).order_by("due_at", "pk")


@dataclass(frozen=True)
class DueItem:
    deadline: Deadline
    link: str
    overdue: bool


@dataclass
class DueForMe:
    now: datetime.datetime
    open: list[DueItem] = field(default_factory=list)
    met: list[DueItem] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.open if item.overdue)


def due_for(user, *, now: datetime.datetime | None = None) -> DueForMe:
    """Open deadlines soonest first (overdue ones first, being the soonest), and those met
    in the last ``RECENTLY_MET``, most recently met first."""
    now = now or timezone.now()
    found = for_user(user).filter(Q(met_at__isnull=True) | Q(met_at__gte=now - RECENTLY_MET))
    due = DueForMe(now=now)
    for deadline in found.order_by("due_at", "pk"):
        item = DueItem(deadline, link(deadline), deadline.is_overdue(now))
        (due.open if deadline.met_at is None else due.met).append(item)
    due.met.sort(key=lambda item: item.deadline.met_at, reverse=True)
    return due


def feed_token(user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()


def feed_owner(token: str):
    """The active user whose calendar feed this token opens, or None (unknown, replaced,
    or the account was deactivated)."""
    found = FeedToken.objects.filter(token=token, user__is_active=True).select_related("user")
    row = found.first()
    return row.user if row is not None else None
