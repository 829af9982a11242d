"""Gunicorn's settings for production (`gunicorn -c python:compact_process.gunicorn_conf
compact_process.wsgi`), from the same environment as Django's.

Threaded workers that stamp each request when its connection is accepted, before it
waits for a free thread (``compact_process.gunicorn_worker``), so that the instant of an
objection is when it reached the server (``compact_process.web.arrival``): with sync
workers, or threads stamped only when they take a request, a burst of delegates objecting
in the last second would be stamped after the deadline. ``timeout`` is
``REQUEST_TIMEOUT_SECONDS``, the longest a request may be in flight, which the review's
close waits out after a deadline.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "compact_process.gunicorn_worker.StampingThreadWorker"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("REQUEST_TIMEOUT_SECONDS", "30"))
graceful_timeout = timeout
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


def pre_request(worker, req):
    from compact_process.gunicorn_worker import stamp

    stamp(worker, req)
