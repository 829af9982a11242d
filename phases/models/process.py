"""A GA-mandated process, its phases (OP 14), venues and their closures."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phases.parameters import default_parameters


class Process(models.Model):
    """One intergovernmental process; the GCM (A/RES/71/280) is one, others fit the same shape.

    ``parameters`` holds the figures of the mandate that the checks apply
    (caps, windows, venues): data, not code, so another resolution can set its own.
    """

    slug = models.SlugField(_("short name"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    mandate = models.CharField(_("mandating resolution"), max_length=40)
    mandate_adopted_on = models.DateField(_("resolution adopted on"), null=True, blank=True)
    parameters = models.JSONField(_("mandate parameters"), default=default_parameters)

    class Meta:
        verbose_name = pgettext_lazy("intergovernmental", "process")
        verbose_name_plural = pgettext_lazy("intergovernmental", "processes")

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("window opens"))
    ends_on = models.DateField(_("window closes"))

    class Meta:
        ordering = ["process", "number"]
        verbose_name = pgettext_lazy("stage of the process", "phase")
        verbose_name_plural = pgettext_lazy("stage of the process", "phases")
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="phase_number_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def contains(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


_iso2 = RegexValidator(r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 country code."))


class Venue(models.Model):
    """Where meetings are held; its country and subdivision give the public holidays."""

    slug = models.SlugField(_("short name"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country_code = models.CharField(_("country"), max_length=2, validators=[_iso2])
    subdivision = models.CharField(
        _("subdivision"),
        max_length=10,
        blank=True,
        help_text=_("The holidays library's code for the state or canton, e.g. GE, NY, 9."),
    )
    timezone = models.CharField(_("time zone"), max_length=64, help_text="IANA, e.g. Europe/Zurich")
    is_duty_station = models.BooleanField(_("UN duty station"), default=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name


class Closure(models.Model):
    """A day a venue is closed that the holidays library does not know (entered by staff)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.UniqueConstraint(fields=["venue", "date"], name="closure_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.venue} {self.date}: {self.reason}"
