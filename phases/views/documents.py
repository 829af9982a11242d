"""The public document library: published, general-distribution documents only, with
filters and a search box, each document's page and its files. The pages are cached like
the other public pages (``public_page``); a limited or unpublished document is 404."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from compact_process.web.cache import public_page
from phases import selectors as process_selectors
from phases.documents import selectors
from phases.documents.filters import LibraryFilter
from phases.enums import Distribution
from phases.views.secretariat.documents import file_response

PER_PAGE = 25
LANGUAGE_NAMES = dict(settings.LANGUAGES)


@require_safe
@public_page
def library(request: HttpRequest) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    filterset = LibraryFilter(
        request.GET or None, queryset=selectors.public_documents(process), process=process
    )
    results = filterset.qs
    page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [{"document": d, "links": selectors.version_links(d)} for d in page.object_list]
    return render(
        request,
        "documents/library.html",
        {
            "process": process,
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "filtered": bool(request.GET.dict().keys() - {"page"}),
            "book_key": f"book:{process.slug}",
        },
    )


@require_safe
@public_page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    document = selectors.public_document(process, pk)
    if document is None:
        raise Http404(_("No such document."))
    return render(
        request,
        "documents/detail.html",
        {
            "process": process,
            "document": document,
            "links": selectors.version_links(document),
            "transmittal": selectors.public_transmittal(document),
            "carried": [
                d
                for d in document.carried.all()
                if d.is_published and d.distribution == Distribution.GENERAL
            ],
        },
    )


@require_safe
def file(request: HttpRequest, pk: int) -> FileResponse:
    """An uploaded file of a published, general-distribution document."""
    process = process_selectors.default_process_or_404()
    version = selectors.public_file_version(process, pk)
    if version is None:
        raise Http404(_("No such file."))
    response = file_response(version)
    response["Cache-Control"] = "no-cache"
    return response
