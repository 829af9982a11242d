"""Reads for the public pages. They expose only what the public may see; a template
cannot reach past them (no persons' contact data, nothing unpublished)."""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from phases.enums import DeliverableStatus, MeetingKind
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


# --- The home page: where the process stands -----------------------------------------

NOT_STARTED, UNDER_WAY = "not_started", "under_way"
BETWEEN_PHASES, CONCLUDED = "between", "concluded"
PAST, CURRENT, FUTURE = "past", "current", "future"


@dataclass
class PhaseOnAxis:
    phase: Phase
    state: str  # PAST, CURRENT or FUTURE on the day
    meetings: int


@dataclass
class Home:
    """What the home page shows on one day, with the visitor's filters applied to the
    meetings (the phases and the process's state are the whole process's)."""

    today: datetime.date
    state: str  # NOT_STARTED, UNDER_WAY, BETWEEN_PHASES or CONCLUDED
    axis: list[PhaseOnAxis]
    today_at: int  # where "Today" stands among the phases of the axis (0: before them all)
    current: list[Phase]
    next_meeting: Meeting | None  # the first meeting not over (under way or to come)
    last_meeting: Meeting | None  # when none is to come: the last one held
    upcoming: list[Meeting]
    past: list[Meeting]
    kinds: list[tuple[str, str]]  # (value, label) of the kinds the process has
    venues: list  # the process's venues, by city
    kind: str
    venue: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None

    @property
    def next_is_under_way(self) -> bool:
        return self.next_meeting is not None and _first_day(self.next_meeting) <= self.today

    @property
    def days_to_next(self) -> int | None:
        if self.next_meeting is None or not self.next_meeting.days.all():
            return None
        return (_first_day(self.next_meeting) - self.today).days

    @property
    def filtered(self) -> bool:
        return bool(self.kind or self.venue)


def _last_day(meeting: Meeting) -> datetime.date:
    days = list(meeting.days.all())
    return days[-1].date if days else datetime.date.max


def filter_choices(process: Process) -> tuple[set[str], set[str]]:
    """The values the home page's filters accept: meeting kinds and the slugs of the
    process's venues (one query)."""
    venues = set(
        Meeting.objects.filter(process=process).values_list("venue__slug", flat=True).distinct()
    )
    return set(MeetingKind.values), venues


def home(process: Process, *, today: datetime.date, kind: str = "", venue: str = "") -> Home:
    """The process on ``today``: its phases on a time axis (past, current, to come), the
    next meeting, the meetings to come and those held, filtered by kind and venue
    (values checked by the caller against ``filter_choices``). Three queries whatever the
    size: the phases, the meetings with their venues and phases, their days."""
    phases = list(Phase.objects.filter(process=process).order_by("number"))
    everything = in_date_order(meetings(process))
    per_phase: dict[int | None, int] = defaultdict(int)
    for meeting in everything:
        per_phase[meeting.phase_id] += 1
        # For the one-line list of meetings held: their first and last days (or None).
        days = meeting.days.all()
        meeting.first_on = days[0].date if days else None
        meeting.last_on = days[len(days) - 1].date if days else None
    dated = [m for m in everything if m.days.all()]
    starts = [p.starts_on for p in phases] + [_first_day(m) for m in dated]
    ends = [p.ends_on for p in phases] + [_last_day(m) for m in dated]
    starts_on, ends_on = (min(starts), max(ends)) if starts else (None, None)
    current = [p for p in phases if p.contains(today)]
    if starts_on is None or today < starts_on:
        state = NOT_STARTED
    elif today > ends_on:
        state = CONCLUDED
    else:
        state = UNDER_WAY if current else BETWEEN_PHASES
    axis = [
        PhaseOnAxis(
            phase,
            CURRENT if phase.contains(today) else PAST if phase.ends_on < today else FUTURE,
            per_phase.get(phase.id, 0),
        )
        for phase in phases
    ]
    today_at = sum(1 for p in phases if p.starts_on <= today)
    shown = [
        m
        for m in everything
        if (not kind or m.kind == kind) and (not venue or m.venue.slug == venue)
    ]
    upcoming = [m for m in shown if _last_day(m) >= today]
    past = [m for m in shown if _last_day(m) < today]
    kinds_present = {m.kind for m in everything}
    venues = sorted({m.venue_id: m.venue for m in everything}.values(), key=lambda v: v.city)
    return Home(
        today=today,
        state=state,
        axis=axis,
        today_at=today_at,
        current=current,
        next_meeting=upcoming[0] if upcoming else None,
        last_meeting=past[-1] if past and not upcoming else None,
        upcoming=upcoming,
        past=past,
        kinds=[(v, label) for v, label in MeetingKind.choices if v in kinds_present],
        venues=venues,
        kind=kind,
        venue=venue,
        starts_on=starts_on,
        ends_on=ends_on,
    )
