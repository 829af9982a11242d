"""A rendered PDF, cached by the key of what it shows and the fingerprint of the HTML it
was made from: the same content is never rendered twice, a change renders it again."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedPdf(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RENDERING = "rendering", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="pdf/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Why it failed, when the reader is told something other than ``error``: "fonts" (the
    # server lacks a font: ``error`` is the administrator's hint, shown to the secretariat;
    # readers get a plain sentence, services.error_for).
    reason = models.CharField(max_length=20, blank=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    # Written every few seconds by the render in progress (services.RENDER_HEARTBEAT): a
    # render silent for longer than services.RENDER_LOST_AFTER was cut off.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
