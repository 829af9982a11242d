"""The secretariat's pages (placeholder until the secretariat UI lands)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from compact_process.accounts.permissions import role_required
from compact_process.accounts.roles import Role

STAFF = (Role.SECRETARIAT, Role.PGA_OFFICE, Role.CO_FACILITATOR)


@role_required(*STAFF)
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "secretariat/dashboard.html", {"nav": "dashboard"})
