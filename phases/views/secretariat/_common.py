"""What the secretariat's pages share: who may do what, the process and meeting looked
up or 404, and how a form page answers."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role
from phases import mandate
from phases.models import Meeting, Process
from phases.selectors import secretariat as staff

STAFF = (Role.SECRETARIAT, Role.PGA_OFFICE, Role.CO_FACILITATOR)
EDITORS = (Role.SECRETARIAT,)
# OP 17: the President of the General Assembly appoints the panel chairs.
APPOINTERS = (Role.SECRETARIAT, Role.PGA_OFFICE)

change_methods = require_http_methods(["GET", "HEAD", "POST"])

STATUS_LABELS = {
    mandate.OK: gettext_lazy("OK"),
    mandate.PENDING: gettext_lazy("Pending"),
    mandate.WARNING: gettext_lazy("Warning"),
    mandate.VIOLATION: gettext_lazy("Violation"),
}


def _meeting(process: Process, pk: int) -> Meeting:
    """A meeting of this process (404 for another process's: it leaks nothing)."""
    found = staff.meeting(process, pk)
    if found is None:
        raise Http404(_("No such meeting."))
    return found


def _rights(request: HttpRequest) -> dict[str, bool]:
    return {
        "can_edit": has_role(request.user, *EDITORS),
        "can_appoint": has_role(request.user, *APPOINTERS),
    }


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, nav: str = "meetings"
) -> HttpResponse:
    """A form page; after a POST it is shown again only because something was refused
    or invalid, so it answers 422 Unprocessable Content."""
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"nav": nav, **_rights(request), **context}, status=status)
