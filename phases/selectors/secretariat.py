"""Reads for the secretariat's pages. Each runs a fixed number of queries however much
data the process holds (the page tests measure it at two sizes)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch, QuerySet

from compact_process.web.languages import columns
from phases import mandate
from phases.enums import StateStatus, Timeliness, timeliness
from phases.models import (
    Deliverable,
    Meeting,
    MeetingDay,
    MemberState,
    Phase,
    Process,
)
from phases.selectors import days_in_order, panels_with_moderators
from phases.selectors.public import in_date_order

# What the dashboard calls "due soon".
DUE_SOON_DAYS = 30
STATUSES = (mandate.OK, mandate.PENDING, mandate.WARNING, mandate.VIOLATION)


# --- Dashboard -------------------------------------------------------------------------


@dataclass
class PhaseOnTimeline:
    phase: Phase
    current: bool
    elapsed_days: int  # days of the window gone by today (0 before it opens)
    length_days: int


@dataclass
class Timeline:
    phases: list[PhaseOnTimeline]
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    today: datetime.date
    next_day: MeetingDay | None

    @property
    def inside(self) -> bool:
        return bool(
            self.starts_on and self.ends_on and self.starts_on <= self.today <= self.ends_on
        )

    @property
    def length_days(self) -> int:
        if not (self.starts_on and self.ends_on):
            return 0
        return (self.ends_on - self.starts_on).days + 1

    @property
    def elapsed_days(self) -> int:
        if not self.starts_on:
            return 0
        return max(0, min(self.length_days, (self.today - self.starts_on).days + 1))

    @property
    def current(self) -> list[Phase]:
        return [p.phase for p in self.phases if p.current]


def timeline(process: Process, today: datetime.date) -> Timeline:
    """The phases' windows and the whole span of the process (phases plus the meetings
    outside them: hearings, the conference), with today's place in it. Three queries."""
    phases = list(Phase.objects.filter(process=process).order_by("number"))
    span = MeetingDay.objects.filter(meeting__process=process).aggregate(
        first=Min("date"), last=Max("date")
    )
    starts = [d for d in [span["first"], *(p.starts_on for p in phases)] if d]
    ends = [d for d in [span["last"], *(p.ends_on for p in phases)] if d]
    next_day = (
        MeetingDay.objects.filter(meeting__process=process, date__gte=today)
        .select_related("meeting__venue")
        .order_by("date", "starts_at", "id")
        .first()
    )
    return Timeline(
        phases=[
            PhaseOnTimeline(
                phase=p,
                current=p.contains(today),
                elapsed_days=max(
                    0, min((p.ends_on - p.starts_on).days + 1, (today - p.starts_on).days + 1)
                ),
                length_days=(p.ends_on - p.starts_on).days + 1,
            )
            for p in phases
        ],
        starts_on=min(starts, default=None),
        ends_on=max(ends, default=None),
        today=today,
        next_day=next_day,
    )


@dataclass
class TrackedDeliverable:
    deliverable: Deliverable
    timeliness: Timeliness

    @property
    def anchor(self) -> str:
        return f"deliverable-{self.deliverable.key}"


def deliverables(
    process: Process,
    today: datetime.date,
    *,
    state: str = "",
    kind: str = "",
    responsible: str = "",
) -> list[TrackedDeliverable]:
    """Every deliverable with its meeting and its timeliness today (one query).

    Timeliness is derived with ``phases.enums.timeliness`` (the one definition), so the
    filter on it runs here rather than in SQL."""
    qs = Deliverable.objects.filter(process=process)
    if kind:
        qs = qs.filter(kind=kind)
    if responsible:
        qs = qs.filter(responsible=responsible)
    rows = [
        TrackedDeliverable(d, timeliness(d.due_on, d.delivered_on, today))
        for d in qs.select_related("meeting").order_by("due_on", "id")
    ]
    if state:
        rows = [r for r in rows if r.timeliness == state]
    return rows


@dataclass
class DeliverablesAtAGlance:
    due_soon: list[TrackedDeliverable] = field(default_factory=list)
    overdue: list[TrackedDeliverable] = field(default_factory=list)
    late: list[TrackedDeliverable] = field(default_factory=list)


def deliverables_at_a_glance(process: Process, today: datetime.date) -> DeliverablesAtAGlance:
    """What is due in the next ``DUE_SOON_DAYS`` days, what is overdue, what came late."""
    glance = DeliverablesAtAGlance()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    for row in deliverables(process, today):
        if row.timeliness == Timeliness.OVERDUE:
            glance.overdue.append(row)
        elif row.timeliness == Timeliness.DELIVERED_LATE:
            glance.late.append(row)
        elif row.timeliness == Timeliness.ON_TRACK and row.deliverable.due_on <= soon:
            glance.due_soon.append(row)
    return glance


def status_counts(results: Iterable[mandate.RuleResult]) -> dict[str, int]:
    """How many rules are ok, pending, warning, violated (every status present, even at 0)."""
    counts = Counter(r.status for r in results)
    return {status: counts[status] for status in STATUSES}


# --- Meetings --------------------------------------------------------------------------


@dataclass
class MeetingRow:
    meeting: Meeting
    days: list[MeetingDay]

    @property
    def first_day(self) -> MeetingDay | None:
        return self.days[0] if self.days else None

    @property
    def last_day(self) -> MeetingDay | None:
        return self.days[-1] if self.days else None


def meetings(process: Process, *, kind: str = "", phase: Phase | None = None) -> list[MeetingRow]:
    """Meetings in date order with venue, phase, days and their number of panels
    (two queries however many)."""
    qs = Meeting.objects.filter(process=process)
    if kind:
        qs = qs.filter(kind=kind)
    if phase is not None:
        qs = qs.filter(phase=phase)
    qs = (
        qs.select_related("venue", "phase")
        .annotate(panel_count=Count("panels"))
        .prefetch_related(days_in_order())
        .order_by("id")
    )
    return [MeetingRow(m, list(m.days.all())) for m in in_date_order(qs)]


def meeting(process: Process, pk: int) -> Meeting | None:
    """One meeting of the process with its days, panels, moderators (and their States)
    and deliverables; ``None`` for a meeting of another process."""
    return (
        Meeting.objects.filter(process=process, pk=pk)
        .select_related("venue", "phase", "process")
        .prefetch_related(
            days_in_order(),
            panels_with_moderators(),
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("due_on", "id")),
        )
        .first()
    )


def meeting_titles(process: Process) -> dict[str, str]:
    """Each meeting's key to its title in the active language (the compliance figures
    are keyed by meeting)."""
    found = Meeting.objects.filter(process=process).only("key", *columns("title"))
    return {m.key: m.title for m in found}


def member_states() -> QuerySet[MemberState]:
    """The States that may chair a panel (OP 17: Member States only)."""
    return MemberState.objects.filter(status=StateStatus.MEMBER).order_by("name")


@dataclass(frozen=True)
class MeetingFinding:
    rule: mandate.RuleResult
    finding: mandate.Finding
    panel_id: int | None = None


def findings_for_meeting(
    meeting: Meeting, results: Iterable[mandate.RuleResult]
) -> list[MeetingFinding]:
    """The non-OK findings whose subject is this meeting, one of its panels or one of its
    deliverables. ``meeting`` comes from ``meeting()`` (panels and deliverables prefetched)."""
    panels = {p.id for p in meeting.panels.all()}
    deliverable_keys = {d.key for d in meeting.deliverables.all()}
    found = []
    for rule in results:
        for finding in rule.findings:
            if finding.status == mandate.OK:
                continue
            parts = finding.subject.split(":")
            head = parts[0]
            ident = parts[1] if len(parts) > 1 else ""
            if head == "meeting" and ident == meeting.key:
                found.append(MeetingFinding(rule, finding))
            elif head == "panel" and ident.isdigit() and int(ident) in panels:
                found.append(MeetingFinding(rule, finding, panel_id=int(ident)))
            elif head == "deliverable" and ident in deliverable_keys:
                found.append(MeetingFinding(rule, finding))
    return found


# --- Compliance ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a finding asks to fix: a meeting (by id, with a panel to scroll to) or a
    deliverable (by key, a row of the tracker)."""

    meeting_id: int | None = None
    panel_id: int | None = None
    deliverable_key: str = ""


def finding_targets(process: Process, results: Iterable[mandate.RuleResult]) -> dict[str, Target]:
    """For every finding's subject, where to fix it. Meeting keys and panel ids are
    resolved together in one query, whatever their number."""
    subjects = {f.subject for r in results for f in r.findings if f.subject}
    if not subjects:
        return {}
    meeting_ids: dict[str, int] = {}
    panel_meetings: dict[int, int] = {}
    rows = Meeting.objects.filter(process=process).order_by().values_list("pk", "key", "panels__id")
    for pk, key, panel_id in rows:
        meeting_ids[key] = pk
        if panel_id is not None:
            panel_meetings[panel_id] = pk
    targets: dict[str, Target] = {}
    for subject in subjects:
        parts = subject.split(":")
        head = parts[0]
        ident = parts[1] if len(parts) > 1 else ""
        if head == "meeting" and ident in meeting_ids:
            targets[subject] = Target(meeting_id=meeting_ids[ident])
        elif head == "panel" and ident.isdigit() and int(ident) in panel_meetings:
            targets[subject] = Target(meeting_id=panel_meetings[int(ident)], panel_id=int(ident))
        elif head == "deliverable" and ident:
            targets[subject] = Target(deliverable_key=ident)
    return targets
