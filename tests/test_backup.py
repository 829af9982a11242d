"""Backups and restore (issue 16): `manage.py backup` takes the database and MEDIA_ROOT at
one moment; `manage.py restore` puts them into a fresh database and an empty media folder,
verifies the audit chain and holds every e-mail that was waiting or being sent, for a
person to send or drop on the operations page (a sweep sends none of them).

The walk on PostgreSQL: a review in progress (objections lodged, a document with its PDF
file, the proposed list's rendered PDF, e-mails waiting, being handed over and sent) is
backed up, restored into a database made for the test and a new media folder by the
command in another process, served by gunicorn from there, and its held e-mails released:
each goes out once. The same round trip on SQLite, smaller. Then the held e-mails on the
operations page, in this process."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from compact_process.audit.models import AuditEvent
from compact_process.backups import services as backups
from compact_process.notifications import operations
from compact_process.notifications import services as notifications
from compact_process.notifications.models import EmailStatus, Notification
from compact_process.pdf.models import RenderedPdf
from compact_process.pdf.services import storage_name
from phases.models import MemberState
from stakeholders import pdfs, services
from stakeholders.enums import ListStatus
from stakeholders.models import Objection
from tests.people import delegate, person
from tests.test_documents import published
from tests.test_office_pages import screened_in
from tests.test_operations import cut_off, overview, page_text, reminder, signed_in
from tests.test_review_gunicorn import _free_port, serving, static_root  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- Helpers -----------------------------------------------------------------------------------


def review_in_progress(process):
    """A list under review until three days from now, Mexico objecting to one entry and
    Germany to another; the delegates are told by e-mail (waiting to be sent)."""
    office = person("office", "pga_office")
    mexico, germany = delegate("mx", "MEX"), delegate("de", "DEU")
    lst = services.create_list(
        process=process, purpose="preparatory", title="Preparatory list", actor=office
    )
    for i, iso3 in enumerate(["KEN", "BRA"]):
        application = screened_in(process, office, f"Migrant network {i}", iso3)
        services.add_entry(stakeholder_list=lst, application=application, actor=office)
    services.submit_list(
        stakeholder_list=lst, deadline=timezone.now() + datetime.timedelta(days=3), actor=office
    )
    first, second = lst.entries.order_by("pk")
    services.lodge_objection(
        entry=first, member_state=MemberState.objects.get(iso3="MEX"), user=mexico, basis="A"
    )
    services.lodge_objection(
        entry=second, member_state=MemberState.objects.get(iso3="DEU"), user=germany
    )
    lst.refresh_from_db()
    return lst


def rendered_pdf(lst) -> RenderedPdf:
    """The proposed list's PDF as a finished render leaves it: its row ready, its file
    under MEDIA_ROOT named by the fingerprint. Written directly (what is backed up is the
    row and the file), so that the walk does not depend on the server's fonts."""
    source = pdfs.ProposedListPdf(str(lst.pk), "en")
    fingerprint = hashlib.sha256(b"the proposed list").hexdigest()
    name = default_storage.save(
        storage_name(source.key, fingerprint), ContentFile(b"%PDF-1.7 the proposed list")
    )
    now = timezone.now()
    return RenderedPdf.objects.create(
        key=source.key,
        fingerprint=fingerprint,
        status=RenderedPdf.Status.READY,
        file=name,
        filename=source.filename(),
        requested_at=now,
        finished_at=now,
    )


def mail_in_every_state() -> dict[str, list[int]]:
    """Of the e-mails written so far: one sent, one cut off during its hand-over (being
    sent), the rest waiting; plus a reminder waiting. Returns the ids by status."""
    reminder(person("someone", "delegate"), "Zero draft")
    rows = list(Notification.objects.order_by("pk"))
    assert len(rows) >= 3
    Notification.objects.filter(pk=rows[0].pk).update(
        email_status=EmailStatus.SENT, email_sent_at=timezone.now()
    )
    cut_off(rows[1], timezone.now() - datetime.timedelta(seconds=5))
    by_status: dict[str, list[int]] = {}
    for pk, status in Notification.objects.values_list("pk", "email_status"):
        by_status.setdefault(status, []).append(pk)
    return by_status


def run(args: list[str], env: dict[str, str], *, check: bool = True):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


# Run in the restored system's process: reads and acts on its database, prints JSON.
FACTS = """
import json
from compact_process.audit.models import AuditEvent
from compact_process.notifications.models import Notification
from stakeholders.models import Objection, StakeholderList
print(json.dumps({
    "mail": {str(pk): s for pk, s in Notification.objects.values_list("pk", "email_status")},
    "objections": Objection.objects.count(),
    "lists": {str(pk): s for pk, s in StakeholderList.objects.values_list("pk", "status")},
    "events": AuditEvent.objects.count(),
}))
"""
SWEEP = """
import json
from compact_process.notifications import services
print(json.dumps(services.send_due()))
"""
RELEASE = """
import json
from compact_process.notifications import operations, services
released = operations.send_held(actor=None)
swept = services.send_due()
print(json.dumps({"released": released, "swept": swept, "again": services.send_due()}))
"""
VERIFIED = """
import json
from compact_process.audit import chain
print(json.dumps(chain.verify().ok))
"""


def shell(code: str, env: dict[str, str]) -> dict:
    done = run(["shell", "-c", code], env)
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def fresh_postgres_database():
    """A database of its own on the test's server, dropped at the end (a unique name:
    xdist workers run at once)."""
    import psycopg

    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        yield f"postgresql://{db['USER']}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(**params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restored_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The restored system: its own database, VAR_DIR and media folder, its e-mails
    written to files (one per hand-over), no Redis (an embedded broker under VAR_DIR)."""
    var = tmp_path / "restored"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": database_url,
        "VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(var / "mail"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "STATIC_ROOT"):
        env.pop(name, None)
    return env


def mail_files(env: dict[str, str]) -> list[Path]:
    folder = Path(env["EMAIL_FILE_PATH"])
    return sorted(folder.iterdir()) if folder.is_dir() else []


@contextmanager
def gunicorn(env: dict[str, str], static: Path, log: Path):
    port = _free_port()
    server_env = {
        **env,
        "STATIC_ROOT": str(static),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "SECURE_COOKIES": "0",
    }
    with serving(server_env, log):
        yield f"http://127.0.0.1:{port}"


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


# --- The walk on PostgreSQL --------------------------------------------------------------------


@pytest.mark.postgres
@transactional
def test_a_backup_taken_mid_review_restores_served_verified_and_sends_no_e_mail_twice(
    gcm,
    tmp_path,
    static_root,  # noqa: F811
):
    lst = review_in_progress(gcm)
    document = published(gcm, symbol="A/AC.1/2017/BACKUP", title="Summary for the backup")
    version = document.versions.get()
    rendered = rendered_pdf(lst)
    by_status = mail_in_every_state()
    waiting, sending = by_status[EmailStatus.PENDING], by_status[EmailStatus.SENDING]
    assert waiting and sending and by_status[EmailStatus.SENT]
    objections = Objection.objects.count()
    events = AuditEvent.objects.count()

    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive, stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = backups.read_manifest(archive)
    assert manifest["vendor"] == "postgresql"
    last = AuditEvent.objects.order_by("-sequence").first()
    assert (manifest["audit"]["last_sequence"], manifest["audit"]["last_hash"]) == (
        last.sequence,
        last.hash,
    )
    assert {version.file.name, rendered.file.name} <= set(manifest["media"]["files"])
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "database.pgdump"

    with fresh_postgres_database() as url:
        env = restored_env(tmp_path, url)
        done = run(["restore", str(archive), "--noinput"], env)
        assert "Rows: every table has the rows the manifest lists" in done.stdout
        assert "Audit: OK: the audit trail is intact" in done.stdout
        assert f"{len(waiting) + len(sending)} waiting or being sent" in done.stdout
        assert "Restore complete." in done.stdout

        # The files, byte for byte.
        media = Path(env["MEDIA_ROOT"])
        for name in (version.file.name, rendered.file.name):
            assert (media / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes()

        # The review as it was; mail waiting or being sent is held, sent stays sent.
        facts = shell(FACTS, env)
        assert facts["objections"] == objections
        assert facts["lists"][str(lst.pk)] == ListStatus.UNDER_REVIEW
        assert facts["events"] > events  # the hold is an audit event of its own
        mail_status = {int(pk): status for pk, status in facts["mail"].items()}
        assert {mail_status[pk] for pk in waiting + sending} == {EmailStatus.HELD}
        assert {mail_status[pk] for pk in by_status[EmailStatus.SENT]} == {EmailStatus.SENT}
        held = [pk for pk, status in mail_status.items() if status == EmailStatus.HELD]

        # A sweep sends nothing; a second restore into the same place is refused.
        assert shell(SWEEP, env) == {}
        assert mail_files(env) == []
        again = run(["restore", str(archive), "--noinput"], env, check=False)
        assert again.returncode == 1 and "The target is not empty" in again.stderr

        # The application serves the restored database and files.
        with gunicorn(env, static_root, tmp_path / "gunicorn.log") as base:
            status, page = get(base + reverse("phases:public-home"))
            assert status == 200 and gcm.mandate.encode() in page
            status, body = get(base + reverse("documents:file", args=[version.pk]))
            assert status == 200 and body == version.file.open("rb").read()

        # A person sends the held e-mails: each goes out once.
        released = shell(RELEASE, env)
        assert sorted(released["released"]) == sorted(held)
        assert released["again"] == {}
        files = mail_files(env)
        assert len(files) == released["swept"]["sent"] >= 1
        assert shell(SWEEP, env) == {} and len(mail_files(env)) == len(files)
        facts = shell(FACTS, env)
        assert {facts["mail"][str(pk)] for pk in held} == {EmailStatus.SENT}
        assert shell(VERIFIED, env) is True


# --- The same on SQLite --------------------------------------------------------------------------


SQLITE_SOURCE = """
import json
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from compact_process.audit.models import record
from compact_process.notifications.services import Note, notify
user = get_user_model().objects.create_user("mx", email="mx@example.org")
with transaction.atomic():
    notify([Note(recipient_id=user.pk, kind="reminder", key="reminder:backup", params={})])
    record("backup.test", note="a change and its notification")
name = default_storage.save("documents/2017/1-en.pdf", ContentFile(b"%PDF-1.4 backed up"))
print(json.dumps({"file": name}))
"""


def test_the_sqlite_round_trip_restores_a_consistent_copy_and_holds_the_e_mails(tmp_path):
    """Whatever this run's database: the source and the restored system are processes of
    their own, each on its SQLite file."""
    source = restored_env(tmp_path / "source", f"sqlite:///{tmp_path / 'source.sqlite3'}")
    run(["migrate", "-v0"], source)
    made = shell(SQLITE_SOURCE, source)
    archive = tmp_path / "backup.tar"
    run(["backup", "--output", str(archive)], source)
    manifest = backups.read_manifest(archive)
    assert manifest["vendor"] == "sqlite" and manifest["audit"]["last_sequence"] >= 1
    assert made["file"] in manifest["media"]["files"]

    env = restored_env(tmp_path, f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    done = run(["restore", str(archive), "--noinput"], env)
    assert "Audit: OK" in done.stdout and "Restore complete." in done.stdout
    assert "1 waiting or being sent" in done.stdout
    name = made["file"]
    assert (Path(env["MEDIA_ROOT"]) / name).read_bytes() == b"%PDF-1.4 backed up"
    facts = shell(FACTS, env)
    assert set(facts["mail"].values()) == {EmailStatus.HELD}
    assert shell(SWEEP, env) == {} and mail_files(env) == []


def test_a_file_that_is_not_a_backup_is_refused(db, tmp_path):
    archive = tmp_path / "backup.tar"
    archive.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="not a backup of this application"):
        call_command("restore", str(archive), "--noinput")


@transactional
def test_a_damaged_archive_is_refused_before_anything_is_changed(gcm, tmp_path, settings):
    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive, stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = backups.read_manifest(archive)
    manifest["database"]["sha256"] = "0" * 64
    settings.MEDIA_ROOT = str(tmp_path / "elsewhere")
    with pytest.raises(backups.BackupError, match="The archive is damaged"):
        backups.load(archive, manifest)
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).iterdir())
    with pytest.raises(CommandError, match="The target is not empty"):
        call_command("restore", str(archive), "--noinput")


@transactional
def test_files_in_a_bucket_are_backed_up_and_restored_through_the_storage(gcm, tmp_path, settings):
    """With AWS_STORAGE_BUCKET_NAME the files are objects, not MEDIA_ROOT: the archive
    reads and writes them through the storage's API (Django's in-memory storage here)."""
    memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": memory}
    name = default_storage.save("documents/2017/1-en.pdf", ContentFile(b"%PDF in a bucket"))
    archive = tmp_path / "backup.tar"
    call_command("backup", output=archive, stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = backups.read_manifest(archive)
    assert manifest["media"]["files"][name]["sha256"] == (
        hashlib.sha256(b"%PDF in a bucket").hexdigest()
    )
    # A new, empty bucket.
    settings.STORAGES = {**settings.STORAGES, "default": {**memory, "OPTIONS": {"location": "b"}}}
    assert not default_storage.exists(name)
    assert len(backups.occupied()) == 1  # the database only: the bucket is empty
    with backups._extracted(archive, manifest, tmp_path) as folder:
        backups._upload_media(folder / "media", default_storage, replace=False)
    assert default_storage.open(name).read() == b"%PDF in a bucket"
    assert "the file storage (InMemoryStorage) is not empty" in backups.occupied()


# --- The held e-mails on the operations page -----------------------------------------------------


def test_a_restore_holds_waiting_and_sending_mail_and_a_sweep_sends_none(db):
    waiting = reminder(person("mx", "delegate"), "Waiting")
    sending = reminder(person("de", "delegate"), "Being sent")
    cut_off(sending, timezone.now())
    sent = reminder(person("fr", "delegate"), "Sent")
    assert notifications.send_one(sent.pk) == "sent"
    assert operations.hold_after_restore(taken_at="2030-01-01T00:00:00+00:00", reason="backup") == 2
    assert notifications.send_due() == {}
    statuses = dict(Notification.objects.values_list("pk", "email_status"))
    assert statuses == {
        waiting.pk: EmailStatus.HELD,
        sending.pk: EmailStatus.HELD,
        sent.pk: EmailStatus.SENT,
    }
    assert not operations.uncertain().exists()  # held, not uncertain: asked about once
    (event,) = AuditEvent.objects.filter(action="notification.held_after_restore")
    assert event.data["count"] == 2 and event.actor_label == "system"


def test_the_operations_page_lists_held_mail_and_sends_each_once_after_saying_the_risk(
    client, db, django_capture_on_commit_callbacks
):
    rows = [reminder(person(f"p{i}", "delegate"), f"Held {i}") for i in range(2)]
    operations.hold_after_restore(taken_at="2030-01-01T00:00:00+00:00", reason="backup")
    operator = signed_in(client, "secretariat", "operator")
    text = page_text(client, overview())
    alert = text.split('<div class="ops-alert" role="alert">', 1)[1].split("</div>", 1)[0]
    assert "2 e-mails are held after a restore" in alert
    listed = page_text(client, overview("held"))
    assert "Held 0" in listed and "Held 1" in listed
    assert reverse("operations:send-held") in listed
    assert reverse("operations:drop-held-one", args=[rows[0].pk]) in listed

    url = reverse("operations:send-held")
    confirm = page_text(client, url)
    assert "If they did go out, the recipients get them twice." in confirm
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url)
    assert response.status_code == 302 and response.url == overview("held")
    assert len(callbacks) == 1  # a worker is asked to send them once this commits
    assert notifications.send_due() == {"sent": 2}
    assert notifications.send_due() == {}
    assert len(mail.outbox) == 2
    assert client.post(url).status_code == 422  # a second press changes nothing
    (event,) = AuditEvent.objects.filter(action="notification.held_sent")
    assert event.actor == operator and sorted(event.data["notification_ids"]) == sorted(
        r.pk for r in rows
    )


def test_dropping_one_held_e_mail_keeps_the_others_held(client, db):
    first = reminder(person("mx", "delegate"), "First")
    second = reminder(person("de", "delegate"), "Second")
    operations.hold_after_restore(taken_at="2030-01-01T00:00:00+00:00", reason="backup")
    signed_in(client, "secretariat")
    url = reverse("operations:drop-held-one", args=[first.pk])
    assert "If they did not go out, they are lost" in page_text(client, url)
    assert client.post(url).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.email_status, second.email_status) == (EmailStatus.DROPPED, EmailStatus.HELD)
    assert notifications.send_due() == {} and mail.outbox == []


def test_only_the_secretariat_decides_on_held_mail(client, db):
    row = reminder(person("mx", "delegate"), "Held")
    operations.hold_after_restore(taken_at="2030-01-01T00:00:00+00:00", reason="backup")
    signed_in(client, "delegate", "someone")
    for name, args in (("send-held", []), ("drop-held-one", [row.pk])):
        assert client.post(reverse(f"operations:{name}", args=args)).status_code == 403
    row.refresh_from_db()
    assert row.email_status == EmailStatus.HELD


def test_the_held_e_mails_of_a_digest_are_decided_together(db):
    recipient = person("mx", "delegate")
    first, second = reminder(recipient, "First"), reminder(recipient, "Second")
    with time_machine.travel(timezone.now(), tick=False):
        cut_off(first, timezone.now())  # one digest of both, cut off
    operations.hold_after_restore(taken_at="2030-01-01T00:00:00+00:00", reason="backup")
    assert sorted(operations.send_held(actor=None, pk=first.pk)) == sorted([first.pk, second.pk])
    assert notifications.send_due() == {"sent": 1}
    assert len(mail.outbox) == 1
