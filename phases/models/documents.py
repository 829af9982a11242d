"""Documents of the process (OP 18, 21, 25–27, 30, footnote 5, OP 1): each with a UN
document symbol and one version per language, either an uploaded file (PDF or DOCX) or a
text written in the application (a summary), kept with its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from phases.enums import Distribution, DocumentKind, DocumentStatus, ResponsibleRole
from phases.models.deliverables import Deliverable
from phases.models.meetings import Meeting
from phases.models.process import Process

LANGUAGE_CHOICES = settings.LANGUAGES


class Document(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="documents")
    symbol = models.CharField(
        _("document symbol"),
        max_length=80,
        blank=True,
        help_text=_("As issued, e.g. A/72/643; empty until one is assigned."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("deliverable it answers"),
    )
    author_role = models.CharField(_("author"), max_length=30, choices=ResponsibleRole.choices)
    issued_on = models.DateField(_("date"))
    distribution = models.CharField(
        _("distribution"),
        max_length=10,
        choices=Distribution.choices,
        default=Distribution.GENERAL,
    )
    original_language = models.CharField(
        _("original language"), max_length=10, choices=LANGUAGE_CHOICES, default="en"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    transmitted_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried",
        verbose_name=_("transmittal letter"),
        limit_choices_to={"kind": DocumentKind.TRANSMITTAL_LETTER},
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "symbol"],
                condition=~models.Q(symbol=""),
                name="document_symbol_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status=DocumentStatus.PUBLISHED, published_at__isnull=False)
                | (~models.Q(status=DocumentStatus.PUBLISHED) & models.Q(published_at=None)),
                name="document_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}".strip()

    @property
    def is_published(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED


class DocumentVersion(models.Model):
    """The document in one language: an uploaded PDF or DOCX, or a text written here
    (``body_source`` as typed, ``body_html`` its sanitised rendering)."""

    class FileKind(models.TextChoices):
        NONE = "", _("Written in the application")
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    file_kind = models.CharField(max_length=5, choices=FileKind.choices, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    body_source = models.TextField(_("text"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["body_html"])

    class Meta:
        ordering = ["document", "language"]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="document_version_language_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} [{self.language}]"

    @property
    def is_written(self) -> bool:
        return not self.file
