"""Whole pages through ``django.test.Client`` on the generated processes, at two sizes:
SQL queries per page (must not grow with the data) and median server time.

Pages: the secretariat's dashboard and compliance page and its meeting page (signed in
as a secretariat user with ``force_login``), the public home (the process on the day, every
meeting of it; also filtered by kind), the public calendar and a public meeting page.
Public pages are cached (compact_process/web/cache.py), so each is measured twice:
``time_uncached`` (the page cache emptied and the content version bumped before every
request, outside the timing) and ``time_cached`` (a hit). The generated process is made
the default process (the one the pages show) for its size. Each public page's times are
also given as a ratio to the bare view (``/healthz``, timed in the same run, the same
client): what a page costs beyond the middleware. The clock reads 15 January
2018 (as in bench_mandate): inside the process, so that the staff pages show both
pending and overdue items rather than a finished process where everything is overdue.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import time_machine
from django.test import Client
from django.urls import NoReverseMatch, reverse

from bench.core import MS, RATIO, Context, Record, median_ms
from bench.data import as_default_process, process_of_size, user_with_role
from bench.web import measure_page, private_cache, sign_in, warn_if_queries_grow
from phases.enums import MeetingKind
from phases.models import Meeting, Process

SIZES = ("small", "large")
NOW = datetime.datetime(2018, 1, 15, 9, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class PageCase:
    name: str
    url: Callable[[Process], str | None]  # None: the page does not exist (yet)
    staff: bool  # signed in as a secretariat user; otherwise a cached public page


def _thematic_session(process: Process) -> Meeting:
    """A thematic session (days, panels, moderators, deliverables): the busiest meeting."""
    return Meeting.objects.filter(process=process, kind=MeetingKind.THEMATIC_SESSION).earliest("id")


def _reverse_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


CASES = [
    PageCase("dashboard", lambda p: reverse("secretariat:dashboard"), staff=True),
    PageCase("home", lambda p: reverse("phases:public-home"), staff=False),
    PageCase(
        "home_filtered",
        lambda p: reverse("phases:public-home") + f"?kind={MeetingKind.THEMATIC_SESSION}",
        staff=False,
    ),
    PageCase("compliance", lambda p: reverse("secretariat:compliance"), staff=True),
    PageCase("calendar", lambda p: reverse("phases:calendar"), staff=False),
    PageCase(
        "meeting", lambda p: reverse("phases:meeting", args=[_thematic_session(p).key]), staff=False
    ),
    PageCase(
        "secretariat_meeting",
        lambda p: _reverse_or_none("secretariat:meeting", _thematic_session(p).pk),
        staff=True,
    ),
]


def run(ctx: Context) -> list[Record]:
    records: list[Record] = []
    queries: dict[str, dict[str, int]] = {}
    staff = Client()
    anonymous = Client()
    # tick: the clock moves on from NOW (time.perf_counter, which times, is not touched).
    with private_cache(), time_machine.travel(NOW, tick=True):
        sign_in(staff, user_with_role("secretariat"))
        bare = median_ms(lambda: anonymous.get("/healthz"), repeats=300, warmup=30)
        records.append(Record("page.bare_view.server_time", bare, MS))
        ctx.log(f"bare view (/healthz): {bare} ms")
        for size in SIZES:
            process = process_of_size(ctx, size)
            with as_default_process(process):
                for case in CASES:
                    url = case.url(process)
                    if url is None:
                        ctx.log(f"page {case.name}: no such URL yet, skipped")
                        continue
                    client = staff if case.staff else anonymous
                    n, measured = measure_page(
                        ctx, f"page.{case.name}.{size}", client, url, public=not case.staff
                    )
                    queries.setdefault(case.name, {})[size] = n
                    records += measured
                    if not case.staff:
                        records += _ratios(f"page.{case.name}.{size}", measured, bare)
    warn_if_queries_grow(ctx, queries)
    return records


def _ratios(prefix: str, measured: list[Record], bare: float) -> list[Record]:
    """A public page's cached and uncached times over the bare view's."""
    times = {r.name.rsplit(".", 1)[1]: r.value for r in measured}
    return [
        Record(f"{prefix}.{which}_ratio", round(times[which] / bare, 2), RATIO)
        for which in ("time_cached", "time_uncached")
        if which in times and bare
    ]
