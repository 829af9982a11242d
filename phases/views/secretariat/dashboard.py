"""The secretariat's dashboard: the process at a glance."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from compact_process.accounts.permissions import role_required
from phases import mandate, selectors
from phases.selectors import secretariat as staff
from phases.views.secretariat._common import STAFF, STATUS_LABELS, _rights


@require_safe
@role_required(*STAFF)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The process at a glance: phases on a timeline with today's place, deliverables due
    soon, overdue or late, and the compliance summary."""
    process = selectors.default_process()
    context: dict[str, Any] = {"nav": "dashboard", "process": process}
    if process is not None:
        today = timezone.localdate()
        results = selectors.compliance_report(process, today=today)
        context.update(
            timeline=staff.timeline(process, today),
            glance=staff.deliverables_at_a_glance(process, today),
            counts=[
                (status, STATUS_LABELS[status], n)
                for status, n in staff.status_counts(results).items()
            ],
            attention=[
                {"rule": r, "status_label": STATUS_LABELS[r.status]}
                for r in results
                if r.status != mandate.OK
            ],
            due_soon_days=staff.DUE_SOON_DAYS,
            today=today,
        )
    return render(request, "secretariat/dashboard.html", {**_rights(request), **context})
