"""Backups: the database and MEDIA_ROOT at one moment, in one file, and their restore into
a fresh database and an empty media folder (``manage.py backup``, ``manage.py restore``;
the runbook is in README.md, "Backups and restore").

The archive is an uncompressed tar (the dump is compressed already, and so are PDFs and
Word files) holding the database (``database.pgdump``, pg_dump's custom format, or
``database.sqlite3``), every file under MEDIA_ROOT (``media/...``) and, last,
``manifest.json``: when it was taken, the application's version, the migrations applied,
the rows of each table, the end of the audit chain, and the SHA-256 of every file in it.

"At one moment": on PostgreSQL, pg_dump reads a snapshot exported by a REPEATABLE READ
transaction, the same one that counts the rows and reads the chain's end and the files
the rows name; on SQLite, the backup API copies the database in one step, and the same
facts are read from the copy. MEDIA_ROOT is copied right after. Every file a row in the
snapshot names was written before that row committed, so it is there to copy; files
written since are harmless extras (no row names them). A file can only go missing or
change in between if it was deleted or replaced after the snapshot: a rendered PDF
superseded by a newer render (a cache: a missing one is rendered again when asked for),
or a document's file replaced in the same language (checked against the SHA-256 its row
keeps: the backup then fails, to be taken again).

With the files in a bucket (AWS_STORAGE_BUCKET_NAME) they are read and written through
the storage's API instead of MEDIA_ROOT; the same reasoning holds.

A restore loads the dump, moves the files into MEDIA_ROOT, checks the rows against the
manifest, applies the migrations this code has and the backup lacks, holds every e-mail
that was waiting or being sent (the system the backup came from may have sent it since:
a person decides on the operations page), catches up on what beat would do at once
(reviews past their deadline closed, derived work, reminders now due: their e-mails held
too, since the old system may have sent them after the backup), and verifies the audit
chain, which must reach the end the manifest names, with the same hash.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
# Connection settings pg_dump and pg_restore read from the environment (libpq's names).
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why and what to do."""


# --- Reading the facts of one snapshot -------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _file_columns() -> list[tuple[str, str, str | None]]:
    """(table, file column, SHA-256 column or None) of every model with a file: a model
    that keeps its file's SHA-256 in a field named ``sha256`` (documents) is checked by it."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = {f.name: f for f in model._meta.concrete_fields}
        for f in names.values():
            if isinstance(f, models.FileField):
                digest = names.get("sha256")
                found.append((model._meta.db_table, f.column, digest.column if digest else None))
    return found


def _facts(cursor, tables: list[str]) -> dict[str, Any]:
    """Counts, the end of the audit chain, the migrations applied and the files named, read
    with ``cursor`` (inside the snapshot, or on the copy)."""
    from compact_process.audit.models import AuditChainHead, AuditEvent

    q = connection.ops.quote_name

    def rows(sql: str) -> list[tuple]:
        cursor.execute(sql)
        return list(cursor.fetchall())

    counts = {table: rows(f"SELECT COUNT(*) FROM {q(table)}")[0][0] for table in tables}
    events, heads = AuditEvent._meta.db_table, AuditChainHead._meta.db_table
    last = rows(f"SELECT {q('sequence')}, {q('hash')} FROM {q(events)} ORDER BY 1 DESC LIMIT 1")
    head = rows(f"SELECT {q('sequence')}, {q('hash')} FROM {q(heads)} WHERE {q('id')} = 1")
    named: dict[str, str | None] = {}
    for table, column, digest in _file_columns():
        if table not in tables:
            continue
        select = f"{q(column)}, {q(digest) if digest else 'NULL'}"
        for name, sha in rows(f"SELECT {select} FROM {q(table)} WHERE {q(column)} <> ''"):
            named[name] = sha or None
    return {
        "counts": counts,
        "audit": {
            "last_sequence": last[0][0] if last else 0,
            "last_hash": last[0][1] if last else "",
            "head_sequence": head[0][0] if head else None,
            "head_hash": head[0][1] if head else None,
        },
        "migrations": sorted(
            [app, name] for app, name in rows("SELECT app, name FROM django_migrations")
        ),
        "named_files": named,
    }


# --- Taking a backup ---------------------------------------------------------------------------


def pg_environment() -> dict[str, str]:
    """The environment that points pg_dump and pg_restore at the database Django uses (the
    password in PGPASSWORD: never on a command line, which other users can read)."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for option, variable in LIBPQ_OPTIONS.items():
        if db.get("OPTIONS", {}).get(option):
            env[variable] = str(db["OPTIONS"][option])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as missing:
        raise BackupError(
            f"{command[0]} is not installed (the PostgreSQL client, same major version as "
            "the server or newer)."
        ) from missing
    if done.returncode:
        raise BackupError(f"{command[0]} failed:\n{done.stderr.strip()}")


def _dump_postgresql(target: Path, tables: list[str]) -> dict[str, Any]:
    if connection.in_atomic_block:
        raise BackupError("A backup must not run inside a transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = _facts(cursor, tables)
        # pg_dump reads this transaction's snapshot, which lives while it stays open.
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            pg_environment(),
        )
    return facts


def _dump_sqlite(target: Path, tables: list[str]) -> dict[str, Any]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # all pages in one step: one moment
        return _facts(copy.cursor(), tables)
    finally:
        copy.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _version() -> str:
    try:
        return importlib.metadata.version("compact-process")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def default_path(taken_at: datetime.datetime) -> Path:
    return Path(settings.BACKUP_DIR) / f"compact-process-{taken_at:%Y%m%dT%H%M%SZ}.tar"


@dataclass(frozen=True)
class Taken:
    path: Path
    manifest: dict[str, Any]
    # Files rows name that were not there to copy (rendered PDFs, made again on demand).
    missing_pdfs: list[str]


def take(*, output: Path | None = None) -> Taken:
    """Write one archive of the database and MEDIA_ROOT; return where, and its manifest.
    The archive is written next to its final name and renamed when complete, readable by
    its owner only (it holds everything: password hashes, confidential objections)."""
    vendor = _vendor()
    taken_at = timezone.now().astimezone(datetime.UTC)
    path = Path(output) if output else default_path(taken_at)
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    tables = _tables()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        dump = Path(work) / DUMPS[vendor]
        facts = (_dump_postgresql if vendor == "postgresql" else _dump_sqlite)(dump, tables)
        named = facts.pop("named_files")
        partial = path.with_name(path.name + ".partial")
        files: dict[str, dict[str, Any]] = {}
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with (
            os.fdopen(descriptor, "wb") as handle,
            tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as archive,
        ):
            archive.add(dump, arcname=DUMPS[vendor])
            files = dict(
                _add_media(archive, media_root)
                if on_disk()
                else _add_stored(archive, default_storage)
            )
            problems, missing_pdfs = [], []
            for name, sha in sorted(named.items()):
                if name not in files:
                    (problems if sha else missing_pdfs).append(name)
                elif sha and files[name]["sha256"] != sha:
                    problems.append(name)
            manifest = {
                "format": FORMAT,
                "taken_at": taken_at.isoformat(),
                "app_version": _version(),
                "vendor": vendor,
                "database": {"file": DUMPS[vendor], "sha256": _sha256(dump)},
                **facts,
                "media": {"files": files, "missing_pdfs": missing_pdfs},
            }
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(taken_at.timestamp())
            archive.addfile(info, io.BytesIO(data))
        if problems:
            partial.unlink()
            raise BackupError(
                "These documents were replaced or removed while the backup was being taken, "
                "so the copy of MEDIA_ROOT does not match the database: "
                + ", ".join(problems)
                + ". Take the backup again. If this repeats, the files are missing from "
                "MEDIA_ROOT itself."
            )
        os.replace(partial, path)
    return Taken(path, manifest, missing_pdfs)


def _add_media(archive: tarfile.TarFile, root: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Add every regular file under MEDIA_ROOT, hashing it as it is read (one read)."""
    if not root.is_dir():
        return
    for folder, _dirs, names in os.walk(root):
        for filename in sorted(names):
            source = Path(folder) / filename
            if source.is_symlink() or not source.is_file():
                continue
            name = source.relative_to(root).as_posix()
            info = archive.gettarinfo(source, arcname=f"{MEDIA}/{name}")
            digest = hashlib.sha256()
            with source.open("rb") as handle:
                archive.addfile(info, _Hashing(handle, digest))
            yield name, {"size": info.size, "sha256": digest.hexdigest()}


def _stored_names(storage, folder: str = "") -> Iterator[str]:
    folders, names = storage.listdir(folder)
    for name in sorted(names):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from _stored_names(storage, f"{folder}/{sub}" if folder else sub)


def _add_stored(archive: tarfile.TarFile, storage) -> Iterator[tuple[str, dict[str, Any]]]:
    """The same through the storage's API: the files live in a bucket, not MEDIA_ROOT."""
    for name in _stored_names(storage):
        info = tarfile.TarInfo(f"{MEDIA}/{name}")
        info.size, info.mode, info.mtime = storage.size(name), 0o600, int(time.time())
        digest = hashlib.sha256()
        with storage.open(name, "rb") as handle:
            archive.addfile(info, _Hashing(handle, digest))
        yield name, {"size": info.size, "sha256": digest.hexdigest()}


class _Hashing:
    def __init__(self, handle, digest) -> None:
        self.handle, self.digest = handle, digest

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.digest.update(block)
        return block


# --- Restoring ---------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r:") as archive:
            handle = archive.extractfile(MANIFEST)
            manifest = json.load(handle) if handle else None
    except (OSError, KeyError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{path} is not a backup of this application: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup this version can read (format {FORMAT}).")
    return manifest


def target_problems(manifest: dict[str, Any]) -> list[str]:
    """Why this archive cannot be restored here, or what must be replaced (empty: it can,
    into an empty database and an empty media folder)."""
    problems = []
    vendor = _vendor()
    if manifest["vendor"] != vendor:
        problems.append(
            f"The backup is of a {manifest['vendor']} database; DATABASE_URL names {vendor}."
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        problems.append(
            "The backup has migrations this code does not have (restore it with the version "
            f"that took it, {manifest['app_version']} or later): " + ", ".join(unknown[:10])
        )
    return problems


def occupied() -> list[str]:
    """What is already in the target: tables in the database, files in MEDIA_ROOT."""
    found = []
    if tables := connection.introspection.table_names():
        found.append(f"the database {connection.settings_dict['NAME']} has {len(tables)} tables")
    if on_disk():
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir() and any(media.iterdir()):
            found.append(f"the media folder {media} is not empty")
    elif any(True for _name in _stored_names(default_storage)):
        found.append(f"the file storage ({default_storage.__class__.__name__}) is not empty")
    return found


@dataclass
class Restored:
    manifest: dict[str, Any]
    count_mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)
    migrated: list[str] = field(default_factory=list)
    held: int = 0
    closed_reviews: list[int] = field(default_factory=list)
    reminders: int = 0
    held_after_catch_up: int = 0
    audit: Any = None
    audit_matches: bool = False

    @property
    def ok(self) -> bool:
        return (
            not self.count_mismatches
            and self.audit is not None
            and self.audit.ok
            and (self.audit_matches)
        )


@contextmanager
def _extracted(path: Path, manifest: dict[str, Any], near: Path) -> Iterator[Path]:
    """The archive unpacked next to MEDIA_ROOT (the files are then moved, not copied),
    each file checked against the manifest's SHA-256."""
    near.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=near, prefix=".restore-") as work:
        folder = Path(work)
        with tarfile.open(path, "r:") as archive:
            # The "data" filter refuses absolute paths, links out of the folder, devices.
            archive.extractall(folder, filter="data")
        files = manifest["media"]["files"]
        expected = {f"{MEDIA}/{name}": info["sha256"] for name, info in files.items()}
        expected[manifest["database"]["file"]] = manifest["database"]["sha256"]
        for name, sha in expected.items():
            if not (folder / name).is_file() or _sha256(folder / name) != sha:
                raise BackupError(f"The archive is damaged: {name} does not match its manifest.")
        yield folder


def _empty(media: Path) -> None:
    for child in media.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _drop_tables() -> None:
    """Every table of the target, before ``--replace`` loads the backup (pg_restore's own
    --clean drops only what the dump has: a table a later migration made would stay)."""
    if tables := connection.introspection.table_names():
        with connection.cursor() as cursor:
            quoted = ", ".join(map(connection.ops.quote_name, tables))
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")


def _load_postgresql(dump: Path, *, replace: bool) -> None:
    if replace:
        _drop_tables()
    connection.close()
    command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction"]
    if replace:  # the functions and types of the triggers, which outlive their tables
        command += ["--clean", "--if-exists"]
    env = pg_environment()
    _run([*command, f"--dbname={env['PGDATABASE']}", str(dump)], env)


def _load_sqlite(dump: Path) -> None:
    name = Path(connection.settings_dict["NAME"])
    connection.close()
    name.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
        leftover.unlink(missing_ok=True)
    staged = name.with_name(name.name + ".restoring")
    shutil.copyfile(dump, staged)
    os.replace(staged, name)


def _move_media(source: Path, media: Path) -> None:
    media.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        for child in source.iterdir():
            os.replace(child, media / child.name)


def _upload_media(source: Path, storage, *, replace: bool) -> None:
    """The files into a bucket, each under its own name (the rows name them)."""
    if replace:
        for name in list(_stored_names(storage)):
            storage.delete(name)
    if not source.is_dir():
        return
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"The file storage renamed {name} to {saved}: it was not empty.")


def on_disk() -> bool:
    """Whether uploads and PDFs are files under MEDIA_ROOT (not objects in a bucket)."""
    return isinstance(default_storage, FileSystemStorage)


def load(path: Path, manifest: dict[str, Any], *, replace: bool = False) -> None:
    """Put the archive's database and files in place of the (empty, or with ``replace``
    emptied) target: irreversible; the command asks first."""
    media = Path(settings.MEDIA_ROOT)
    with _extracted(path, manifest, media.parent) as folder:
        dump = folder / manifest["database"]["file"]
        if connection.vendor == "postgresql":
            _load_postgresql(dump, replace=replace)
        else:
            _load_sqlite(dump)
        if not on_disk():
            _upload_media(folder / MEDIA, default_storage, replace=replace)
        else:
            if replace and media.is_dir():
                _empty(media)
            _move_media(folder / MEDIA, media)
    connection.close()  # the next query sees the restored database


def after_load(manifest: dict[str, Any]) -> Restored:
    """Check the rows, migrate, hold, catch up, verify: see the module's docstring. The
    caller reports each step; ``ok`` says whether the restore is sound."""
    from compact_process.audit import verification
    from compact_process.audit.models import AuditEvent
    from compact_process.deadlines import services as deadlines
    from compact_process.notifications import operations
    from compact_process.web import cache as public_cache
    from stakeholders import services as stakeholders

    outcome = Restored(manifest)
    with connection.cursor() as cursor:
        counts = _facts(cursor, sorted(manifest["counts"]))["counts"]
    outcome.count_mismatches = {
        table: (expected, counts.get(table, 0))
        for table, expected in manifest["counts"].items()
        if counts.get(table, 0) != expected
    }
    # Before the hold, which writes with this code's models: their tables must match.
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        outcome.migrated = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
        call_command("migrate", interactive=False, verbosity=0)
    taken_at = manifest["taken_at"]
    outcome.held = operations.hold_after_restore(taken_at=taken_at, reason="backup")

    # What beat does first on a running system, done here so that its e-mails are held too:
    # the system the backup came from may have done it, and sent them, after the backup.
    with transaction.atomic():
        outcome.closed_reviews = stakeholders.close_due_reviews()
        deadlines.run_pending()
        outcome.reminders = deadlines.scan()
        outcome.held_after_catch_up = operations.hold_after_restore(
            taken_at=taken_at, reason="catch-up"
        )
    public_cache.bump_content_version()

    outcome.audit = verification.run(full=True)
    end = manifest["audit"]["last_sequence"]
    outcome.audit_matches = not end or (
        AuditEvent.objects.filter(sequence=end, hash=manifest["audit"]["last_hash"]).exists()
    )
    return outcome
