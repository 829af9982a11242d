"""docker-compose's healthcheck of the web app: ``python -m compact_process.healthcheck``.

Asks gunicorn, in the same container, for ``/healthz/db`` (it answers, and so does the
database) as the proxy would: with a host name from ``ALLOWED_HOSTS``, since Django
answers 400 to any other, and as HTTPS (``X-Forwarded-Proto``, which gunicorn trusts from
127.0.0.1), so that ``SECURE_SSL_REDIRECT`` does not answer with a redirect. Without
Django: it runs every few seconds, and the slim image has no curl.
"""

from __future__ import annotations

import os
import sys
import urllib.request

PATH = "/healthz/db"


def host() -> str:
    """The first name ``ALLOWED_HOSTS`` allows (``.example.org`` allows example.org)."""
    for name in os.environ.get("ALLOWED_HOSTS", "localhost").split(","):
        name = name.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def url() -> str:
    port = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    return f"http://127.0.0.1:{port}{PATH}"


def check(timeout: float = 5) -> str | None:
    """None when healthy, else what is wrong."""
    request = urllib.request.Request(url(), headers={"Host": host(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except OSError as exc:  # refused, timed out, or an HTTP error (HTTPError is one)
        return f"{url()} (Host: {host()}): {exc}"
    if body != b"ok":
        return f"{url()} (Host: {host()}) answered {body[:200]!r}"
    return None


if __name__ == "__main__":
    problem = check()
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
    sys.exit(1 if problem else 0)
