"""Project-wide tasks. Tasks take ids and call services."""

from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(name="compact_process.tasks.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Record when a worker last ran a task sent by beat (read by the operations view)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now
