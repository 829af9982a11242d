"""``manage.py backup`` and ``manage.py restore`` (issue 16) at the scale of a process under
way: a generated process of the large size (800 meetings, 8,000 deliverables) with every
part a backup has to carry, and the files its rows name.

The data: the process (``bench.data``'s generator, a process of its own so that the
documents and lists added here do not change the pages other benchmarks measure on the
shared ``large`` process); an earlier final list closed, its derived work run, so that
every meeting of the list's purpose has its registration deadline and audience lines;
nominations of the approved organizations for some meetings; a list under review of the
large review size (3,000 entries, 20,000 objections) closing in three days, with one
audit event per objection in the chain; people with e-mails sent, waiting and being sent;
uploaded documents (two language versions each, their SHA-256 in the row) and rendered
PDFs, written through ``default_storage`` into a MEDIA_ROOT of the benchmark's own (a
temporary folder), as the application writes them.

``services.take`` writes the archive (timed in this process); then ``manage.py restore
ARCHIVE --noinput`` loads it in a child process into a fresh database (SQLite: a new file;
PostgreSQL: ``CREATE DATABASE bench_restore_<random>`` on the same server, dropped at the
end) and an empty media folder, as an operator runs it. The child's time includes Python's
start-up; the phases are read from the moments its output lines arrive."""

from __future__ import annotations

import datetime
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bench.core import COUNT, MIB, MS, Context, Record, peak_memory_mib
from bench.data import REVIEW_SIZES, Size, _generate, stakeholder_list
from compact_process.audit.models import AuditEvent
from compact_process.backups import services as backups
from compact_process.notifications.models import EmailStatus, Notification
from compact_process.pdf.models import RenderedPdf
from compact_process.pdf.services import storage_name
from phases.enums import DocumentKind, DocumentStatus, ResponsibleRole
from phases.models import Document, DocumentVersion, Meeting, Process
from stakeholders import deadlines as review_deadlines
from stakeholders import services as stakeholders
from stakeholders.enums import EntryOutcome, Gender
from stakeholders.models import Objection, Organization
from stakeholders.models_participation import Nomination

ROOT = Path(__file__).resolve().parent.parent
SIZE = "large"
# The shape of bench.data's large process, under a name (and slug) of its own.
PROCESS = Size("backup", meetings=800, deliverables=8_000)
EARLIER = 500  # organizations approved on the earlier final list: audience lines
NOMINATED_MEETINGS = 4  # meetings each approved organization nominates one person for
PEOPLE = 2_000  # users with e-mails
MAIL_PER_PERSON = 5  # one in ten waiting, one in fifty being sent, the rest sent
DOCUMENTS = 200  # two language versions each: uploaded files of 8–120 KiB
PDFS = 100  # rendered PDFs of 50–400 KiB
GENDERS = list(Gender.values)
REPEATS = 3


def _process(ctx: Context) -> Process:
    if "process:backup" not in ctx.shared:
        ctx.log(f"generating the backup's process ({PROCESS.meetings} meetings)…")
        ctx.shared["process:backup"] = _generate(ctx, PROCESS)
    return ctx.shared["process:backup"]


def _registrations(ctx: Context, process: Process) -> None:
    """An earlier final list, closed with its derived work: registration deadlines and
    audiences for the meetings; some nominations by the approved organizations."""
    past = timezone.now() - datetime.timedelta(hours=1)
    earlier = stakeholder_list(
        ctx, process, title="Bench backup final list", entries=EARLIER, deadline=past
    )
    stakeholders.close_review(list_id=earlier.pk)
    ctx.log("writing the meetings' registration deadlines and audiences…")
    stakeholders.after_close(list_id=earlier.pk)
    review_deadlines.sync_registrations_of(process.pk)
    approved = list(
        Organization.objects.filter(
            applications__entries__stakeholder_list=earlier,
            applications__entries__outcome=EntryOutcome.APPROVED,
        ).order_by("pk")
    )
    meetings = list(Meeting.objects.filter(process=process).order_by("pk"))
    user, _ = get_user_model().objects.get_or_create(username="bench-backup-nominator")
    Nomination.objects.bulk_create(
        (
            Nomination(
                meeting=meetings[(i * 7 + k * 113) % len(meetings)],
                organization=org,
                name=f"Nominee {i}-{k}",
                gender=GENDERS[(i + k) % len(GENDERS)],
                email=f"nominee{i}.{k}@example.org",
                nominated_by=user,
                nominated_at=past,
            )
            for i, org in enumerate(approved)
            for k in range(NOMINATED_MEETINGS)
        ),
        batch_size=1000,
    )


@transaction.atomic
def _objection_events(lst) -> None:
    """One ``objection.lodged`` event per objection, as ``lodge_objection`` writes it: the
    chain the restore verifies."""
    user = get_user_model().objects.get(username="bench-delegate")
    rows = Objection.objects.filter(entry__stakeholder_list=lst).values_list(
        "entry_id", "member_state__iso3", "lodged_at"
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                at=at,
                actor=user,
                actor_label=user.get_username(),
                action="objection.lodged",
                list_id=lst.pk,
                entry_id=entry_id,
                data={"state": iso3, "with_basis": False, "disclose_identity": False},
            )
            for entry_id, iso3, at in rows
        ],
        batch_size=1000,
    )


@transaction.atomic
def _people_and_mail() -> list[int]:
    """``PEOPLE`` users, each with ``MAIL_PER_PERSON`` notifications; returns the ids of
    those waiting or being sent (set to sent at the end: later benchmarks send what is
    due)."""
    User = get_user_model()
    people = User.objects.bulk_create(
        (
            User(username=f"bench-backup-{i}", email=f"person{i}.backup@example.org")
            for i in range(PEOPLE)
        ),
        batch_size=1000,
    )
    now = timezone.now()
    rows = []
    for i, user in enumerate(people):
        for k in range(MAIL_PER_PERSON):
            n = i * MAIL_PER_PERSON + k
            status = (
                EmailStatus.PENDING
                if n % 10 == 0
                else EmailStatus.SENDING
                if n % 50 == 1
                else EmailStatus.SENT
            )
            rows.append(
                Notification(
                    recipient=user,
                    kind="reminder",
                    key=f"bench-backup:{k}",
                    params={"title": f"Deadline {k}", "due": "2018-01-20"},
                    email_status=status,
                    email_claimed_at=now if status == EmailStatus.SENDING else None,
                    email_handover_at=now if status == EmailStatus.SENDING else None,
                    email_sent_at=now if status == EmailStatus.SENT else None,
                )
            )
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    return [n.pk for n in created if n.email_status != EmailStatus.SENT]


def _payload(rng: random.Random, size: int) -> bytes:
    """Incompressible bytes behind a PDF header (PDFs and Word files are compressed)."""
    return b"%PDF-1.7\n" + rng.randbytes(size)


@transaction.atomic
def _media(process: Process) -> None:
    """Uploaded documents (English and French versions) and rendered PDFs: each file
    written through ``default_storage`` and named by its row, as the application does."""
    rng = random.Random("bench-backup-media")
    meetings = list(Meeting.objects.filter(process=process).order_by("pk"))
    kinds = [DocumentKind.ISSUE_BRIEF, DocumentKind.COFACILITATORS_SUMMARY]
    now = timezone.now()
    documents = Document.objects.bulk_create(
        Document(
            process=process,
            symbol=f"A/AC.BACKUP/2017/{i}",
            kind=kinds[i % len(kinds)],
            title=f"Bench document {i}",
            title_en=f"Bench document {i}",
            meeting=meetings[i % len(meetings)],
            author_role=ResponsibleRole.SECRETARIAT,
            issued_on=datetime.date(2017, 5, 1) + datetime.timedelta(days=i % 400),
            status=DocumentStatus.PUBLISHED,
            published_at=now,
        )
        for i in range(DOCUMENTS)
    )
    versions = []
    for document in documents:
        for language in ("en", "fr"):
            data = _payload(rng, rng.randrange(8 * 1024, 120 * 1024))
            name = default_storage.save(
                f"documents/{now:%Y}/{document.pk}-{language}.pdf", ContentFile(data)
            )
            versions.append(
                DocumentVersion(
                    document=document,
                    language=language,
                    file=name,
                    file_kind=DocumentVersion.FileKind.PDF,
                    file_size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    original_filename=f"{document.symbol.replace('/', '_')}-{language}.pdf",
                )
            )
    bulk_create_with_history(versions, DocumentVersion, batch_size=500)
    pdfs = []
    for i in range(PDFS):
        key = f"bench-backup-list:{i}:en"
        data = _payload(rng, rng.randrange(50 * 1024, 400 * 1024))
        fingerprint = hashlib.sha256(key.encode()).hexdigest()
        name = default_storage.save(storage_name(key, fingerprint), ContentFile(data))
        pdfs.append(
            RenderedPdf(
                key=key,
                fingerprint=fingerprint,
                status=RenderedPdf.Status.READY,
                file=name,
                filename=f"list-{i}.pdf",
                size=len(data),
                pages=1 + len(data) // 4096,
                requested_at=now,
                finished_at=now,
            )
        )
    RenderedPdf.objects.bulk_create(pdfs)


# --- The fresh target of the restore -------------------------------------------------------


def _postgres_admin_params() -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }


@contextmanager
def fresh_database(folder: Path, log) -> Iterator[str]:
    """The DATABASE_URL of an empty database: a new SQLite file in ``folder``, or a new
    database on the PostgreSQL server the harness uses, dropped at the end."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{folder / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"bench_restore_{uuid.uuid4().hex[:8]}"
    params = _postgres_admin_params()
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    log(f"restore target: PostgreSQL database {name}")
    try:
        user = urllib.parse.quote(params["user"] or "", safe="")
        secret = params["password"]
        password = f":{urllib.parse.quote(secret, safe='')}" if secret else ""
        yield f"postgresql://{user}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log(f"dropped {name}")


def _restore_env(folder: Path, database_url: str) -> dict[str, str]:
    """The restored system, as tests/test_backup.py's ``restored_env`` makes it: its own
    database, VAR_DIR and media folder, e-mail to files, no broker."""
    var = folder / "restored"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-restore-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(var / "mail"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "STATIC_ROOT", "BACKUP_DIR"):
        env.pop(name, None)
    return env


def _peak_resident_mib(pid: int) -> float:
    """The child's peak resident size so far (``VmHWM``: its own image since ``exec``;
    ``ru_maxrss`` would count the benchmark's process, which the child was forked from)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else 0.0


def _restore(archive: Path, env: dict[str, str]) -> dict[str, float | str]:
    """``manage.py restore ARCHIVE --noinput`` in a child process: the whole time, the
    moment each output line arrives (s after the start) and the child's peak resident size
    as of its last line ("Restore complete.", just before it exits)."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "manage.py", "restore", str(archive), "--noinput"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        lines: list[tuple[float, str]] = []
        peak = 0.0
        assert child.stdout is not None
        for line in child.stdout:
            lines.append((time.perf_counter() - start, line.rstrip("\n")))
            peak = max(peak, _peak_resident_mib(child.pid))
        child.wait()
        elapsed = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read()
    output = "\n".join(text for _t, text in lines)
    if child.returncode or "Restore complete." not in output:
        raise RuntimeError(f"the restore failed ({child.returncode}):\n{output}\n{stderr}")

    def at(prefix: str) -> float:
        return next(t for t, text in lines if text.startswith(prefix))

    held = re.search(r"\): (\d+) waiting or being sent", output)
    return {
        "time": elapsed,
        "started": at("Restoring the backup"),
        "loaded": at("Loaded the database"),
        "checked": at("Rows:"),
        "peak_rss_mib": peak,
        "held": int(held.group(1)) if held else -1,
        "output": output,
    }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def run(ctx: Context) -> list[Record]:
    with tempfile.TemporaryDirectory(dir=ctx.var_dir, prefix="bench-backup-") as work:
        folder = Path(work)
        media = folder / "media"
        media.mkdir()
        with override_settings(MEDIA_ROOT=str(media)):
            return _run(ctx, folder)


def _run(ctx: Context, folder: Path) -> list[Record]:
    process = _process(ctx)
    _registrations(ctx, process)
    entries, objections = REVIEW_SIZES[SIZE]
    lst = stakeholder_list(
        ctx,
        process,
        title="Bench backup review",
        entries=entries,
        objections=objections,
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    _objection_events(lst)
    ctx.log(f"writing {PEOPLE} people's e-mails and {2 * DOCUMENTS + PDFS} media files…")
    unsent = _people_and_mail()
    try:
        _media(process)
        return _measure(ctx, folder)
    finally:
        # Later benchmarks send whatever is due: nothing of this one.
        Notification.objects.filter(pk__in=unsent).update(
            email_status=EmailStatus.SENT, email_sent_at=timezone.now()
        )


def _measure(ctx: Context, folder: Path) -> list[Record]:
    archive = folder / "backup.tar"
    ctx.log(f"backup: timing {REPEATS} takes…")
    samples = []
    taken = None
    for _ in range(REPEATS):
        archive.unlink(missing_ok=True)
        start = time.perf_counter()
        taken = backups.take(output=archive)
        samples.append(time.perf_counter() - start)
    assert taken is not None
    manifest = taken.manifest
    files = manifest["media"]["files"]
    media_bytes = sum(info["size"] for info in files.values())
    if taken.missing_pdfs:
        ctx.log(f"WARNING: {len(taken.missing_pdfs)} rendered PDFs missing from the backup")
    ctx.log("backup: peak memory…")
    spare = folder / "backup-memory.tar"
    memory = peak_memory_mib(lambda: backups.take(output=spare))
    spare.unlink()
    rows = sum(manifest["counts"].values())
    ctx.log(
        f"backup: {rows:,} rows, {len(files)} files, "
        f"{archive.stat().st_size / 2**20:.1f} MiB; restoring into a fresh database…"
    )

    with fresh_database(folder, ctx.log) as url:
        env = _restore_env(folder, url)
        restored = _restore(archive, env)
        restored_media = Path(env["MEDIA_ROOT"])
        on_disk = sum(1 for p in restored_media.rglob("*") if p.is_file())
        if on_disk != len(files):
            ctx.log(f"WARNING: {on_disk} files restored, {len(files)} in the archive")
        shutil.rmtree(env["VAR_DIR"], ignore_errors=True)
    ctx.log(f"restore: {restored['time']:.1f} s")

    b, r = f"backup.{SIZE}", f"restore.{SIZE}"
    return [
        Record(f"{b}.rows", rows, COUNT),
        Record(f"{b}.tables", len(manifest["counts"]), COUNT),
        Record(f"{b}.audit_events", manifest["audit"]["last_sequence"], COUNT),
        Record(f"{b}.media_files", len(files), COUNT),
        Record(f"{b}.media_size", round(media_bytes / 2**20, 2), MIB),
        Record(f"{b}.archive_size", round(archive.stat().st_size / 2**20, 2), MIB),
        Record(f"{b}.time", _ms(sorted(samples)[len(samples) // 2]), MS),
        Record(f"{b}.peak_memory", memory, MIB),
        Record(f"{r}.time", _ms(restored["time"]), MS),
        Record(f"{r}.startup_time", _ms(restored["started"]), MS),
        Record(f"{r}.load_time", _ms(restored["loaded"] - restored["started"]), MS),
        Record(f"{r}.after_load_time", _ms(restored["checked"] - restored["loaded"]), MS),
        Record(f"{r}.held_emails", restored["held"], COUNT),
        Record(f"{r}.process_peak_memory", round(restored["peak_rss_mib"], 2), MIB),
    ]
