"""Thin tasks: they take ids (or nothing) and call services."""

from celery import shared_task

from stakeholders import services


@shared_task(name="stakeholders.tasks.close_due_reviews", ignore_result=True)
def close_due_reviews() -> list[int]:
    return services.close_due_reviews()
