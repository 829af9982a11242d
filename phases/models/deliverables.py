"""Deliverables: documents owed by a date (OP 13, 18, 21, 22, 25–27, 30, 6)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from phases.enums import (
    DeliverableKind,
    DeliverableStatus,
    ResponsibleRole,
    Timeliness,
    timeliness,
)
from phases.models.meetings import Meeting
from phases.models.process import Process


class Deliverable(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="deliverables")
    key = models.SlugField(_("key"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30, choices=DeliverableKind.choices)
    title = models.CharField(_("title"), max_length=300)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="deliverables"
    )
    responsible = models.CharField(_("responsible"), max_length=30, choices=ResponsibleRole.choices)
    symbol = models.CharField(_("document symbol"), max_length=60, blank=True)
    due_on = models.DateField(_("due on"))
    due_approximate = models.BooleanField(_("due date approximate"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliverableStatus.choices,
        default=DeliverableStatus.PLANNED,
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivered_approximate = models.BooleanField(_("delivery date approximate"), default=False)
    source_note = models.TextField(
        _("source note"), blank=True, help_text=_("Where the facts come from; what is uncertain.")
    )
    transmitted_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried",
        verbose_name=_("transmittal letter"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="deliverable_key_unique"),
            models.CheckConstraint(
                condition=models.Q(status=DeliverableStatus.DELIVERED, delivered_on__isnull=False)
                | (~models.Q(status=DeliverableStatus.DELIVERED) & models.Q(delivered_on=None)),
                name="deliverable_delivered_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    def timeliness(self, today: datetime.date) -> Timeliness:
        return timeliness(self.due_on, self.delivered_on, today)
