"""What is due for me (any signed-in person), and my calendar feed of it.

The page lists the deadlines ``services.for_user`` finds for the person; the feed lists
the open ones of the token's owner, and nobody else's. The feed's address holds a secret
token in place of a sign-in; replacing the token revokes the old address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role
from compact_process.deadlines import feeds, selectors, services
from compact_process.notifications.services import language_of


def _base_template(user) -> str:
    """The page sits in the navigation its reader knows: the secretariat's for the
    secretariat and the co-facilitators, the common one for everyone else."""
    if has_role(user, Role.SECRETARIAT, Role.CO_FACILITATOR):
        return "secretariat/base.html"
    return "stakeholders/base.html"


def _context(request: HttpRequest, **extra) -> dict:
    return {"base_template": _base_template(request.user), "nav": "due", **extra}


def _back_to_feed() -> HttpResponse:
    return redirect(reverse("deadlines:due") + "#calendar-feed")


# The page shows the feed's secret address: never kept by a browser or proxy cache.
@require_GET
@login_required
@never_cache
def due(request: HttpRequest) -> HttpResponse:
    token = selectors.feed_token(request.user)
    feed_url = ""
    if token is not None:
        feed_url = request.build_absolute_uri(reverse("deadlines-feed:feed", args=[token.token]))
    context = _context(request, due=selectors.due_for(request.user), feed_url=feed_url)
    return render(request, "deadlines/due.html", context)


@require_POST
@login_required
def create_feed(request: HttpRequest) -> HttpResponse:
    services.create_feed_token(user=request.user)
    messages.success(request, _("Your calendar feed address is ready."))
    return _back_to_feed()


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def replace_feed(request: HttpRequest) -> HttpResponse:
    """A confirmation page first: calendars subscribed to the old address stop updating."""
    if selectors.feed_token(request.user) is None:
        return _back_to_feed()
    if request.method == "POST":
        services.replace_feed_token(user=request.user)
        messages.success(
            request,
            _("Your calendar feed has a new address. The old address no longer works."),
        )
        return _back_to_feed()
    return render(request, "deadlines/replace_feed.html", _context(request))


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in: the token is the key. Unknown and replaced tokens are simply not found."""
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404(_("No such feed."))
    with translation.override(language_of(owner)):
        body = feeds.feed(selectors.open_for(owner), absolute=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="due.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
