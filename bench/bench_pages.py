"""Whole pages through ``django.test.Client`` on the generated processes, at two sizes:
SQL queries per page (must not grow with the data) and median server time.

Pages: the secretariat's dashboard and compliance page and its meeting page (signed in
as a secretariat user with ``force_login``), the public calendar and a public meeting
page. Public pages are cached (compact_process/web/cache.py), so each is measured twice:
``time_uncached`` (the page cache emptied and the content version bumped before every
request, outside the timing) and ``time_cached`` (a hit). The generated process is made
the default process (the one the pages show) for its size. The clock reads 15 January
2018 (as in bench_mandate): inside the process, so that the staff pages show both
pending and overdue items rather than a finished process where everything is overdue.
"""

from __future__ import annotations

import datetime
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from bench.core import MS, QUERIES, Context, Record, count_queries
from bench.data import as_default_process, process_of_size, user_with_role
from compact_process.web import cache as public_cache
from phases.enums import MeetingKind
from phases.models import Meeting, Process

SIZES = ("small", "large")
NOW = datetime.datetime(2018, 1, 15, 9, 0, tzinfo=datetime.UTC)
REQUESTS = 30  # per measurement, unless it runs past BUDGET_S
MIN_REQUESTS = 5
BUDGET_S = 4.0  # per measurement: a slow page gets fewer (but at least MIN_REQUESTS) samples
WARMUP = 1


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


def _invalidate() -> None:
    """What an edit does to the public cache: a new content version (and this process's
    pages dropped, which a new version implies anyway)."""
    public_cache.local_pages.clear()
    public_cache._bump()


def _median_ms(
    fn: Callable[[], object], *, before: Callable[[], None] | None = None
) -> tuple[float, int]:
    """Median wall time of ``fn()`` in ms (``before()`` runs untimed ahead of each call),
    and the number of samples."""
    for _ in range(WARMUP):
        if before:
            before()
        fn()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < REQUESTS:
        if before:
            before()
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
        if len(samples) >= MIN_REQUESTS and time.perf_counter() - started > BUDGET_S:
            break
    return round(statistics.median(samples) * 1000, 2), len(samples)


@contextmanager
def _private_cache() -> Iterator[None]:
    """The configured cache backend, but a file cache moves to a temporary folder, so that
    bumping the content version leaves the developer's var/cache alone."""
    backend = settings.CACHES["default"]["BACKEND"]
    if not backend.endswith("FileBasedCache"):
        yield
        return
    with (
        tempfile.TemporaryDirectory(prefix="bench-cache-") as folder,
        override_settings(CACHES={"default": {**settings.CACHES["default"], "LOCATION": folder}}),
    ):
        yield


def _get_ok(client: Client, url: str) -> Callable[[], object]:
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        return response

    return get


def run(ctx: Context) -> list[Record]:
    records: list[Record] = []
    queries: dict[str, dict[str, int]] = {}
    staff = Client()
    anonymous = Client()
    # tick: the clock moves on from NOW (time.perf_counter, which times, is not touched).
    with _private_cache(), time_machine.travel(NOW, tick=True):
        staff.force_login(user_with_role("secretariat"))
        for size in SIZES:
            process = process_of_size(ctx, size)
            with as_default_process(process):
                for case in CASES:
                    url = case.url(process)
                    if url is None:
                        ctx.log(f"page {case.name}: no such URL yet, skipped")
                        continue
                    prefix = f"page.{case.name}.{size}"
                    get = _get_ok(staff if case.staff else anonymous, url)
                    if not case.staff:
                        _invalidate()
                    n, _ = count_queries(get)
                    queries.setdefault(case.name, {})[size] = n
                    records.append(Record(f"{prefix}.queries", n, QUERIES))
                    if case.staff:
                        ms, k = _median_ms(get)
                        records.append(Record(f"{prefix}.time", ms, MS))
                        ctx.log(f"{prefix}: {n} queries, {ms} ms (median of {k}) {url}")
                        continue
                    cached_queries, _ = count_queries(get)
                    if cached_queries:
                        ctx.log(f"WARNING: a cached hit of {url} ran {cached_queries} queries")
                    uncached, k1 = _median_ms(get, before=_invalidate)
                    cached, k2 = _median_ms(get)
                    records += [
                        Record(f"{prefix}.time_uncached", uncached, MS),
                        Record(f"{prefix}.time_cached", cached, MS),
                    ]
                    ctx.log(
                        f"{prefix}: {n} queries, uncached {uncached} ms (median of {k1}), "
                        f"cached {cached} ms (median of {k2}) {url}"
                    )
    for name, by_size in queries.items():
        if len(set(by_size.values())) > 1:
            ctx.log(
                f"WARNING: page {name} runs "
                + " and ".join(f"{n} queries on the {s} process" for s, n in by_size.items())
                + ": the count grows with the data (an N+1 somewhere)"
            )
    return records
