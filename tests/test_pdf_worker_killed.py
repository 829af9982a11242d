"""Issue 16: the PDF worker killed in the middle of a render. The reader waiting on the
progress page is told within 30 s and offered "Try again", which prepares it anew.

A real Celery worker on the ``pdf`` queue, as docker-compose's pdf-worker, on the embedded
broker and a throwaway SQLite database; the reader is Django's test client in a process
of its own (``READER``) reading the same database, as the web app would."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.test_celery_worker import CELERY, ROOT, base_env, kill_worker, manage

pytestmark = pytest.mark.worker

# A summary long enough that laying it out takes several seconds (about 8 s here), so
# that the worker can be killed while it is at it.
MAKE_DOCUMENT = """
import datetime
from django.utils import translation
from phases.documents import services, text
from phases.enums import DocumentKind, ResponsibleRole
from phases.models import Process

with translation.override("en"):
    document = services.create_document(
        process=Process.objects.get(), kind=DocumentKind.COFACILITATORS_SUMMARY,
        title="A long summary", author_role=ResponsibleRole.CO_FACILITATORS,
        issued_on=datetime.date(2017, 5, 30), symbol="",
    )
source = "\\n\\n".join(
    f"{i}. Delegations stressed paragraph {i} of the zero draft. " * 3 for i in range(1, 3001)
)
version = services.save_text(
    document=document, language="en", source=source, html=text.to_html(source)
)
services.publish(document=document)
print(version.pk)
"""

# What the reader's browser does, one step per run: GET the PDF's page, poll its status
# (as the progress page does) until it is no longer being prepared, POST "Try again".
READER = """
import json, sys, time
from django.test import Client
from django.urls import reverse

step, key = sys.argv[1], sys.argv[2]
client = Client(HTTP_HOST="localhost")
page, status = reverse("pdf:file", args=[key]), reverse("pdf:status", args=[key])
if step == "open":
    response = client.get(page)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    print(json.dumps({"code": response.status_code, "type": response["Content-Type"],
                      "html": body.decode(errors="replace")[:20000],
                      "pdf": body[:5].decode(errors="replace")}))
elif step == "poll":
    started = time.monotonic()
    while time.monotonic() - started < float(sys.argv[3]):
        polled = client.get(status).json()
        if polled["status"] not in ("queued", "rendering"):
            break
        time.sleep(0.5)
    print(json.dumps({**polled, "waited": time.monotonic() - started}))
elif step == "try-again":
    print(json.dumps({"code": client.post(page).status_code}))
"""


def reader(env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{READER}", *args],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "compact_process.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def pdf_worker(env: dict[str, str], log) -> subprocess.Popen:
    """The pdf-worker of docker-compose: the ``pdf`` queue, one render at a time."""
    return subprocess.Popen(
        [
            CELERY,
            "-A",
            "compact_process",
            "worker",
            "-Q",
            "pdf",
            "--concurrency=1",
            "--loglevel=info",
            "--hostname=pdf@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def render_row(var_dir: Path, key: str) -> tuple[str, str | None] | None:
    with closing(sqlite3.connect(var_dir / "compact_process.sqlite3", timeout=10)) as db:
        return db.execute(
            "SELECT status, heartbeat_at FROM pdf_renderedpdf WHERE key = ?", (key,)
        ).fetchone()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    var_dir = tmp_path_factory.mktemp("seeded")
    env = base_env(var_dir)
    manage(env, "migrate", "-v0")
    manage(env, "seed_gcm")
    return var_dir / "compact_process.sqlite3"


def test_a_worker_killed_mid_render_offers_try_again_within_30_s_and_renders_anew(tmp_path, seeded):
    shutil.copy(seeded, tmp_path / seeded.name)
    env = base_env(tmp_path)
    key = "document:" + manage(env, "shell", "-c", MAKE_DOCUMENT).strip().splitlines()[-1]
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = pdf_worker(env, log)
        try:
            assert reader(env, "open", key)["code"] == 202  # the progress page
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                row = render_row(tmp_path, key)
                if row and row[0] == "rendering" and row[1] is not None:
                    break
                time.sleep(0.2)
            else:
                pytest.fail(f"the render never began:\n{log_path.read_text()}")
            # Into the layout, its heartbeat running (3,000 paragraphs take seconds even on an
            # idle machine: 1,500 were once done within this wait).
            time.sleep(1)
            assert render_row(tmp_path, key)[0] == "rendering"
        finally:
            kill_worker(worker)
        killed = time.monotonic()

        polled = reader(env, "poll", key, "40")
        told = time.monotonic() - killed
        assert polled["status"] == "failed", polled
        assert told < 30, f"the reader was told after {told:.0f} s"
        page = reader(env, "open", key)
        assert page["code"] == 200 and "Try again" in page["html"]
        assert "The server stopped while preparing this PDF" in page["html"]

        assert reader(env, "try-again", key)["code"] in (200, 202, 302, 303)
        worker = pdf_worker(env, log)
        try:
            polled = reader(env, "poll", key, "90")
            assert polled["status"] == "ready", f"{polled}\n{log_path.read_text()}"
        finally:
            kill_worker(worker)
    opened = reader(env, "open", key)
    assert opened["code"] == 200 and opened["type"] == "application/pdf"
    assert opened["pdf"] == "%PDF-"
