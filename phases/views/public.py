"""Public pages: no sign-in. They read through ``phases.selectors.public`` and are cached
per URL (and so per language) by ``public_page``, which also answers conditional GETs."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from compact_process.web.cache import public_page
from phases import ical, selectors
from phases.documents import selectors as document_selectors
from phases.enums import MeetingKind
from phases.selectors import public


def _process_or_none():
    return selectors.default_process()


@public_page
def timeline(request: HttpRequest) -> HttpResponse:
    """The process at a glance: its phases on a timeline with their meetings, in the
    venues' local times."""
    process = _process_or_none()
    context: dict = {"process": process, "phases": [], "unphased": []}
    if process is not None:
        context.update(public.timeline(process))
    return render(request, "phases/public_home.html", context)


@public_page
def calendar(request: HttpRequest) -> HttpResponse:
    """Every meeting day, month by month, with links to the month grids and the feeds."""
    process = _process_or_none()
    months = public.by_month(public.calendar_entries(process)) if process else []
    return render(
        request,
        "phases/calendar.html",
        {"process": process, "months": months, "kinds": MeetingKind.choices},
    )


@public_page
def calendar_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    process = _process_or_none()
    try:
        first = datetime.date(year, month, 1)
    except ValueError as exc:
        raise Http404(_("No such month.")) from exc
    if process is None:
        raise Http404(_("No process yet."))
    span = public.month_span(process)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return render(
        request,
        "phases/calendar_month.html",
        {
            "process": process,
            "month": first,
            "weeks": public.month_grid(process, first),
            "previous": previous if span and previous >= span[0] else None,
            "following": following if span and following <= span[1] else None,
        },
    )


@public_page
def meeting(request: HttpRequest, key: str) -> HttpResponse:
    process = _process_or_none()
    found = public.meeting_detail(process, key) if process else None
    if found is None:
        raise Http404(_("No such meeting."))
    documents = [
        {"document": d, "links": document_selectors.version_links(d)}
        for d in public.meeting_documents(found)
    ]
    return render(
        request,
        "phases/meeting.html",
        {"process": process, "meeting": found, "documents": documents},
    )


@public_page
def ical_feed(request: HttpRequest, kind: str | None = None) -> HttpResponse:
    """The whole process, or one kind of meeting, as an iCalendar feed."""
    process = _process_or_none()
    if process is None or (kind is not None and kind not in MeetingKind.values):
        raise Http404(_("No such feed."))
    name = process.title if kind is None else f"{process.title}: {MeetingKind(kind).label}"
    base_url = request.build_absolute_uri(reverse("phases:meeting", args=["x"]))[: -len("x/")]
    body = ical.feed(
        process, list(public.meetings(process, kind=kind)), name=name, base_url=base_url
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{process.slug}-{kind or "all"}.ics"'
    return response
