"""Writing a summary in the application: the editor of one language version (with a
server-side preview), its history (an earlier text, its difference with the current one,
and restoring it), and creating a meeting's summary from the meeting's page."""

from __future__ import annotations

import difflib
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from compact_process.accounts.permissions import role_required
from compact_process.formats import written
from compact_process.web.forms import attempt
from compact_process.web.languages import column, direction
from phases import selectors
from phases.documents import services
from phases.documents.forms_text import TextForm, WriteSummaryForm
from phases.documents.pdfs import language_label
from phases.documents.text import to_html
from phases.enums import DocumentKind, MeetingKind, ResponsibleRole
from phases.models import Deliverable, Document, DocumentVersion, Meeting
from phases.views.secretariat._common import STAFF, _meeting, change_methods

CODES = [code for code, _name in settings.LANGUAGES]

# Which summary a meeting of each kind gets, and who writes it (OP 21, OP 30).
SUMMARIES = {
    MeetingKind.THEMATIC_SESSION: (
        DocumentKind.COFACILITATORS_SUMMARY,
        ResponsibleRole.CO_FACILITATORS,
    ),
    MeetingKind.STAKEHOLDER_DIALOGUE: (
        DocumentKind.COFACILITATORS_SUMMARY,
        ResponsibleRole.CO_FACILITATORS,
    ),
    MeetingKind.HEARING: (DocumentKind.HEARING_SUMMARY, ResponsibleRole.PGA_OFFICE),
}


# --- Helpers ---------------------------------------------------------------------------


def _editable(request: HttpRequest, pk: int, language: str) -> Document:
    """The document (404 unless of this process, 404 for an unknown language), or 403
    for a user who may not edit it."""
    if language not in CODES:
        raise Http404(_("No such language."))
    process = selectors.default_process_or_404()
    document = get_object_or_404(Document, pk=pk, process=process)
    if not services.may_edit(request.user, document):
        raise PermissionDenied
    return document


def _version(document: Document, language: str) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(document=document, language=language).first()


def _written_version(document: Document, language: str) -> DocumentVersion:
    version = _version(document, language)
    if version is None or version.file:
        raise Http404(_("No text is written in this language."))
    return version


def _languages(document: Document, current: str) -> list[dict]:
    """The six languages, for the tabs: which have a text, which an uploaded file."""
    versions = {v.language: v for v in document.versions.all()}
    tabs = []
    for code in CODES:
        version = versions.get(code)
        tabs.append(
            {
                "code": code,
                "label": language_label(code),
                "current": code == current,
                "has_text": bool(version and not version.file and version.body_source.strip()),
                "has_file": bool(version and version.file),
                "url": reverse("texts:edit", args=[document.pk, code]),
            }
        )
    return tabs


def _common(document: Document, language: str) -> dict:
    return {
        "nav": "documents",
        "document": document,
        "language": language,
        "language_label": language_label(language),
        "direction": direction(language),
        "languages": _languages(document, language),
    }


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The difference between two texts, word by word: (``same``/``removed``/``added``,
    text) pieces, whitespace kept so that the lines read as typed."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("added", "".join(b[j1:j2])))
    return pieces


# --- The editor ------------------------------------------------------------------------


@change_methods
@role_required(*STAFF)
def edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    document = _editable(request, pk, language)
    version = _version(document, language)
    context = {
        **_common(document, language),
        "version": version,
        "pdf_key": f"document:{version.pk}" if version else "",
    }
    if version is not None and version.file:
        # An uploaded file in this language: replace it on the document's page.
        context["uploaded"] = True
        return render(request, "documents/text_edit.html", context)
    initial = {"source": version.body_source if version else ""}
    form = TextForm(request.POST or None, initial=initial, language=language)
    context["form"] = form
    if request.method == "POST":
        if "preview" in request.POST:
            # The text as it will be shown and printed; nothing is saved.
            context["preview"] = to_html(request.POST.get("source", ""))
            context["show_preview"] = True
            return render(request, "documents/text_edit.html", context)
        if form.is_valid():
            source = form.cleaned_data["source"]
            outcome = attempt(
                form,
                lambda: services.save_text(
                    document=document,
                    language=language,
                    source=source,
                    html=to_html(source),
                    actor=request.user,
                ),
            )
            if outcome.ok:
                messages.success(
                    request,
                    _("The text in %(language)s is saved.")
                    % {"language": language_label(language)},
                )
                return redirect("texts:edit", document.pk, language)
            context["refusal"] = outcome.refusal
        return render(request, "documents/text_edit.html", context, status=422)
    return render(request, "documents/text_edit.html", context)


# --- History ---------------------------------------------------------------------------


@require_safe
@role_required(*STAFF)
def history(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    document = _editable(request, pk, language)
    version = _written_version(document, language)
    records = list(
        version.history.select_related("history_user", "updated_by").order_by(
            "-history_date", "-history_id"
        )
    )
    return render(
        request,
        "documents/text_history.html",
        {**_common(document, language), "version": version, "records": records},
    )


def _record(version: DocumentVersion, history_id: int):
    found = version.history.filter(history_id=history_id).select_related("history_user").first()
    if found is None:
        raise Http404(_("No such earlier text."))
    return found


@require_safe
@role_required(*STAFF)
def revision(request: HttpRequest, pk: int, language: str, history_id: int) -> HttpResponse:
    document = _editable(request, pk, language)
    version = _written_version(document, language)
    record = _record(version, history_id)
    return render(
        request,
        "documents/text_revision.html",
        {
            **_common(document, language),
            "version": version,
            "record": record,
            "rendered": to_html(record.body_source),
            "diff": word_diff(record.body_source, version.body_source),
            "same_as_current": record.body_source == version.body_source,
        },
    )


@change_methods
@role_required(*STAFF)
def restore(request: HttpRequest, pk: int, language: str, history_id: int) -> HttpResponse:
    document = _editable(request, pk, language)
    version = _written_version(document, language)
    record = _record(version, history_id)
    context = {**_common(document, language), "version": version, "record": record}
    if request.method == "POST":
        outcome = attempt(
            None,
            lambda: services.save_text(
                document=document,
                language=language,
                source=record.body_source,
                html=to_html(record.body_source),
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _("The text of %(date)s is restored; the text it replaced stays in the history.")
                % {"date": written.instant_words(record.history_date)},
            )
            return redirect("texts:edit", document.pk, language)
        context["refusal"] = outcome.refusal
        return render(request, "documents/text_restore.html", context, status=422)
    return render(request, "documents/text_restore.html", context)


# --- A meeting's summary ---------------------------------------------------------------


def summary_of(meeting: Meeting) -> Document | None:
    """The meeting's summary document, if it has been created."""
    kind = SUMMARIES.get(meeting.kind, (None,))[0]
    if kind is None:
        return None
    return Document.objects.filter(meeting=meeting, kind=kind).order_by("pk").first()


def _titles(meeting: Meeting, kind: str) -> dict[str, str]:
    """The summary's title in the six languages, e.g. "Co-facilitators' summary: …".
    A language gets a title only where both the meeting's title and the wording are
    translated; otherwise its column stays empty, so that the English title shows as the
    fallback (and is not stored, in English, as if it were the translation)."""

    def wording() -> str:
        if kind == DocumentKind.HEARING_SUMMARY:
            return _("Summary of the hearing: %(meeting)s")
        return _("Co-facilitators' summary: %(meeting)s")

    with translation.override("en"):
        english = wording()
    titles = {}
    for code in CODES:
        name = column("title", code)
        with translation.override(code):
            text = wording()
        meeting_title = getattr(meeting, name, "") or ""
        if code == "en":
            meeting_title = meeting_title or meeting.title
        elif not meeting_title or text == english:
            continue
        titles[name.removeprefix("title_")] = text % {"meeting": meeting_title}
    return titles


@change_methods
@role_required(*STAFF)
def write_summary(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    meeting = _meeting(process, meeting_pk)
    if meeting.kind not in SUMMARIES:
        raise Http404(_("A summary is written here for thematic sessions, dialogues and hearings."))
    kind, author = SUMMARIES[meeting.kind]
    existing = summary_of(meeting)
    if existing is not None:
        if not services.may_edit(request.user, existing):
            raise PermissionDenied
        return redirect("texts:edit", existing.pk, existing.original_language)
    if not services.may_create(request.user, author):
        raise PermissionDenied
    deliverable = Deliverable.objects.filter(meeting=meeting, kind=kind).order_by("pk").first()
    symbol = deliverable.symbol if deliverable else ""
    if symbol and Document.objects.filter(process=process, symbol=symbol).exists():
        symbol = ""  # the unique symbol is already another document's: set it later
    titles = _titles(meeting, kind)
    form = WriteSummaryForm(request.POST or None)
    context = {
        "nav": "meetings",
        "meeting": meeting,
        "form": form,
        "title": titles["en"],
        "kind_label": DocumentKind(kind).label,
        "author_label": ResponsibleRole(author).label,
        "deliverable": deliverable,
        "symbol": symbol,
    }
    if request.method == "POST":
        if form.is_valid():
            with translation.override("en"):
                outcome = attempt(
                    form,
                    lambda: services.create_document(
                        process=process,
                        kind=kind,
                        title=titles["en"],
                        author_role=author,
                        issued_on=timezone.localdate(),
                        actor=request.user,
                        symbol=symbol,
                        meeting=meeting,
                        deliverable=deliverable,
                        original_language=form.cleaned_data["original_language"],
                        **{f"title_{code}": text for code, text in titles.items()},
                    ),
                )
            if outcome.ok:
                document = outcome.value
                messages.success(request, _("The summary is created: write its text."))
                return redirect("texts:edit", document.pk, document.original_language)
            context["refusal"] = outcome.refusal
        return render(request, "documents/text_write_summary.html", context, status=422)
    return render(request, "documents/text_write_summary.html", context)
