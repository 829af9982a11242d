"""Issue 16, item 3: a database that does not answer is a 503 with ``Retry-After`` and a
page in the reader's language that says what happened, not a bare 500; any other error
stays a 500; the error is logged as before.

The queries fail at Django's cursor, under every layer of ours, as they do while
PostgreSQL restarts: in the session middleware for a signed-in person, in the view for
a visitor. The last test runs gunicorn against a PostgreSQL port where nothing listens:
the real driver's refusal, through the production stack.
"""

from __future__ import annotations

import contextlib
import html
import http.client
import logging
import os
import re

import pytest
import time_machine
from django.db import OperationalError, ProgrammingError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from compact_process.web.outage import RETRY_AFTER_SECONDS, is_database_outage
from stakeholders.models import Objection
from tests.people import delegate
from tests.test_review_gunicorn import _free_port, serving, static_root  # noqa: F401
from tests.test_review_pages import DURING, build_list


@contextlib.contextmanager
def database_failing(error: Exception):
    """Every query fails with ``error`` while inside."""

    def fail(self, *args, **kwargs):
        raise error

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "_execute", fail)
        patch.setattr(CursorWrapper, "_executemany", fail)
        yield


def database_down():
    return database_failing(OperationalError("server closed the connection unexpectedly"))


def visitor() -> Client:
    return Client(raise_request_exception=False)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def in_language(code: str, message: str) -> str:
    with translation.override(code):
        return gettext(message)


# --- What the page says ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "code", "direction"), [("", "en", "ltr"), ("/fr", "fr", "ltr"), ("/ar", "ar", "rtl")]
)
def test_a_page_asked_for_during_an_outage_is_a_503_in_the_readers_language(
    gcm, caplog, prefix, code, direction
):
    with database_down(), caplog.at_level(logging.ERROR, logger="django.request"):
        response = visitor().get(f"{prefix}/lists/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    text = page_text(response)
    assert f'<html lang="{code}" dir="{direction}">' in text
    for message in (
        "Global Compact for Migration",
        "The site is briefly unavailable",
        "Nothing was changed. Try again in a moment.",
        "Try again",
    ):
        assert in_language(code, message) in text
    if code != "en":  # already translated: the page really is in the reader's language
        assert "Global Compact for Migration" not in text
        assert ">Try again<" not in text
    # "Try again" is this same page.
    assert f'href="{prefix}/lists/"' in text
    # Operators still see what happened, with the traceback.
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert isinstance(record.exc_info[1], OperationalError)
    # The page reads nothing: no stylesheet of a signed-in page, no script, no form.
    assert "<script" not in text and "<form" not in text
    assert 'href="/static/css/site.css"' in text


@pytest.fixture
def objection_form(gcm):
    """A list under review, a Kenyan delegate signed in, and the address of the form for
    objecting to its first entry."""
    lst, _, entries = build_list(gcm, 1)
    client = Client(raise_request_exception=False)
    client.force_login(delegate("ke", "KEN"))
    return client, reverse("stakeholders-review:object", args=[lst.pk, entries[0].pk])


def test_an_objection_posted_during_an_outage_is_a_503_that_says_it_may_not_be_saved(
    objection_form,
):
    client, url = objection_form
    form_page = f"http://testserver{url}?next=/review/"
    with time_machine.travel(DURING, tick=False), database_down():
        # The session is read from the database: this fails in the middleware.
        response = client.post(
            url, {"basis": "Its activities fall outside the scope."}, HTTP_REFERER=form_page
        )
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    text = page_text(response)
    assert "What you just sent may not have been saved." in text
    assert "Back button" in text
    # "Try again" goes to the form's page (a GET), where the kept text is put back.
    assert f'href="{url}?next=/review/"' in text
    assert not Objection.objects.exists()


def test_the_503_says_the_text_is_kept_when_the_form_kept_a_draft(objection_form):
    client, url = objection_form
    fr_url = "/fr" + url
    with time_machine.travel(DURING, tick=False), database_down():
        response = client.post(fr_url, {"basis": "Hors du champ.", "draft_kept": "1"})
    assert response.status_code == 503
    text = page_text(response)
    assert '<html lang="fr" dir="ltr">' in text
    assert (
        in_language(
            "fr",
            "What you typed is kept in this browser tab: go back or try again, and it "
            "will be in the form. If the page does not show it as saved, send it again.",
        )
        in text
    )
    # No referring page: "Try again" is the address posted to, the form's own page.
    assert f'href="{fr_url}"' in text


def test_a_successful_objection_tells_the_browser_its_draft_can_go(objection_form):
    client, url = objection_form
    with time_machine.travel(DURING, tick=False):
        form = client.get("/ar" + url)
        assert f'data-keep-draft="{url}"' in form.content.decode()  # the same in every language
        response = client.post("/ar" + url, {"basis": "A basis"})
    assert response.status_code == 302
    cookie = response.cookies["draft_accepted"]
    assert cookie.value == url.replace("/", "%2F")
    assert not cookie["httponly"] and cookie["samesite"] == "Lax"


# --- Other errors stay 500 -----------------------------------------------------------------


def test_an_error_that_is_not_an_outage_stays_a_500(gcm):
    with database_failing(ProgrammingError('relation "phases_process" does not exist')):
        response = visitor().get("/fr/lists/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    assert "briefly unavailable" not in page_text(response)


def test_what_counts_as_an_outage():
    assert is_database_outage(OperationalError("connection refused"))
    try:
        try:
            raise OperationalError("terminating connection due to administrator command")
        except OperationalError as lost:
            raise RuntimeError("could not load the page") from lost
    except RuntimeError as wrapped:
        assert is_database_outage(wrapped)
    assert not is_database_outage(ProgrammingError("syntax error"))
    assert not is_database_outage(ValueError("no"))
    assert not is_database_outage(None)


# --- The real thing: gunicorn, and no PostgreSQL where it looks for one ---------------------


def _get(port: int, path: str, method: str = "GET", body: str | None = None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


@pytest.mark.postgres
def test_gunicorn_with_postgresql_unreachable_answers_503_and_serves_its_stylesheet(
    tmp_path,
    static_root,  # noqa: F811
):
    closed = _free_port()  # nothing listens there
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "outage-test",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{closed}/compact_process",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(static_root),
        "VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "ERROR",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
    }
    env.pop("REDIS_URL", None)
    log_path = tmp_path / "gunicorn.log"
    with serving(env, log_path):
        # A visitor: the view's first query is refused.
        status, headers, page = _get(port, "/ar/lists/")
        assert status == 503, page
        assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert '<html lang="ar" dir="rtl">' in page
        assert "الاتفاق العالمي بشأن الهجرة" in page
        # The stylesheet comes without the database (whitenoise, collected names).
        (stylesheet,) = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page)
        assert _get(port, stylesheet)[0] == 200

        # A signed-in delegate's objection: the session middleware cannot read the
        # session. The CSRF token is a cookie, checked without the database.
        token = "a" * 32
        status, _headers, page = _get(
            port,
            "/review/1/entries/1/object/",
            method="POST",
            body=f"csrfmiddlewaretoken={token}&basis=Outside+the+scope",
            headers={
                "Cookie": f"csrftoken={token}; sessionid=abcdefghijklmnopqrstuvwxyz012345",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert status == 503, page
        assert "What you just sent may not have been saved." in page
    logged = log_path.read_text()
    assert "Service Unavailable: /ar/lists/" in logged
    assert "OperationalError" in logged
