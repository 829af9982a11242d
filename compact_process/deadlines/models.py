"""Every dated obligation of the process, whatever model it comes from, as one row: what
is due, when (an instant), who must act, and where. The source models keep their own
dates; a provider (``compact_process.deadlines.providers``) mirrors each into a
``Deadline`` whenever the source is saved, so reminders, the "due for me" page and the
personal calendar feed read one table."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact_process import labels


class DeadlineKind(models.TextChoices):
    DELIVERABLE = "deliverable", _("Deliverable due")
    LIST_REVIEW = "list_review", _("Stakeholder list review closes")
    APPLICATION_WINDOW = "application_window", _("Application window closes")
    MEETING_REGISTRATION = "meeting_registration", _("Nominations for a meeting close")


class AudienceType(models.TextChoices):
    ROLE = "role", _("everyone with a role")
    DELEGATES = "delegates", _("every Member State's delegates")
    ORGANIZATION = "organization", _("an organization's members")
    USER = "user", _("a named user")


class Deadline(models.Model):
    key = models.CharField(_("key"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    # What the deadline is about, kept as a label (``compact_process.labels``): a key and
    # its parameters, rendered in each reader's language (``label``). ``title`` is the
    # English, for the admin and the logs only.
    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(_("title key"), max_length=60, blank=True)
    title_params = models.JSONField(_("title parameters"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due"))
    route = models.CharField(_("route"), max_length=120, blank=True)
    route_args = models.JSONField(_("route arguments"), default=list, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [models.Index(fields=["met_at", "due_at"], name="deadline_open_due")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_at:%Y-%m-%d %H:%M} UTC)"

    @property
    def label(self) -> labels.Shown:
        """The title in the active language, with its ``lang`` where it is another."""
        if not self.title_key:
            return labels.Shown(self.title)
        return labels.show(self.title_key, self.title_params, fallback=self.title)

    def title_label(self) -> labels.Label:
        if not self.title_key:
            return labels.plain(self.title)
        return labels.Label(self.title_key, self.title_params)

    def is_overdue(self, now=None) -> bool:
        return self.met_at is None and self.due_at <= (now or timezone.now())


class Audience(models.Model):
    """Who must act on a deadline: one row per role, organization or user (``value``),
    or one row for all delegates."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="audience")
    type = models.CharField(_("type"), max_length=20, choices=AudienceType.choices)
    value = models.CharField(_("value"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "type", "value"], name="audience_once")
        ]
        indexes = [models.Index(fields=["type", "value"], name="audience_lookup")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.value}".strip()


def default_steps() -> list[int]:
    """14 days, 3 days and 1 day before (in minutes)."""
    return [14 * 24 * 60, 3 * 24 * 60, 24 * 60]


class ReminderSchedule(models.Model):
    """When reminders of one kind of deadline go out: minutes before the deadline, and
    whether once more when it is overdue. Edited by the secretariat."""

    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices, unique=True)
    minutes_before = models.JSONField(_("minutes before"), default=default_steps)
    when_overdue = models.BooleanField(_("once when overdue"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")

    def __str__(self) -> str:
        return self.get_kind_display()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret in a person's calendar feed address; replacing it revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deadline_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class PendingSync(models.Model):
    """Derived deadline work that a service asked for in its own transaction (an outbox):
    e.g. after a review closes, its approved organizations join the audiences of the
    meetings' registration deadlines. A task does it once the service's transaction has
    committed; beat's sweep does whatever is still here (a lost enqueue, a failed run).
    The work is idempotent, so doing it twice changes nothing."""

    job = models.CharField(_("job"), max_length=60)
    arg = models.CharField(_("argument"), max_length=60, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("pending deadline work")
        verbose_name_plural = _("pending deadline work")
        constraints = [models.UniqueConstraint(fields=["job", "arg"], name="pending_sync_once")]

    def __str__(self) -> str:
        return f"{self.job}({self.arg})"
