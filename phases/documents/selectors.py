"""Reads of documents that pages share. The public ones return only what the public may
see (published, general distribution); a template cannot reach past them."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language

from phases.enums import Distribution, DocumentKind, DocumentStatus
from phases.models import Document, DocumentVersion, Meeting, Process

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _versions_in_order() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=DocumentVersion.objects.select_related("updated_by").order_by("language"),
    )


# --- Staff -------------------------------------------------------------------------------


def staff_documents(process: Process) -> QuerySet[Document]:
    """Every document of the process, newest first, with its meeting and versions."""
    return (
        Document.objects.filter(process=process)
        .select_related("meeting", "deliverable")
        .prefetch_related(_versions_in_order())
        .order_by("-issued_on", "-id")
    )


def staff_document(process: Process, pk: int) -> Document | None:
    return (
        Document.objects.filter(process=process, pk=pk)
        .select_related("meeting", "deliverable", "transmitted_by", "created_by")
        .prefetch_related(_versions_in_order(), "carried")
        .first()
    )


def staff_version(process: Process, pk: int) -> DocumentVersion | None:
    return (
        DocumentVersion.objects.filter(document__process=process, pk=pk)
        .select_related("document")
        .first()
    )


def transmittal_letters(process: Process, *, exclude: int | None = None) -> QuerySet[Document]:
    qs = Document.objects.filter(process=process, kind=DocumentKind.TRANSMITTAL_LETTER)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.order_by("-issued_on", "symbol")


def missing_languages(document: Document) -> list[str]:
    """The official languages with no version yet (codes, in the settings' order)."""
    present = {v.language for v in document.versions.all()}
    return [code for code in LANGUAGE_CODES if code not in present]


# --- Public ------------------------------------------------------------------------------


def _public_filter() -> Q:
    return Q(status=DocumentStatus.PUBLISHED, distribution=Distribution.GENERAL)


def _public_versions() -> Prefetch:
    """The versions the public can open: an uploaded file or a written text."""
    return Prefetch(
        "versions",
        queryset=DocumentVersion.objects.filter(~Q(file="") | ~Q(body_html="")).order_by(
            "language"
        ),
        to_attr="public_versions",
    )


def public_documents(process: Process) -> QuerySet[Document]:
    """Published, general-distribution documents of the process, newest first."""
    return (
        Document.objects.filter(_public_filter(), process=process)
        .select_related("meeting")
        .prefetch_related(_public_versions())
        .order_by("-issued_on", "-published_at", "-id")
    )


def title_search(query: str, *, language: str | None = None) -> Q:
    """Symbol or title contains ``query``, in the current language's column and in
    English (modeltranslation's fallback applies to reads, not to ``filter``)."""
    language = (language or get_language() or "en").replace("-", "_")
    columns = {"title_en", f"title_{language}"} & {
        f"title_{code.replace('-', '_')}" for code in LANGUAGE_CODES
    }
    condition = Q(symbol__icontains=query)
    for column in sorted(columns):
        condition |= Q(**{f"{column}__icontains": query})
    return condition


def public_document(process: Process, pk: int) -> Document | None:
    return (
        Document.objects.filter(_public_filter(), process=process, pk=pk)
        .select_related("meeting", "transmitted_by")
        .prefetch_related(_public_versions())
        .first()
    )


def public_transmittal(document: Document) -> Document | None:
    """The transmittal letter, if the public may see it too."""
    letter = document.transmitted_by
    if letter is None or letter.status != DocumentStatus.PUBLISHED:
        return None
    if letter.distribution != Distribution.GENERAL:
        return None
    return letter


def public_file_version(process: Process, pk: int) -> DocumentVersion | None:
    """An uploaded file of a published, general-distribution document."""
    return (
        DocumentVersion.objects.filter(
            pk=pk,
            document__process=process,
            document__status=DocumentStatus.PUBLISHED,
            document__distribution=Distribution.GENERAL,
        )
        .exclude(file="")
        .select_related("document")
        .first()
    )


def meeting_documents(meeting: Meeting) -> list[Document]:
    """A meeting's public documents, in date order."""
    return list(
        Document.objects.filter(_public_filter(), meeting=meeting)
        .prefetch_related(_public_versions())
        .order_by("issued_on", "id")
    )


@dataclass(frozen=True)
class VersionLink:
    version: DocumentVersion
    language_name: str
    pdf_key: str  # for a written text: the key of its UN-layout PDF


def version_links(document: Document) -> list[VersionLink]:
    names = dict(settings.LANGUAGES)
    return [
        VersionLink(
            version=v,
            language_name=str(names.get(v.language, v.language)),
            pdf_key="" if v.file else f"document:{v.pk}",
        )
        for v in getattr(document, "public_versions", document.versions.all())
    ]
