"""Forms of the document pages. None of them saves anything: the views hand the cleaned
data to ``phases.documents.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compact_process.errors import Refusal
from compact_process.web.forms import AccessibleFormMixin
from compact_process.web.languages import TranslatedFieldsMixin, columns
from phases.documents import selectors, services, uploads
from phases.enums import DocumentStatus, ResponsibleRole
from phases.forms import DateInput
from phases.models import Deliverable, Document, Meeting, Process

# The title in English (required: the source language) and the five other languages,
# side by side (modeltranslation's columns).
TITLE_FIELDS = columns("title")
METADATA_FIELDS = [
    "symbol",
    "kind",
    *TITLE_FIELDS,
    "meeting",
    "deliverable",
    "author_role",
    "issued_on",
    "distribution",
    "original_language",
    "transmitted_by",
]
ACCEPT = (
    ".pdf,.docx,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


def _limit_text() -> str:
    return uploads.megabytes(uploads.max_bytes())


def _upload_help() -> str:
    return gettext("PDF or Word (DOCX) only, at most %(limit)s MB.") % {"limit": _limit_text()}


def _optional_upload_help() -> str:
    return gettext(
        "Optional: PDF or Word (DOCX) only, at most %(limit)s MB. A text written in the "
        "application is added on the document's page instead."
    ) % {"limit": _limit_text()}


# Read when the page is rendered: the limit is a setting, and the language the page's.
upload_help = lazy(_upload_help, str)
optional_upload_help = lazy(_optional_upload_help, str)


class UploadField(forms.FileField):
    """A file checked by its content (``uploads.check``) in the form's ``clean_file``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", upload_help())
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)


def _check(upload) -> uploads.Checked:
    try:
        return uploads.check(upload)
    except Refusal as refused:
        raise ValidationError(list(refused.messages)) from refused


class DocumentForm(TranslatedFieldsMixin, AccessibleFormMixin, forms.ModelForm):
    """A document's metadata, its title in the six languages side by side; on creation,
    optionally its file in the original language."""

    translated = {"title": _("Title")}

    class Meta:
        model = Document
        fields = METADATA_FIELDS
        widgets = {"issued_on": DateInput()}
        help_texts = {
            "title_en": _("The title in English, the source language (required)."),
            "transmitted_by": _("The letter that carried this document, if any."),
        }

    def __init__(self, *args: Any, process: Process, user, **kwargs: Any) -> None:
        self.process = process
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(process=process).order_by("id")
        self.fields["meeting"].empty_label = _("None")
        self.fields["deliverable"].queryset = Deliverable.objects.filter(process=process).order_by(
            "due_on", "id"
        )
        self.fields["deliverable"].empty_label = _("None")
        self.fields["transmitted_by"].queryset = selectors.transmittal_letters(
            process, exclude=self.instance.pk
        )
        self.fields["transmitted_by"].empty_label = _("None")
        authors = [
            (value, label)
            for value, label in ResponsibleRole.choices
            if services.may_create(user, value) or value == self.instance.author_role
        ]
        # A new document names its author by choice: no first author of the list is
        # taken for granted (the secretariat may write for any of them). Only a user who
        # writes for one author alone has it chosen already.
        if self.instance.author_role or len(authors) == 1:
            self.fields["author_role"].choices = authors
        else:
            self.fields["author_role"].choices = [("", _("Choose the author")), *authors]

    def title_languages(self):
        """The six title boxes, with the note naming the languages still missing."""
        return self.group("title")

    def clean_author_role(self) -> str:
        role = self.cleaned_data["author_role"]
        changed = role != (self.initial.get("author_role") or "")
        if (self.instance.pk is None or changed) and not services.may_create(self.user, role):
            raise ValidationError(_("You may not create documents for this author."))
        return role

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values, named as ``services.create_document`` and
        ``update_document`` take them (``title`` is the English title)."""
        fields = {name: self.cleaned_data[name] for name in METADATA_FIELDS}
        fields["title"] = fields["title_en"]
        return fields


class DocumentCreateForm(DocumentForm):
    file = UploadField(
        label=_("File in the original language"),
        required=False,
        help_text=optional_upload_help(),
    )

    field_order = [*METADATA_FIELDS, "file"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked: uploads.Checked | None = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = _check(upload)
        return upload


class UploadForm(AccessibleFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("A file replaces the earlier file or written text in that language."),
    )
    file = UploadField(label=_("File"))

    def __init__(self, *args: Any, document: Document, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked: uploads.Checked | None = None
        missing = selectors.missing_languages(document)
        if "language" not in self.initial:
            if document.original_language in missing:
                self.initial["language"] = document.original_language
            elif missing:
                self.initial["language"] = missing[0]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked = _check(upload)
        return upload


class StatusForm(AccessibleFormMixin, forms.Form):
    """Draft or final; publishing has its own confirmation page."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (DocumentStatus.DRAFT, DocumentStatus.DRAFT.label),
            (DocumentStatus.FINAL, DocumentStatus.FINAL.label),
        ],
    )
