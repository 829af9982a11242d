"""The render task, on the "pdf" queue (settings.CELERY_TASK_ROUTES): thin, the work is
in ``services.render_now``. Late acknowledgement: a worker lost mid-render leaves the
message to be delivered again, and rendering twice is harmless."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from . import services
from .sources import UnknownSource, load


@shared_task(
    name="compact_process.pdf.tasks.render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=services.SOFT_TIME_LIMIT,
    time_limit=services.TIME_LIMIT,
    ignore_result=True,
)
def render(key: str) -> str:
    try:
        source = load(key)
    except UnknownSource:
        services.mark_failed(key, _("This PDF does not exist."))
        return "unknown"
    if not source.exists():
        services.mark_failed(key, _("What this PDF showed no longer exists."))
        return "gone"
    return services.render_now(source, skip_if_fresh=True).status
