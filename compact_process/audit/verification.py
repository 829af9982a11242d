"""Running the chain's verification and keeping its result, for ``manage.py
verify_audit``, beat (``compact_process.audit.tasks``) and the operations page.

A full run walks the whole chain. An incremental run starts after the last intact run's
end (checking first that the event there still has the hash it had), so it reads only
the events written since: cheap enough for beat to run often. It cannot see a change to
an event that an earlier run verified; the full run, daily in beat, does."""

from __future__ import annotations

import datetime

from django.utils import timezone

from compact_process.audit import chain
from compact_process.audit.models import AuditVerification

# Runs are kept this long (the page shows the latest; older ones say when it was intact).
KEEP = datetime.timedelta(days=90)


def latest() -> AuditVerification | None:
    return AuditVerification.objects.order_by("-checked_at", "-id").first()


def run(*, full: bool = True) -> AuditVerification:
    """Verify the chain, store the outcome and return it."""
    previous = None if full else latest()
    if previous is not None and previous.ok:
        result = chain.verify(start_sequence=previous.last_sequence, start_hash=previous.last_hash)
    else:
        full = True
        result = chain.verify()
    broken = result.broken
    now = timezone.now()
    verification = AuditVerification.objects.create(
        checked_at=now,
        full=full,
        ok=result.ok,
        events=result.events,
        checked=result.checked,
        last_sequence=result.last_sequence,
        last_hash=result.last_hash,
        problem=broken.problem if broken else "",
        event_id=broken.event_id if broken else None,
        event_sequence=broken.sequence if broken else None,
        event_action=broken.action if broken else "",
        detail=broken.detail if broken else "",
    )
    AuditVerification.objects.filter(checked_at__lt=now - KEEP).delete()
    return verification


def describe(verification: AuditVerification) -> str:
    """One line, in English, for the command and the worker's log."""
    if verification.ok:
        return (
            f"OK: the audit trail is intact, {verification.events} "
            f"event{'' if verification.events == 1 else 's'} "
            f"({'full run' if verification.full else 'incremental'}, "
            f"{verification.checked} checked)."
        )
    broken = chain.Broken(
        verification.problem,
        verification.event_id,
        verification.event_sequence,
        verification.event_action,
        verification.detail,
    )
    return f"BROKEN: the audit trail's first broken link is {broken}."
