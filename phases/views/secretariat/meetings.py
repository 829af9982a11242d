"""The secretariat's meeting pages: the list, one meeting, and changing a meeting, its
days, its panels and their moderators (with the OP 17 balance warning)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from compact_process.accounts.permissions import role_required
from compact_process.formats import written
from compact_process.web.forms import attempt
from phases import mandate, selectors, services
from phases.enums import MeetingKind
from phases.forms import (
    MeetingCreateForm,
    MeetingDayForm,
    MeetingFilterForm,
    MeetingForm,
    ModeratorForm,
    PanelForm,
)
from phases.models import Appointment, Meeting, MeetingDay, Panel, Process
from phases.selectors import secretariat as staff
from phases.views.secretariat._common import (
    APPOINTERS,
    EDITORS,
    STAFF,
    STATUS_LABELS,
    _meeting,
    _render_form,
    _rights,
    change_methods,
)

# Which rule's summary tells the secretariat how many days a meeting of a kind may use.
DAY_RULES = {
    MeetingKind.THEMATIC_SESSION: "thematic-sessions",
    MeetingKind.HEARING: "hearings",
    MeetingKind.STOCKTAKING: "stocktaking",
    MeetingKind.NEGOTIATION_ROUND: "zero-draft-rounds",
}


# --- Helpers ---------------------------------------------------------------------------


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


def _soft_findings(process: Process, pk: int) -> dict[str, mandate.Finding]:
    """The findings about this meeting (its days, panels, deliverables) that the
    compliance page shows as a warning or violation, by subject, from the same rules."""
    fresh = _meeting(process, pk)
    results = selectors.compliance_report(process)
    return {
        item.finding.subject: item.finding
        for item in staff.findings_for_meeting(fresh, results)
        if item.finding.status in (mandate.WARNING, mandate.VIOLATION)
        # The balance warning has its own message, with the distribution.
        and not item.finding.subject.endswith(":balance")
    }


def _warn_of_findings(
    request: HttpRequest, process: Process, meeting: Meeting, before: dict[str, mandate.Finding]
) -> None:
    """The soft rules at save time: each finding this change brought about (a weekend day,
    a third moderator) is shown with its OP; the change is saved all the same."""
    for subject, finding in _soft_findings(process, meeting.pk).items():
        if subject not in before:
            messages.warning(
                request,
                _("%(finding)s The change is saved; this is a warning, not a refusal.")
                % {"finding": finding.message},
            )
    _warn_if_unbalanced(request, process, meeting)


def _day_rule(process: Process, meeting: Meeting) -> mandate.RuleResult | None:
    code = DAY_RULES.get(meeting.kind)
    if code is None:
        return None
    return next(r for r in selectors.compliance_report(process) if r.code == code)


def _documents(request: HttpRequest, meeting: Meeting) -> dict:
    """The meeting's documents, and whether this user may write its summary."""
    from phases.documents import services as documents
    from phases.views.secretariat.texts import SUMMARIES

    summary = SUMMARIES.get(meeting.kind)
    return {
        "documents": list(meeting.documents.order_by("issued_on", "pk")),
        "may_write_summary": summary is not None and documents.may_create(request.user, summary[1]),
    }


def _panel(meeting: Meeting, panel_pk: int) -> Panel:
    for panel in meeting.panels.all():  # prefetched with their moderators
        if panel.pk == panel_pk:
            return panel
    raise Http404(_("No such panel."))


# --- Meetings --------------------------------------------------------------------------


@require_safe
@role_required(*STAFF)
def meetings(request: HttpRequest) -> HttpResponse:
    process = selectors.default_process_or_404()
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
    process = selectors.default_process_or_404()
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
            **_documents(request, found),
            **_rights(request),
        },
    )


@change_methods
@role_required(*EDITORS)
def meeting_create(request: HttpRequest) -> HttpResponse:
    process = selectors.default_process_or_404()
    data = request.POST if request.method == "POST" else None
    form = MeetingCreateForm(data, process=process, instance=Meeting(process=process))
    refusal: list[str] = []
    if data is not None and form.is_valid():

        def create() -> Meeting:
            fields = form.service_fields()
            # Under English, ``title`` is the English column; the others are named.
            with translation.override("en"):
                return services.create_meeting(
                    process=process, title=fields.pop("title_en"), **fields
                )

        outcome = attempt(form, create)
        if outcome.ok:
            created = outcome.value
            messages.success(
                request,
                _("%(meeting)s is created. Add its days and panels below.")
                % {"meeting": created.title},
            )
            _warn_if_unbalanced(request, process, created)
            return redirect(_meeting_url(created))
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/meeting_form.html",
        {"process": process, "form": form, "refusal": refusal, "meeting": None},
    )


@change_methods
@role_required(*EDITORS)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    shown = {"pk": found.pk, "title": found.title}  # the form edits ``found`` in memory
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, process=process, instance=found)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        before = _soft_findings(process, pk)
        outcome = attempt(
            form, lambda: services.update_meeting(meeting=found, **form.service_fields())
        )
        if outcome.ok:
            messages.success(request, _("The meeting is saved."))
            _warn_of_findings(request, process, found, before)
            return redirect(_meeting_url(found))
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/meeting_form.html",
        {"process": process, "form": form, "refusal": refusal, "meeting": shown},
    )


# --- Days ------------------------------------------------------------------------------


@change_methods
@role_required(*EDITORS)
def day_add(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    data = request.POST if request.method == "POST" else None
    form = MeetingDayForm(data, meeting=found)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        before = _soft_findings(process, pk)
        outcome = attempt(
            form, lambda: services.add_meeting_day(meeting=found, day=form.day_spec())
        )
        if outcome.ok:
            day = outcome.value
            messages.success(
                request,
                _("%(date)s is added to %(meeting)s.")
                % {"date": written.day_words(day.date), "meeting": found.title},
            )
            _warn_of_findings(request, process, found, before)
            return redirect(_meeting_url(found, "days"))
        refusal = outcome.refusal
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
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    day = get_object_or_404(MeetingDay, pk=day_pk, meeting=found)
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(None, lambda: services.remove_meeting_day(meeting=found, date=day.date))
        if outcome.ok:
            messages.success(
                request,
                _("%(date)s is removed from %(meeting)s.")
                % {"date": written.day_words(day.date), "meeting": found.title},
            )
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, "days"))
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/day_remove.html",
        {"process": process, "meeting": found, "day": day, "refusal": refusal},
    )


@change_methods
@role_required(*EDITORS)
def day_edit(request: HttpRequest, pk: int, day_pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    day = get_object_or_404(MeetingDay, pk=day_pk, meeting=found)
    was = day.date
    data = request.POST if request.method == "POST" else None
    form = MeetingDayForm(data, meeting=found, day=day)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        before = _soft_findings(process, pk)
        outcome = attempt(
            form,
            lambda: services.update_meeting_day(day=day, spec=form.day_spec(), actor=request.user),
        )
        if outcome.ok:
            messages.success(
                request,
                _("The day of %(meeting)s is saved: %(date)s, %(starts)s–%(ends)s.")
                % {
                    "meeting": found.title,
                    "date": date_format(day.date),
                    "starts": time_format(day.starts_at),
                    "ends": time_format(day.ends_at),
                },
            )
            _warn_of_findings(request, process, found, before)
            return redirect(_meeting_url(found, "days"))
        refusal = outcome.refusal
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
            "editing": was,
        },
    )


# --- Panels and moderators -------------------------------------------------------------


@change_methods
@role_required(*EDITORS)
def panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    data = request.POST if request.method == "POST" else None
    form = PanelForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():

        def add() -> Panel:
            with translation.override("en"):  # ``title`` is the English column
                return services.add_panel(meeting=found, **form.service_fields())

        outcome = attempt(form, add)
        if outcome.ok:
            panel = outcome.value
            messages.success(request, _("The panel %(panel)s is added.") % {"panel": panel.title})
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, f"panel-{panel.pk}"))
        refusal = outcome.refusal
        found = _meeting(process, pk)
    return _render_form(
        request,
        "secretariat/panel_form.html",
        {"process": process, "meeting": found, "form": form, "refusal": refusal},
    )


@change_methods
@role_required(*EDITORS)
def panel_remove(request: HttpRequest, pk: int, panel_pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    panel = _panel(found, panel_pk)
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(None, lambda: services.remove_panel(panel=panel))
        if outcome.ok:
            messages.success(request, _("The panel %(panel)s is removed.") % {"panel": panel.title})
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, "panels"))
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/panel_remove.html",
        {"process": process, "meeting": found, "panel": panel, "refusal": refusal},
    )


@change_methods
@role_required(*EDITORS)
def panel_edit(request: HttpRequest, pk: int, panel_pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    panel = _panel(found, panel_pk)
    data = request.POST if request.method == "POST" else None
    form = PanelForm(data, panel=panel)
    refusal: list[str] = []
    if data is not None and form.is_valid():

        def save() -> Panel:
            fields = form.service_fields()
            return services.update_panel(panel=panel, actor=request.user, **fields)

        outcome = attempt(form, save)
        if outcome.ok:
            messages.success(request, _("The panel %(panel)s is saved.") % {"panel": panel.title})
            return redirect(_meeting_url(found, f"panel-{panel.pk}"))
        refusal = outcome.refusal
        found = _meeting(process, pk)
        panel = _panel(found, panel_pk)
    return _render_form(
        request,
        "secretariat/panel_form.html",
        {
            "process": process,
            "meeting": found,
            "form": form,
            "refusal": refusal,
            "editing": panel,
        },
    )


@change_methods
@role_required(*APPOINTERS)
def moderator_add(request: HttpRequest, pk: int, panel_pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    panel = _panel(found, panel_pk)
    data = request.POST if request.method == "POST" else None
    form = ModeratorForm(data, panel=panel)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        before = _soft_findings(process, pk)
        outcome = attempt(
            form, lambda: services.appoint_moderator(panel=panel, **form.cleaned_data)
        )
        if outcome.ok:
            appointment = outcome.value
            messages.success(
                request,
                _("%(state)s is appointed to moderate %(panel)s.")
                % {"state": appointment.member_state.name, "panel": panel.title},
            )
            _warn_of_findings(request, process, found, before)
            return redirect(_meeting_url(found, f"panel-{panel.pk}"))
        refusal = outcome.refusal
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
    process = selectors.default_process_or_404()
    found = _meeting(process, pk)
    appointment = get_object_or_404(
        Appointment.objects.select_related("member_state", "panel", "process"),
        pk=appointment_pk,
        panel__meeting=found,
    )
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(None, lambda: services.remove_moderator(appointment=appointment))
        if outcome.ok:
            messages.success(
                request,
                _("%(state)s no longer moderates %(panel)s.")
                % {"state": appointment.member_state, "panel": appointment.panel.title},
            )
            _warn_if_unbalanced(request, process, found)
            return redirect(_meeting_url(found, f"panel-{appointment.panel_id}"))
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/moderator_remove.html",
        {"process": process, "meeting": found, "appointment": appointment, "refusal": refusal},
    )
