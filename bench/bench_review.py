"""The close of a no-objection review at the scale the issue names: a list of 3,000
entries, 193 Member States, 20,000 objections (some withdrawn). The close is set-based
SQL under one row lock (stakeholders.services.close_review): its time and its query
count must not grow with the list. Target: under 2 seconds on this machine."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from bench.core import COUNT, MS, QUERIES, Context, Record, count_queries
from bench.data import process_of_size
from phases.enums import StateStatus
from phases.models import MemberState
from stakeholders import services
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, ListStatus
from stakeholders.models import Application, ListEntry, Objection, Organization, StakeholderList

SIZES = {"small": (300, 2_000), "large": (3_000, 20_000)}  # entries, objections


def _review(ctx: Context, process, size: str) -> StakeholderList:
    entries_n, objections_n = SIZES[size]
    rng = random.Random(f"review-{size}")
    states = list(MemberState.objects.filter(status=StateStatus.MEMBER).order_by("id"))
    user, _ = get_user_model().objects.get_or_create(username="bench-delegate")
    deadline = timezone.now() - datetime.timedelta(minutes=10)
    ctx.log(f"generating a review of {entries_n} entries and {objections_n} objections")
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Organisation {size} {i}",
            kind="ngo",
            country=states[i % len(states)],
            email=f"o{i}@example.org",
        )
        for i in range(entries_n)
    )
    apps = Application.objects.bulk_create(
        Application(
            process=process,
            organization=o,
            channel=Channel.SPECIAL,
            state=ApplicationState.SCREENED_IN,
            activities="Migration",
        )
        for o in orgs
    )
    lst = StakeholderList.objects.create(
        process=process,
        purpose="preparatory",
        title=f"Bench list {size}",
        status=ListStatus.UNDER_REVIEW,
        review_deadline=deadline,
        submitted_at=deadline - datetime.timedelta(days=30),
    )
    entries = ListEntry.objects.bulk_create(
        ListEntry(stakeholder_list=lst, application=a) for a in apps
    )
    # Objections concentrate on a tenth of the entries (as in practice: most entries draw
    # none), so that the close decides both ways.
    contested = max(1, len(entries) // 10)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < objections_n:
        pairs.add((rng.randrange(contested), rng.randrange(len(states))))
    lodged = deadline - datetime.timedelta(days=1)
    Objection.objects.bulk_create(
        Objection(
            entry=entries[e],
            member_state=states[s],
            lodged_by=user,
            lodged_at=lodged,
            withdrawn_at=lodged if rng.random() < 0.1 else None,
        )
        for e, s in sorted(pairs)
    )
    return lst


def run(ctx: Context) -> list[Record]:
    process = process_of_size(ctx, "small")
    records: list[Record] = []
    for size in ("small", "large"):
        lst = _review(ctx, process, size)
        start = timezone.now()
        queries, closed = count_queries(lambda lst=lst: services.close_review(list_id=lst.pk))
        elapsed = (timezone.now() - start).total_seconds() * 1000
        assert closed, "the review did not close"
        rejected = ListEntry.objects.filter(
            stakeholder_list=lst, outcome=EntryOutcome.NOT_APPROVED
        ).count()
        records += [
            Record(f"review_close.{size}.entries", SIZES[size][0], COUNT),
            Record(f"review_close.{size}.objections", SIZES[size][1], COUNT),
            Record(f"review_close.{size}.not_approved", rejected, COUNT),
            Record(f"review_close.{size}.queries", queries, QUERIES),
            Record(f"review_close.{size}.time", round(elapsed, 2), MS),
        ]
    small_q = next(r.value for r in records if r.name == "review_close.small.queries")
    large_q = next(r.value for r in records if r.name == "review_close.large.queries")
    if small_q != large_q:
        ctx.log(
            f"WARNING: the close ran {small_q} queries on the small list, {large_q} on the large"
        )
    return records
