"""The mandate checks on a large generated process, at two sizes (see bench/data.py).

``selectors.compliance_report`` loads the snapshot in a fixed number of queries and runs
every rule; the query count must not grow with the data. Also times the
``check_mandate`` management command (JSON output) on the large process.
"""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command

from bench.core import (
    COUNT,
    MIB,
    MS,
    QUERIES,
    Context,
    Record,
    count_queries,
    median_ms,
    peak_memory_mib,
)
from bench.data import counts, process_of_size
from phases import mandate, selectors

# Inside the process, so that pending findings (future dates) and violations (past ones)
# both occur. The management command uses the real today, as in production.
TODAY = datetime.date(2018, 1, 15)
REPEATS = 5
COMMAND_REPEATS = 3


def _command(slug: str) -> None:
    try:
        call_command("check_mandate", "--json", "--process", slug, stdout=io.StringIO())
    except SystemExit as exit_:  # exit 1 when there are violations: expected here
        if exit_.code not in (0, 1, None):
            raise


def run(ctx: Context) -> list[Record]:
    records: list[Record] = []
    queries: dict[str, int] = {}
    for size in ("small", "large"):
        process = process_of_size(ctx, size)
        prefix = f"check_mandate.{size}"
        sizes = counts(process)
        records += [
            Record(f"{prefix}.meetings", sizes["meetings"], COUNT),
            Record(f"{prefix}.meeting_days", sizes["meeting_days"], COUNT),
            Record(f"{prefix}.moderators", sizes["moderators"], COUNT),
            Record(f"{prefix}.deliverables", sizes["deliverables"], COUNT),
        ]

        def report(process=process):
            return selectors.compliance_report(process, today=TODAY)

        def load(process=process):
            return selectors.load_process_data(process, today=TODAY)

        ctx.log(f"measuring compliance_report on the {size} process…")
        n, results = count_queries(report)
        queries[size] = n
        statuses = {
            s: sum(1 for r in results if r.status == s)
            for s in (mandate.OK, mandate.PENDING, mandate.WARNING, mandate.VIOLATION)
        }
        findings = sum(len(r.findings) for r in results)
        ctx.log(f"  {len(results)} rules {statuses}, {findings} findings")
        records += [
            Record(f"{prefix}.queries", n, QUERIES),
            Record(f"{prefix}.time", median_ms(report, repeats=REPEATS, warmup=1), MS),
            Record(f"{prefix}.load_time", median_ms(load, repeats=REPEATS, warmup=0), MS),
            Record(f"{prefix}.peak_memory", peak_memory_mib(report), MIB),
        ]
    if queries["small"] != queries["large"]:
        ctx.log(
            f"WARNING: compliance_report runs {queries['small']} queries on the small "
            f"process and {queries['large']} on the large one: an N+1 somewhere"
        )

    large = process_of_size(ctx, "large")
    ctx.log("timing manage.py check_mandate --json on the large process…")
    records.append(
        Record(
            "check_mandate.command.large.time",
            median_ms(lambda: _command(large.slug), repeats=COMMAND_REPEATS, warmup=1),
            MS,
        )
    )
    return records
