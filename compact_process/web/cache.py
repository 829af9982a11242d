"""What the public sees, cached per URL (and so per language: the language is in the
URL) and answered with 304 to conditional GETs.

One *content version* stamps everything public. Any write to the process's data bumps
it (``phases.apps`` connects the signals), immediately and again when the transaction
commits, so that no reader caches a page from before the commit under the new version.
A stale public page after an edit is a bug (tests/test_public_cache.py).

The shared cache (Redis in production) may be down: public pages are then served
uncached, writes still succeed, and a bump that could not be written is written by this
process as soon as the cache answers again.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from threading import Lock

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date

VERSION_KEY = "public:content-version"
DISPOSITION = "Content-Disposition"
_LOCAL_MAX = 256
log = logging.getLogger(__name__)
_unwritten_bump = False


class _LocalPages:
    """A small per-process LRU of rendered pages; the shared cache holds the version."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple[bytes, str, str | None]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str) -> tuple[bytes, str, str | None] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: tuple[bytes, str, str | None]) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > _LOCAL_MAX:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


local_pages = _LocalPages()


def content_version() -> int | None:
    """Nanoseconds since the epoch of the last change to public content; None while the
    shared cache does not answer (then nothing is cached)."""
    try:
        if _unwritten_bump:
            _bump()
        version = cache.get(VERSION_KEY)
        if version is None:
            version = time.time_ns()
            cache.add(VERSION_KEY, version, timeout=None)
            version = cache.get(VERSION_KEY, version)
    except Exception:
        log.warning("The cache does not answer: public pages are served uncached", exc_info=True)
        return None
    return int(version)


def _bump() -> None:
    global _unwritten_bump
    local_pages.clear()
    try:
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        _unwritten_bump = True
        log.warning("The cache does not answer: the content version is bumped later", exc_info=True)
    else:
        _unwritten_bump = False


def bump_content_version(**_signal_kwargs) -> None:
    _bump()
    transaction.on_commit(_bump)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache a public GET view's rendered page for everyone, per URL and content version.

    The view must not depend on who is asking (no user, no CSRF token)."""
    return _cached(view, per_day=False)


def public_page_of_the_day(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``public_page`` for a page that also depends on today's date (the home page says
    which phase is current and which meeting is next): cached per URL, content version and
    day (UTC), so that a page rendered yesterday is not served today, nor answered 304.

    A view whose URL takes a query string must answer any URL it would not cache (an
    unknown parameter or value) with a redirect, so that the pages cached stay few."""
    return _cached(view, per_day=True)


def _cached(view: Callable[..., HttpResponse], *, per_day: bool) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.public_page = True  # read by templates that would otherwise show the user
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        version = content_version()
        if version is None:
            return view(request, *args, **kwargs)
        path = request.get_full_path()
        modified = version / 1e9
        if per_day:
            today = timezone.now().astimezone(datetime.UTC).date()
            path = f"{today.isoformat()}:{path}"
            midnight = datetime.datetime.combine(today, datetime.time(), tzinfo=datetime.UTC)
            modified = max(modified, midnight.timestamp())
        digest = hashlib.blake2b(f"{version}:{path}".encode(), digest_size=12).hexdigest()
        etag = f'"{digest}"'
        last_modified = http_date(modified)
        if etag in _if_none_match(request):
            return _stamp(HttpResponseNotModified(), etag, last_modified)
        key = f"{version}:{path}"
        page = local_pages.get(key)
        if page is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            # The file name of a download (a calendar file) is served with every hit.
            page = (response.content, response["Content-Type"], response.get(DISPOSITION))
            local_pages.put(key, page)
        response = HttpResponse(page[0], content_type=page[1])
        if page[2]:
            response[DISPOSITION] = page[2]
        return _stamp(response, etag, last_modified)

    return wrapped


def _if_none_match(request: HttpRequest) -> set[str]:
    header = request.headers.get("If-None-Match", "")
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def _stamp(response: HttpResponse, etag: str, last_modified: str) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = last_modified
    # Browsers and proxies may keep it but must ask again each time (a 304 when unchanged).
    response["Cache-Control"] = "public, no-cache"
    return response
