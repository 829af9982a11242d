"""Negotiation texts (OP 27–28): the zero draft and its revisions, stored as numbered
paragraphs in the parts of OP 2 so that any two can be compared paragraph by paragraph."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from phases.enums import DraftPart, DraftStage
from phases.models.documents import Document
from phases.models.process import Process


class NegotiationDraft(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="drafts")
    key = models.SlugField(_("key"), max_length=40)
    stage = models.CharField(_("stage"), max_length=20, choices=DraftStage.choices)
    sequence = models.PositiveSmallIntegerField(
        _("order"), help_text=_("0 for the zero draft, then 1, 2, … in the order issued.")
    )
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("document"),
    )
    is_demonstration = models.BooleanField(
        _("demonstration text"),
        default=False,
        help_text=_("A short text written for the demonstration, not the real draft."),
    )
    source_note = models.TextField(_("source note"), blank=True)

    class Meta:
        ordering = ["process", "sequence"]
        verbose_name = _("negotiation draft")
        verbose_name_plural = _("negotiation drafts")
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="draft_key_unique"),
            models.UniqueConstraint(fields=["process", "sequence"], name="draft_sequence_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class DraftParagraph(models.Model):
    draft = models.ForeignKey(NegotiationDraft, on_delete=models.CASCADE, related_name="paragraphs")
    part = models.CharField(_("part"), max_length=20, choices=DraftPart.choices)
    number = models.PositiveSmallIntegerField(_("paragraph number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["draft", "number"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="draft_paragraph_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} ¶{self.number}"
