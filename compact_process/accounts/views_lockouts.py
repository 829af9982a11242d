"""The secretariat's page of locked sign-ins (Operations): who is locked out now, and a
confirmed unlock, so that a person who mistyped need not wait for the cool-off.

Only the secretariat: the page shows the names typed and the addresses they came from.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from compact_process.accounts import throttle
from compact_process.accounts.models import User
from compact_process.accounts.permissions import role_required
from compact_process.accounts.roles import Role


def operator_page(view):
    """Secretariat only; never cached (the page is live)."""
    return never_cache(role_required(Role.SECRETARIAT)(view))


def _names(lockouts: list[throttle.Lockout]) -> dict[str, User]:
    """The people whose names were typed, when such an account exists (one query)."""
    typed = {x.value for x in lockouts if x.kind == throttle.ACCOUNT}
    return {u.username: u for u in User.objects.filter(username__in=typed)}


@require_safe
@operator_page
def lockouts(request: HttpRequest) -> HttpResponse:
    found = throttle.current_lockouts()
    people = _names(found)
    return render(
        request,
        "operations/lockouts.html",
        {
            "nav": "operations",
            "sub": "lockouts",
            "rows": [{"lockout": x, "person": people.get(x.value)} for x in found],
            "limit": throttle.failure_limit(throttle.ACCOUNT),
            "address_limit": throttle.failure_limit(throttle.ADDRESS),
            "minutes": int(throttle.cool_off().total_seconds() // 60),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@operator_page
def unlock(request: HttpRequest, kind: str, value: str) -> HttpResponse:
    """The confirmation page; the unlock itself on POST."""
    if kind not in throttle.FIELDS:
        raise Http404(_("No such kind of lock-out."))
    if request.method == "POST":
        if throttle.unlock(kind=kind, value=value, actor=request.user):
            if kind == throttle.ACCOUNT:
                text = _("“%(value)s” can sign in again.")
            else:
                text = _("Signing in from %(value)s is possible again.")
            messages.success(request, text % {"value": value})
        else:
            messages.info(request, _("“%(value)s” was no longer locked.") % {"value": value})
        return redirect("lockouts:list")
    lockout = throttle.find_lockout(kind, value)
    return render(
        request,
        "operations/lockout_unlock.html",
        {
            "nav": "operations",
            "sub": "lockouts",
            "kind": kind,
            "value": value,
            "lockout": lockout,
            "person": _names([lockout]).get(value) if lockout else None,
        },
    )
