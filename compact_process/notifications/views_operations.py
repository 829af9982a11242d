"""The secretariat's operations pages: whether the worker and beat are alive, the e-mails
by status (retry a failed one; resend or drop an uncertain one, after a page that says
the risk; send or drop the ones held after a restore), the reminders coming up, and the
reminder schedule of each kind of deadline.

Only the secretariat: these pages name recipients and their e-mail addresses. Every
change goes through ``compact_process.notifications.operations``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from compact_process.accounts.permissions import role_required
from compact_process.accounts.roles import Role
from compact_process.audit import verification as audit_verification
from compact_process.deadlines.forms import ReminderScheduleForm, describe, describe_steps
from compact_process.deadlines.models import DeadlineKind
from compact_process.notifications import operations
from compact_process.notifications import services as notifications
from compact_process.notifications.models import EmailStatus, Notification
from compact_process.web.forms import AccessibleFormMixin, attempt

OPERATORS = (Role.SECRETARIAT,)
PER_PAGE = 25
# On the page that shows every list, each shows its newest few and links to the rest.
PREVIEW = 10

change_methods = require_http_methods(["GET", "HEAD", "POST"])


def operator_page(view):
    """Secretariat only; never cached (the page is live)."""
    return never_cache(role_required(*OPERATORS)(view))


# --- The lists -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    name: str
    title: Any
    empty: Any


UPCOMING = "upcoming"
SECTIONS = [
    Section(
        UPCOMING,
        gettext_lazy("Reminders coming up (next 7 days)"),
        gettext_lazy("No reminder is due in the next 7 days."),
    ),
    Section(
        operations.UNCERTAIN,
        gettext_lazy("Uncertain: hand-over cut off"),
        gettext_lazy("No uncertain e-mail."),
    ),
    Section(
        EmailStatus.HELD,
        gettext_lazy("Held after a restore"),
        gettext_lazy("No e-mail is held."),
    ),
    Section(
        EmailStatus.FAILED,
        gettext_lazy("Failed"),
        gettext_lazy("No failed e-mail."),
    ),
    Section(
        EmailStatus.PENDING,
        gettext_lazy("Waiting to be sent"),
        gettext_lazy("No e-mail is waiting."),
    ),
    Section(EmailStatus.SENT, gettext_lazy("Sent"), gettext_lazy("No e-mail sent yet.")),
    Section(
        EmailStatus.DROPPED,
        gettext_lazy("Dropped (not resent)"),
        gettext_lazy("No e-mail was dropped."),
    ),
    Section(
        EmailStatus.NO_ADDRESS,
        gettext_lazy("Not sent: no e-mail address"),
        gettext_lazy("Every recipient had an address."),
    ),
]
BY_NAME = {s.name: s for s in SECTIONS}


class ShowForm(AccessibleFormMixin, forms.Form):
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[("", gettext_lazy("Every list")), *((s.name, s.title) for s in SECTIONS)],
    )

    def shown(self) -> str:
        """The list asked for; "" (every list) for none or one that does not exist."""
        if not self.is_bound or not self.is_valid():
            return ""
        return self.cleaned_data["show"]


def _rows(name: str, now) -> Any:
    selectors = {
        operations.UNCERTAIN: lambda: operations.uncertain(now=now),
        EmailStatus.HELD: operations.held,
        EmailStatus.FAILED: operations.failed,
        EmailStatus.PENDING: operations.waiting,
        EmailStatus.SENT: operations.sent,
        EmailStatus.DROPPED: operations.dropped,
        EmailStatus.NO_ADDRESS: operations.no_address,
    }
    if name == UPCOMING:
        return operations.upcoming(now=now)
    return selectors[name]()


def _subject(notification: Notification) -> str:
    """What the e-mail says, in the reader's language; its kind if that cannot be
    rendered (a kind whose templates are gone must not break the page)."""
    try:
        return notifications.subject(notification)
    except Exception:
        return notification.kind


def _duration(span: datetime.timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds % 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    return describe(seconds // 60)


def _step_label(item: operations.Upcoming) -> str:
    if item.overdue:
        return _("once overdue")
    return _("%(time)s before") % {"time": describe(item.minutes_before or 0)}


def _section(name: str, now, *, page_number: str | None, preview: bool) -> dict[str, Any]:
    rows = _rows(name, now)
    page: Page = Paginator(rows, PREVIEW if preview else PER_PAGE).get_page(page_number)
    items = list(page.object_list)
    if name == UPCOMING:
        entries = [{"item": u, "step": _step_label(u)} for u in items]
    else:
        sizes = operations.batch_sizes(items)
        entries = [
            {"n": n, "text": _subject(n), "in_email": sizes.get(n.email_batch, 1)} for n in items
        ]
    return {"section": BY_NAME[name], "page": page, "entries": entries, "preview": preview}


@require_safe
@operator_page
def overview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = ShowForm(request.GET or None)
    shown = form.shown()
    names = [shown] if shown else [s.name for s in SECTIONS]
    sections = [
        _section(
            name, now, page_number=request.GET.get("page") if shown else None, preview=not shown
        )
        for name in names
    ]
    counts = operations.status_counts(now=now)
    health = operations.health(now=now)
    count_rows = [
        {"name": operations.UNCERTAIN, "label": BY_NAME[operations.UNCERTAIN].title},
        *(
            {"name": status.value, "label": status.label}
            for status in EmailStatus
            if status != EmailStatus.SENDING
        ),
    ]
    for row in count_rows:
        row["count"] = counts[row["name"]]
    in_progress = counts[EmailStatus.SENDING] - counts[operations.UNCERTAIN]
    return render(
        request,
        "operations/overview.html",
        {
            "nav": "operations",
            "sub": "overview",
            "health": health,
            "health_interval": _duration(health.interval),
            "health_limit": _duration(health.limit),
            "audit": audit_verification.latest(),
            "audit_every": _duration(operations.beat_interval("verify-audit")),
            "counts": count_rows,
            "in_progress": in_progress,
            "uncertain_count": counts[operations.UNCERTAIN],
            "held_count": counts[EmailStatus.HELD],
            "form": form,
            "shown": shown,
            "sections": sections,
            "scan_every": _duration(operations.beat_interval("scan-deadlines")),
            "uncertain_after": int(operations.uncertain_after().total_seconds() // 60),
        },
    )


# --- Acting on one e-mail -----------------------------------------------------------------


def _back(section: str) -> HttpResponse:
    return redirect(f"{reverse('operations:overview')}?show={section}")


@require_POST
@operator_page
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = attempt(None, lambda: operations.retry(pk=pk, actor=request.user))
    if outcome.ok:
        n = len(outcome.value or [])
        messages.success(
            request,
            ngettext(
                "The e-mail is queued to be sent now.",
                "The e-mail (a digest of %(n)d notifications) is queued to be sent now.",
                n,
            )
            % {"n": n},
        )
    else:
        for message in outcome.refusal:
            messages.warning(request, message)
    return _back(EmailStatus.FAILED)


def _row(pk: int) -> Notification:
    row = Notification.objects.select_related("recipient").filter(pk=pk).first()
    if row is None:
        raise Http404(_("No such notification."))
    return row


def _judge(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """The confirmation page of a resend or a drop, and the action itself on POST."""
    row = _row(pk)
    refusal: list[str] = []
    if request.method == "POST":
        action = operations.resend if decision == "resend" else operations.drop
        outcome = attempt(None, lambda: action(pk=pk, actor=request.user))
        if outcome.ok:
            n = len(outcome.value or [])
            if decision == "resend":
                text = ngettext(
                    "The e-mail is queued to be sent again.",
                    "The e-mail (a digest of %(n)d notifications) is queued to be sent again.",
                    n,
                )
            else:
                text = ngettext(
                    "The e-mail is dropped: it will not be sent again.",
                    "The e-mail (a digest of %(n)d notifications) is dropped: it will not "
                    "be sent again.",
                    n,
                )
            messages.success(request, text % {"n": n})
            return _back(operations.UNCERTAIN)
        refusal = outcome.refusal
    now = timezone.now()
    together = list(
        operations.same_email(row).select_related("recipient").order_by("created_at", "pk")
    )
    still_uncertain = Notification.objects.filter(operations.uncertain_q(now), pk=pk).exists()
    return render(
        request,
        "operations/judge.html",
        {
            "nav": "operations",
            "sub": "overview",
            "decision": decision,
            "row": row,
            "text": _subject(row),
            "together": [{"n": n, "text": _subject(n)} for n in together],
            "still_uncertain": still_uncertain,
            "refusal": refusal,
        },
        status=422 if request.method == "POST" else 200,
    )


@change_methods
@operator_page
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    return _judge(request, pk, "resend")


@change_methods
@operator_page
def drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _judge(request, pk, "drop")


# --- The e-mails held after a restore --------------------------------------------------------


def _decide_held(request: HttpRequest, decision: str, pk: int | None) -> HttpResponse:
    """The confirmation page of sending or dropping held e-mails (one, with the rest of its
    digest, or all of them), and the action itself on POST."""
    row = _row(pk) if pk is not None else None
    refusal: list[str] = []
    if request.method == "POST":
        action = operations.send_held if decision == "send" else operations.drop_held
        outcome = attempt(None, lambda: action(pk=pk, actor=request.user))
        if outcome.ok:
            n = len(outcome.value or [])
            if decision == "send":
                text = ngettext(
                    "%(n)d held e-mail is queued to be sent.",
                    "%(n)d held e-mails are queued to be sent.",
                    n,
                )
            else:
                text = ngettext(
                    "%(n)d held e-mail is dropped: it will not be sent.",
                    "%(n)d held e-mails are dropped: they will not be sent.",
                    n,
                )
            messages.success(request, text % {"n": n})
            return _back(EmailStatus.HELD)
        refusal = outcome.refusal
    if row is not None:
        rows = operations.same_email(row).filter(operations.HELD).select_related("recipient")
    else:
        rows = operations.held()
    together = list(rows.order_by("created_at", "pk")[:PER_PAGE])
    return render(
        request,
        "operations/held.html",
        {
            "nav": "operations",
            "sub": "overview",
            "decision": decision,
            "row": row,
            "count": rows.count(),
            "together": [{"n": n, "text": _subject(n)} for n in together],
            "refusal": refusal,
        },
        status=422 if request.method == "POST" else 200,
    )


@change_methods
@operator_page
def send_held(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _decide_held(request, "send", pk)


@change_methods
@operator_page
def drop_held(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return _decide_held(request, "drop", pk)


# --- Reminder schedules ---------------------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in DeadlineKind.values:
        raise Http404(_("No such kind of deadline."))
    return kind


def _schedule_context(row: operations.ScheduleRow) -> dict[str, Any]:
    return {
        "row": row,
        "steps_text": describe_steps(row.steps),
        "default_text": describe_steps(row.default_steps),
    }


@require_safe
@operator_page
def schedules(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "operations/schedules.html",
        {
            "nav": "operations",
            "sub": "schedules",
            "rows": [_schedule_context(row) for row in operations.schedule_rows()],
        },
    )


@change_methods
@operator_page
def schedule_edit(request: HttpRequest, kind: str) -> HttpResponse:
    row = operations.schedule(_kind(kind))
    data = request.POST if request.method == "POST" else None
    form = ReminderScheduleForm(
        data,
        initial=ReminderScheduleForm.initial_for(row.steps, row.when_overdue),
        lapsing=row.lapsing,
    )
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: operations.set_schedule(
                kind=kind,
                minutes_before=form.cleaned_data["steps"],
                when_overdue=form.cleaned_data.get("when_overdue", False),
                actor=request.user,
            ),
        )
        if outcome.ok:
            saved = outcome.value
            messages.success(
                request,
                _("The reminders of “%(kind)s” are saved: %(steps)s. The next scan uses them.")
                % {
                    "kind": row.label,
                    "steps": describe_steps(saved.minutes_before) or _("none before"),
                },
            )
            return redirect("operations:schedules")
        refusal = outcome.refusal
    return render(
        request,
        "operations/schedule_form.html",
        {"nav": "operations", "sub": "schedules", "form": form, "refusal": refusal}
        | _schedule_context(row),
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@operator_page
def schedule_default(request: HttpRequest, kind: str) -> HttpResponse:
    restored = operations.restore_default_schedule(kind=_kind(kind), actor=request.user)
    label = DeadlineKind(kind).label
    if restored:
        messages.success(
            request, _("The reminders of “%(kind)s” are back to the default.") % {"kind": label}
        )
    else:
        messages.info(
            request, _("The reminders of “%(kind)s” were already the default.") % {"kind": label}
        )
    return redirect("operations:schedules")
