"""Every change to a document goes through here (pages never write models directly).
Each change writes one audit event in its own transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role
from compact_process.audit.models import record
from compact_process.errors import Refusal
from phases.enums import DeliverableStatus, DocumentKind, DocumentStatus, ResponsibleRole
from phases.models import Document, DocumentVersion, Process

# Who writes what (MANDATE.md's roles): the co-facilitators hold the pen for the session
# summaries, the chair's summary and the drafts; the Office of the President for the
# hearings' summary; the secretariat may manage any document.
AUTHORS: dict[str, tuple[Role, ...]] = {
    ResponsibleRole.CO_FACILITATORS: (Role.CO_FACILITATOR,),
    ResponsibleRole.PGA_OFFICE: (Role.PGA_OFFICE,),
}


def may_edit(user, document: Document) -> bool:
    """The secretariat edits every document; an author role edits its own documents."""
    if has_role(user, Role.SECRETARIAT):
        return True
    return has_role(user, *AUTHORS.get(document.author_role, ()))


def may_create(user, author_role: str) -> bool:
    return has_role(user, Role.SECRETARIAT) or has_role(user, *AUTHORS.get(author_role, ()))


def _refuse_unless_editor(user, document: Document) -> None:
    if not may_edit(user, document):
        raise Refusal(_("You may not change this document."))


@transaction.atomic
def create_document(
    *,
    process: Process,
    kind: str,
    title: str,
    author_role: str,
    issued_on: datetime.date,
    actor=None,
    **fields: Any,
) -> Document:
    """A new document, in draft. ``fields``: symbol, meeting, deliverable, distribution,
    original_language, transmitted_by, and translated titles (``title_fr`` …)."""
    if actor is not None and not may_create(actor, author_role):
        raise Refusal(_("You may not create a document for this author."))
    document = Document(
        process=process,
        kind=kind,
        title=title,
        author_role=author_role,
        issued_on=issued_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    document.full_clean()
    document.save()
    record("document.created", actor=actor, document=document.pk, symbol=document.symbol)
    return document


@transaction.atomic
def update_document(*, document: Document, actor=None, **fields: Any) -> Document:
    """Change the metadata (not the status: see ``publish``, ``set_status``)."""
    if actor is not None:
        _refuse_unless_editor(actor, document)
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean()
    document.save()
    record("document.updated", actor=actor, document=document.pk, fields=sorted(fields))
    return document


@transaction.atomic
def save_text(
    *, document: Document, language: str, source: str, html: str, actor=None
) -> DocumentVersion:
    """Save the text written for one language (``html`` is the sanitised rendering of
    ``source``, made by ``phases.documents.text``). History keeps every earlier text.
    A published document's text stays editable: the change is public at once."""
    if actor is not None:
        _refuse_unless_editor(actor, document)
    version = DocumentVersion.objects.filter(document=document, language=language).first()
    if version is not None and version.file:
        raise Refusal(_("This language version is an uploaded file; remove it first."))
    if version is None:
        version = DocumentVersion(document=document, language=language)
    version.body_source = source
    version.body_html = html
    version.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    if version.updated_by is not None:
        # The history names the writer outside a request too (a shell, a task); inside
        # one, simple-history's middleware already does.
        version._history_user = version.updated_by
    version.full_clean()
    version.save()
    record("document.text_saved", actor=actor, document=document.pk, language=language)
    return version


@transaction.atomic
def attach_file(
    *,
    document: Document,
    language: str,
    upload,
    file_kind: str,
    sha256: str,
    actor=None,
) -> DocumentVersion:
    """Store an upload already checked by ``phases.documents.uploads.check`` as the
    version in ``language`` (replacing an earlier file or text in that language)."""
    if actor is not None:
        _refuse_unless_editor(actor, document)
    version, _created = DocumentVersion.objects.get_or_create(document=document, language=language)
    if version.file:
        version.file.delete(save=False)
    version.file.save(f"{document.pk}-{language}.{file_kind}", upload, save=False)
    version.file_kind = file_kind
    version.file_size = upload.size
    version.sha256 = sha256
    version.original_filename = (getattr(upload, "name", "") or "")[:255]
    version.body_source = ""
    version.body_html = ""
    version.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save()
    record(
        "document.file_attached",
        actor=actor,
        document=document.pk,
        language=language,
        sha256=sha256,
        size=upload.size,
    )
    return version


@transaction.atomic
def remove_version(*, version: DocumentVersion, actor=None) -> None:
    if actor is not None:
        _refuse_unless_editor(actor, version.document)
    if version.document.is_published and version.document.versions.count() == 1:
        raise Refusal(_("A published document keeps at least one language version."))
    if version.file:
        version.file.delete(save=False)
    record(
        "document.version_removed",
        actor=actor,
        document=version.document_id,
        language=version.language,
    )
    version.delete()


@transaction.atomic
def set_status(*, document: Document, status: str, actor=None) -> Document:
    """Draft ↔ final, or withdraw a published document back to final."""
    if actor is not None:
        _refuse_unless_editor(actor, document)
    if status == DocumentStatus.PUBLISHED:
        return publish(document=document, actor=actor)
    document.status = status
    document.published_at = None
    document.save(update_fields=["status", "published_at", "updated_at"])
    record("document.status", actor=actor, document=document.pk, status=status)
    return document


@transaction.atomic
def publish(*, document: Document, actor=None, now: datetime.datetime | None = None) -> Document:
    """Publish: the document appears in the public library and on its meeting's page.
    It needs a version in its original language. Publishing a summary or report that
    answers a deliverable records the deliverable as delivered on the document's date."""
    if actor is not None:
        _refuse_unless_editor(actor, document)
    if document.status == DocumentStatus.PUBLISHED:
        return document
    original = document.versions.filter(language=document.original_language).first()
    if original is None or not (original.file or original.body_source.strip()):
        raise Refusal(
            _("Write or upload the text in the original language (%(language)s) first.")
            % {"language": document.get_original_language_display()}
        )
    document.status = DocumentStatus.PUBLISHED
    document.published_at = now or timezone.now()
    document.save(update_fields=["status", "published_at", "updated_at"])
    deliverable = document.deliverable
    if deliverable is not None and deliverable.status != DeliverableStatus.DELIVERED:
        from phases.services import mark_delivered

        mark_delivered(
            deliverable=deliverable,
            on=document.issued_on,
            symbol=document.symbol or None,
        )
    record("document.published", actor=actor, document=document.pk, symbol=document.symbol)
    return document


def is_text_kind(kind: str) -> bool:
    """Kinds usually written in the application rather than uploaded."""
    return kind in {
        DocumentKind.COFACILITATORS_SUMMARY,
        DocumentKind.CHAIRS_SUMMARY,
        DocumentKind.HEARING_SUMMARY,
        DocumentKind.ISSUE_BRIEF,
    }
