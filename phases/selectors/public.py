"""Reads for the public pages. They expose only what the public may see; a template
cannot reach past them (no persons' contact data, nothing unpublished)."""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from phases.enums import DeliverableStatus
from phases.models import Deliverable, Meeting, MeetingDay, Phase, Process
from phases.selectors import days_in_order, panels_with_moderators


def meetings(process: Process, *, kind: str | None = None) -> QuerySet[Meeting]:
    """Meetings with venue, phase and days (three queries however many)."""
    qs = Meeting.objects.filter(process=process)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("venue", "phase").prefetch_related(days_in_order()).order_by("id")


def _first_day(meeting: Meeting) -> datetime.date:
    days = list(meeting.days.all())
    return days[0].date if days else datetime.date.max


def in_date_order(items) -> list[Meeting]:
    return sorted(items, key=lambda m: (_first_day(m), m.id))


def timeline(process: Process) -> dict:
    """Phases, each with its meetings in date order, and the meetings outside any phase
    (the hearings and the conference)."""
    phases = list(Phase.objects.filter(process=process).order_by("number"))
    by_phase: dict[int | None, list[Meeting]] = defaultdict(list)
    for meeting in meetings(process):
        by_phase[meeting.phase_id].append(meeting)
    return {
        "phases": [(phase, in_date_order(by_phase.get(phase.id, []))) for phase in phases],
        "unphased": in_date_order(by_phase.get(None, [])),
    }


@dataclass
class CalendarEntry:
    day: MeetingDay
    meeting: Meeting


def calendar_entries(
    process: Process, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[CalendarEntry]:
    """One entry per meeting day, in date order, optionally within [start, end]."""
    entries = []
    for meeting in meetings(process):
        for day in meeting.days.all():
            if (start is None or day.date >= start) and (end is None or day.date <= end):
                entries.append(CalendarEntry(day, meeting))
    entries.sort(key=lambda e: (e.day.date, e.day.starts_at, e.meeting.id))
    return entries


def by_month(entries: list[CalendarEntry]) -> list[tuple[datetime.date, list[CalendarEntry]]]:
    months: dict[datetime.date, list[CalendarEntry]] = defaultdict(list)
    for entry in entries:
        months[entry.day.date.replace(day=1)].append(entry)
    return sorted(months.items())


def month_grid(process: Process, month: datetime.date) -> list[list[tuple[datetime.date, list]]]:
    """Weeks (Monday first) of (day, entries) for one month; days of the neighbouring
    months are included to fill the weeks."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    entries = calendar_entries(process, start=weeks[0][0], end=weeks[-1][-1])
    per_day: dict[datetime.date, list[CalendarEntry]] = defaultdict(list)
    for entry in entries:
        per_day[entry.day.date].append(entry)
    return [[(day, per_day.get(day, [])) for day in week] for week in weeks]


def month_span(process: Process) -> tuple[datetime.date, datetime.date] | None:
    days = MeetingDay.objects.filter(meeting__process=process).order_by("date")
    first, last = (
        days.values_list("date", flat=True).first(),
        days.values_list("date", flat=True).last(),
    )
    if first is None or last is None:
        return None
    return first.replace(day=1), last.replace(day=1)


def meeting_detail(process: Process, key: str) -> Meeting | None:
    """A meeting with its days, panels and moderators, and its delivered documents."""
    return (
        Meeting.objects.filter(process=process, key=key)
        .select_related("venue", "phase")
        .prefetch_related(
            days_in_order(),
            panels_with_moderators(),
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.filter(status=DeliverableStatus.DELIVERED).order_by(
                    "delivered_on"
                ),
                to_attr="published",
            ),
        )
        .first()
    )


def meeting_documents(meeting: Meeting) -> list:
    """The meeting's published, general-distribution documents, in date order (only
    those: ``phases.documents.selectors`` hides the rest)."""
    from phases.documents.selectors import meeting_documents as published

    return published(meeting)
