"""When a request arrived: the instant of the act it carries.

An objection made in the last second before a review's deadline counts (MANDATE.md). The
instant that decides it is when the delegate's request reached the application, not when
the service got round to it after the server's queue, the middleware, the session and the
permission look-ups. ``ArrivalMiddleware``, the first of the stack, stamps every request
with ``request.arrived_at``; the views pass it to the services that act on a deadline.

Under gunicorn (``compact_process/gunicorn_conf.py``), the worker stamps each request
when it accepts the connection, before the request waits for a free thread
(``compact_process.gunicorn_worker``); that stamp is used when there is no proxy's.
Behind a proxy that queues requests, the proxy may say when it received the request, in a
header named by ``REQUEST_START_HEADER`` (nginx: ``proxy_set_header X-Request-Start
"t=${msec}";``, seconds since the epoch). It is trusted only within
``REQUEST_TIMEOUT_SECONDS`` before the application's own clock and never after it (plus a
second of clock skew between the two machines), so a forged or stale header can move an
act back by at most the time a request may be in flight, which the close waits out anyway.

``REQUEST_TIMEOUT_SECONDS`` is the longest a request may be in flight: the proxy's and the
server's timeout (``compact_process/gunicorn_conf.py`` reads the same setting). A service
refuses an act that took longer than that to reach the record, and the close waits that
long after the deadline, so an act made in time is never overtaken by the close.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from compact_process import gunicorn_worker

SKEW = datetime.timedelta(seconds=1)


def request_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REQUEST_TIMEOUT_SECONDS)


def _from_proxy(value: str, now: datetime.datetime) -> datetime.datetime | None:
    """``t=1700000000.123`` (or the bare number; milli- or microseconds are recognised by
    their size, as New Relic's and Heroku's conventions write them)."""
    text = value.strip().removeprefix("t=")
    try:
        number = float(text)
    except ValueError:
        return None
    for divisor in (1, 1_000, 1_000_000):
        seconds = number / divisor
        if seconds < 10_000_000_000:  # before the year 2286: a plausible epoch time
            break
    try:
        stamped = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if now - request_timeout() <= stamped <= now + SKEW:
        return min(stamped, now)
    return None


def arrival(request) -> datetime.datetime:
    """The instant the request arrived (now, for a request that was never stamped: a
    test's direct call, a management command)."""
    return getattr(request, "arrived_at", None) or timezone.now()


class ArrivalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        header = getattr(settings, "REQUEST_START_HEADER", "")
        self.meta_key = "HTTP_" + header.upper().replace("-", "_") if header else ""

    def __call__(self, request):
        now = timezone.now()
        stamped = None
        if self.meta_key and self.meta_key in request.META:
            stamped = _from_proxy(request.META[self.meta_key], now)
        if stamped is None and _served_by_stamping_worker():
            server = request.META.get(gunicorn_worker.META_KEY)
            stamped = _from_proxy(server, now) if server else None
        request.arrived_at = stamped or now
        return self.get_response(request)


def _served_by_stamping_worker() -> bool:
    """The server's own stamp is trusted only where the stamping worker set it (and
    dropped any the client sent): never under runserver or another server."""
    return gunicorn_worker.ACTIVE
