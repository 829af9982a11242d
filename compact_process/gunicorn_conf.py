"""Gunicorn's settings for production (`gunicorn -c python:compact_process.gunicorn_conf
compact_process.wsgi`), from the same environment as Django's.

Threads accept a request as soon as it arrives, so that the first middleware stamps it
then (``compact_process.web.arrival``): with sync workers a request waits in the socket's
queue, unstamped, until a worker is free, and 20 delegates objecting in the last second
would be stamped after the deadline. ``timeout`` is ``REQUEST_TIMEOUT_SECONDS``, the
longest a request may be in flight, which the review's close waits out after a deadline.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("REQUEST_TIMEOUT_SECONDS", "30"))
graceful_timeout = timeout
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
