"""Measuring whole pages through ``django.test.Client``: what bench_pages and
bench_review_pages share.

Imported after ``django.setup()`` (like every ``bench_*`` module that uses it).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.test import Client, override_settings

from bench.core import MS, QUERIES, Context, Record, count_queries
from compact_process.web import cache as public_cache

REQUESTS = 30  # per measurement, unless it runs past BUDGET_S
MIN_REQUESTS = 5
BUDGET_S = 4.0  # per measurement: a slow page gets fewer (but at least MIN_REQUESTS) samples
WARMUP = 1


def invalidate_public_cache() -> None:
    """What an edit does to the public cache: a new content version (and this process's
    pages dropped, which a new version implies anyway)."""
    public_cache.local_pages.clear()
    public_cache._bump()


def budgeted_median_ms(
    fn: Callable[[], object], *, before: Callable[[], None] | None = None
) -> tuple[float, int]:
    """Median wall time of ``fn()`` in ms (``before()`` runs untimed ahead of each call),
    and the number of samples: up to REQUESTS, fewer past BUDGET_S."""
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
def private_cache() -> Iterator[None]:
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


def get_ok(client: Client, url: str) -> Callable[[], object]:
    """A GET of ``url`` that raises unless the page answers 200."""

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        return response

    return get


def measure_page(
    ctx: Context, prefix: str, client: Client, url: str, *, public: bool
) -> tuple[int, list[Record]]:
    """The SQL queries of one request to ``url`` and its records ``<prefix>.queries`` and
    ``<prefix>.time`` (a signed-in page), or, for a public page (cached), ``.queries``
    of an uncached request, ``.time_uncached`` (the cache emptied before each request,
    untimed) and ``.time_cached`` (a hit)."""
    get = get_ok(client, url)
    if public:
        invalidate_public_cache()
    n, _ = count_queries(get)
    records = [Record(f"{prefix}.queries", n, QUERIES)]
    if not public:
        ms, k = budgeted_median_ms(get)
        records.append(Record(f"{prefix}.time", ms, MS))
        ctx.log(f"{prefix}: {n} queries, {ms} ms (median of {k}) {url}")
        return n, records
    cached_queries, _ = count_queries(get)
    if cached_queries:
        ctx.log(f"WARNING: a cached hit of {url} ran {cached_queries} queries")
    uncached, k1 = budgeted_median_ms(get, before=invalidate_public_cache)
    cached, k2 = budgeted_median_ms(get)
    records += [
        Record(f"{prefix}.time_uncached", uncached, MS),
        Record(f"{prefix}.time_cached", cached, MS),
    ]
    ctx.log(
        f"{prefix}: {n} queries, uncached {uncached} ms (median of {k1}), "
        f"cached {cached} ms (median of {k2}) {url}"
    )
    return n, records


def warn_if_queries_grow(ctx: Context, queries: dict[str, dict[str, int]]) -> None:
    """A WARNING line for each page whose query count differs between sizes
    (``queries[page][size]``): an N+1 somewhere."""
    for name, by_size in queries.items():
        if len(set(by_size.values())) > 1:
            ctx.log(
                f"WARNING: page {name} runs "
                + " and ".join(f"{n} queries on the {s} data" for s, n in by_size.items())
                + ": the count grows with the data (an N+1 somewhere)"
            )


def sign_in(client: Client, user) -> None:
    """``force_login``, and the second factor given as if its code had been typed (staff
    must give one since issue 15; without it every staff page redirects to the code
    page). A confirmed authenticator device is made for the user if they have none."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
