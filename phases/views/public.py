"""Public pages: no sign-in. They read through ``phases.selectors.public`` and are cached
per URL (and so per language) by ``public_page``, which also answers conditional GETs."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from compact_process.web.cache import public_page, public_page_of_the_day
from phases import ical, selectors
from phases.documents import selectors as document_selectors
from phases.enums import MeetingKind
from phases.selectors import public


def _process_or_none():
    return selectors.default_process()


FILTERS = ("kind", "venue")


@public_page_of_the_day
def timeline(request: HttpRequest) -> HttpResponse:
    """Where the process stands today: its phases on a time axis with the current one
    marked, the next meeting, the meetings to come and, folded, those held; filtered by
    kind and venue with plain GET parameters (no script needed).

    Cached per URL and day: a query string with anything but a known kind and venue, or
    in another order, is redirected to the one URL of that choice, so that made-up
    parameters cannot fill the page cache."""
    process = _process_or_none()
    if process is None:
        return render(request, "phases/public_home.html", {"process": None})
    kinds, venues = public.filter_choices(process)
    known = {"kind": kinds, "venue": venues}
    chosen = {
        name: value
        for name in FILTERS
        if len(request.GET.getlist(name)) == 1 and (value := request.GET[name]) in known[name]
    }
    canonical = urlencode(chosen)
    if request.META.get("QUERY_STRING", "") != canonical:
        return redirect(request.path + (f"?{canonical}" if canonical else ""))
    home = public.home(process, today=timezone.now().date(), **chosen)
    return render(
        request,
        "phases/public_home.html",
        {"process": process, "home": home, "PAST": public.PAST, "CURRENT": public.CURRENT},
    )


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


def _meetings_base_url(request: HttpRequest) -> str:
    """The absolute address of the meeting pages, without a key (``.../meetings/``)."""
    return request.build_absolute_uri(reverse("phases:meeting", args=["x"]))[: -len("x/")]


@public_page
def ical_feed(request: HttpRequest, kind: str | None = None) -> HttpResponse:
    """The whole process, or one kind of meeting, as an iCalendar feed."""
    process = _process_or_none()
    if process is None or (kind is not None and kind not in MeetingKind.values):
        raise Http404(_("No such feed."))
    name = process.title if kind is None else f"{process.title}: {MeetingKind(kind).label}"
    body = ical.feed(
        process,
        list(public.meetings(process, kind=kind)),
        name=name,
        base_url=_meetings_base_url(request),
    )
    return _calendar_file(body, f"{process.slug}-{kind or 'all'}.ics")


@public_page
def meeting_ical(request: HttpRequest, key: str) -> HttpResponse:
    """One meeting as a calendar file: one event per day, in the venue's time zone."""
    process = _process_or_none()
    found = public.meetings(process).filter(key=key).first() if process else None
    if found is None:
        raise Http404(_("No such meeting."))
    body = ical.feed(process, [found], name=found.title, base_url=_meetings_base_url(request))
    return _calendar_file(body, f"{process.slug}-{found.key}.ics")


def _calendar_file(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
