"""The Member State review pages: a delegate, acting for its own State only, reviews
the lists submitted on a non-objection basis (OP 6(b)–(c) and footnote 5).

Every change goes through ``stakeholders.services``, which checks that the user acts for
the State and that the review is still open. A refusal (``ReviewError``, e.g. after the
deadline) is shown at the top of the form with ``role="alert"`` and answered 422, with
what the user typed kept and nothing changed. The State is never taken from a form
field the user could set to another State: it is the delegate's own (or one of its own,
in a select limited to them), and an objection's id in a URL is looked up among the
user's own States' objections only (404 otherwise).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from compact_process.accounts.permissions import role_required
from compact_process.accounts.roles import Role
from compact_process.formats import written
from compact_process.web import drafts
from compact_process.web.arrival import arrival
from compact_process.web.forms import attempt
from phases.models import MemberState
from stakeholders import services
from stakeholders.enums import ListStatus
from stakeholders.forms_review import ObjectionForm, ReviewFilterForm, StateOnlyForm
from stakeholders.models import ListEntry, StakeholderList
from stakeholders.selectors import review as selectors

change_methods = require_http_methods(["GET", "HEAD", "POST"])
delegate_only = role_required(Role.DELEGATE)


# --- Helpers ---------------------------------------------------------------------------


def _states(request: HttpRequest) -> list[MemberState]:
    """The user's own States; a delegate who acts for none may not review (403)."""
    states = selectors.delegate_states(request.user)
    if not states:
        raise PermissionDenied(_("You are not registered as acting for any State."))
    return states


def _list(list_id: int) -> StakeholderList:
    found = selectors.review_list(list_id)
    if found is None:
        raise Http404(_("No such list."))
    return found


def _entry(stakeholder_list: StakeholderList, entry_id: int) -> ListEntry:
    found = selectors.entry(stakeholder_list, entry_id)
    if found is None:
        raise Http404(_("No such entry."))
    return found


def _list_url(stakeholder_list: StakeholderList) -> str:
    return reverse("stakeholders-review:list", args=[stakeholder_list.pk])


def _next(request: HttpRequest, default: str) -> str:
    """Where to go back to (the list page with its filters), if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _posted(request: HttpRequest):
    """The POST data, even when empty (a form of one checkbox, left unticked, posts
    nothing but is still submitted)."""
    return request.POST if request.method == "POST" else None


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], refusal: list[str] = ()
) -> HttpResponse:
    """A form page; after a POST it is shown again only because something was refused
    or invalid, so it answers 422 Unprocessable Content."""
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"refusal": list(refusal), **context}, status=status)


def _recorded(instant) -> str:
    """The instant the act was recorded, to the tenth of a second, in UTC: what decided
    that it met the deadline."""
    utc = instant.astimezone(datetime.UTC)
    tenth = utc.microsecond // 100_000
    shown = f"{written.wall_clock(utc, seconds=True)}.{tenth} UTC"
    return _("Recorded at %(instant)s.") % {"instant": shown}


# --- Lists -----------------------------------------------------------------------------


@require_safe
@delegate_only
def lists(request: HttpRequest) -> HttpResponse:
    """The lists awaiting the delegate's State, with their deadlines and a countdown,
    and the closed lists."""
    states = selectors.delegate_states(request.user)
    state = selectors.pick_state(states, request.GET.get("state"))
    summaries = selectors.lists_for(state)
    return render(
        request,
        "stakeholders/review/lists.html",
        {
            "states": states,
            "state": state,
            "under_review": summaries["under_review"],
            "closed": summaries["closed"],
        },
    )


@require_safe
@delegate_only
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    """One list's entries (paginated), filtered, each with this State's own standing
    objection and the actions open to it."""
    states = _states(request)
    stakeholder_list = _list(list_id)
    state = selectors.pick_state(states, request.GET.get("state"))
    form = ReviewFilterForm(
        request.GET or None,
        states=states,
        countries=selectors.countries_on(stakeholder_list),
        initial={"state": state.pk},
    )
    queryset = selectors.entries(stakeholder_list, state, **form.filters())
    page = Paginator(queryset, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stakeholders/review/list.html",
        {
            "stakeholder_list": stakeholder_list,
            "under_review": stakeholder_list.status == ListStatus.UNDER_REVIEW,
            "countdown": selectors.countdown(stakeholder_list.review_deadline)
            if stakeholder_list.status == ListStatus.UNDER_REVIEW
            else None,
            "states": states,
            "state": state,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "here": request.get_full_path(),
            "filtered": any(form.filters().values()),
            "observer_note": services.observer_note(state) if not state.is_member else "",
        },
    )


@require_safe
@delegate_only
def entry_profile(request: HttpRequest, list_id: int, entry_id: int) -> HttpResponse:
    """One entry's organization as the Office saw it when screening, for whoever may see
    the list (observer States' delegates too), with links to the entry's actions."""
    states = _states(request)
    stakeholder_list = _list(list_id)
    entry = _entry(stakeholder_list, entry_id)
    state = selectors.pick_state(states, request.GET.get("state"))
    under_review = stakeholder_list.status == ListStatus.UNDER_REVIEW
    return render(
        request,
        "stakeholders/review/entry.html",
        {
            "stakeholder_list": stakeholder_list,
            "entry": entry,
            "profile": selectors.profile(entry),
            "state": state,
            "under_review": under_review,
            "own": selectors.own_standing_objection(entry, state)
            if under_review and state.is_member
            else None,
            "back": _next(request, _list_url(stakeholder_list)),
            "here": request.get_full_path(),
        },
    )


# --- Objections --------------------------------------------------------------------------


@change_methods
@delegate_only
def object_to_entry(request: HttpRequest, list_id: int, entry_id: int) -> HttpResponse:
    """Object, for the delegate's own State, to one entry (OP 6(b)–(c))."""
    states = _states(request)
    stakeholder_list = _list(list_id)
    entry = _entry(stakeholder_list, entry_id)
    state = selectors.pick_state(states, request.GET.get("state"))
    back = _next(request, _list_url(stakeholder_list))
    form = ObjectionForm(_posted(request), states=states, initial_state=state)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        acting_for = form.chosen_state(state)
        outcome = attempt(
            form,
            lambda: services.lodge_objection(
                entry=entry,
                member_state=acting_for,
                user=request.user,
                basis=form.cleaned_data["basis"],
                disclose_identity=form.cleaned_data["disclose_identity"],
                made_at=arrival(request),
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _("%(state)s objects to %(organization)s.")
                % {"state": acting_for.name, "organization": entry.application.organization},
            )
            messages.info(request, _recorded(outcome.value.lodged_at))
            return drafts.accepted(redirect(back), request)
        refusal = outcome.refusal
    return _render_form(
        request,
        "stakeholders/review/object.html",
        {
            "stakeholder_list": stakeholder_list,
            "entry": entry,
            "form": form,
            "state": state,
            "states": states,
            "standing": selectors.own_standing_objection(entry, state)
            if len(states) == 1
            else None,
            "observer_note": services.observer_note(state)
            if all(not s.is_member for s in states)
            else "",
            "back": back,
        },
        refusal,
    )


@change_methods
@delegate_only
def withdraw(request: HttpRequest, objection_id: int) -> HttpResponse:
    """Withdraw one of the delegate's own State's objections, after confirmation."""
    _states(request)
    objection = selectors.own_objection(request.user, objection_id)
    if objection is None:
        raise Http404(_("No such objection of your State."))
    stakeholder_list = objection.entry.stakeholder_list
    back = _next(request, _list_url(stakeholder_list))
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(
            None,
            lambda: services.withdraw_objection(
                objection=objection, user=request.user, made_at=arrival(request)
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _("%(state)s no longer objects to %(organization)s.")
                % {
                    "state": objection.member_state.name,
                    "organization": objection.entry.application.organization,
                },
            )
            messages.info(request, _recorded(outcome.value.withdrawn_at))
            return redirect(back)
        refusal = outcome.refusal
    return _render_form(
        request,
        "stakeholders/review/withdraw.html",
        {
            "stakeholder_list": stakeholder_list,
            "objection": objection,
            "entry": objection.entry,
            "back": back,
        },
        refusal,
    )


# --- Information on request (footnote 5) -------------------------------------------------


@change_methods
@delegate_only
def information(request: HttpRequest, list_id: int, entry_id: int) -> HttpResponse:
    """Request the information on the objections to an entry, and see what the Office
    shared with the delegate's own State(s)."""
    states = _states(request)
    stakeholder_list = _list(list_id)
    entry = _entry(stakeholder_list, entry_id)
    state = selectors.pick_state(states, request.GET.get("state"))
    back = _next(request, _list_url(stakeholder_list))
    form = StateOnlyForm(_posted(request), states=states, initial_state=state)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        acting_for = form.chosen_state(state)
        outcome = attempt(
            form,
            lambda: services.request_information(
                entry=entry, member_state=acting_for, user=request.user
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "The request is recorded. The Office of the President of the General "
                    "Assembly will share what it received; it will appear on this page."
                ),
            )
            url = reverse("stakeholders-review:information", args=[stakeholder_list.pk, entry.pk])
            return redirect(f"{url}?{urlencode({'next': back})}")
        refusal = outcome.refusal
    return _render_form(
        request,
        "stakeholders/review/information.html",
        {
            "stakeholder_list": stakeholder_list,
            "entry": entry,
            "form": form,
            "states": states,
            "requests": selectors.own_requests(entry, states),
            "back": back,
        },
        refusal,
    )
