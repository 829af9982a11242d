"""Representatives at meetings (issue 4; MANDATE.md, the no-objection review, step 6): an
approved or directly registered organization nominates people for a meeting before the
meeting's registration deadline, and the secretariat confirms or declines each.

Personal data (name, gender, e-mail, function) is seen only by the organization itself,
the Office of the PGA and the secretariat; it never enters the audit trail, which cannot
be edited or erased (events name the nomination by its number only). State changes go
through ``stakeholders.services_participation``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact_process.web.names import validate_name
from stakeholders.enums import Gender

__all__ = ["Nomination", "NominationState", "RegistrationDeadline"]


class NominationState(models.TextChoices):
    NOMINATED = "nominated", _("Awaiting the secretariat's confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined by the secretariat")
    WITHDRAWN = "withdrawn", _("Withdrawn by the organization")


# A person holds at most one of these per meeting.
LIVE_STATES = (NominationState.NOMINATED, NominationState.CONFIRMED)


class RegistrationDeadline(models.Model):
    """The secretariat's own deadline for one meeting. Without one, the default applies
    (``stakeholders.selectors.participation.default_deadline``)."""

    meeting = models.OneToOneField(
        "phases.Meeting", on_delete=models.CASCADE, related_name="registration_deadline"
    )
    closes_at = models.DateTimeField(_("nominations close"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("registration deadline")
        verbose_name_plural = _("registration deadlines")

    def __str__(self) -> str:
        return f"{self.meeting}: {self.closes_at:%Y-%m-%d %H:%M %Z}"


class Nomination(models.Model):
    """One person an organization names to represent it at one meeting."""

    meeting = models.ForeignKey(
        "phases.Meeting", on_delete=models.PROTECT, related_name="nominations"
    )
    organization = models.ForeignKey(
        "stakeholders.Organization", on_delete=models.CASCADE, related_name="nominations"
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    email = models.EmailField(_("e-mail"))
    function = models.CharField(
        _("function or title"), max_length=200, blank=True, validators=[validate_name]
    )
    state = models.CharField(
        pgettext_lazy("status", "state"),
        max_length=20,
        choices=NominationState.choices,
        default=NominationState.NOMINATED,
    )
    reason = models.TextField(_("the secretariat's reason"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("nominated"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "organization", "nominated_at", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            # The e-mail address is stored in lower case (the service folds it), so one
            # person cannot be nominated twice for a meeting, by one organization or two.
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=models.Q(state__in=["nominated", "confirmed"]),
                name="nomination_once_per_person_and_meeting",
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "state"]),
            models.Index(fields=["organization", "meeting"]),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.meeting} ({self.get_state_display()})"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES
