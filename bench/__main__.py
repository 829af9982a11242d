"""``python -m bench [FILTER]``: run every ``bench/bench_*.py`` (sorted; only those whose
module name contains FILTER), print a table and write var/bench.json
(the records of this run replace those of the same name; the others are kept)."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "compact_process.settings"
    import django

    django.setup()
    from django.conf import settings

    # As the test runner does, without instrumenting template rendering (it would add
    # its own cost to every page): production's DEBUG (no query log), the test client's
    # host, and no real mail.
    settings.DEBUG = False
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def discover(pattern: str = "") -> list[str]:
    """Module names of the benchmarks, sorted, filtered by substring."""
    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    return [f"bench.{n}" for n in names if pattern in n]


def _fmt(value: float | int) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def print_table(records) -> None:
    if not records:
        print("(no records)")
        return
    rows = [(r.name, _fmt(r.value), r.unit) for r in records]
    w_name = max(len("name"), *(len(r[0]) for r in rows))
    w_value = max(len("value"), *(len(r[1]) for r in rows))
    w_unit = max(len("unit"), *(len(r[2]) for r in rows))
    print(f"{'name':<{w_name}}  {'value':>{w_value}}  unit")
    print(f"{'-' * w_name}  {'-' * w_value}  {'-' * w_unit}")
    for name, value, unit in rows:
        print(f"{name:<{w_name}}  {value:>{w_value}}  {unit}")


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    pattern = argv[0] if argv else ""
    started = time.perf_counter()
    _setup_django()
    from django.conf import settings

    from bench.core import Context, Record, throwaway_database

    var_dir = Path(settings.VAR_DIR)
    ctx = Context(var_dir=var_dir)
    modules = discover(pattern)
    if not modules:
        ctx.log(f"no benchmark module matches {pattern!r}")
        return 2

    records: list[Record] = []
    failed: list[str] = []
    with throwaway_database(var_dir, ctx.log):
        for name in modules:
            ctx.log(f"running {name}")
            t0 = time.perf_counter()
            try:
                module = importlib.import_module(name)
                produced = module.run(ctx)
                for record in produced:
                    if not isinstance(record, Record):
                        raise TypeError(f"{name}.run() returned {record!r}, not a Record")
                records += produced
            except Exception:
                traceback.print_exc()
                failed.append(name)
            ctx.log(f"{name} done in {time.perf_counter() - t0:.1f} s")

    out = var_dir / "bench.json"
    # Tracked in git: a filtered run replaces its own records and keeps the others.
    produced = {r.name for r in records}
    kept = []
    if out.exists():
        try:
            earlier = json.loads(out.read_text(encoding="utf-8"))
            kept = [r for r in earlier if r["name"] not in produced]
        except (ValueError, KeyError, TypeError):
            kept = []
    merged = kept + [r.as_json() for r in records]
    out.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    print_table(records)
    ctx.log(f"wrote {out} ({len(records)} records) in {time.perf_counter() - started:.1f} s")
    if failed:
        ctx.log(f"FAILED: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
