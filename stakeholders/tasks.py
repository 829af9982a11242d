"""Thin tasks: they take ids (or nothing) and call services."""

from celery import shared_task

from stakeholders import services


@shared_task(name="stakeholders.tasks.close_due_reviews", ignore_result=True)
def close_due_reviews() -> list[int]:
    return services.close_due_reviews()


@shared_task(name="stakeholders.tasks.after_close", ignore_result=True, acks_late=True)
def after_close(list_id: int) -> None:
    """The close's derived work (deadline audiences, notifications), after it committed."""
    services.after_close(list_id=list_id)
