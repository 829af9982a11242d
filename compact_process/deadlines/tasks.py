"""Thin tasks: the database is the schedule; beat only sweeps it."""

from celery import shared_task

from compact_process.deadlines import services


@shared_task(name="compact_process.deadlines.tasks.scan", ignore_result=True, acks_late=True)
def scan() -> int:
    return services.scan()


@shared_task(name="compact_process.deadlines.tasks.run_pending", ignore_result=True, acks_late=True)
def run_pending() -> int:
    return services.run_pending()
