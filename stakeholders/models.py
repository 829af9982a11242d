"""Organizations, their applications and representatives, stakeholder lists and the
no-objection review (OP 6 and its footnote, OP 8–9). State changes go through
``stakeholders.services``, each writing one audit event in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact_process.web.names import validate_name
from phases.models import MemberState, Process
from stakeholders.enums import (
    ApplicationState,
    Channel,
    EntryOutcome,
    Gender,
    ListPurpose,
    ListStatus,
    OrganizationKind,
)


class Organization(models.Model):
    name = models.CharField(
        _("name in its own language"), max_length=300, validators=[validate_name]
    )
    name_latin = models.CharField(
        _("name in Latin letters"), max_length=300, blank=True, validators=[validate_name]
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    country = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("country"),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return self.name_latin or self.name


class Application(models.Model):
    """An organization's request to take part in a process, through one channel, for one
    purpose: the preparatory process (OP 6(b)) or the conference (OP 6(c)); one of each
    at most. It goes on lists of its purpose only. A registration through the ECOSOC or
    NHRI list (OP 6(a), OP 9) covers both: its purpose is empty."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="applications")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="applications"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=ListPurpose.choices,
        default=ListPurpose.PREPARATORY,
        blank=True,
    )
    state = models.CharField(
        pgettext_lazy("status", "state"),
        max_length=30,
        choices=ApplicationState.choices,
        default=ApplicationState.SUBMITTED,
    )
    activities = models.TextField(_("activities related to migration"))
    reason = models.TextField(_("reason given to the applicant"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The profile as the Office saw it at its last screening decision (written by
    # services.screen_application, in its transaction; format in stakeholders.profiles):
    # Member States review what the Office screened, not what the organization wrote
    # afterwards. Empty for an application screened before it was kept.
    screened_profile = models.JSONField(_("profile as screened"), default=dict, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "organization", "purpose"],
                name="one_application_per_purpose",
            ),
            models.CheckConstraint(
                condition=models.Q(channel=Channel.SPECIAL, purpose__in=ListPurpose.values)
                | (~models.Q(channel=Channel.SPECIAL) & models.Q(purpose="")),
                name="application_purpose_fits_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_state_display()})"


class Representative(models.Model):
    """A person an organization names. Personal data: seen only by the organization,
    the Office of the PGA and the secretariat; never on public pages."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="representatives"
    )
    name = models.CharField(_("name"), max_length=200, validators=[validate_name])
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self) -> str:
        return self.name


class StakeholderList(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="lists")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ListPurpose.choices)
    title = models.CharField(_("title"), max_length=300, validators=[validate_name])
    status = models.CharField(
        _("status"), max_length=20, choices=ListStatus.choices, default=ListStatus.DRAFT
    )
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted to Member States"), null=True, blank=True)
    closed_at = models.DateTimeField(_("review closed"), null=True, blank=True)

    class Meta:
        ordering = ["process", "id"]
        verbose_name = pgettext_lazy("list of names", "stakeholder list")
        verbose_name_plural = pgettext_lazy("list of names", "stakeholder lists")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ListStatus.DRAFT)
                | models.Q(review_deadline__isnull=False, submitted_at__isnull=False),
                name="submitted_list_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FrozenRecordError(Exception):
    """Raised on an attempt to rewrite the record of a submitted list: delete or move
    one of its entries, delete an objection or change what it says. The database refuses
    the same (migration 0006), for raw SQL and cascades too."""


# What a submitted list's entry and an objection may never change (the close writes an
# entry's outcome and standing objections; a withdrawal writes withdrawn_at and _by).
ENTRY_FROZEN = {"application", "application_id", "stakeholder_list", "stakeholder_list_id"}
OBJECTION_FROZEN = {
    "entry",
    "entry_id",
    "member_state",
    "member_state_id",
    "basis",
    "disclose_identity",
    "lodged_at",
    "lodged_by",
    "lodged_by_id",
}


def _changed(instance, fields: set[str], update_fields) -> set[str]:
    """The frozen fields a save() would change, read against the stored row."""
    columns = {instance._meta.get_field(name).attname for name in fields}
    if update_fields is not None:
        named = {instance._meta.get_field(name).attname for name in update_fields}
        columns &= named
    if not columns:
        return set()
    stored = type(instance)._base_manager.filter(pk=instance.pk).values(*columns).first()
    if stored is None:
        return set()
    return {column for column in columns if stored[column] != getattr(instance, column)}


class ListEntryQuerySet(models.QuerySet):
    def _submitted(self):
        return self.exclude(stakeholder_list__status=ListStatus.DRAFT)

    def update(self, **kwargs):
        if ENTRY_FROZEN & kwargs.keys():
            target = kwargs.get("stakeholder_list", kwargs.get("stakeholder_list_id"))
            into_submitted = target is not None and (
                StakeholderList.objects.filter(pk=getattr(target, "pk", target))
                .exclude(status=ListStatus.DRAFT)
                .exists()
            )
            if into_submitted or self._submitted().exists():
                raise FrozenRecordError("The entries of a submitted list cannot be moved.")
        return super().update(**kwargs)

    def delete(self):
        if self._submitted().exists():
            raise FrozenRecordError("The entries of a submitted list cannot be deleted.")
        return super().delete()


class ObjectionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if OBJECTION_FROZEN & kwargs.keys():
            raise FrozenRecordError("An objection cannot be changed, only withdrawn.")
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(entry__stakeholder_list__status=ListStatus.DRAFT).exists():
            raise FrozenRecordError("Objections cannot be deleted.")
        return super().delete()


class ListEntry(models.Model):
    stakeholder_list = models.ForeignKey(
        StakeholderList, on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="entries")
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=EntryOutcome.choices, default=EntryOutcome.PENDING
    )
    # Fixed when the review closes: the objections standing at the deadline.
    standing_objections = models.PositiveIntegerField(_("objections at the close"), default=0)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        ordering = ["stakeholder_list", "id"]
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder_list", "application"], name="entry_once_per_list"
            ),
        ]
        indexes = [models.Index(fields=["stakeholder_list", "outcome"])]

    def __str__(self) -> str:
        return str(self.application.organization)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if (
            not self._state.adding
            and _changed(self, ENTRY_FROZEN, update_fields)
            and self._in_submitted_list()
        ):
            raise FrozenRecordError("The entries of a submitted list cannot be moved.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._in_submitted_list():
            raise FrozenRecordError("The entries of a submitted list cannot be deleted.")
        return super().delete(*args, **kwargs)

    def _in_submitted_list(self) -> bool:
        stored = ListEntry._base_manager.filter(pk=self.pk).values("stakeholder_list_id")
        return (
            StakeholderList.objects.filter(
                models.Q(pk__in=stored) | models.Q(pk=self.stakeholder_list_id)
            )
            .exclude(status=ListStatus.DRAFT)
            .exists()
        )


class Objection(models.Model):
    """A Member State's objection to an entry (OP 6, footnote 5). One standing objection
    per State and entry; a withdrawn one stays on record."""

    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="objections")
    member_state = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, related_name="objections"
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged"))
    basis = models.TextField(_("general basis (voluntary)"), blank=True)
    disclose_identity = models.BooleanField(
        _("the State's identity may be shared on request"), default=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        ordering = ["lodged_at", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "member_state"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_standing_objection_per_state",
            ),
        ]
        indexes = [models.Index(fields=["entry", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.member_state} → {self.entry}"

    def save(self, *args, **kwargs):
        if not self._state.adding and _changed(self, OBJECTION_FROZEN, kwargs.get("update_fields")):
            raise FrozenRecordError("An objection cannot be changed, only withdrawn.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = Objection._base_manager.filter(pk=self.pk)
        if stored.exclude(entry__stakeholder_list__status=ListStatus.DRAFT).exists():
            raise FrozenRecordError("Objections cannot be deleted.")
        return super().delete(*args, **kwargs)


class InformationRequest(models.Model):
    """A Member State asks the Office of the PGA what it received on an entry's
    objections (footnote 5)."""

    entry = models.ForeignKey(
        ListEntry, on_delete=models.CASCADE, related_name="information_requests"
    )
    requesting_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What was shared, as it stood then: [{"basis": ..., "state": name or None}, ...].
    shared = models.JSONField(_("information shared"), default=list, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")

    def __str__(self) -> str:
        return f"{self.requesting_state} about {self.entry}"


from stakeholders.models_participation import *  # noqa: E402,F403
from stakeholders.models_registry import *  # noqa: E402,F403
