"""PDF sources (see compact_process.pdf.sources): a written language version of a
document in the UN layout (``document:<version pk>``), and the process book, which binds
every published summary and report in date order (``book:<process slug>`` in English, or
``book:<process slug>:<language>``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from compact_process.pdf.sources import PdfMeta, PdfSource, register
from compact_process.web.languages import direction
from phases.documents import services
from phases.documents.text import to_pdf_html
from phases.enums import BOOK_KINDS, Distribution, DocumentStatus
from phases.models import Document, DocumentVersion, Process

CODES = {code for code, _name in settings.LANGUAGES}


def language_label(code: str) -> str:
    """The language's name in the active language."""
    return str(dict(settings.LANGUAGES).get(code, code))


def title_in(document: Document, language: str) -> str:
    """The document's title in ``language`` (modeltranslation's column), else English."""
    column = f"title_{language.replace('-', '_')}"
    return getattr(document, column, "") or document.title_en or document.title


def is_public(document: Document) -> bool:
    return (
        document.status == DocumentStatus.PUBLISHED
        and document.distribution == Distribution.GENERAL
    )


def _facts(document: Document, language: str) -> dict[str, Any]:
    """The header facts of one document, with their labels in ``language``."""
    with translation.override(language):
        return {
            "symbol": document.symbol,
            "date": document.issued_on,
            "distribution": str(document.get_distribution_display()),
            "original_language": language_label(document.original_language),
            "title": title_in(document, language),
        }


@register
class DocumentPdf(PdfSource):
    """One language version written in the application, as a UN document."""

    name = "document"
    template = "documents/pdf/document.html"

    def __init__(self, version_id: str) -> None:
        super().__init__(version_id)
        self.version_id = int(version_id)
        self._version: DocumentVersion | None = None

    @property
    def version(self) -> DocumentVersion | None:
        if self._version is None:
            self._version = (
                DocumentVersion.objects.select_related("document")
                .filter(pk=self.version_id, file="")
                .first()
            )
        return self._version

    def exists(self) -> bool:
        return self.version is not None

    def may_read(self, user) -> bool:
        version = self.version
        if version is None:
            return False
        return is_public(version.document) or services.may_edit(user, version.document)

    def meta(self) -> PdfMeta:
        version = self.version
        facts = _facts(version.document, version.language)
        return PdfMeta(
            title=facts["title"],
            language=version.language,
            symbol=facts["symbol"],
            date=facts["date"],
            distribution=facts["distribution"],
            original_language=facts["original_language"],
            header=facts["title"],
            subject=str(version.document.get_kind_display()),
        )

    def context(self) -> dict[str, Any]:
        version = self.version
        return {
            "document": version.document,
            "version": version,
            "direction": direction(version.language),
            "body": mark_safe(to_pdf_html(version.body_html)),
        }

    def filename(self) -> str:
        version = self.version
        base = (version.document.symbol or f"document-{version.document_id}").replace("/", "-")
        return f"{base}-{version.language}.pdf"


@dataclass
class BookEntry:
    """One document in the book, in the language it is bound in."""

    document: Document
    version: DocumentVersion | None  # None: published as a file, not bound here
    language: str
    facts: dict[str, Any]
    anchor: str
    note: str  # for the table of contents: which language, or "published as a file"
    body: str = ""

    @property
    def direction(self) -> str:
        return direction(self.language)


@register
class ProcessBookPdf(PdfSource):
    """Every published, general-distribution summary and report of the process, in
    date order, each on new pages with its own header facts, after a title page and a
    table of contents with page numbers."""

    name = "book"
    template = "documents/pdf/book.html"

    def __init__(self, slug: str, language: str = "") -> None:
        if language and language not in CODES:
            raise ValueError(language)
        super().__init__(*([slug, language] if language else [slug]))
        self.slug = slug
        self.language = language or "en"
        self._process: Process | None = None
        self._documents: list[Document] | None = None

    @property
    def process(self) -> Process | None:
        if self._process is None:
            self._process = Process.objects.filter(slug=self.slug).first()
        return self._process

    def exists(self) -> bool:
        return self.process is not None

    def may_read(self, user) -> bool:
        return True  # only published, general-distribution content is bound

    def documents(self) -> list[Document]:
        if self._documents is None:
            self._documents = list(
                Document.objects.filter(
                    process=self.process,
                    kind__in=BOOK_KINDS,
                    status=DocumentStatus.PUBLISHED,
                    distribution=Distribution.GENERAL,
                )
                .prefetch_related("versions")
                .order_by("issued_on", "published_at", "id")
            )
        return self._documents

    def steps(self) -> int:
        return max(len(self.documents()), 1)

    def meta(self) -> PdfMeta:
        with translation.override(self.language):
            title = _("The process book")
            return PdfMeta(
                title=f"{self.process.title}: {title}" if self.process else title,
                language=self.language,
                date=max((d.issued_on for d in self.documents()), default=None),
                header=str(self.process.title) if self.process else title,
                subject=_("Every published summary and report of the process, in order"),
            )

    def _choose(self, document: Document) -> tuple[DocumentVersion | None, str]:
        """The version in the book's language if written, else English, else the
        original language; with what the table of contents says about it."""
        versions = {v.language: v for v in document.versions.all()}
        for language in (self.language, "en", document.original_language):
            version = versions.get(language)
            if version is not None and not version.file and version.body_source.strip():
                if language == self.language:
                    return version, ""
                with translation.override(self.language):
                    return version, _("in %(language)s") % {"language": language_label(language)}
        with translation.override(self.language):
            return None, _("published as a file")

    def entries(self, progress=None) -> list[BookEntry]:
        documents = self.documents()
        entries = []
        for number, document in enumerate(documents, start=1):
            version, note = self._choose(document)
            language = version.language if version else self.language
            facts = _facts(document, self.language)  # the labels in the book's language
            facts["title"] = title_in(document, language)
            # The TOC is in the book's language; the title in the bound version's.
            entry = BookEntry(
                document=document,
                version=version,
                language=language,
                facts=facts,
                anchor=f"doc-{document.pk}",
                note=note,
            )
            if version is not None:
                entry.body = mark_safe(to_pdf_html(version.body_html))
            entries.append(entry)
            if progress is not None:
                progress(number, len(documents))
        return entries

    def render_html(self, progress=None) -> str:
        meta = self.meta()
        entries = self.entries(progress)
        with translation.override(meta.language):
            return render_to_string(
                self.template,
                {
                    "meta": meta,
                    "process": self.process,
                    "entries": entries,
                },
            )

    def filename(self) -> str:
        return f"{self.slug}-book-{self.language}.pdf"
