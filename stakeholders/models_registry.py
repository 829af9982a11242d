"""Registration (issue 4): who speaks for an organization, the application window, the
ECOSOC and NHRI lists the secretariat imports (OP 6(a), OP 9), registrations against
them that the secretariat confirms, and applicants' answers to requests for information.
State changes go through ``stakeholders.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from phases.models import MemberState, Process
from stakeholders.enums import Channel, ListPurpose

__all__ = [
    "AccreditedBody",
    "AccreditedSource",
    "ApplicationWindow",
    "DirectRegistration",
    "InformationAnswer",
    "OrganizationMember",
    "RegistrationState",
]


class AccreditedSource(models.TextChoices):
    ECOSOC = "ecosoc", _("ECOSOC consultative status list (OP 6(a))")
    NHRI = "nhri", _("NHRI accreditation list, Paris Principles (OP 9)")


class RegistrationState(models.TextChoices):
    PENDING = "pending", _("Awaiting the secretariat's confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class OrganizationMember(models.Model):
    """A user who acts for an organization (one organization per user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_member"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization", on_delete=models.CASCADE, related_name="members"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization member")
        verbose_name_plural = _("organization members")

    def __str__(self) -> str:
        return f"{self.user} → {self.organization}"


class ApplicationWindow(models.Model):
    """When organizations may apply for special accreditation (OP 6(b)–(c))."""

    process = models.ForeignKey(
        Process, on_delete=models.CASCADE, related_name="application_windows"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ListPurpose.choices)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))

    class Meta:
        ordering = ["process", "opens_at"]
        verbose_name = _("application window")
        verbose_name_plural = _("application windows")
        constraints = [
            models.UniqueConstraint(fields=["process", "purpose"], name="one_window_per_purpose"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="window_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} {self.get_purpose_display()}"

    def is_open(self, at) -> bool:
        return self.opens_at <= at < self.closes_at


class AccreditedBody(models.Model):
    """One row of an imported list: an NGO in consultative status with ECOSOC, or an
    NHRI with its GANHRI accreditation status (only status A registers directly)."""

    source = models.CharField(_("list"), max_length=10, choices=AccreditedSource.choices)
    name = models.CharField(_("name"), max_length=300)
    normalized_name = models.CharField(_("normalized name"), max_length=300)
    country = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    status = models.CharField(_("status"), max_length=20)
    imported_at = models.DateTimeField(_("imported"))

    class Meta:
        ordering = ["source", "name", "id"]
        verbose_name = _("accredited body")
        verbose_name_plural = _("accredited bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "country", "normalized_name"], name="accredited_body_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DirectRegistration(models.Model):
    """A registration through the ECOSOC or NHRI channel that matched a list entry. An
    exact match is confirmed at once; a near match waits for the secretariat."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        "stakeholders.Organization", on_delete=models.CASCADE, related_name="direct_registrations"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    body = models.ForeignKey(
        AccreditedBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # As matched, so the record reads the same after a re-import.
    matched_name = models.CharField(_("name on the list"), max_length=300)
    ratio = models.FloatField(_("similarity"))
    state = models.CharField(
        pgettext_lazy("status", "state"),
        max_length=20,
        choices=RegistrationState.choices,
        default=RegistrationState.PENDING,
    )
    reason = models.TextField(_("reason"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    application = models.OneToOneField(
        "stakeholders.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_registration",
    )

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("direct registration")
        verbose_name_plural = _("direct registrations")
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.organization} ≈ {self.matched_name}"


class InformationAnswer(models.Model):
    """An applicant's answer to the Office's request for information."""

    application = models.ForeignKey(
        "stakeholders.Application", on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["answered_at", "id"]
        verbose_name = _("answer to a request for information")
        verbose_name_plural = _("answers to requests for information")

    def __str__(self) -> str:
        return f"{self.application}: {self.answered_at:%Y-%m-%d}"
