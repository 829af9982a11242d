"""The URL fetcher WeasyPrint uses: the project's own static files and ``data:`` URLs,
nothing else. User-written HTML goes into PDFs, so this is the guard against server-side
request forgery: ``file://`` paths outside the static files and every ``http(s)://``
address (internal hosts included) are refused without being opened."""

from __future__ import annotations

import logging
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

# Relative URLs in the HTML resolve against this address, which never leaves the
# process: ".invalid" cannot resolve (RFC 2606) and the fetcher never opens it anyway.
BASE_URL = "https://pdf.invalid/"


class RefusedURL(ValueError):
    """A URL the PDF may not fetch (WeasyPrint logs it and leaves the resource out)."""


def _static_prefix() -> str:
    return "/" + settings.STATIC_URL.strip("/") + "/"


class SafeFetcher(URLFetcher):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            allowed_protocols=("data", "https", "file"), allow_redirects=False, **kwargs
        )
        self.refused: list[str] = []
        self.served: list[str] = []

    def static_path(self, url: str) -> str | None:
        """The static file a URL names (``/static/css/x.css`` on the base address or as
        an absolute ``file:`` path under ``/static/``), or None."""
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.netloc != urlsplit(BASE_URL).netloc:
            return None
        if parts.scheme == "file" and parts.netloc not in ("", "localhost"):
            return None
        path = unquote(parts.path)
        prefix = _static_prefix()
        if not path.startswith(prefix):
            return None
        relative = path[len(prefix) :]
        if not relative or ".." in relative.split("/") or "\x00" in relative:
            return None
        return finders.find(relative)

    def fetch(self, url: str, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        found = self.static_path(url) if scheme in ("https", "file") else None
        if not found:
            self.refused.append(url)
            log.info("PDF fetcher refused %s", url)
            raise RefusedURL(f"Only the project's static files can be used in a PDF: {url}")
        self.served.append(url)
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        with open(found, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, {"Content-Type": content_type})
