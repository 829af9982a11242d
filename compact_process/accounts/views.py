from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role


def landing(request: HttpRequest) -> HttpResponse:
    """Where signing in leads: each role to its own start page."""
    user = request.user
    if has_role(user, Role.PGA_OFFICE):
        return redirect("stakeholders-office:home")
    if has_role(user, Role.SECRETARIAT, Role.CO_FACILITATOR):
        return redirect("secretariat:dashboard")
    if has_role(user, Role.DELEGATE):
        return redirect("stakeholders-review:lists")
    if has_role(user, Role.STAKEHOLDER):
        return redirect("stakeholders-registration:start")
    return redirect("phases:public-home")
