"""The secretariat's deliverables tracker: creating and editing a deliverable, moving its
due date (its deadline and reminders follow), and marking it delivered."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from compact_process.accounts.permissions import has_role, role_required
from compact_process.formats import written
from compact_process.web.forms import attempt
from phases import selectors, services
from phases.forms import (
    DeliverableCreateForm,
    DeliverableFilterForm,
    DeliverableForm,
    DeliveredForm,
    DueDateForm,
)
from phases.models import Deliverable
from phases.selectors import secretariat as staff
from phases.views.secretariat._common import (
    EDITORS,
    STAFF,
    _render_form,
    _rights,
    change_methods,
)


def _row_url(deliverable: Deliverable) -> str:
    return f"{reverse('secretariat:deliverables')}#deliverable-{deliverable.key}"


def _deliverable(process, pk: int) -> Deliverable:
    return get_object_or_404(
        Deliverable.objects.select_related("meeting__venue"), pk=pk, process=process
    )


def _delivered_prefix(deliverable: Deliverable) -> str:
    return f"deliverable-{deliverable.pk}"


@require_safe
@role_required(*STAFF)
def deliverables(request: HttpRequest) -> HttpResponse:
    process = selectors.default_process_or_404()
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
    process = selectors.default_process_or_404()
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("meeting"), pk=pk, process=process
    )
    data = request.POST if request.method == "POST" else None
    form = DeliveredForm(data, deliverable=deliverable, prefix=_delivered_prefix(deliverable))
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.mark_delivered(
                deliverable=deliverable,
                on=form.cleaned_data["delivered_on"],
                approximate=form.cleaned_data["delivered_approximate"],
                # The tracker's one-field form leaves the symbol as it is.
                symbol=form.cleaned_data["symbol"]
                if form.add_prefix("symbol") in request.POST
                else None,
            ),
        )
        if outcome.ok:
            state = deliverable.timeliness(timezone.localdate())
            messages.success(
                request,
                _("%(title)s is marked delivered on %(date)s (%(timeliness)s).")
                % {
                    "title": deliverable.title,
                    "date": written.day_words(deliverable.delivered_on),
                    "timeliness": state.label,
                },
            )
            target = back.split("#")[0] if back else reverse("secretariat:deliverables")
            return redirect(f"{target}#deliverable-{deliverable.key}")
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/deliverable_form.html",
        {
            "process": process,
            "deliverable": deliverable,
            "form": form,
            "refusal": refusal,
            "next": back,
            "timeliness": deliverable.timeliness(timezone.localdate()),
        },
        nav="deliverables",
    )


@change_methods
@role_required(*EDITORS)
def deliverable_create(request: HttpRequest) -> HttpResponse:
    process = selectors.default_process_or_404()
    data = request.POST if request.method == "POST" else None
    form = DeliverableCreateForm(data, process=process, instance=Deliverable(process=process))
    refusal: list[str] = []
    if data is not None and form.is_valid():

        def create() -> Deliverable:
            # Under English, ``title`` is the English column; the others are named.
            with translation.override("en"):
                return services.add_deliverable(
                    process=process, actor=request.user, **form.service_fields()
                )

        outcome = attempt(form, create)
        if outcome.ok:
            created = outcome.value
            messages.success(
                request,
                _("%(title)s is added, due on %(date)s.")
                % {"title": created.title, "date": date_format(created.due_on)},
            )
            return redirect(_row_url(created))
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/deliverable_edit.html",
        {"process": process, "form": form, "refusal": refusal, "deliverable": None},
        nav="deliverables",
    )


@change_methods
@role_required(*EDITORS)
def deliverable_edit(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    deliverable = _deliverable(process, pk)
    shown = {"pk": deliverable.pk, "title": deliverable.title}  # the form edits it in memory
    data = request.POST if request.method == "POST" else None
    form = DeliverableForm(data, process=process, instance=deliverable)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.update_deliverable(
                deliverable=deliverable, actor=request.user, **form.service_fields()
            ),
        )
        if outcome.ok:
            messages.success(request, _("%(title)s is saved.") % {"title": deliverable.title})
            return redirect(_row_url(deliverable))
        refusal = outcome.refusal
    return _render_form(
        request,
        "secretariat/deliverable_edit.html",
        {"process": process, "form": form, "refusal": refusal, "deliverable": shown},
        nav="deliverables",
    )


@change_methods
@role_required(*EDITORS)
def deliverable_move(request: HttpRequest, pk: int) -> HttpResponse:
    process = selectors.default_process_or_404()
    deliverable = _deliverable(process, pk)
    data = request.POST if request.method == "POST" else None
    form = DueDateForm(data, deliverable=deliverable)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.move_deliverable_due(
                deliverable=deliverable,
                due_on=form.cleaned_data["due_on"],
                approximate=form.cleaned_data["due_approximate"],
                actor=request.user,
            ),
        )
        if outcome.ok:
            moved = outcome.value
            messages.success(
                request,
                ngettext(
                    "The due date of %(title)s is moved from %(before)s to %(after)s; "
                    "%(n)s reminder is planned from the new date.",
                    "The due date of %(title)s is moved from %(before)s to %(after)s; "
                    "%(n)s reminders are planned from the new date.",
                    moved.reminders,
                )
                % {
                    "title": deliverable.title,
                    "before": date_format(moved.before),
                    "after": date_format(moved.after),
                    "n": moved.reminders,
                },
            )
            return redirect(_row_url(deliverable))
        refusal = outcome.refusal
        deliverable = _deliverable(process, pk)
    return _render_form(
        request,
        "secretariat/deliverable_move.html",
        {
            "process": process,
            "deliverable": deliverable,
            "form": form,
            "refusal": refusal,
            "timeliness": deliverable.timeliness(timezone.localdate()),
        },
        nav="deliverables",
    )
