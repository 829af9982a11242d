"""Thin tasks: the database is the schedule (see services)."""

from celery import shared_task

from compact_process.notifications import services


@shared_task(
    name="compact_process.notifications.tasks.send_due", ignore_result=True, acks_late=True
)
def send_due() -> dict[str, int]:
    return services.send_due()
