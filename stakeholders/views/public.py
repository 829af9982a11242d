"""The public transparency pages of the stakeholder lists: no sign-in, nothing that
depends on who is asking (no user, no CSRF token), nothing personal.

They read through ``stakeholders.selectors.public``, which exposes only organizations,
outcomes and aggregate counts: never an objecting State, a basis or a person
(MANDATE.md, "What went wrong elsewhere").

Not cached with ``public_page``: writes to the stakeholder models do not (yet) bump the
public content version, so a cached page would go stale after a close.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from compact_process.web.cache import public_page
from compact_process.web.spreadsheets import csv_response
from phases import selectors as phases_selectors
from stakeholders.selectors import public

CSV_COLUMNS = ["organization", "country", "kind", "outcome", "objections_at_close"]


def _published(list_id: int) -> public.PublicList:
    found = public.published_list(phases_selectors.default_process(), list_id)
    if found is None:
        raise Http404(_("No such published list."))
    return found


@require_safe
@public_page
def index(request: HttpRequest) -> HttpResponse:
    """Every published list of the process, with the transparency figures of the closed
    ones (counts only)."""
    process = phases_selectors.default_process()
    return render(
        request,
        "stakeholders/public/index.html",
        {"process": process, "lists": public.lists(process)},
    )


@require_safe
@public_page
def compare(request: HttpRequest, list_id: int) -> HttpResponse:
    """The proposed and final lists side by side: each removed entry marked, with the
    number of objections behind it (never who objected); a page of entries at a time,
    the counts of the whole list above it."""
    item = _published(list_id)
    page = public.entries_page(item, request.GET.get("page"))
    return render(
        request,
        "stakeholders/public/compare.html",
        {
            "item": item,
            "page": page,
            "entries": page.object_list,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        },
    )


@require_safe
@public_page
def csv_export(request: HttpRequest, list_id: int) -> HttpResponse:
    """The comparison as CSV, for a closed list (one row per proposed entry)."""
    item = _published(list_id)
    if not item.is_closed:
        raise Http404(_("The review of this list is not closed yet."))
    return csv_response(
        f"stakeholder-list-{item.pk}.csv",
        CSV_COLUMNS,
        (
            [
                entry.organization,
                entry.country,
                entry.kind,
                entry.outcome,
                entry.objections_at_close,
            ]
            for entry in public.entries(item)
        ),
    )
