"""The append-only audit trail every workflow writes: one row per event (who, when,
what). The application cannot change or delete a row: the model and its queryset refuse,
and on PostgreSQL a trigger refuses too (migration 0002), whatever the entry point."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_list(self, list_id: int):
        return self.filter(list_id=list_id)


class AuditEvent(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # Kept as written at the time, so the record reads the same if the user is renamed.
    actor_label = models.CharField(_("by (as recorded)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    list_id = models.BigIntegerField(_("list"), null=True, blank=True, db_index=True)
    entry_id = models.BigIntegerField(_("entry"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


def record(
    action: str, *, actor=None, list_id: int | None = None, entry_id: int | None = None, **data
) -> AuditEvent:
    """Write one event. Call it inside the transaction of the change it records."""
    label = "system"  # a task or command acting on its own
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    if authenticated:
        label = actor.get_full_name() or actor.get_username()
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=label,
        action=action,
        list_id=list_id,
        entry_id=entry_id,
        data=data,
    )
