"""The secretariat's deliverables tracker, and marking a deliverable delivered."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from compact_process.accounts.permissions import has_role, role_required
from compact_process.formats import written
from compact_process.web.forms import attempt
from phases import selectors, services
from phases.forms import DeliverableFilterForm, DeliveredForm
from phases.models import Deliverable
from phases.selectors import secretariat as staff
from phases.views.secretariat._common import (
    EDITORS,
    STAFF,
    _render_form,
    _rights,
    change_methods,
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
