"""Gunicorn's threaded worker, stamping each request with the instant the machine received
it, before it waits for a free thread.

Why: an objection made in the last second before a review's deadline counts
(``compact_process.web.arrival``). With ``threads`` threads per worker, a burst larger
than the threads waits in the worker's queue; stamped by the first middleware only when a
thread takes it, a request posted 0.9 s before the deadline could be stamped after it.
This worker notes the instant in the main thread, where the connection is accepted (or, on
a kept-alive connection, becomes readable), and the ``pre_request`` hook
(``compact_process/gunicorn_conf.py``) hands it to Django as the ``X-Compact-Accepted``
header, replacing any header of that name the client sent. The
middleware trusts that header only in a process this worker runs (``ACTIVE``), and only
within the request timeout, like a proxy's header.

The instant is the kernel's, not the main thread's: on a busy machine the main thread may
be scheduled a second late to accept a connection that has been waiting, with its request
in it, in the listen queue. Linux tells, for each connection, how long ago data last came
in (``tcpi_last_data_recv`` of ``TCP_INFO``, in milliseconds; for a connection with no data
yet, since it was established); the stamp is the accept time less that. Where there is no
``TCP_INFO``, the accept time itself.
"""

from __future__ import annotations

import socket
import struct
import threading
import time

from gunicorn.workers.gthread import ThreadWorker

HEADER = "X-COMPACT-ACCEPTED"  # gunicorn's header names are upper case
META_KEY = "HTTP_X_COMPACT_ACCEPTED"
ACTIVE = False  # True in a process served by StampingThreadWorker

# Linux's struct tcp_info (include/uapi/linux/tcp.h): 8 one-byte fields, then 32-bit ones;
# tcpi_last_data_recv is the 14th of those (after 9 counters, last_data_sent, last_ack_sent).
_TCP_INFO_SIZE = 104
_LAST_DATA_RECV = struct.Struct("=I")
_LAST_DATA_RECV_OFFSET = 8 + 11 * 4

_handling = threading.local()


def received_at(sock, now: float) -> float:
    """The instant (seconds since the epoch) the kernel last received data on ``sock``, or
    established it when no data came yet; ``now`` where the system cannot tell."""
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO_SIZE)
        (milliseconds,) = _LAST_DATA_RECV.unpack_from(info, _LAST_DATA_RECV_OFFSET)
    except (AttributeError, OSError, struct.error):  # no TCP_INFO: not Linux, or no TCP
        return now
    return now - milliseconds / 1000


class StampingThreadWorker(ThreadWorker):
    def init_process(self) -> None:
        global ACTIVE
        ACTIVE = True
        super().init_process()

    def enqueue_req(self, conn) -> None:
        # The main thread, before any queue; back-dated to when the request came in.
        conn.compact_accepted_at = received_at(conn.sock, time.time())
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
