"""The Celery app. Beat schedules live here, in one place (STYLE.md, thin tasks)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_process.settings")

app = Celery("compact_process")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The database is the schedule; beat only sweeps it (STACK-NOTES: never an ETA
# days ahead on Redis). The heartbeat lets operators see that beat and a worker
# are alive.
app.conf.beat_schedule = {
    "heartbeat": {"task": "compact_process.tasks.heartbeat", "schedule": 60.0},
}
