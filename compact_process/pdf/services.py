"""Rendering PDFs: synchronously (``render_now``), or queued for the "pdf" Celery worker
with progress shown to the reader (``request_pdf``, ``respond``). A rendered file is
cached under its key and the fingerprint of the HTML it was made from: the same content
is served without rendering, a change renders again."""

from __future__ import annotations

import datetime
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role
from compact_process.errors import Refusal

from .fonts import MissingFont, check_fonts
from .models import RenderedPdf
from .render import render_pdf
from .sources import PdfSource

log = logging.getLogger(__name__)

Status = RenderedPdf.Status
Progress = Callable[[int, str], None]

# Celery time limits of the render task (seconds); a row "rendering" for longer than the
# hard limit was abandoned by a worker that died, and is queued again.
SOFT_TIME_LIMIT = 300
TIME_LIMIT = 330
# A render in progress writes its row's heartbeat this often, from a thread of its own (the
# layout itself reports nothing for long stretches); a render silent for RENDER_LOST_AFTER
# was cut off (its worker killed, restarted or out of memory): the reader waiting on the
# progress page is told at the next poll and offered "Try again", and the next request
# for it queues it again.
RENDER_HEARTBEAT = datetime.timedelta(seconds=2)
RENDER_LOST_AFTER = datetime.timedelta(seconds=15)

STAGES = {
    "queued": gettext_lazy("Waiting for its turn"),
    "collect": gettext_lazy("Collecting the content"),
    "layout": gettext_lazy("Laying out the pages"),
    "write": gettext_lazy("Writing the PDF"),
    "done": gettext_lazy("Ready"),
}
# The share of the progress bar each stage starts at (percent).
_START = {"collect": 5, "layout": 40, "write": 85, "done": 100}


def _row_progress(pk: int) -> Progress:
    """Progress written straight to the row (visible to other connections at once when
    the caller is not inside a transaction, as in the worker)."""

    def report(percent: int, stage: str) -> None:
        RenderedPdf.objects.filter(pk=pk).update(progress=max(0, min(100, percent)), stage=stage)

    return report


@contextmanager
def _heartbeat(pk: int) -> Iterator[None]:
    """While the block runs, note every RENDER_HEARTBEAT that this render is alive. Only
    where others can see it: inside a transaction (a test, a synchronous render in a
    request) nobody else reads the row, and a second connection would wait on its lock."""
    if connection.in_atomic_block:
        yield
        return
    done = threading.Event()

    def beat() -> None:
        from django.db import connections

        try:
            while not done.wait(RENDER_HEARTBEAT.total_seconds()):
                RenderedPdf.objects.filter(pk=pk, status=Status.RENDERING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # the database is away: the render itself will say so
            log.warning("The heartbeat of PDF %s stopped", pk, exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"pdf-heartbeat-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=10)


def storage_name(key: str, fingerprint: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", key).strip("-")[:120] or "pdf"
    return f"pdf/{safe}-{fingerprint[:16]}.pdf"


def file_exists(row: RenderedPdf) -> bool:
    return bool(row.file) and default_storage.exists(row.file.name)


def is_fresh(row: RenderedPdf | None, fingerprint: str) -> bool:
    return bool(
        row and row.status == Status.READY and row.fingerprint == fingerprint and file_exists(row)
    )


def _html(source: PdfSource, progress: Progress) -> str:
    steps = source.steps()
    if steps > 1:
        span = _START["layout"] - _START["collect"]

        def piece(done: int, total: int) -> None:
            total = total or steps
            progress(_START["collect"] + span * min(done, total) // max(total, 1), "collect")

        return source.render_html(progress=piece)
    return source.render_html()


def render_now(
    source: PdfSource, progress: Progress | None = None, *, skip_if_fresh: bool = False
) -> RenderedPdf:
    """Render the PDF now, in this process, and record the outcome in its RenderedPdf row
    (ready with the file, or failed with the reason people read). With ``skip_if_fresh``
    a row already rendered from the same HTML is returned untouched."""
    now = timezone.now()
    row, _created = RenderedPdf.objects.get_or_create(
        key=source.key, defaults={"fingerprint": "", "requested_at": now, "status": Status.QUEUED}
    )
    report = progress or _row_progress(row.pk)
    started = time.monotonic()
    RenderedPdf.objects.filter(pk=row.pk).update(
        status=Status.RENDERING,
        started_at=now,
        heartbeat_at=now,
        progress=_START["collect"],
        stage="collect",
        error="",
    )
    fingerprint = row.fingerprint
    try:
        report(_START["collect"], "collect")
        html = _html(source, report)
        fingerprint = source.fingerprint(html)
        row.refresh_from_db()
        if (
            # The file's name carries the fingerprint of the HTML it was made from.
            skip_if_fresh
            and row.file
            and row.file.name == storage_name(source.key, fingerprint)
            and file_exists(row)
        ):
            RenderedPdf.objects.filter(pk=row.pk).update(
                status=Status.READY, progress=100, stage="done"
            )
            row.refresh_from_db()
            return row
        check_fonts(html)
        with _heartbeat(row.pk):
            result = render_pdf(html, on_stage=lambda stage: report(_START[stage], stage))
    except Exception as error:
        return _fail(row.pk, fingerprint, error, started)
    old = row.file.name if row.file else ""
    name = default_storage.save(storage_name(source.key, fingerprint), ContentFile(result.pdf))
    if old and old != name:
        try:
            default_storage.delete(old)
        except OSError:
            log.warning("Old PDF %s could not be deleted", old, exc_info=True)
    RenderedPdf.objects.filter(pk=row.pk).update(
        status=Status.READY,
        fingerprint=fingerprint,
        file=name,
        filename=source.filename(),
        pages=result.pages,
        size=len(result.pdf),
        error="",
        progress=100,
        stage="done",
        finished_at=timezone.now(),
        render_seconds=round(time.monotonic() - started, 3),
    )
    row.refresh_from_db()
    return row


# RenderedPdf.reason of a PDF refused for a font the server lacks.
FONTS = "fonts"


def error_for(row: RenderedPdf, user) -> str:
    """What this reader is told of a failure: the administrator's hint (which package to
    install, and how) is for the secretariat, who can act on it; anyone else is told
    plainly that the server cannot make this PDF yet."""
    if row.reason == FONTS and not (
        user is not None and (user.is_superuser or has_role(user, Role.SECRETARIAT))
    ):
        return _(
            "This PDF cannot be prepared at the moment: the server lacks a font for its "
            "language. Please try again later, or tell the secretariat."
        )
    return row.error


def failure_message(error: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(error, Refusal):
        return " ".join(error.messages)
    if isinstance(error, SoftTimeLimitExceeded):
        return _("Preparing this PDF took too long (more than %(minutes)d minutes).") % {
            "minutes": SOFT_TIME_LIMIT // 60
        }
    return _("The PDF could not be prepared because of an error on the server; it has been logged.")


def _fail(pk: int, fingerprint: str, error: BaseException, started: float) -> RenderedPdf:
    if isinstance(error, MissingFont):
        log.error("PDF %s refused: %s", pk, " ".join(error.messages))
    elif not isinstance(error, Refusal):
        log.exception("PDF %s could not be rendered", pk)
    RenderedPdf.objects.filter(pk=pk).update(
        status=Status.FAILED,
        fingerprint=fingerprint,
        error=failure_message(error),
        reason=FONTS if isinstance(error, MissingFont) else "",
        finished_at=timezone.now(),
        render_seconds=round(time.monotonic() - started, 3),
    )
    return RenderedPdf.objects.get(pk=pk)


def mark_failed(key: str, message: str) -> None:
    RenderedPdf.objects.filter(key=key).update(
        status=Status.FAILED, error=message, finished_at=timezone.now()
    )


# --- Queued rendering --------------------------------------------------------------------
def _enqueue(key: str) -> None:
    from . import tasks

    try:
        tasks.render.delay(key)
    except Exception:  # the broker is down: the row stays queued and a later request retries
        log.warning(
            "Could not enqueue the PDF %s; it will be queued again when asked for",
            key,
            exc_info=True,
        )


def _lost(row: RenderedPdf, now: datetime.datetime) -> bool:
    """Rendering, and silent for longer than RENDER_LOST_AFTER: its worker was cut off."""
    last = row.heartbeat_at or row.started_at or row.requested_at
    return row.status == Status.RENDERING and last < now - RENDER_LOST_AFTER


def _stale(row: RenderedPdf, now: datetime.datetime) -> bool:
    """A render cut off, or queued for longer than the task may run (the message was
    lost): it is queued again (rendering twice is harmless)."""
    if row.status == Status.QUEUED:
        return row.requested_at < now - datetime.timedelta(seconds=TIME_LIMIT)
    return _lost(row, now)


def fail_if_lost(row: RenderedPdf | None, *, now: datetime.datetime | None = None):
    """The row, marked failed (with "Try again" for the reader) when its render was cut
    off; a conditional UPDATE on the silence read, so a render that beats meanwhile, or a
    new one, is left alone."""
    now = now or timezone.now()
    if row is None or not _lost(row, now):
        return row
    RenderedPdf.objects.filter(
        pk=row.pk, status=Status.RENDERING, heartbeat_at=row.heartbeat_at, started_at=row.started_at
    ).update(
        status=Status.FAILED,
        error=_(
            "The server stopped while preparing this PDF (it was restarted, or ran out of "
            "memory). Try again: it is prepared anew."
        ),
        finished_at=now,
    )
    log.warning("PDF %s: its render was cut off (silent since %s)", row.key, row.heartbeat_at)
    row.refresh_from_db()
    return row


def request_pdf(source: PdfSource, *, retry: bool = False) -> RenderedPdf:
    """The source's RenderedPdf: the cached one when it was made from the same HTML,
    otherwise queued for the worker (once, however many people ask at the same time).
    A failed render of the same HTML stays failed (its reason is shown) unless ``retry``."""
    html = source.render_html()
    fingerprint = source.fingerprint(html)
    now = timezone.now()
    row, created = RenderedPdf.objects.get_or_create(
        key=source.key,
        defaults={
            "fingerprint": fingerprint,
            "requested_at": now,
            "status": Status.QUEUED,
            "stage": "queued",
        },
    )
    if created:
        transaction.on_commit(lambda: _enqueue(source.key))
        return row
    if is_fresh(row, fingerprint):
        return row
    same = row.fingerprint == fingerprint
    if same and row.status in (Status.QUEUED, Status.RENDERING) and not _stale(row, now):
        return row
    if same and row.status == Status.FAILED and not retry:
        return row
    # Conditional UPDATE on the state read: of two requests at once, one queues it.
    claimed = RenderedPdf.objects.filter(
        pk=row.pk, status=row.status, fingerprint=row.fingerprint, requested_at=row.requested_at
    ).update(
        status=Status.QUEUED,
        fingerprint=fingerprint,
        requested_at=now,
        progress=0,
        stage="queued",
        error="",
        started_at=None,
    )
    if claimed:
        transaction.on_commit(lambda: _enqueue(source.key))
    row.refresh_from_db()
    return row


def stage_label(code: str) -> str:
    return str(STAGES.get(code, code))


def status_of(row: RenderedPdf | None, user=None) -> dict:
    if row is None:
        return {"status": "missing", "progress": 0, "stage": "", "url": None, "error": ""}
    ready = row.status == Status.READY and file_exists(row)
    return {
        "status": row.status,
        "progress": 100 if ready else row.progress,
        "stage": stage_label(row.stage),
        "url": reverse("pdf:file", args=[row.key]) if ready else None,
        "error": error_for(row, user) if row.status == Status.FAILED else "",
    }


def _wait(row: RenderedPdf, seconds: float) -> RenderedPdf:
    deadline = time.monotonic() + seconds
    while row.status in (Status.QUEUED, Status.RENDERING) and time.monotonic() < deadline:
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        row.refresh_from_db()
    return row


def respond(request, source: PdfSource) -> HttpResponse:
    """The PDF when it is ready (waiting up to ``PDF_WAIT_SECONDS`` for it), else a page
    showing its progress (202), or the reason it failed with a "Try again" button."""
    if not source.may_read(request.user) or not source.exists():
        raise Http404
    if request.method == "POST":
        request_pdf(source, retry=True)
        return redirect(request.path)
    row = request_pdf(source)
    if row.status in (Status.QUEUED, Status.RENDERING):
        row = _wait(row, float(getattr(settings, "PDF_WAIT_SECONDS", 2)))
    if row.status == Status.READY and file_exists(row):
        response = FileResponse(
            default_storage.open(row.file.name, "rb"),
            content_type="application/pdf",
            as_attachment=False,
            filename=row.filename or source.filename(),
        )
        response["Cache-Control"] = "private, no-cache"
        return response
    try:
        title = source.meta().title
    except Exception:  # the title is only decoration here
        title = source.key
    failed = row.status == Status.FAILED
    return TemplateResponse(
        request,
        "pdf/progress.html",
        {
            "row": row,
            "title": title,
            "failed": failed,
            "error": error_for(row, request.user) if failed else "",
            "key": source.key,
            "stage": stage_label(row.stage),
            "status_url": reverse("pdf:status", args=[source.key]),
            "file_url": reverse("pdf:file", args=[source.key]),
        },
        status=200 if failed else 202,
    )
