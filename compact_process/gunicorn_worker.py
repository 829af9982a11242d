"""Gunicorn's threaded worker, stamping each request with the instant its connection was
accepted (or, on a kept-alive connection, became readable), before it waits for a free
thread.

Why: an objection made in the last second before a review's deadline counts
(``compact_process.web.arrival``). With ``threads`` threads per worker, a burst larger
than the threads waits in the worker's queue; stamped by the first middleware only when a
thread takes it, a request posted 0.9 s before the deadline could be stamped after it.
This worker notes the instant in the main thread, where the connection is accepted, and
the ``pre_request`` hook (``compact_process/gunicorn_conf.py``) hands it to Django as the
``X-Compact-Accepted`` header, replacing any header of that name the client sent. The
middleware trusts that header only in a process this worker runs (``ACTIVE``), and only
within the request timeout, like a proxy's header.
"""

from __future__ import annotations

import threading
import time

from gunicorn.workers.gthread import ThreadWorker

HEADER = "X-COMPACT-ACCEPTED"  # gunicorn's header names are upper case
META_KEY = "HTTP_X_COMPACT_ACCEPTED"
ACTIVE = False  # True in a process served by StampingThreadWorker

_handling = threading.local()


class StampingThreadWorker(ThreadWorker):
    def init_process(self) -> None:
        global ACTIVE
        ACTIVE = True
        super().init_process()

    def enqueue_req(self, conn) -> None:
        conn.compact_accepted_at = time.time()  # the main thread: before any queue
        super().enqueue_req(conn)

    def handle(self, conn):
        _handling.accepted_at = getattr(conn, "compact_accepted_at", None)
        try:
            return super().handle(conn)
        finally:
            _handling.accepted_at = None


def stamp(worker, req) -> None:
    """The ``pre_request`` hook: the accepted instant as a header (a client's own header
    of that name is dropped, so that it cannot be forged through this server)."""
    req.headers = [(name, value) for name, value in req.headers if name != HEADER]
    accepted_at = getattr(_handling, "accepted_at", None)
    if accepted_at is not None:
        req.headers.append((HEADER, f"t={accepted_at:.6f}"))
