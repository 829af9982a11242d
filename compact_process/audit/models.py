"""The append-only audit trail every workflow writes: one row per event (who, when,
what). The application cannot change or delete a row: the model and its queryset refuse,
and the database refuses too, whatever the entry point: on PostgreSQL a row trigger
(migration 0002) and a TRUNCATE trigger (0006), and the application's database role owns
nothing and has neither UPDATE nor DELETE on the table (docker-compose, README); on
SQLite, triggers (0006).

The trail proves itself: each event carries its sequence, the previous event's hash and
its own (``chain``), written in the same transaction as the change, so ``manage.py
verify_audit`` finds any event changed, removed or moved by someone who got past all
that (a superuser disabling the triggers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact_process.audit import chain


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        """Each event still takes its place in the chain, in the order given."""
        objs = list(objs)
        # No savepoint: if the insert fails, the change it records fails with it.
        with transaction.atomic(using=self.db, savepoint=False):
            head = chain.link(objs, using=self.db)
            created = super().bulk_create(objs, *args, **kwargs)
            chain.advance(head, using=self.db)
        return created

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
    # The chain (compact_process.audit.chain): set when the event is written, never by hand.
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    prev_hash = models.CharField(_("previous event's hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, db_index=True, editable=False)

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
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint: if the insert fails, the change it records fails with it.
        with transaction.atomic(using=using, savepoint=False):
            head = chain.link([self], using=using)
            super().save(*args, **kwargs)
            chain.advance(head, using=using)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditChainHead(models.Model):
    """One row: the last event's sequence and hash. Appending locks it first, so that
    concurrent writers extend the chain one after another; verification compares the
    end of the chain with it (events removed from the end)."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=chain.GENESIS)

    def __str__(self) -> str:
        return f"{self.sequence} {self.hash}"


class AuditVerification(models.Model):
    """One run of ``verify_audit`` (by beat or by hand), read by the operations page.
    ``full``: the whole chain was walked; otherwise from the last intact run on."""

    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    full = models.BooleanField(default=True)
    ok = models.BooleanField()
    events = models.PositiveBigIntegerField(default=0)
    checked = models.PositiveBigIntegerField(default=0)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=chain.GENESIS)
    # The first broken link, when not ok.
    problem = models.CharField(max_length=30, blank=True)
    event_id = models.BigIntegerField(null=True, blank=True)
    event_sequence = models.BigIntegerField(null=True, blank=True)
    event_action = models.CharField(max_length=60, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        get_latest_by = ["checked_at", "id"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M:%S} {'ok' if self.ok else self.problem}"


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
