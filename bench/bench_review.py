"""The close of a no-objection review at the scale the issue names (issue 14): a list of
3,000 entries, 193 Member States, 20,000 objections (some withdrawn), on the generated
process with its 200 meetings, whose registration deadlines already reach the
organizations approved on an earlier final list (``EARLIER`` of them). The close is one
set-based decision under the list's row lock (``stakeholders.services.close_review``):
its time and query count must not grow with the list (target: at most 300 ms on
PostgreSQL at 3,000 entries, the same query count at both sizes, at most 15). What
follows from it (``after_close``: the approved organizations join every meeting's
registration audience, the organizations are told) runs after commit, in a task, and is
measured apart, with a second run that must change nothing."""

from __future__ import annotations

import datetime
import time

from django.utils import timezone

from bench.core import COUNT, MS, QUERIES, Context, Record, count_queries
from bench.data import REVIEW_SIZES as SIZES
from bench.data import process_of_size, stakeholder_list
from compact_process.deadlines.models import Audience, DeadlineKind
from phases.models import Meeting
from stakeholders import deadlines as review_deadlines
from stakeholders import services
from stakeholders.enums import EntryOutcome
from stakeholders.models import ListEntry

# Organizations approved on an earlier final list of the process: already in the
# meetings' registration audiences when the measured lists close.
EARLIER = 2_000


def _timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    queries, _ = count_queries(fn)
    return round((time.perf_counter() - start) * 1000, 2), queries


def _audience_lines() -> int:
    return Audience.objects.filter(deadline__kind=DeadlineKind.MEETING_REGISTRATION).count()


def _earlier_final_list(ctx: Context, process) -> None:
    if "review_close:earlier" in ctx.shared:
        return
    past = timezone.now() - datetime.timedelta(hours=1)
    earlier = stakeholder_list(
        ctx, process, title="Bench earlier final list", entries=EARLIER, deadline=past
    )
    services.close_review(list_id=earlier.pk)
    ctx.log("writing the meetings' registration deadlines and audiences…")
    services.after_close(list_id=earlier.pk)
    review_deadlines.sync_registrations_of(process.pk)  # also the conference's
    ctx.shared["review_close:earlier"] = True


def run(ctx: Context) -> list[Record]:
    process = process_of_size(ctx, "small")  # 200 meetings
    _earlier_final_list(ctx, process)
    meetings = Meeting.objects.filter(process=process).count()
    records: list[Record] = [
        Record("review_close.meetings", meetings, COUNT),
        Record("review_close.earlier_approved", EARLIER, COUNT),
    ]
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
        lines_before = _audience_lines()
        elapsed, queries = _timed(lambda lst=lst: services.close_review(list_id=lst.pk))
        rejected = ListEntry.objects.filter(
            stakeholder_list=lst, outcome=EntryOutcome.NOT_APPROVED
        ).count()
        if rejected == 0 or rejected == entries:
            ctx.log("WARNING: the close decided only one way")
        ctx.log(f"close of {size}: {elapsed} ms, {queries} queries; the derived work…")
        derived, derived_queries = _timed(lambda lst=lst: services.after_close(list_id=lst.pk))
        added = _audience_lines() - lines_before
        again, again_queries = _timed(lambda lst=lst: services.after_close(list_id=lst.pk))
        if _audience_lines() - lines_before != added:
            ctx.log("WARNING: a second run of the derived work changed the audiences")
        records += [
            Record(f"review_close.{size}.entries", entries, COUNT),
            Record(f"review_close.{size}.objections", objections, COUNT),
            Record(f"review_close.{size}.not_approved", rejected, COUNT),
            Record(f"review_close.{size}.queries", queries, QUERIES),
            Record(f"review_close.{size}.time", elapsed, MS),
            Record(f"review_close.{size}.derived_time", derived, MS),
            Record(f"review_close.{size}.derived_queries", derived_queries, QUERIES),
            Record(f"review_close.{size}.audience_lines_added", added, COUNT),
            Record(f"review_close.{size}.derived_again_time", again, MS),
            Record(f"review_close.{size}.derived_again_queries", again_queries, QUERIES),
        ]
    small_q = next(r.value for r in records if r.name == "review_close.small.queries")
    large_q = next(r.value for r in records if r.name == "review_close.large.queries")
    if small_q != large_q:
        ctx.log(
            f"WARNING: the close ran {small_q} queries on the small list, {large_q} on the large"
        )
    return records
