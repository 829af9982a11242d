"""The secretariat's pages: dashboard, meetings (with their days, panels and moderators),
the deliverables tracker and the compliance report.

Staff (secretariat, Office of the PGA, co-facilitators) read every page. Changes need
the secretariat, except panel moderators, which the Office of the PGA may also appoint
and remove (OP 17: the President appoints). Every change goes through a service: a
refusal under a hard rule of the mandate (``MandateViolation``) is shown at the top of
the form with the OP's words and answered 422, with what the user typed kept and
nothing changed; a soft rule (geographical balance, OP 17) warns after saving.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from compact_process.accounts.permissions import has_role, role_required
from compact_process.accounts.roles import Role
from phases import mandate, selectors, services
from phases.enums import MeetingKind, Timeliness
from phases.forms import (
    DeliverableFilterForm,
    DeliveredForm,
    MeetingCreateForm,
    MeetingDayForm,
    MeetingFilterForm,
    MeetingForm,
    ModeratorForm,
    PanelForm,
    add_model_errors,
)
from phases.models import Appointment, Deliverable, Meeting, MeetingDay, Panel, Process
from phases.selectors import secretariat as staff
from phases.services import MandateViolation

STAFF = (Role.SECRETARIAT, Role.PGA_OFFICE, Role.CO_FACILITATOR)
EDITORS = (Role.SECRETARIAT,)
# OP 17: the President of the General Assembly appoints the panel chairs.
APPOINTERS = (Role.SECRETARIAT, Role.PGA_OFFICE)

change_methods = require_http_methods(["GET", "HEAD", "POST"])

FINDINGS_SHOWN = 25

STATUS_LABELS = {
    mandate.OK: gettext_lazy("OK"),
    mandate.PENDING: gettext_lazy("Pending"),
    mandate.WARNING: gettext_lazy("Warning"),
    mandate.VIOLATION: gettext_lazy("Violation"),
}

# The compliance report's figures, named for people (keys not listed are shown humanised).
FIGURE_LABELS = {
    "meetings_checked": gettext_lazy("Meetings checked"),
    "outside": gettext_lazy("Outside their window"),
    "sessions": gettext_lazy("Thematic sessions"),
    "mandated_sessions": gettext_lazy("Mandated sessions"),
    "working_days": gettext_lazy("Working days used"),
    "working_days_cap": gettext_lazy("Working days allowed"),
    "working_days_by_session": gettext_lazy("Working days by session"),
    "panels": gettext_lazy("Panels"),
    "distribution_by_session": gettext_lazy("Moderators by regional group, by session"),
    "in_advance": gettext_lazy("Issue briefs in advance"),
    "delivered": gettext_lazy("Delivered"),
    "meetings": gettext_lazy("Meetings"),
    "chairs_summary": gettext_lazy("Chair's summary"),
    "zero_draft": gettext_lazy("Zero draft"),
    "rounds": gettext_lazy("Negotiation rounds"),
    "rounds_matching": gettext_lazy("Rounds with their mandated days"),
    "days_used": gettext_lazy("Days used"),
    "days_allowed": gettext_lazy("Days allowed"),
    "hearings": gettext_lazy("Hearings"),
    "lists": gettext_lazy("Lists"),
    "deliverables": gettext_lazy("Deliverables"),
    **{t.value: t.label for t in Timeliness},
}

# Which rule's summary tells the secretariat how many days a meeting of a kind may use.
DAY_RULES = {
    MeetingKind.THEMATIC_SESSION: "thematic-sessions",
    MeetingKind.HEARING: "hearings",
    MeetingKind.STOCKTAKING: "stocktaking",
    MeetingKind.NEGOTIATION_ROUND: "zero-draft-rounds",
}


# --- Helpers ---------------------------------------------------------------------------


def _process() -> Process:
    process = selectors.default_process()
    if process is None:
        raise Http404(_("No process yet."))
    return process


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


def _refusal(refused: MandateViolation) -> list[str]:
    return [finding.message for finding in refused.findings]


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *, nav: str = "meetings"
) -> HttpResponse:
    """A form page; after a POST it is shown again only because something was refused
    or invalid, so it answers 422 Unprocessable Content."""
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"nav": nav, **_rights(request), **context}, status=status)


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("secretariat:meeting", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def _distribution_text(distribution: dict[str, int]) -> str:
    return "; ".join(f"{group}: {n}" for group, n in distribution.items()) or "—"


def _balance(process: Process, meeting: Meeting) -> tuple[bool, dict[str, int]]:
    """Whether the OP 17 geographical-balance warning applies to this thematic session,
    and its moderators' distribution by regional group (the compliance report's rule)."""
    result = mandate.check_panel_moderators(selectors.load_process_data(process))
    distribution = result.figures["distribution_by_session"].get(meeting.key, {})
    unbalanced = any(f.subject == f"meeting:{meeting.key}:balance" for f in result.findings)
    return unbalanced, distribution


def _warn_if_unbalanced(request: HttpRequest, process: Process, meeting: Meeting) -> None:
    """The soft rule: the change is saved, and the secretariat is told, with the figures."""
    if meeting.kind != MeetingKind.THEMATIC_SESSION:
        return
    unbalanced, distribution = _balance(process, meeting)
    if unbalanced:
        messages.warning(
            request,
            _(
                "OP 17: the panel moderators of %(meeting)s are not geographically balanced "
                "across the regional groups. Distribution by regional group: "
                "%(distribution)s. The change is saved; this is a warning, not a refusal."
            )
            % {"meeting": meeting.title, "distribution": _distribution_text(distribution)},
        )


def _day_rule(process: Process, meeting: Meeting) -> mandate.RuleResult | None:
    code = DAY_RULES.get(meeting.kind)
    if code is None:
        return None
    return next(r for r in selectors.compliance_report(process) if r.code == code)


def _tracker_url(key: str = "") -> str:
    url = reverse("secretariat:deliverables")
    return f"{url}#deliverable-{key}" if key else url


# --- Dashboard -------------------------------------------------------------------------


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


# --- Meetings --------------------------------------------------------------------------


@require_safe
@role_required(*STAFF)
def meetings(request: HttpRequest) -> HttpResponse:
    process = _process()
    form = MeetingFilterForm(request.GET or None, process=process)
    items = staff.meetings(process, **form.filters())
    return render(
        request,
        "secretariat/meetings.html",
        {
            "nav": "meetings",
            "process": process,
            "form": form,
            "meetings": items,
            **_rights(request),
        },
    )


@require_safe
@role_required(*STAFF)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    today = timezone.localdate()
    results = selectors.compliance_report(process, today=today)
    by_code = {r.code: r for r in results}
    working_days = by_code["thematic-sessions"].figures["working_days_by_session"]
    distribution = by_code["panel-moderators"].figures["distribution_by_session"]
    findings = [
        {"item": item, "status_label": STATUS_LABELS[item.finding.status]}
        for item in staff.findings_for_meeting(found, results)
    ]
    return render(
        request,
        "secretariat/meeting.html",
        {
            "nav": "meetings",
            "process": process,
            "meeting": found,
            "deliverables": [
                staff.TrackedDeliverable(d, d.timeliness(today)) for d in found.deliverables.all()
            ],
            "findings": findings,
            "working_days": working_days.get(found.key),
            "day_rule": by_code.get(DAY_RULES.get(found.kind, "")),
            "distribution": distribution.get(found.key),
            **_rights(request),
        },
    )


@change_methods
@role_required(*EDITORS)
def meeting_create(request: HttpRequest) -> HttpResponse:
    process = _process()
    data = request.POST if request.method == "POST" else None
    form = MeetingCreateForm(data, process=process, instance=Meeting(process=process))
    refusal: list[str] = []
    if data is not None and form.is_valid():
        try:
            created = services.create_meeting(process=process, **form.service_fields())
        except MandateViolation as refused:
            refusal = _refusal(refused)
        except ValidationError as invalid:
            add_model_errors(form, invalid)
        else:
            messages.success(
                request,
                _("%(meeting)s is created. Add its days and panels below.")
                % {"meeting": created.title},
            )
            _warn_if_unbalanced(request, process, created)
            return redirect(_meeting_url(created))
    return _render_form(
        request,
        "secretariat/meeting_form.html",
        {"process": process, "form": form, "refusal": refusal, "meeting": None},
    )


@change_methods
@role_required(*EDITORS)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    shown = {"pk": found.pk, "title": found.title}  # the form edits ``found`` in memory
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, process=process, instance=found)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        try:
            services.update_meeting(meeting=found, **form.service_fields())
        except MandateViolation as refused:
            refusal = _refusal(refused)
        except ValidationError as invalid:
            add_model_errors(form, invalid)
        else:
            messages.success(request, _("The meeting is saved."))
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found))
    return _render_form(
        request,
        "secretariat/meeting_form.html",
        {"process": process, "form": form, "refusal": refusal, "meeting": shown},
    )


# --- Days ------------------------------------------------------------------------------


@change_methods
@role_required(*EDITORS)
def day_add(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    data = request.POST if request.method == "POST" else None
    form = MeetingDayForm(data, meeting=found)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        try:
            day = services.add_meeting_day(meeting=found, day=form.day_spec())
        except MandateViolation as refused:
            refusal = _refusal(refused)
        except ValidationError as invalid:
            add_model_errors(form, invalid)
        else:
            messages.success(
                request,
                _("%(date)s is added to %(meeting)s.")
                % {"date": day.date.isoformat(), "meeting": found.title},
            )
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, "days"))
        # Show the days as they are in the database after the refusal, not as loaded.
        found = _meeting(process, pk)
    return _render_form(
        request,
        "secretariat/day_form.html",
        {
            "process": process,
            "meeting": found,
            "form": form,
            "refusal": refusal,
            "day_rule": _day_rule(process, found),
        },
    )


@change_methods
@role_required(*EDITORS)
def day_remove(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    day = get_object_or_404(MeetingDay, pk=day_pk, meeting=found)
    refusal: list[str] = []
    if request.method == "POST":
        try:
            services.remove_meeting_day(meeting=found, date=day.date)
        except MandateViolation as refused:
            refusal = _refusal(refused)
        else:
            messages.success(
                request,
                _("%(date)s is removed from %(meeting)s.")
                % {"date": day.date.isoformat(), "meeting": found.title},
            )
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, "days"))
    return _render_form(
        request,
        "secretariat/day_remove.html",
        {"process": process, "meeting": found, "day": day, "refusal": refusal},
    )


# --- Panels and moderators -------------------------------------------------------------


def _panel(meeting: Meeting, panel_pk: int) -> Panel:
    for panel in meeting.panels.all():  # prefetched with their moderators
        if panel.pk == panel_pk:
            return panel
    raise Http404(_("No such panel."))


@change_methods
@role_required(*EDITORS)
def panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    data = request.POST if request.method == "POST" else None
    form = PanelForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        try:
            panel = services.add_panel(meeting=found, title=form.cleaned_data["title"])
        except MandateViolation as refused:
            refusal = _refusal(refused)
        except ValidationError as invalid:
            add_model_errors(form, invalid)
        else:
            messages.success(request, _("The panel %(panel)s is added.") % {"panel": panel.title})
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, f"panel-{panel.pk}"))
        found = _meeting(process, pk)
    return _render_form(
        request,
        "secretariat/panel_form.html",
        {"process": process, "meeting": found, "form": form, "refusal": refusal},
    )


@change_methods
@role_required(*EDITORS)
def panel_remove(request: HttpRequest, pk: int, panel_pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    panel = _panel(found, panel_pk)
    refusal: list[str] = []
    if request.method == "POST":
        try:
            services.remove_panel(panel=panel)
        except MandateViolation as refused:
            refusal = _refusal(refused)
        else:
            messages.success(request, _("The panel %(panel)s is removed.") % {"panel": panel.title})
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, "panels"))
    return _render_form(
        request,
        "secretariat/panel_remove.html",
        {"process": process, "meeting": found, "panel": panel, "refusal": refusal},
    )


@change_methods
@role_required(*APPOINTERS)
def moderator_add(request: HttpRequest, pk: int, panel_pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    panel = _panel(found, panel_pk)
    data = request.POST if request.method == "POST" else None
    form = ModeratorForm(data, panel=panel)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        try:
            appointment = services.appoint_moderator(panel=panel, **form.cleaned_data)
        except MandateViolation as refused:
            refusal = _refusal(refused)
        except ValidationError as invalid:
            add_model_errors(form, invalid)
        else:
            messages.success(
                request,
                _("%(state)s is appointed to moderate %(panel)s.")
                % {"state": appointment.member_state.name, "panel": panel.title},
            )
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, f"panel-{panel.pk}"))
        found = _meeting(process, pk)
        panel = _panel(found, panel_pk)
    _unbalanced, distribution = _balance(process, found)
    return _render_form(
        request,
        "secretariat/moderator_form.html",
        {
            "process": process,
            "meeting": found,
            "panel": panel,
            "form": form,
            "refusal": refusal,
            "distribution": distribution,
        },
    )


@change_methods
@role_required(*APPOINTERS)
def moderator_remove(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    process = _process()
    found = _meeting(process, pk)
    appointment = get_object_or_404(
        Appointment.objects.select_related("member_state", "panel", "process"),
        pk=appointment_pk,
        panel__meeting=found,
    )
    refusal: list[str] = []
    if request.method == "POST":
        try:
            services.remove_moderator(appointment=appointment)
        except MandateViolation as refused:
            refusal = _refusal(refused)
        else:
            messages.success(
                request,
                _("%(state)s no longer moderates %(panel)s.")
                % {"state": appointment.member_state, "panel": appointment.panel.title},
            )
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, f"panel-{appointment.panel_id}"))
    return _render_form(
        request,
        "secretariat/moderator_remove.html",
        {"process": process, "meeting": found, "appointment": appointment, "refusal": refusal},
    )


# --- Deliverables ----------------------------------------------------------------------


def _delivered_prefix(deliverable: Deliverable) -> str:
    return f"deliverable-{deliverable.pk}"


@require_safe
@role_required(*STAFF)
def deliverables(request: HttpRequest) -> HttpResponse:
    process = _process()
    today = timezone.localdate()
    form = DeliverableFilterForm(request.GET or None)
    rows = staff.deliverables(process, today, **form.filters())
    can_edit = has_role(request.user, *EDITORS)
    entries = [
        (
            row,
            DeliveredForm(deliverable=row.deliverable, prefix=_delivered_prefix(row.deliverable))
            if can_edit and row.deliverable.delivered_on is None
            else None,
        )
        for row in rows
    ]
    return render(
        request,
        "secretariat/deliverables.html",
        {
            "nav": "deliverables",
            "process": process,
            "form": form,
            "entries": entries,
            "today": today,
            "filtered": any(form.filters().values()),
            **_rights(request),
        },
    )


@change_methods
@role_required(*EDITORS)
def deliverable_delivered(request: HttpRequest, pk: int) -> HttpResponse:
    process = _process()
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("meeting"), pk=pk, process=process
    )
    data = request.POST if request.method == "POST" else None
    form = DeliveredForm(data, deliverable=deliverable, prefix=_delivered_prefix(deliverable))
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if data is not None and form.is_valid():
        try:
            services.mark_delivered(
                deliverable=deliverable,
                on=form.cleaned_data["delivered_on"],
                approximate=form.cleaned_data["delivered_approximate"],
                # The tracker's one-field form leaves the symbol as it is.
                symbol=form.cleaned_data["symbol"]
                if form.add_prefix("symbol") in request.POST
                else None,
            )
        except ValidationError as invalid:
            add_model_errors(form, invalid)
        else:
            state = deliverable.timeliness(timezone.localdate())
            messages.success(
                request,
                _("%(title)s is marked delivered on %(date)s (%(timeliness)s).")
                % {
                    "title": deliverable.title,
                    "date": deliverable.delivered_on.isoformat(),
                    "timeliness": state.label,
                },
            )
            target = back.split("#")[0] if back else reverse("secretariat:deliverables")
            return redirect(f"{target}#deliverable-{deliverable.key}")
    return _render_form(
        request,
        "secretariat/deliverable_form.html",
        {
            "process": process,
            "deliverable": deliverable,
            "form": form,
            "refusal": [],
            "next": back,
            "timeliness": deliverable.timeliness(timezone.localdate()),
        },
        nav="deliverables",
    )


# --- Compliance ------------------------------------------------------------------------


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _figure_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Figures as (label, value) rows; a dict value becomes nested rows."""
    rows = []
    for key, value in figures.items():
        label = FIGURE_LABELS.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, dict):
            rows.append({"label": label, "value": None, "rows": _figure_rows(value)})
        else:
            shown = "—" if value is None else _number(value)
            rows.append({"label": label, "value": shown, "rows": []})
    return rows


def _target_url(target: staff.Target | None) -> str:
    if target is None:
        return ""
    if target.deliverable_key:
        return _tracker_url(target.deliverable_key)
    url = reverse("secretariat:meeting", args=[target.meeting_id])
    return f"{url}#panel-{target.panel_id}" if target.panel_id else url


@require_safe
@role_required(*STAFF)
def compliance(request: HttpRequest) -> HttpResponse:
    """Every mandate check with its OP, status, summary and figures; each finding links
    to where it can be fixed."""
    process = _process()
    today = timezone.localdate()
    results = selectors.compliance_report(process, today=today)
    targets = staff.finding_targets(process, results)
    # A rule's findings beyond the first FINDINGS_SHOWN are listed on request (?all=<rule>),
    # so that a process with thousands of findings still gives a readable page.
    expanded = request.GET.get("all", "")
    rules = []
    for r in results:
        findings = [f for f in r.findings if f.status != mandate.OK]
        shown = findings if r.code == expanded else findings[:FINDINGS_SHOWN]
        rules.append(
            {
                "result": r,
                "status_label": STATUS_LABELS[r.status],
                "figures": _figure_rows(r.figures),
                "findings": [
                    {
                        "finding": f,
                        "status_label": STATUS_LABELS[f.status],
                        "url": _target_url(targets.get(f.subject)),
                    }
                    for f in shown
                ],
                "total_findings": len(findings),
                "hidden_findings": len(findings) - len(shown),
            }
        )
    return render(
        request,
        "secretariat/compliance.html",
        {
            "nav": "compliance",
            "process": process,
            "rules": rules,
            "counts": [
                (status, STATUS_LABELS[status], n)
                for status, n in staff.status_counts(results).items()
            ],
            "today": today,
            **_rights(request),
        },
    )
