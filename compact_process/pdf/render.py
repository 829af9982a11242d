"""HTML to a tagged PDF (PDF/UA-1) with WeasyPrint: the only place WeasyPrint is called.

The title comes from ``<title>``, the language from ``<html lang>``, the outline
(bookmarks) from the headings; every resource goes through ``fetcher.SafeFetcher``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .fetcher import BASE_URL, SafeFetcher

Stage = Callable[[str], None]


@dataclass(frozen=True)
class RenderedBytes:
    pdf: bytes
    pages: int


def render_pdf(
    html: str, *, on_stage: Stage | None = None, fetcher: SafeFetcher | None = None
) -> RenderedBytes:
    """Lay out and write the PDF. ``on_stage("layout")`` then ``on_stage("write")`` are
    called as the two long steps begin."""
    from weasyprint import HTML

    fetcher = fetcher or SafeFetcher()
    if on_stage:
        on_stage("layout")
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    if on_stage:
        on_stage("write")
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedBytes(pdf=pdf, pages=len(document.pages))


def html_to_pdf(html: str) -> bytes:
    return render_pdf(html).pdf
