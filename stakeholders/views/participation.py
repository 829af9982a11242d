"""Representatives at meetings (issue 4) and the application windows.

Who sees what. A representative's name, gender and e-mail address are seen by their own
organization (its members, on its pages; any other organization's page is 404), by the
Office of the PGA and by the secretariat (the secretariat's pages; only the secretariat
acts). Co-facilitators see the counts only; Member State delegates see which
organizations take part, never a person; public pages show neither. Anonymous visitors
are sent to sign in.

Views check who may act, call a service or a selector, and render. A refused or invalid
submission is shown again with what was typed, an error summary, and status 422.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from compact_process.accounts.permissions import has_role, role_required
from compact_process.accounts.roles import Role
from compact_process.web.forms import HEADQUARTERS_ZONE, attempt, local_value
from compact_process.web.spreadsheets import csv_response
from phases import selectors as phase_selectors
from phases.models import Meeting, Process
from stakeholders import services_participation as services
from stakeholders.enums import ListPurpose
from stakeholders.forms_participation import (
    DeadlineForm,
    DecisionForm,
    NominationForm,
    WindowForm,
)
from stakeholders.models import Organization
from stakeholders.models_participation import NominationState
from stakeholders.selectors import participation as selectors
from stakeholders.selectors import registration as registration_selectors

change_methods = require_http_methods(["GET", "HEAD", "POST"])
NS = "stakeholders-participation"
SNS = "secretariat-participation"
# Counts and windows: no person on them.
STAFF = (Role.SECRETARIAT, Role.PGA_OFFICE, Role.CO_FACILITATOR)
# Representatives' personal data.
PEOPLE_READERS = (Role.SECRETARIAT, Role.PGA_OFFICE)
# Which organizations take part in a meeting (no person).
ORGANIZATION_READERS = (*STAFF, Role.DELEGATE)
PER_PAGE = 50
CSV_COLUMNS = ["organization", "country", "region", "kind", "name", "gender", "status"]


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A page; after a POST it is shown again only because something was refused or
    invalid: 422."""
    status = 422 if request.method == "POST" else 200
    return render(request, f"stakeholders/participation/{template}", context, status=status)


def _meeting(process: Process, pk: int) -> Meeting:
    found = selectors.meeting_for_nomination(process, pk)
    if found is None:
        raise Http404(_("No such meeting."))
    return found


def _own(request: HttpRequest, pk: int) -> Organization:
    """The user's own organization; any other is 404 (it leaks nothing)."""
    organization = registration_selectors.own_organization(request.user, pk)
    if organization is None:
        raise Http404(_("No such organization."))
    return organization


def _deadline_context(meeting: Meeting) -> dict[str, Any]:
    deadline = selectors.deadline_of(meeting, meeting.first_date)
    return {
        "deadline": deadline,
        "is_open": deadline is not None and deadline.is_open(timezone.now()),
    }


# --- The organization's pages ----------------------------------------------------------------


@require_safe
@never_cache
@role_required(Role.STAKEHOLDER)
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _own(request, pk)
    process = phase_selectors.default_process_or_404()
    found = selectors.grounds(organization, process)
    return render(
        request,
        "stakeholders/participation/meetings.html",
        {
            "nav": "participation",
            "organization": organization,
            "process": process,
            "grounds": found,
            "rows": selectors.meetings_for(organization, process, found),
            "now": timezone.now(),
            "purposes": dict(ListPurpose.choices),
        },
    )


@change_methods
@never_cache
@role_required(Role.STAKEHOLDER)
def meeting(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """The organization's nominations for one meeting, and the form to add one."""
    organization = _own(request, pk)
    process = phase_selectors.default_process_or_404()
    found = _meeting(process, meeting_pk)
    grounds = selectors.grounds(organization, process)
    data = request.POST if request.method == "POST" else None
    form = NominationForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.nominate(
                organization=organization, meeting=found, actor=request.user, **form.cleaned_data
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "%(name)s is nominated for %(meeting)s. The secretariat will confirm or "
                    "decline the nomination."
                )
                % {"name": outcome.value.name, "meeting": found.title},
            )
            return redirect(reverse(f"{NS}:meeting", args=[organization.pk, found.pk]))
        refusal = outcome.refusal
    return _render(
        request,
        "meeting.html",
        {
            "nav": "participation",
            "organization": organization,
            "meeting": found,
            "covered": grounds.covers(found),
            "purpose": selectors.purpose_of(found),
            "nominations": selectors.organization_nominations(organization, found),
            "form": form,
            "refusal": refusal,
            "awaiting": NominationState.NOMINATED,
            **_deadline_context(found),
        },
    )


@change_methods
@never_cache
@role_required(Role.STAKEHOLDER)
def withdraw(request: HttpRequest, pk: int, nomination_pk: int) -> HttpResponse:
    """Withdraw a nomination not decided yet, after a confirmation."""
    organization = _own(request, pk)
    nomination = selectors.own_nomination(organization, nomination_pk)
    if nomination is None:
        raise Http404(_("No such nomination."))
    back = reverse(f"{NS}:meeting", args=[organization.pk, nomination.meeting_id])
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(
            None, lambda: services.withdraw_nomination(nomination=nomination, actor=request.user)
        )
        if outcome.ok:
            messages.success(
                request,
                _("The nomination of %(name)s is withdrawn.") % {"name": nomination.name},
            )
            return redirect(back)
        refusal = outcome.refusal
    return _render(
        request,
        "withdraw.html",
        {
            "nav": "participation",
            "organization": organization,
            "nomination": nomination,
            "meeting": nomination.meeting,
            "back": back,
            "refusal": refusal,
            "can_withdraw": nomination.state == NominationState.NOMINATED,
        },
    )


@require_safe
@role_required(*ORGANIZATION_READERS)
def organizations(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """What Member States see of a meeting's stakeholders: organizations with confirmed
    representatives, and how many; never a person."""
    process = phase_selectors.default_process_or_404()
    found = _meeting(process, meeting_pk)
    return render(
        request,
        "stakeholders/participation/organizations.html",
        {"meeting": found, "rows": selectors.organizations_taking_part(found)},
    )


# --- The secretariat's pages -------------------------------------------------------------------


def secretariat_page(*readers: str) -> Callable:
    """GET for ``readers``; POST for the secretariat only."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @change_methods
        @never_cache
        @role_required(*readers)
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST" and not has_role(request.user, Role.SECRETARIAT):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _rights(request: HttpRequest) -> dict[str, bool]:
    return {
        "can_act": has_role(request.user, Role.SECRETARIAT),
        "can_read_people": has_role(request.user, *PEOPLE_READERS),
    }


def _staff_render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        f"stakeholders/participation/{template}",
        {**_rights(request), **context},
        status=status,
    )


@secretariat_page(*STAFF)
def overview(request: HttpRequest) -> HttpResponse:
    """Every meeting with its deadline and its nominations counted by state."""
    process = phase_selectors.default_process_or_404()
    return _staff_render(
        request,
        "secretariat_meetings.html",
        {
            "nav": "participation",
            "process": process,
            "rows": selectors.meetings_with_counts(process),
            "states": NominationState,
            "now": timezone.now(),
        },
    )


@secretariat_page(*PEOPLE_READERS)
def meeting_nominations(request: HttpRequest, pk: int) -> HttpResponse:
    process = phase_selectors.default_process_or_404()
    found = _meeting(process, pk)
    state = request.GET.get("state", "")
    if state not in NominationState.values:
        state = ""
    page = Paginator(selectors.meeting_nominations(found, state), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return _staff_render(
        request,
        "secretariat_meeting.html",
        {
            "nav": "participation",
            "meeting": found,
            "page": page,
            "state": state,
            "states": NominationState.choices,
            "awaiting": NominationState.NOMINATED,
            **_deadline_context(found),
        },
    )


@secretariat_page(Role.SECRETARIAT)
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """Confirm or decline one nomination: this page is the confirmation step."""
    if decision not in ("confirm", "decline"):
        raise Http404
    process = phase_selectors.default_process_or_404()
    nomination = selectors.nomination_for_decision(process, pk)
    if nomination is None:
        raise Http404(_("No such nomination."))
    back = reverse(f"{SNS}:meeting", args=[nomination.meeting_id])
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.decide_nomination(
                nomination=nomination,
                confirm=decision == "confirm",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            ),
        )
        if outcome.ok:
            text = (
                _("%(name)s (%(organization)s) is confirmed.")
                if decision == "confirm"
                else _("The nomination of %(name)s (%(organization)s) is declined.")
            )
            messages.success(
                request, text % {"name": nomination.name, "organization": nomination.organization}
            )
            return redirect(back)
        refusal = outcome.refusal
    return _staff_render(
        request,
        "decide.html",
        {
            "nav": "participation",
            "nomination": nomination,
            "meeting": nomination.meeting,
            "decision": decision,
            "form": form,
            "refusal": refusal,
            "back": back,
            "can_decide": nomination.state == NominationState.NOMINATED,
        },
    )


@secretariat_page(*PEOPLE_READERS)
def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    process = phase_selectors.default_process_or_404()
    found = _meeting(process, pk)
    return csv_response(
        f"participants-{found.key}.csv",
        CSV_COLUMNS,
        (
            (
                n.organization,
                n.organization.country.name,
                n.organization.country.get_regional_group_display(),
                n.organization.get_kind_display(),
                n.name,
                n.get_gender_display(),
                n.get_state_display(),
            )
            for n in selectors.participants(found)
        ),
    )


@secretariat_page(Role.SECRETARIAT)
def deadline(request: HttpRequest, pk: int) -> HttpResponse:
    process = phase_selectors.default_process_or_404()
    found = _meeting(process, pk)
    current = selectors.deadline_of(found, found.first_date)
    default = selectors.default_deadline(found, found.first_date)
    zone = found.venue.timezone
    default_text = (
        _("Default: %(deadline)s (%(days)d days before the first day, end of the day).")
        % {
            "deadline": services.venue_time_text(default, zone),
            "days": selectors.DEFAULT_DEADLINE_DAYS,
        }
        if default
        else _("The meeting has no days yet, so there is no default deadline.")
    )
    data = request.POST if request.method == "POST" else None
    initial = {
        "use_default": current is None or current.is_default,
        "closes_at": local_value(current.at, zone) if current else "",
    }
    form = DeadlineForm(data, initial=initial, meeting=found, default_text=default_text)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.set_registration_deadline(
                meeting=found, closes_at=form.cleaned_data["deadline"], actor=request.user
            ),
        )
        if outcome.ok:
            messages.success(request, _("The registration deadline is saved."))
            return redirect(reverse(f"{SNS}:meeting", args=[found.pk]))
        refusal = outcome.refusal
    return _staff_render(
        request,
        "deadline.html",
        {
            "nav": "participation",
            "meeting": found,
            "form": form,
            "refusal": refusal,
            "current": current,
        },
    )


@secretariat_page(*STAFF)
def windows(request: HttpRequest) -> HttpResponse:
    process = phase_selectors.default_process_or_404()
    return _staff_render(
        request,
        "windows.html",
        {
            "nav": "windows",
            "process": process,
            "windows": selectors.windows_by_purpose(process),
            "zone": HEADQUARTERS_ZONE,
            "now": timezone.now(),
        },
    )


@secretariat_page(Role.SECRETARIAT)
def window_edit(request: HttpRequest, purpose: str) -> HttpResponse:
    if purpose not in ListPurpose.values:
        raise Http404
    process = phase_selectors.default_process_or_404()
    found = selectors.window(process, purpose)
    data = request.POST if request.method == "POST" else None
    initial = {"zone": HEADQUARTERS_ZONE}
    if found is not None:
        initial["opens_at"] = local_value(found.opens_at, HEADQUARTERS_ZONE)
        initial["closes_at"] = local_value(found.closes_at, HEADQUARTERS_ZONE)
    form = WindowForm(data, initial=initial)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.set_application_window(
                process=process,
                purpose=purpose,
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(request, _("The application window is saved."))
            return redirect(reverse(f"{SNS}:windows"))
        refusal = outcome.refusal
    return _staff_render(
        request,
        "window_form.html",
        {
            "nav": "windows",
            "purpose": purpose,
            "purpose_label": ListPurpose(purpose).label,
            "window": found,
            "form": form,
            "refusal": refusal,
        },
    )
