"""One row per (event, recipient): the in-app notification and the ledger of its e-mail.

The unique constraint on (recipient, key) is what makes a notification happen once: the
row is written in the same transaction as the change that causes it, and the e-mail is
sent from the row (claimed by one atomic UPDATE), never from a message in the broker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("to send")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    NO_ADDRESS = "no_address", _("no e-mail address")
    # A person judged an uncertain hand-over (see services) and chose not to resend it.
    DROPPED = "dropped", _("dropped, not resent")
    # Waiting or being sent when the backup that was restored was taken: it may have gone
    # out since, from the system the backup came from. A person sends or drops it
    # (compact_process.backups restores, the operations page decides).
    HELD = "held", _("held after a restore")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def due(self, now) -> NotificationQuerySet:
        """E-mails waiting to be sent whose next attempt is due."""
        return self.filter(email_status=EmailStatus.PENDING, email_next_attempt_at__lte=now)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    # The event, e.g. "list.submitted:12". With the recipient: at most one notification.
    key = models.CharField(_("key"), max_length=200)
    # Where to act: a URL name and its arguments, reversed in the reader's language.
    route = models.CharField(_("route"), max_length=120, blank=True)
    route_args = models.JSONField(_("route arguments"), default=list, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    email_status = models.CharField(
        _("e-mail"), max_length=20, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # When a worker claimed it (pending → sending), and when, the mail server's connection
    # open, it began to hand it over: a claim with no hand-over is known not to have reached
    # the mail server; a hand-over with no outcome may have.
    email_claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    email_handover_at = models.DateTimeField(_("hand-over started"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_error = models.TextField(_("last error"), blank=True)
    # The claim that is sending it (with the same person's other reminders, as a digest).
    email_batch = models.CharField(_("batch"), max_length=32, blank=True, db_index=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event")
        ]
        indexes = [
            models.Index(fields=["email_status", "email_next_attempt_at"], name="notif_email_due"),
            models.Index(fields=["recipient", "read_at"], name="notif_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
