from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role


def landing(request: HttpRequest) -> HttpResponse:
    """Where signing in leads: each role to its own start page."""
    if has_role(request.user, Role.SECRETARIAT, Role.PGA_OFFICE, Role.CO_FACILITATOR):
        return redirect("secretariat:dashboard")
    return redirect("phases:public-home")
