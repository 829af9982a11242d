"""Meetings, their days, panels and the appointments of the PGA and the Secretary-General."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phases.enums import Appointer, AppointmentRole, MeetingKind
from phases.models.members import MemberState
from phases.models.process import Phase, Process, Venue


class Meeting(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="meetings")
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stable identifier within the process.")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.RESTRICT, related_name="meetings", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    theme = models.TextField(_("theme"), blank=True)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="meetings")
    mandate_slot = models.CharField(
        _("mandated slot"),
        max_length=40,
        blank=True,
        help_text=_("Which mandated session this is, e.g. geneva-1 (OP 15)."),
    )
    mandated_days = models.PositiveSmallIntegerField(
        _("mandated days"), null=True, blank=True, help_text=_("e.g. a negotiation round (OP 28)")
    )
    interpretation = models.BooleanField(
        _("interpretation"), default=True, help_text=_("Subject to available resources (OP 29).")
    )
    dates_approximate = models.BooleanField(_("dates approximate"), default=False)
    source_note = models.TextField(
        _("source note"), blank=True, help_text=_("Where the facts come from; what is uncertain.")
    )

    class Meta:
        ordering = ["process", "kind", "number"]
        verbose_name = pgettext_lazy("event", "meeting")
        verbose_name_plural = pgettext_lazy("event", "meetings")
        constraints = [
            models.UniqueConstraint(fields=["process", "key"], name="meeting_key_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.phase_id and self.process_id and self.phase.process_id != self.process_id:
            raise ValidationError({"phase": _("The phase belongs to another process.")})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.venue.timezone)


class MeetingDay(models.Model):
    """One day of a meeting. A meeting's days need not be consecutive (20, 22–23 February 2018)."""

    HALF = Decimal("0.5")
    FULL = Decimal("1")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at (venue time)"), default=datetime.time(10, 0))
    ends_at = models.TimeField(_("ends at (venue time)"), default=datetime.time(18, 0))
    portion = models.DecimalField(
        _("portion of a day"),
        max_digits=2,
        decimal_places=1,
        default=FULL,
        choices=[(FULL, _("Full day")), (HALF, _("Half day"))],
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("meeting day")
        verbose_name_plural = _("meeting days")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "date"], name="meeting_day_once"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_day_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.date}"

    def local_bounds(self, tz: zoneinfo.ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
        """Start and end as aware datetimes in the venue's zone."""
        return (
            datetime.datetime.combine(self.date, self.starts_at, tzinfo=tz),
            datetime.datetime.combine(self.date, self.ends_at, tzinfo=tz),
        )


class Panel(models.Model):
    """An expert panel of a thematic session (OP 16), moderated by Member States (OP 17)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="panels")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="panel_order_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Appointment(models.Model):
    """An appointment by the PGA or the Secretary-General (OP 5, 10, 17), with its dates."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="appointments")
    role = models.CharField(_("role"), max_length=30, choices=AppointmentRole.choices)
    appointed_by = models.CharField(_("appointed by"), max_length=30, choices=Appointer.choices)
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    person_title = models.CharField(_("title or function"), max_length=300, blank=True)
    member_state = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, null=True, blank=True, related_name="moderators"
    )
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    date_approximate = models.BooleanField(_("date approximate"), default=False)
    letter_reference = models.CharField(_("appointing letter"), max_length=200, blank=True)
    source_note = models.TextField(_("source note"), blank=True)

    class Meta:
        ordering = ["role", "appointed_on", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "member_state"],
                condition=models.Q(panel__isnull=False),
                name="moderator_once_per_panel",
            ),
        ]

    def __str__(self) -> str:
        who = self.person_name or (self.member_state.name if self.member_state else "")
        return f"{self.get_role_display()}: {who}"
