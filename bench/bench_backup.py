"""A backup and its restore at the scale of a real process: the generated process (its
200 meetings, their registrations and deadlines), a list of 3,000 entries under review
with 20,000 objections, 10,000 e-mails waiting, and 300 uploaded files of 100 KB under
MEDIA_ROOT (a folder of the run's own). ``backup.time`` is ``manage.py backup``'s work
(``compact_process.backups.services.take``) in this process; ``restore.time`` is the
whole ``manage.py restore --noinput`` into a fresh database and media folder, as an
operator runs it: Python's start-up, the checksums, the load, the row counts, the hold
of the waiting e-mails, the catch-up and a full audit verification."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from bench.core import COUNT, MIB, MS, Context, Record
from bench.data import REVIEW_SIZES, process_of_size, stakeholder_list

ROOT = Path(__file__).resolve().parent.parent
FILES = 300
FILE_BYTES = 100 * 1024
WAITING = 10_000


def _waiting_mail() -> None:
    from django.contrib.auth import get_user_model

    from compact_process.notifications.models import Notification

    user, _ = get_user_model().objects.get_or_create(username="bench-backup-reader")
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="bench", key=f"bench.backup:{i}", created_at=now)
        for i in range(WAITING)
    )


def _media(root: Path) -> None:
    for i in range(FILES):
        folder = root / "documents" / f"{i // 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:04d}-en.pdf").write_bytes(os.urandom(FILE_BYTES))


def _restore_target(work: Path) -> tuple[str, Callable[[], None]]:
    """A fresh, empty database of the run's vendor, and how to drop it."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{work / 'restored.sqlite3'}", lambda: None
    import psycopg

    params = connection.settings_dict
    name = f"bench_restore_{uuid.uuid4().hex[:8]}"
    server = {
        "host": params["HOST"] or "localhost",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgresql://{auth}@{server['host']}:{server['port']}/{name}", drop


def run(ctx: Context) -> list[Record]:
    from compact_process.backups import services as backups

    process = process_of_size(ctx, "small")
    entries, objections = REVIEW_SIZES["large"]
    stakeholder_list(
        ctx,
        process,
        title="Bench backup",
        entries=entries,
        objections=objections,
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    _waiting_mail()
    with tempfile.TemporaryDirectory(dir=ctx.var_dir, prefix="bench-backup-") as tmp:
        work = Path(tmp)
        media = work / "media"
        _media(media)
        archive = work / "backup.tar"
        with override_settings(MEDIA_ROOT=str(media)):
            ctx.log("backup…")
            start = time.perf_counter()
            taken = backups.take(output=archive)
            backup_ms = round((time.perf_counter() - start) * 1000, 2)
        rows = sum(taken.manifest["counts"].values())
        database_url, drop = _restore_target(work)
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "VAR_DIR": str(work / "restored-var"),
        }
        env.pop("MEDIA_ROOT", None)
        try:
            ctx.log("restore into a fresh database…")
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "manage.py", "restore", str(archive), "--noinput"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            restore_ms = round((time.perf_counter() - start) * 1000, 2)
        finally:
            drop()
        if done.returncode != 0 or "Restore complete." not in done.stdout:
            raise RuntimeError(f"the restore failed:\n{done.stdout}\n{done.stderr}")
        if "Audit: OK" not in done.stdout:
            ctx.log("WARNING: the restored audit trail did not verify")
        size = round(archive.stat().st_size / (1024 * 1024), 2)
    return [
        Record("backup.rows", rows, COUNT),
        Record("backup.media_files", len(taken.manifest["media"]["files"]), COUNT),
        Record("backup.archive_size", size, MIB),
        Record("backup.time", backup_ms, MS),
        Record("restore.time", restore_ms, MS),
    ]
