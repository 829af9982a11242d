"""Beat verifies the audit trail: incrementally and often, in full once a day
(``compact_process.celery``). The result is stored for the operations page."""

from __future__ import annotations

import logging

from celery import shared_task

from compact_process.audit import verification

log = logging.getLogger(__name__)


@shared_task(name="compact_process.audit.tasks.verify", ignore_result=True)
def verify(full: bool = False) -> bool:
    outcome = verification.run(full=full)
    line = verification.describe(outcome)
    (log.info if outcome.ok else log.error)(line)
    return outcome.ok
