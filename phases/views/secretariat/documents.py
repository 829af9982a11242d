"""The staff's document pages: the list with filters, creating and editing the metadata,
one document with its language versions (upload, remove, status, publish behind a
confirmation), and downloading a file. Every change goes through
``phases.documents.services``, which writes the audit events.

Who: the secretariat, the Office of the President and the co-facilitators see the
documents; each changes only what ``services.may_edit`` / ``may_create`` allow (the
secretariat everything, the others their own author role's documents); others get 403."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from compact_process.accounts.permissions import has_role, role_required
from compact_process.web.forms import attempt
from phases import selectors as process_selectors
from phases.documents import selectors, services
from phases.documents.filters import StaffDocumentFilter
from phases.documents.forms import DocumentCreateForm, DocumentForm, StatusForm, UploadForm
from phases.enums import Distribution, DocumentStatus, ResponsibleRole
from phases.models import Document, DocumentVersion, Process
from phases.views.secretariat._common import STAFF, change_methods
from phases.views.secretariat.drafts import PEN_HOLDERS

NAV = "documents"
LANGUAGE_NAMES = dict(settings.LANGUAGES)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _document(process: Process, pk: int) -> Document:
    found = selectors.staff_document(process, pk)
    if found is None:
        raise Http404(_("No such document."))
    return found


def _editable(request: HttpRequest, process: Process, pk: int) -> Document:
    """The document, if this user may change it (403 otherwise)."""
    found = _document(process, pk)
    if not services.may_edit(request.user, found):
        raise PermissionDenied
    return found


def _detail_url(document: Document, anchor: str = "") -> str:
    url = reverse("documents-secretariat:detail", args=[document.pk])
    return f"{url}#{anchor}" if anchor else url


def _page(
    request: HttpRequest, template: str, context: dict, *, form_page: bool = False
) -> HttpResponse:
    """A page; a form page shown again after a POST answers 422 (refused or invalid)."""
    status = 422 if form_page and request.method == "POST" else 200
    return render(request, template, {"nav": NAV, **context}, status=status)


def _can_create(user) -> bool:
    return any(services.may_create(user, role) for role in ResponsibleRole.values)


def _in_english(action):
    """Run a service under English, so that ``title`` is the English column (the form
    names the other languages' columns explicitly)."""

    def run():
        with translation.override("en"):
            return action()

    return run


# --- List, create, edit ------------------------------------------------------------------


@require_safe
@role_required(*STAFF)
def document_list(request: HttpRequest) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    filterset = StaffDocumentFilter(
        request.GET or None, queryset=selectors.staff_documents(process), process=process
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "document": d,
            "can_edit": services.may_edit(request.user, d),
            "languages": [v.language for v in d.versions.all()],
        }
        for d in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "documents/staff_list.html",
        {
            "process": process,
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_create": _can_create(request.user),
            "can_enter_draft": has_role(request.user, *PEN_HOLDERS),
        },
    )


@change_methods
@role_required(*STAFF)
def document_create(request: HttpRequest) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    if not _can_create(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = DocumentCreateForm(
        data, files, process=process, user=request.user, instance=Document(process=process)
    )
    refusal: list[str] = []
    if data is not None and form.is_valid():

        @transaction.atomic
        def create() -> Document:
            fields = form.service_fields()
            created = services.create_document(process=process, actor=request.user, **fields)
            upload = form.cleaned_data.get("file")
            if upload and form.checked is not None:
                services.attach_file(
                    document=created,
                    language=created.original_language,
                    upload=upload,
                    file_kind=form.checked.kind,
                    sha256=form.checked.sha256,
                    actor=request.user,
                )
            return created

        outcome = attempt(form, _in_english(create))
        if outcome.ok:
            created = outcome.value
            messages.success(request, _("The document is created, as a draft."))
            return redirect(_detail_url(created))
        refusal = outcome.refusal
    return _page(
        request,
        "documents/staff_form.html",
        {"process": process, "form": form, "refusal": refusal, "document": None},
        form_page=True,
    )


@change_methods
@role_required(*STAFF)
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    found = _editable(request, process, pk)
    shown = {"pk": found.pk, "label": str(found)}  # the form edits ``found`` in memory
    data = request.POST if request.method == "POST" else None
    form = DocumentForm(data, process=process, user=request.user, instance=found)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            _in_english(
                lambda: services.update_document(
                    document=found, actor=request.user, **form.service_fields()
                )
            ),
        )
        if outcome.ok:
            messages.success(request, _("The document's details are saved."))
            return redirect(_detail_url(found))
        refusal = outcome.refusal
    return _page(
        request,
        "documents/staff_form.html",
        {"process": process, "form": form, "refusal": refusal, "document": shown},
        form_page=True,
    )


# --- One document ------------------------------------------------------------------------


def _version_rows(document: Document) -> list[dict]:
    rows = []
    for version in document.versions.all():
        edit_url = ""
        if version.is_written:
            edit_url = reverse("texts:edit", args=[document.pk, version.language])
        rows.append(
            {
                "version": version,
                "language_name": LANGUAGE_NAMES.get(version.language, version.language),
                "edit_url": edit_url,
            }
        )
    return rows


def _write_links(document: Document, missing: list[str]) -> list[dict]:
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES[code],
            "url": reverse("texts:edit", args=[document.pk, code]),
        }
        for code in missing
    ]


@require_safe
@role_required(*STAFF)
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    found = _document(process, pk)
    can_edit = services.may_edit(request.user, found)
    missing = selectors.missing_languages(found)
    return _page(
        request,
        "documents/staff_detail.html",
        {
            "process": process,
            "document": found,
            "can_edit": can_edit,
            "versions": _version_rows(found),
            "missing": [(code, LANGUAGE_NAMES[code]) for code in missing],
            "write_links": _write_links(found, missing) if can_edit else [],
            "upload_form": UploadForm(document=found) if can_edit else None,
            "status_form": StatusForm(initial={"status": found.status}) if can_edit else None,
            "is_public": found.is_published and found.distribution == Distribution.GENERAL,
            "carried": list(found.carried.all()),
        },
    )


@change_methods
@role_required(*STAFF)
def version_upload(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    found = _editable(request, process, pk)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = UploadForm(data, files, document=found)
    refusal: list[str] = []
    if data is not None and form.is_valid() and form.checked is not None:
        language = form.cleaned_data["language"]
        checked = form.checked
        outcome = attempt(
            form,
            lambda: services.attach_file(
                document=found,
                language=language,
                upload=form.cleaned_data["file"],
                file_kind=checked.kind,
                sha256=checked.sha256,
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _("The %(language)s version is uploaded.") % {"language": LANGUAGE_NAMES[language]},
            )
            return redirect(_detail_url(found, "versions"))
        refusal = outcome.refusal
    return _page(
        request,
        "documents/staff_upload.html",
        {"process": process, "document": found, "form": form, "refusal": refusal},
        form_page=True,
    )


@change_methods
@role_required(*STAFF)
def version_remove(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    found = _editable(request, process, pk)
    version = next((v for v in found.versions.all() if v.pk == version_pk), None)
    if version is None:
        raise Http404(_("No such language version."))
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(
            None, lambda: services.remove_version(version=version, actor=request.user)
        )
        if outcome.ok:
            messages.success(
                request,
                _("The %(language)s version is removed.")
                % {"language": LANGUAGE_NAMES.get(version.language, version.language)},
            )
            return redirect(_detail_url(found, "versions"))
        refusal = outcome.refusal
    return _page(
        request,
        "documents/staff_version_remove.html",
        {
            "process": process,
            "document": found,
            "version": version,
            "language_name": LANGUAGE_NAMES.get(version.language, version.language),
            "refusal": refusal,
        },
        form_page=True,
    )


@require_POST
@role_required(*STAFF)
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    found = _editable(request, process, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose draft or final."))
        return redirect(_detail_url(found, "status"))
    status = form.cleaned_data["status"]
    outcome = attempt(
        None, lambda: services.set_status(document=found, status=status, actor=request.user)
    )
    if outcome.ok:
        messages.success(
            request,
            _("The document's status is now: %(status)s.")
            % {"status": DocumentStatus(status).label},
        )
    else:
        for message in outcome.refusal:
            messages.error(request, message)
    return redirect(_detail_url(found, "status"))


@change_methods
@role_required(*STAFF)
def document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    process = process_selectors.default_process_or_404()
    found = _editable(request, process, pk)
    refusal: list[str] = []
    if request.method == "POST" and not found.is_published:
        outcome = attempt(None, lambda: services.publish(document=found, actor=request.user))
        if outcome.ok:
            if found.distribution == Distribution.GENERAL:
                messages.success(
                    request, _("The document is published: it is now in the public library.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "The document is published. Its distribution is limited, so it is "
                        "not shown to the public."
                    ),
                )
            return redirect(_detail_url(found, "status"))
        refusal = outcome.refusal
    return _page(
        request,
        "documents/staff_publish.html",
        {
            "process": process,
            "document": found,
            "versions": _version_rows(found),
            "general": found.distribution == Distribution.GENERAL,
            "refusal": refusal,
        },
        form_page=True,
    )


@require_safe
@role_required(*STAFF)
def version_file(request: HttpRequest, pk: int) -> FileResponse:
    """Staff download of an uploaded file, whatever the document's status."""
    process = process_selectors.default_process_or_404()
    version = selectors.staff_version(process, pk)
    if version is None or not version.file:
        raise Http404(_("No such file."))
    return file_response(version)


def file_response(version: DocumentVersion) -> FileResponse:
    """The file as a download, named after the symbol and language, never rendered by the
    browser (it is not our content)."""
    document = version.document
    stem = (document.symbol or f"document-{document.pk}").replace("/", "-").replace(" ", "")
    name = f"{stem}-{version.language}.{version.file_kind or 'bin'}"
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("The file is missing.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(version.file_kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
