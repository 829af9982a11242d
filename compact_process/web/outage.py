"""A database that does not answer is a 503 with a retry hint, not a bare 500.

PostgreSQL restarting, or failing over, makes every request that reaches the database
fail for a few seconds; most of them fail in the session or authentication middleware,
before any view. Django turns the exception of any layer into a response through the
``handler500`` of the URLconf (``convert_exception_to_response`` wraps each middleware),
and the exception is still being handled then, so ``server_error`` looks at it: a
database error that goes away by itself (the connection refused or lost, an operational
error) is answered 503 with ``Retry-After`` and a small page in the reader's language
that says what happened and whether what they sent may have been saved. Any other error
stays Django's 500. Django logs both, with the traceback, as before.

The page touches neither the database nor the session (no ``base.html``: it loads the
user and the notification bell): it is rendered without the request, so no context
processor runs. The language comes from the URL, as LocaleMiddleware, which may not
have run, would have found it.
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

# Long enough for a restart or a failover to finish, short enough that a person trying
# again is not made to wait for nothing.
RETRY_AFTER_SECONDS = 5
# Set by static/js/keep-draft.js on a form it keeps a draft of: the page can then say
# that what was typed is still in the form.
DRAFT_KEPT_FIELD = "draft_kept"


def is_database_outage(exc: BaseException | None) -> bool:
    """The exception, or one it was raised from, says the database could not be reached
    or dropped the connection; a programming error (a bad query) is not one."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc, seen = exc.__cause__, seen + 1
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """The URLconf's ``handler500``."""
    if not is_database_outage(sys.exc_info()[1]):
        return defaults.server_error(request)
    posted = request.method == "POST"
    context = {
        "posted": posted,
        "draft_kept": posted and _draft_kept(request),
        "retry_url": _retry_url(request),
        "retry_after": RETRY_AFTER_SECONDS,
    }
    # The URL's language, else the default: an unprefixed page is in English
    # (prefix_default_language=False), whatever the browser asks for.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string("web/database_unavailable.html", context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Not to be kept by a proxy or the browser: the same address works again in seconds.
    response["Cache-Control"] = "no-store"
    return response


def _draft_kept(request: HttpRequest) -> bool:
    try:
        return request.POST.get(DRAFT_KEPT_FIELD) == "1"
    except Exception:  # an unreadable body: then say only what is sure
        return False


def _retry_url(request: HttpRequest) -> str:
    """Where "Try again" goes: this page for a GET; for a POST, the page of the form
    (the referring page, when it is ours), where the text kept is put back, rather than
    the address posted to, which may take no GET."""
    here = request.get_full_path()
    if request.method != "POST":
        return here
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    try:
        ours = referer.netloc == request.get_host()
    except DisallowedHost:
        ours = False
    if ours and referer.scheme in ("http", "https"):
        return (referer.path or "/") + (f"?{referer.query}" if referer.query else "")
    return request.path
