"""The Celery app. Beat schedules live here, in one place (STYLE.md, thin tasks)."""

from __future__ import annotations

import os

from celery import Celery

from compact_process.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compact_process.settings")

app = Celery("compact_process")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# compact_process is the project, not an installed app: name its tasks module.
app.conf.include = ["compact_process.tasks"]

# The database is the schedule; beat only sweeps it (STACK-NOTES: never an ETA
# days ahead on Redis). The heartbeat lets operators see that beat and a worker
# are alive.
app.conf.beat_schedule = {
    # OP 6: reviews close by themselves at their deadline (the close is claimed once).
    "close-due-reviews": {
        "task": "stakeholders.tasks.close_due_reviews",
        "schedule": float(env_int("REVIEW_CLOSE_SECONDS", 15)),
    },
    # Reminders of every deadline (deliverables, reviews, windows, registrations) are
    # written as notifications when due; the unique ledger makes each one happen once.
    "scan-deadlines": {
        "task": "compact_process.deadlines.tasks.scan",
        "schedule": float(env_int("DEADLINE_SCAN_SECONDS", 30)),
    },
    # Notifications are written with the change that causes them; this sweep sends any
    # e-mail whose enqueue was lost or whose retry (after a mail-server failure) is due.
    "send-due-notifications": {
        "task": "compact_process.notifications.tasks.send_due",
        "schedule": float(env_int("NOTIFICATION_SWEEP_SECONDS", 30)),
    },
    "heartbeat": {
        "task": "compact_process.tasks.heartbeat",
        "schedule": float(env_int("HEARTBEAT_SECONDS", 60)),
    },
}
