"""A PDF by its key: the file, or its progress while the worker prepares it."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET, require_http_methods

from . import services
from .models import RenderedPdf
from .sources import PdfSource, UnknownSource, load


def _source(key: str) -> PdfSource:
    try:
        return load(key)
    except UnknownSource as exc:
        raise Http404 from exc


@require_http_methods(["GET", "HEAD", "POST"])
def file(request, key: str):
    return services.respond(request, _source(key))


@require_GET
def status(request, key: str):
    source = _source(key)
    if not source.may_read(request.user) or not source.exists():
        raise Http404
    row = services.fail_if_lost(RenderedPdf.objects.filter(key=source.key).first())
    response = JsonResponse(services.status_of(row, request.user))
    response["Cache-Control"] = "no-store"
    return response
