"""Requests per second through a real server: gunicorn (2 workers, production settings,
DEBUG off) on loopback, loaded with wrk, on a throwaway SQLite database seeded with the
GCM and a file cache in a temporary folder.

The runs are interleaved, trivial view (``/healthz``) and page in turn, so that each page
is compared with trivial runs made just before and just after it (the machine's speed
drifts; two cores are shared with wrk):

    trivial, timeline, trivial, calendar, trivial, timeline, trivial, calendar

``throughput.<page>.ratio`` is the page's requests per second over the mean of its
neighbouring trivial runs, averaged over its two runs. The public pages are cached, so a
warm page should serve at least half as many requests as the trivial view (target ≥ 0.5).

Needs wrk (Debian package ``wrk``); without it the benchmark says so and records nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from bench.core import RATIO, RPS, Context, Record

TARGET_RATIO = 0.5
WRK_ARGS = ["-t2", "-c16", "-d5s", "--latency"]
WORKERS = 2
PAGES = {"trivial": "/healthz", "timeline": "/", "calendar": "/calendar/"}
SEQUENCE = [
    "trivial",
    "timeline",
    "trivial",
    "calendar",
    "trivial",
    "timeline",
    "trivial",
    "calendar",
]
SETUP_TIMEOUT_S = 120
START_TIMEOUT_S = 30


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(folder: Path) -> dict[str, str]:
    """Production settings on a throwaway database and cache, all under ``folder``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "STATIC_ROOT")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="compact_process.settings",
        DEBUG="0",
        SECRET_KEY="bench-throughput-only-not-a-secret",
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(folder),
        DATABASE_URL=f"sqlite:///{folder / 'bench-throughput.sqlite3'}",
        LOG_LEVEL="WARNING",
    )
    return env


def _prepare(folder: Path, env: dict[str, str], ctx: Context) -> None:
    """Migrate and seed the database, and collect the static files (production settings
    need the manifest), the two side by side. The admin's static files are left out: the
    pages measured do not use them, and compressing them would take most of the set-up."""
    python = sys.executable
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    log = folder / "setup.log"
    with log.open("w") as out:
        steps = [
            subprocess.Popen(
                [python, manage, "collectstatic", "--noinput", "-v0", "--ignore", "admin"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            ),
            subprocess.Popen(
                f'"{python}" "{manage}" migrate --noinput -v0 && "{python}" "{manage}" seed_gcm',
                shell=True,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            ),
        ]
        try:
            for step in steps:
                if step.wait(timeout=SETUP_TIMEOUT_S) != 0:
                    raise RuntimeError(f"setting up the server failed:\n{log.read_text()[-3000:]}")
        finally:
            for step in steps:
                if step.poll() is None:
                    step.kill()
                    step.wait()
    ctx.log("throwaway database migrated and seeded with the GCM; static files collected")


def _wait_until_up(server: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer {url} within {START_TIMEOUT_S} s")


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response:
        if response.status != 200:
            raise RuntimeError(f"GET {url} answered {response.status}")
        response.read()


def _stop(server: subprocess.Popen, ctx: Context) -> None:
    """Stop the gunicorn we started (its master stops the workers); kill its process
    group if it does not stop in time."""
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        ctx.log("gunicorn did not stop on SIGTERM; killing its process group")
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    ctx.log("gunicorn stopped")


def _wrk(url: str) -> float:
    """Requests per second of one wrk run; refuses a run with errors or non-2xx answers."""
    run = subprocess.run(
        ["wrk", *WRK_ARGS, url], capture_output=True, text=True, timeout=60, check=False
    )
    if run.returncode != 0:
        raise RuntimeError(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    found = re.search(r"^Requests/sec:\s+([\d.]+)", run.stdout, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no Requests/sec in wrk's output:\n{run.stdout}")
    for problem in ("Non-2xx or 3xx responses", "Socket errors"):
        if problem in run.stdout:
            line = next(ln for ln in run.stdout.splitlines() if problem in ln)
            raise RuntimeError(f"wrk on {url}: {line.strip()}")
    return float(found.group(1))


def _ratios(sequence: list[str], rps: list[float]) -> dict[str, list[float]]:
    """Each page run's rps over the mean of the trivial runs next to it."""
    ratios: dict[str, list[float]] = {}
    for i, name in enumerate(sequence):
        if name == "trivial":
            continue
        neighbours = [
            rps[j] for j in (i - 1, i + 1) if 0 <= j < len(sequence) and sequence[j] == "trivial"
        ]
        ratios.setdefault(name, []).append(rps[i] / statistics.mean(neighbours))
    return ratios


def run(ctx: Context) -> list[Record]:
    if shutil.which("wrk") is None:
        ctx.log("SKIPPED: wrk is not installed (Debian package 'wrk'; run 'sudo make system-deps')")
        return []
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists():
        raise RuntimeError(f"gunicorn is not installed in the venv ({gunicorn})")

    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        folder = Path(tmp)
        env = _server_env(folder)
        _prepare(folder, env, ctx)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = folder / "gunicorn.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [
                    str(gunicorn),
                    "compact_process.wsgi",
                    "--workers",
                    str(WORKERS),
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, to stop it and only it
            )
        try:
            _wait_until_up(server, base + PAGES["trivial"], log)
            ctx.log(f"gunicorn ({WORKERS} workers) answers at {base}")
            # Warm every worker's page cache (each worker has its own).
            for _ in range(4 * WORKERS):
                for path in PAGES.values():
                    _get(base + path)
            rps: list[float] = []
            for name in SEQUENCE:
                value = _wrk(base + PAGES[name])
                rps.append(value)
                ctx.log(f"wrk {' '.join(WRK_ARGS)} {PAGES[name]}: {value:,.1f} requests/s")
        finally:
            _stop(server, ctx)

    records: list[Record] = []
    by_name: dict[str, list[float]] = {}
    for name, value in zip(SEQUENCE, rps, strict=True):
        by_name.setdefault(name, []).append(value)
    for name, values in by_name.items():
        records.append(Record(f"throughput.{name}.rps", round(statistics.mean(values), 1), RPS))
    for name, values in _ratios(SEQUENCE, rps).items():
        ratio = round(statistics.mean(values), 3)
        records.append(Record(f"throughput.{name}.ratio", ratio, RATIO))
        verdict = "ok" if ratio >= TARGET_RATIO else f"WARNING: below the target {TARGET_RATIO}"
        ctx.log(
            f"throughput.{name}.ratio = {ratio} (runs: {', '.join(f'{v:.3f}' for v in values)}) "
            f"{verdict}"
        )
    return records
