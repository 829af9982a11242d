"""A cap on the size of a request, checked before its body is read.

The largest request a page takes is a document upload (at most
``DOCUMENT_UPLOAD_MAX_BYTES``) with its form's other fields; a request that says, in its
Content-Length, that it is larger than that plus ``REQUEST_BODY_MARGIN_BYTES`` is answered
413 with a page saying the limit in the reader's language, and its body is never read.
A file just over the limit still reaches its form, which says so beside the field. The
proxy in front (nginx's ``client_max_body_size``, README "Production") refuses larger
requests earlier still; Django's DATA_UPLOAD_MAX_MEMORY_SIZE caps the other fields.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render


def request_max_bytes() -> int:
    return settings.DOCUMENT_UPLOAD_MAX_BYTES + settings.REQUEST_BODY_MARGIN_BYTES


def megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > request_max_bytes():
            return render(
                request,
                "web/request_too_large.html",
                {"limit_mb": megabytes(settings.DOCUMENT_UPLOAD_MAX_BYTES)},
                status=413,
            )
        return self.get_response(request)
