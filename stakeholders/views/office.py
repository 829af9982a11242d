"""The Office of the PGA's pages (OP 6 and footnote 5): screening applications,
composing and submitting lists, closing reviews, sharing objection information on
request, and the audit trail.

The Office acts; the secretariat reads every page (GET) but cannot act (POST is 403);
everyone else is refused (403) and anonymous visitors are sent to sign in. Every change
goes through ``stakeholders.services``; a refusal (``ReviewError``) is shown at the top
of the form and answered 422, with what was typed kept.
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
from django.views.decorators.http import require_http_methods

from compact_process.accounts.permissions import has_role, role_required
from compact_process.accounts.roles import Role
from compact_process.web.forms import attempt
from phases import selectors as phase_selectors
from phases.models import Process
from stakeholders import services, trail
from stakeholders.enums import ListStatus
from stakeholders.forms_office import (
    AddEntryForm,
    ApplicationFilterForm,
    AuditFilterForm,
    ExtendReviewForm,
    ListCreateForm,
    ObjectionFilterForm,
    ScreeningForm,
    SubmitListForm,
)
from stakeholders.models import StakeholderList
from stakeholders.selectors import office as selectors

READERS = (Role.PGA_OFFICE, Role.SECRETARIAT)
PER_PAGE = 50


def office_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET for the Office and the secretariat; POST for the Office only."""

    @require_http_methods(["GET", "HEAD", "POST"])
    @role_required(*READERS)
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and not has_role(request.user, Role.PGA_OFFICE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _list(process: Process, pk: int) -> StakeholderList:
    found = selectors.stakeholder_list(process, pk)
    if found is None:
        raise Http404(_("No such list."))
    return found


def _page(request: HttpRequest, items, per_page: int = PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, refused: bool = False
) -> HttpResponse:
    """A page; after a POST it is shown again only because something was refused or
    invalid, so it answers 422 Unprocessable Content."""
    status = 422 if request.method == "POST" or refused else 200
    return render(
        request,
        f"stakeholders/office/{template}",
        {"can_act": has_role(request.user, Role.PGA_OFFICE), **context},
        status=status,
    )


# --- Overview -------------------------------------------------------------------------


@office_page
def home(request: HttpRequest) -> HttpResponse:
    process = phase_selectors.default_process_or_404()
    return _render(
        request,
        "home.html",
        {
            "nav": "home",
            "process": process,
            "counts": selectors.application_counts(process),
            "lists_by_status": selectors.lists_by_status(process),
            "pending_requests": selectors.pending_request_count(process),
        },
    )


# --- Applications ---------------------------------------------------------------------


@office_page
def applications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    process = phase_selectors.default_process_or_404()
    form = ApplicationFilterForm(request.GET or None)
    page = _page(request, selectors.applications(process, **form.filters()))
    return _render(
        request,
        "applications.html",
        {"nav": "applications", "form": form, "page": page, "query": _query_without_page(request)},
    )


@office_page
def application(request: HttpRequest, pk: int) -> HttpResponse:
    process = phase_selectors.default_process_or_404()
    found = selectors.application(process, pk)
    if found is None:
        raise Http404(_("No such application."))
    form = ScreeningForm(request.POST if request.method == "POST" else None)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.screen_application(
                application=found,
                state=form.cleaned_data["state"],
                reason=form.cleaned_data["reason"].strip(),
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _("%(organization)s: %(state)s. The reason is sent to the applicant.")
                % {"organization": found.organization, "state": found.get_state_display()},
            )
            return redirect("stakeholders-office:application", pk=found.pk)
        refusal = outcome.refusal
    return _render(
        request,
        "application.html",
        {"nav": "applications", "application": found, "form": form, "refusal": refusal},
    )


# --- Lists ----------------------------------------------------------------------------


@office_page
def lists(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    process = phase_selectors.default_process_or_404()
    return _render(request, "lists.html", {"nav": "lists", "lists": selectors.lists(process)})


@office_page
def list_create(request: HttpRequest) -> HttpResponse:
    process = phase_selectors.default_process_or_404()
    form = ListCreateForm(request.POST if request.method == "POST" else None)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.create_list(process=process, actor=request.user, **form.cleaned_data),
        )
        if outcome.ok:
            messages.success(request, _("The list is created. Add its entries below."))
            return redirect("stakeholders-office:list", pk=outcome.value.pk)
        refusal = outcome.refusal
    return _render(request, "list_create.html", {"nav": "lists", "form": form, "refusal": refusal})


def _steps(found: StakeholderList) -> dict[str, Any]:
    """What the Office may do with the list now: each step is offered only when it can
    succeed, and otherwise replaced by a sentence saying why or when."""
    now = timezone.now()
    under_review = found.status == ListStatus.UNDER_REVIEW
    close_from = found.review_deadline + services.close_grace() if under_review else None
    return {
        "can_submit": found.status == ListStatus.DRAFT and found.entry_count > 0,
        "can_extend": under_review and now < found.review_deadline,
        "close_from": close_from,
        "can_close": under_review and now >= close_from,
        "grace_seconds": int(services.close_grace().total_seconds()),
    }


def _list_context(request: HttpRequest, found: StakeholderList, form=None) -> dict[str, Any]:
    by_region, region_total = selectors.balance_by_region(found)
    by_gender, gender_total = selectors.balance_by_gender(found)
    q = request.GET.get("q", "").strip()[:100]
    is_draft = found.status == ListStatus.DRAFT
    objection_filter = ObjectionFilterForm(request.GET if "objections" in request.GET else None)
    page = _page(request, selectors.entries(found, objections=objection_filter.value()))
    context: dict[str, Any] = {
        "nav": "lists",
        "list": found,
        "page": page,
        "query": _query_without_page(request),
        "by_region": by_region,
        "region_total": region_total,
        "by_gender": by_gender,
        "gender_total": gender_total,
        "q": q,
        "is_draft": is_draft,
        "is_closed": found.status == ListStatus.CLOSED,
        "is_under_review": found.status == ListStatus.UNDER_REVIEW,
        **_steps(found),
    }
    if is_draft:
        options = list(selectors.candidates(found, q)[: selectors.CANDIDATES_SHOWN])
        context["options_shown"] = len(options)
        context["candidates_limit"] = selectors.CANDIDATES_SHOWN
        context["add_form"] = form or AddEntryForm(stakeholder_list=found, options=options)
        # Organizations not approved on an earlier list of the same purpose, among the
        # entries shown and the candidates offered (one query).
        earlier = selectors.earlier_not_approved(
            found,
            [e.application.organization_id for e in page.object_list]
            + [a.organization_id for a in options],
        )
        context["earlier"] = earlier
        context["earlier_candidates"] = [
            (a.organization, earlier[a.organization_id])
            for a in options
            if a.organization_id in earlier
        ]
        for entry in page.object_list:
            entry.earlier = earlier.get(entry.application.organization_id, [])
    else:
        selectors.received(page.object_list)
        context["objection_filter"] = objection_filter
        context["objection_totals"] = selectors.objection_totals(found)
    return context


@office_page
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Composing a draft list with its live balance; read-only once submitted."""
    process = phase_selectors.default_process_or_404()
    found = _list(process, pk)
    form = None
    refusal: list[str] = []
    if request.method == "POST":
        options = list(selectors.candidates(found)[: selectors.CANDIDATES_SHOWN])
        form = AddEntryForm(request.POST, stakeholder_list=found, options=options)
        if found.status != ListStatus.DRAFT:
            refusal = [_("The list was submitted to Member States; its entries are frozen.")]
        elif form.is_valid():
            outcome = attempt(
                form,
                lambda: services.add_entry(
                    stakeholder_list=found, application=form.application, actor=request.user
                ),
            )
            if outcome.ok:
                messages.success(
                    request,
                    _("%(organization)s is added to the list.")
                    % {"organization": form.application.organization},
                )
                return redirect("stakeholders-office:list", pk=found.pk)
            refusal = outcome.refusal
    context = _list_context(request, found, form)
    context["refusal"] = refusal
    return _render(request, "list.html", context)


@office_page
def list_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit to Member States with a deadline, after a confirmation step."""
    process = phase_selectors.default_process_or_404()
    found = _list(process, pk)
    form = SubmitListForm(request.POST if request.method == "POST" else None)
    refusal: list[str] = []
    if found.status != ListStatus.DRAFT:
        refusal = [_("This list was already submitted.")]
    elif not found.entry_count:
        if request.method == "POST":  # not offered (the page says why); refused if tried
            refusal = [_("An empty list cannot be submitted.")]
    elif request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "stakeholders/office/list_submit_confirm.html",
                {
                    "nav": "lists",
                    "list": found,
                    "form": form,
                    "deadline": form.cleaned_data["deadline"],
                    "can_act": True,
                },
            )
        outcome = attempt(
            form,
            lambda: services.submit_list(
                stakeholder_list=found,
                deadline=form.cleaned_data["deadline"],
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "The list is submitted to Member States; its entries are frozen and "
                    "every Member State delegate is notified."
                ),
            )
            return redirect("stakeholders-office:list", pk=found.pk)
        refusal = outcome.refusal
    return _render(
        request,
        "list_submit.html",
        {"nav": "lists", "list": found, "form": form, "refusal": refusal, **_steps(found)},
        refused=bool(refusal) and request.method == "POST",
    )


@office_page
def list_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a review after its deadline (the beat task also does it by itself)."""
    process = phase_selectors.default_process_or_404()
    found = _list(process, pk)
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(None, lambda: services.close_review(list_id=found.pk, actor=request.user))
        if outcome.ok:
            if outcome.value:
                messages.success(
                    request,
                    _(
                        "The review is closed: entries with a standing objection are not "
                        "approved, all others are."
                    ),
                )
            else:
                messages.info(request, _("This review was already closed; nothing changed."))
            return redirect("stakeholders-office:list", pk=found.pk)
        refusal = outcome.refusal
    return _render(
        request,
        "list_close.html",
        {"nav": "lists", "list": found, "refusal": refusal, **_steps(found)},
    )


@office_page
def list_extend(request: HttpRequest, pk: int) -> HttpResponse:
    """Extend a review's deadline before it passes, with a reason, after a confirmation
    step (every delegate is told)."""
    process = phase_selectors.default_process_or_404()
    found = _list(process, pk)
    steps = _steps(found)
    current = found.review_deadline
    form = (
        ExtendReviewForm(request.POST if request.method == "POST" else None, current=current)
        if steps["can_extend"]
        else None
    )
    refusal: list[str] = []
    if request.method == "POST" and form is None:
        refusal = [_("This review's deadline can no longer be extended.")]
    elif request.method == "POST" and request.POST.get("back") == "yes":
        # Back from the confirmation to the form, with what was typed.
        return render(
            request,
            "stakeholders/office/list_extend.html",
            {"nav": "lists", "list": found, "form": form, "can_act": True, **steps},
        )
    elif request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "stakeholders/office/list_extend_confirm.html",
                {
                    "nav": "lists",
                    "list": found,
                    "form": form,
                    "deadline": form.cleaned_data["deadline"],
                    "reason": form.cleaned_data["reason"],
                    "can_act": True,
                },
            )
        outcome = attempt(
            form,
            lambda: services.extend_review(
                stakeholder_list=found,
                deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(
                request,
                _(
                    "The review is extended; every Member State delegate is told the new "
                    "deadline and your reason."
                ),
            )
            return redirect("stakeholders-office:list", pk=found.pk)
        refusal = outcome.refusal
    return _render(
        request,
        "list_extend.html",
        {"nav": "lists", "list": found, "form": form, "refusal": refusal, **steps},
        refused=bool(refusal) and request.method == "POST",
    )


# --- Information requests (footnote 5) ------------------------------------------------


@office_page
def requests(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    process = phase_selectors.default_process_or_404()
    return _render(
        request,
        "requests.html",
        {
            "nav": "requests",
            "pending": _page(request, selectors.information_requests(process, pending=True)),
            "answered": Paginator(
                selectors.information_requests(process, pending=False), PER_PAGE
            ).get_page(request.GET.get("answered_page")),
        },
    )


@office_page
def share(request: HttpRequest, pk: int) -> HttpResponse:
    process = phase_selectors.default_process_or_404()
    found = selectors.information_request(process, pk)
    if found is None:
        raise Http404(_("No such request."))
    refusal: list[str] = []
    if request.method == "POST":
        outcome = attempt(
            None, lambda: services.share_information(request=found, actor=request.user)
        )
        if outcome.ok:
            messages.success(
                request,
                _("The information is shared with %(state)s.") % {"state": found.requesting_state},
            )
            return redirect(reverse("stakeholders-office:requests"))
        refusal = outcome.refusal
    return _render(
        request,
        "share.html",
        {
            "nav": "requests",
            "info_request": found,
            "items": found.shared if found.shared_at else selectors.to_be_shared(found),
            "refusal": refusal,
        },
    )


# --- Audit trail ----------------------------------------------------------------------


@office_page
def audit(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    process = phase_selectors.default_process_or_404()
    form = AuditFilterForm(request.GET or None, lists=selectors.lists(process))
    page = _page(request, selectors.audit_events(**form.filters()))
    # Each event as a sentence in the reader's language, the names it refers to read
    # for the whole page at once (stakeholders.trail).
    rows = [
        {"event": event, "sentence": sentence}
        for event, sentence in trail.sentences(page.object_list)
    ]
    return _render(
        request,
        "audit.html",
        {
            "nav": "audit",
            "form": form,
            "page": page,
            "rows": rows,
            "query": _query_without_page(request),
        },
    )
