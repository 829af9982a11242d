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
    # Derived deadline work asked for by a service (e.g. after a review's close) is done by
    # a task on commit; this sweep does what a lost enqueue or a failed run left.
    "run-pending-deadline-work": {
        "task": "compact_process.deadlines.tasks.run_pending",
        "schedule": float(env_int("DEADLINE_WORK_SECONDS", 60)),
    },
    # Notifications are written with the change that causes them; this sweep sends any
    # e-mail whose enqueue was lost or whose retry (after a mail-server failure) is due.
    "send-due-notifications": {
        "task": "compact_process.notifications.tasks.send_due",
        "schedule": float(env_int("NOTIFICATION_SWEEP_SECONDS", 30)),
    },
    # The audit trail's hash chain: the events written since the last run, often; the
    # whole chain daily (an incremental run cannot see a change to an older event).
    "verify-audit": {
        "task": "compact_process.audit.tasks.verify",
        "schedule": float(env_int("AUDIT_VERIFY_SECONDS", 600)),
    },
    "verify-audit-full": {
        "task": "compact_process.audit.tasks.verify",
        "schedule": float(env_int("AUDIT_VERIFY_FULL_SECONDS", 24 * 3600)),
        "kwargs": {"full": True},
    },
    "heartbeat": {
        "task": "compact_process.tasks.heartbeat",
        "schedule": float(env_int("HEARTBEAT_SECONDS", 60)),
    },
}
