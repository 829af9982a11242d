"""No page runs off a phone's screen, in any language (issue 17).

Every HTML page of the six-language page test (tests/test_every_page.py: the same routes
filled by the same world, each read by the roles that may read it, and the inbox at every
plural form) is laid out by a real browser (Playwright driving Debian's Chromium) at
390 CSS pixels wide, in each of the six languages; a page whose document is wider than
the screen (``document.documentElement.scrollWidth > clientWidth``: the sideways scroll a
reader would have to use) fails, with the elements that stick out. A table inside a
``.table-scroll`` region scrolls sideways inside itself by design; the region itself must
fit.

How the pages reach the browser, and why: each page is rendered by Django's test client,
signed in as its reader, exactly as the page test fetches it. A small HTTP server in this
test answers the browser with that response (its body and headers, the
Content-Security-Policy included) at the page's own path, and with the static files (and
uploads) that Django's finders would serve, cacheable as in production. So the browser lays
out the very HTML a reader gets, under its policy, with every style sheet, and runs its
scripts (the reader's-time-zone script rewrites dates before the widths are read); nothing
reaches a network. This needs no live server, no transactional database (no flush and
reload of the seeded data after the test), no sign-in in the browser and no second
factor. All the database work happens before the browser starts (under Playwright's event
loop an ORM call gets a second connection, outside this test's transaction). Playwright's
request routing (``context.route``) was tried first: it turns the browser's cache off, so
every page fetched its style sheets and scripts through the driver again, and a page took
about twice as long to lay out.

One test per language, so that the suite's workers share them.
"""

from __future__ import annotations

import mimetypes
import os
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.test_every_page import LANGUAGES, _client, build_world, in_language

PHONE = {"width": 390, "height": 844}

# Reads the page's width once its fonts are in; when it is too wide, names the outermost
# elements that stick out past the screen's edge (the right edge, or the left one in a
# right-to-left page), leaving out what a .table-scroll region holds (it scrolls inside).
_MEASURE = """async () => {
  await document.fonts.ready;
  const root = document.documentElement;
  const width = root.clientWidth;
  const rtl = getComputedStyle(root).direction === "rtl";
  const out = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return 0;
    return rtl ? -box.left : box.right - width;
  };
  const culprits = [];
  if (root.scrollWidth > width) {
    for (const el of document.body.querySelectorAll("*")) {
      const region = el.parentElement && el.parentElement.closest(".table-scroll");
      if (region) continue;
      const past = out(el);
      if (past < 1) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body && out(parent) >= 1) continue;
      const name = el.tagName.toLowerCase()
        + (el.id ? "#" + el.id : "")
        + (typeof el.className === "string" && el.className.trim()
           ? "." + el.className.trim().split(/\\s+/).join(".") : "");
      const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
      culprits.push(name + " +" + Math.round(past) + "px " + JSON.stringify(text));
      if (culprits.length === 4) break;
    }
  }
  // site.css sets the body's margin to 0: the page's style sheet applied.
  const styled = getComputedStyle(document.body).marginTop === "0px";
  return { scrollWidth: root.scrollWidth, clientWidth: width, culprits, styled };
}"""


@dataclass
class Rendered:
    name: str
    who: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes


def _rendered_pages(gcm, language: str) -> list[Rendered]:
    """Every page of the page test in ``language``, rendered for each reader who may read
    it (only the pages: 200 and HTML; what refuses or redirects is the page test's)."""
    world = build_world(gcm)
    clients: dict = {}
    rendered: list[Rendered] = []

    def keep(name: str, who: str, path: str, response) -> None:
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            return
        headers = {key: value for key, value in response.items() if key.lower() != "content-length"}
        rendered.append(Rendered(name, who, path, 200, headers, response.content))

    for fetch in world.fetches:
        if not fetch.html:
            continue
        path = in_language(fetch.path, language)
        for role in fetch.readers:
            keep(fetch.name, role or "anonymous", path, _client(role, clients).get(path))
    for count, reader in world.readers.items():
        client = Client(raise_request_exception=False)
        client.force_login(reader)
        path = in_language(reverse("notifications:inbox"), language)
        keep(f"inbox with {count} unread", "delegate", path, client.get(path))
    return rendered


def _static_file(path: str) -> Path | None:
    """The file Django would serve at ``path`` (a static file, or an uploaded one)."""
    static_url = "/" + settings.STATIC_URL.lstrip("/")
    if path.startswith(static_url):
        found = finders.find(path[len(static_url) :])
        return Path(found) if found else None
    if path.startswith(settings.MEDIA_URL):
        file = Path(settings.MEDIA_ROOT) / path[len(settings.MEDIA_URL) :]
        return file if file.is_file() else None
    return None


@pytest.fixture(autouse=True)
def _no_wait_for_pdfs(settings):
    """No worker renders PDFs here: the PDF route shows its progress page at once."""
    settings.PDF_WAIT_SECONDS = 0


class _Server(ThreadingHTTPServer):
    """Answers the browser with the rendered page of the moment (``page``) at its path,
    and with the static and uploaded files, cacheable, as the web server would."""

    daemon_threads = True
    page: Rendered | None = None
    unserved: list[str]


class _Answer(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        page = self.server.page
        if page is not None and self.path == page.path:
            self._send(page.status, page.headers, page.body)
            return
        file = _static_file(urlsplit(self.path).path)
        if file is None:
            self.server.unserved.append(f"{page.path if page else '?'}: {self.path}")
            self._send(404, {"Content-Type": "text/plain"}, b"")
            return
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        headers = {"Content-Type": kind, "Cache-Control": "max-age=3600"}
        self._send(200, headers, file.read_bytes())

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    running = _Server(("127.0.0.1", 0), _Answer)
    running.unserved = []
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def _too_wide(browser, server, pages: list[Rendered], language: str) -> list[str]:
    """Lays each page out at a phone's width; a line for each one that is wider."""
    context = browser.new_context(viewport=PHONE, locale=language)
    context.set_default_timeout(15_000)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    tab = context.new_page()
    failures: list[str] = []
    try:
        for page in pages:
            server.page = page
            tab.goto(origin + page.path, wait_until="load")
            measured = tab.evaluate(_MEASURE)
            where = f"{page.name} ({page.who}) {page.path}"
            if not measured["styled"]:
                failures.append(f"{where}: its style sheet did not apply")
            elif measured["scrollWidth"] > measured["clientWidth"]:
                failures.append(
                    f"{where}: {measured['scrollWidth']} px wide on a "
                    f"{measured['clientWidth']} px screen; sticking out: "
                    + "; ".join(measured["culprits"])
                )
                _keep_a_picture(tab, page, language)
    finally:
        context.close()
    return failures


def _keep_a_picture(tab, page: Rendered, language: str) -> None:
    """With PHONE_WIDTH_PICTURES=<folder>, a page that is too wide is kept there: its
    HTML and a screenshot of the whole page, to see what sticks out."""
    folder = os.environ.get("PHONE_WIDTH_PICTURES")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    stem = Path(folder) / f"{language}{page.path.replace('/', '_')}{page.who}"
    stem.with_suffix(".html").write_bytes(page.body)
    tab.screenshot(path=str(stem.with_suffix(".png")), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_is_wider_than_a_phone(gcm, language, server, request):
    started = time.monotonic()
    pages = _rendered_pages(gcm, language)
    assert len(pages) > 100, f"only {len(pages)} pages rendered in {language}"
    rendered_in = time.monotonic() - started

    # The browser starts only now: every database read is done.
    failures = _too_wide(request.getfixturevalue("browser"), server, pages, language)
    print(
        f"{language}: {len(pages)} pages rendered in {rendered_in:.1f} s, laid out at "
        f"{PHONE['width']} px in {time.monotonic() - started - rendered_in:.1f} s"
    )
    for line in dict.fromkeys(server.unserved):
        print(f"not served (404): {line}")
    assert not failures, (
        f"{len(failures)} page(s) in {language} run off a {PHONE['width']} px screen:\n"
        + "\n".join(failures)
    )


# --- What the check sees, and what the site's style sheet holds ---------------------------

LONG_WORD = "Межправительственнаяконференцияпомиграции" * 2
LONG_OPTION = "Группа государств Латинской Америки и Карибского бассейна " * 3


def _sample(path: str, language: str, body: str) -> Rendered:
    direction = "rtl" if language == "ar" else "ltr"
    html = (
        f'<!DOCTYPE html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="/static/css/site.css"></head><body><main>{body}'
        "</main></body></html>"
    )
    headers = {"Content-Type": "text/html; charset=utf-8"}
    return Rendered(path.strip("/"), "sample", path, 200, headers, html.encode())


@pytest.mark.browser
def test_the_check_sees_a_page_run_off_either_side_and_not_a_table_that_scrolls(server, browser):
    """A block wider than the screen is caught left to right and right to left (where it
    runs off the left edge); a wide table in a .table-scroll region is not."""
    wide = '<p><span style="display:inline-block;inline-size:600px">wide</span></p>'
    table = (
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Table">'
        '<table style="inline-size:900px"><tr><td>a wide table</td></tr></table></div>'
    )
    pages = [
        _sample("/ltr-wide/", "en", wide),
        _sample("/rtl-wide/", "ar", wide),
        _sample("/ltr-table/", "en", table),
        _sample("/rtl-table/", "ar", table),
    ]
    failures = _too_wide(browser, server, pages, "en")
    assert [line.split(" ", 1)[0] for line in failures] == ["ltr-wide", "rtl-wide"], failures
    assert all("span +" in line for line in failures), failures


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ru", "ar"])
def test_the_site_style_keeps_long_words_fields_and_facts_on_a_phone(server, browser, language):
    """What made pages too wide, in any page a helper writes: a long word in a heading,
    a label or a value; a filter whose select lists a long option; a form's wide input;
    a list of facts with a long label."""
    body = f"""
    <h1>{LONG_WORD}</h1>
    <form class="filters"><div class="filter-fields">
      <div class="field"><label for="a">{LONG_WORD}</label>
        <select id="a"><option>{LONG_OPTION}</option></select></div>
      <div class="field"><label for="b">Тип</label>
        <select id="b"><option>{LONG_OPTION}</option></select></div>
    </div></form>
    <div class="field"><label for="c">Адрес</label><input id="c" size="90"></div>
    <div class="field"><textarea cols="120" aria-label="Текст"></textarea></div>
    <fieldset><legend>{LONG_WORD}</legend><p>{LONG_WORD}</p></fieldset>
    <dl class="facts"><dt>{LONG_WORD}</dt><dd><bdi>{LONG_WORD}</bdi></dd>
      <dt>Название латинскими буквами</dt><dd>{LONG_OPTION}</dd></dl>
    <ul><li><a href="/x/">{LONG_WORD}</a></li></ul>
    <p><button type="button">{LONG_WORD}</button></p>
    """
    failures = _too_wide(browser, server, [_sample("/sample/", language, body)], language)
    assert not failures, failures
