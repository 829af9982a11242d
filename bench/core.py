"""What every benchmark shares: the record type, the run context, measuring helpers and
the throwaway database.

Nothing here imports models at module level: ``bench.__main__`` configures Django
before any benchmark module is imported.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# Units, exactly as they appear in var/bench.json.
QUERIES = "queries"
MS = "ms"
MIB = "MiB"
COUNT = "count"
RPS = "req/s"
RATIO = "ratio"


@dataclass(frozen=True)
class Record:
    """One figure: ``{"name": ..., "value": ..., "unit": ...}`` in var/bench.json."""

    name: str
    value: float | int
    unit: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Context:
    """Handed to every ``run(ctx)``. ``shared`` caches costly set-up (generated processes)
    so that later benchmarks in the same run reuse it."""

    var_dir: Path
    shared: dict[str, Any] = field(default_factory=dict)

    def log(self, message: str) -> None:
        """A progress line, on stderr (stdout carries the table)."""
        print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- Measuring -------------------------------------------------------------------------


def median_ms(fn: Callable[[], Any], *, repeats: int, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeats`` runs (after ``warmup`` untimed ones),
    in milliseconds rounded to 0.01."""
    for _ in range(warmup):
        fn()
    samples: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return round(statistics.median(samples) * 1000, 2)


def count_queries(fn: Callable[[], Any]) -> tuple[int, Any]:
    """Number of SQL queries ``fn()`` runs on the default database, and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return len(captured.captured_queries), result


def peak_memory_mib(fn: Callable[[], Any]) -> float:
    """Peak Python memory allocated while ``fn()`` runs (tracemalloc), in MiB rounded to
    0.01. tracemalloc slows code down a lot: never time under it."""
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round((peak - base) / (1024 * 1024), 2)


# --- The throwaway database ----------------------------------------------------------------


@contextmanager
def throwaway_database(var_dir: Path, log: Callable[[str], None]) -> Iterator[str]:
    """Create a fresh, migrated database, point the default connection at it, and drop it
    afterwards. Uses Django's test-database machinery, so the developer's database is
    never opened: SQLite gets a temporary file under var/; PostgreSQL (DATABASE_URL) a
    separate database on the same server."""
    from django.db import connection

    settings_dict = connection.settings_dict
    original_name = settings_dict["NAME"]
    test_settings = settings_dict.setdefault("TEST", {})
    token = uuid.uuid4().hex[:8]
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(var_dir / f"bench-{token}.sqlite3")
    else:
        test_settings["NAME"] = f"bench_{token}"
    try:
        name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )
    except BaseException:
        # Migrating failed half-way: drop what was created, then report the error.
        if connection.settings_dict["NAME"] != original_name:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
        raise
    if name == original_name or connection.settings_dict["NAME"] == original_name:
        raise RuntimeError("refusing to benchmark against the developer's database")
    log(f"throwaway {connection.vendor} database {name}")
    try:
        yield name
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
        log(f"dropped {name}")
