"""The close of a no-objection review at the scale the issue names: a list of 3,000
entries, 193 Member States, 20,000 objections (some withdrawn). The close is set-based
SQL under one row lock (stakeholders.services.close_review): its time and its query
count must not grow with the list. Target: under 2 seconds on this machine."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bench.core import COUNT, MS, QUERIES, Context, Record, count_queries
from bench.data import REVIEW_SIZES as SIZES
from bench.data import process_of_size, stakeholder_list
from stakeholders import services
from stakeholders.enums import EntryOutcome
from stakeholders.models import ListEntry


def run(ctx: Context) -> list[Record]:
    process = process_of_size(ctx, "small")
    records: list[Record] = []
    for size in ("small", "large"):
        entries, objections = SIZES[size]
        lst = stakeholder_list(
            ctx,
            process,
            title=f"Bench close {size}",
            entries=entries,
            objections=objections,
            deadline=timezone.now() - datetime.timedelta(minutes=10),
        )
        start = timezone.now()
        queries, closed = count_queries(lambda lst=lst: services.close_review(list_id=lst.pk))
        elapsed = (timezone.now() - start).total_seconds() * 1000
        assert closed, "the review did not close"
        rejected = ListEntry.objects.filter(
            stakeholder_list=lst, outcome=EntryOutcome.NOT_APPROVED
        ).count()
        records += [
            Record(f"review_close.{size}.entries", entries, COUNT),
            Record(f"review_close.{size}.objections", objections, COUNT),
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
