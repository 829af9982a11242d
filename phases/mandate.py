"""The mandate checks: each rule of resolution 71/280 as one pure function.

Every rule takes a ``ProcessData`` snapshot (loaded in a fixed number of
queries by ``phases.selectors.load_process_data``) and returns a ``RuleResult``
whose findings cite the operative paragraph (OP). Forms, services, the
compliance page and ``manage.py check_mandate`` all call these functions; no
rule is written twice.

Two kinds of finding matter to data entry:
- a *limit* (a cap or a window: more than 12 working days, a third moderator,
  a meeting outside its phase) is a hard rule: services refuse a change that
  creates one;
- a *completeness* finding (too few panels, a summary not yet delivered) cannot
  be refused at entry (data arrives piece by piece) and is reported instead:
  pending while there is time, a violation once the date has passed.
Soft rules (geographic balance, OP 17) only ever warn, with their figures.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from compact_process.formats.written import day_words as _day
from phases.enums import DeliverableKind, MeetingKind, RegionalGroup, Timeliness, timeliness
from phases.parameters import MandateParameters
from phases.workdays import holiday_name, is_working_day

# --- Result types ----------------------------------------------------------------

OK = "ok"
PENDING = "pending"
WARNING = "warning"
VIOLATION = "violation"
_SEVERITY = {OK: 0, PENDING: 1, WARNING: 2, VIOLATION: 3}


@dataclass(frozen=True)
class Finding:
    status: str
    message: str
    subject: str = ""  # a stable key of what the finding is about, e.g. "meeting:ts-1"
    limit: bool = False  # a hard cap or window: services refuse changes that create one


@dataclass
class RuleResult:
    code: str
    op: str
    title: str
    hard: bool
    summary: str
    figures: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = [f.status for f in self.findings] or [OK]
        return max(statuses, key=_SEVERITY.__getitem__)

    @property
    def limit_violations(self) -> list[Finding]:
        return [f for f in self.findings if f.limit and f.status == VIOLATION]

    @property
    def op_label(self) -> str:
        """``op`` in the reader's language ("OP 15–16" stays the key in JSON)."""
        return op_label(self.op)


def op_label(op: str) -> str:
    """A rule's "OP 15–16" (operative paragraphs of the resolution) as the active
    language cites paragraphs, the numbers kept: "par. 15–16 du dispositif"."""
    if not op.startswith("OP "):
        return op
    return _("OP %(paragraphs)s") % {"paragraphs": op.removeprefix("OP ")}


# --- The snapshot the rules read -------------------------------------------------


@dataclass
class DayData:
    date: datetime.date
    portion: Decimal


@dataclass
class MeetingData:
    id: int
    key: str
    kind: str
    title: str
    phase_id: int | None
    venue_slug: str
    country: str
    subdivision: str
    mandate_slot: str
    mandated_days: int | None
    days: list[DayData]
    panels: list[PanelData]

    @property
    def first_day(self) -> datetime.date | None:
        return min((d.date for d in self.days), default=None)

    @property
    def last_day(self) -> datetime.date | None:
        return max((d.date for d in self.days), default=None)

    @property
    def day_total(self) -> Decimal:
        return sum((d.portion for d in self.days), Decimal(0))


@dataclass
class PanelData:
    id: int
    order: int
    title: str
    moderators: list[ModeratorData]


@dataclass
class ModeratorData:
    state_name: str
    is_member: bool
    regional_group: str


@dataclass
class PhaseData:
    id: int
    number: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass
class DeliverableData:
    id: int
    key: str
    kind: str
    title: str
    meeting_id: int | None
    due_on: datetime.date
    delivered_on: datetime.date | None

    def timeliness(self, today: datetime.date) -> Timeliness:
        return timeliness(self.due_on, self.delivered_on, today)


@dataclass
class ProcessData:
    params: MandateParameters
    today: datetime.date
    phases: list[PhaseData]
    meetings: list[MeetingData]
    deliverables: list[DeliverableData]
    closures: dict[str, set[datetime.date]]  # venue slug -> closed days

    def of_kind(self, kind: str) -> list[MeetingData]:
        return [m for m in self.meetings if m.kind == kind]

    def deliverables_of(self, kind: str) -> list[DeliverableData]:
        return [d for d in self.deliverables if d.kind == kind]

    @cached_property
    def deliverables_by_meeting(self) -> dict[tuple[str, int | None], list[DeliverableData]]:
        index: dict[tuple[str, int | None], list[DeliverableData]] = defaultdict(list)
        for d in self.deliverables:
            index[(d.kind, d.meeting_id)].append(d)
        return index


# --- Helpers -----------------------------------------------------------------------


def _fmt_days(value: Decimal | float) -> str:
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def working_days(meeting: MeetingData, closures: dict[str, set[datetime.date]]) -> Decimal:
    closed = closures.get(meeting.venue_slug, set())
    return sum(
        (
            d.portion
            for d in meeting.days
            if is_working_day(
                d.date, country=meeting.country, subdivision=meeting.subdivision, closures=closed
            )
        ),
        Decimal(0),
    )


def _past(meeting: MeetingData, today: datetime.date) -> bool:
    return meeting.last_day is not None and meeting.last_day < today


def _meeting_subject(meeting: MeetingData) -> str:
    return f"meeting:{meeting.key}"


# --- The rules -----------------------------------------------------------------------


def check_phase_windows(data: ProcessData) -> RuleResult:
    """Rule 1 (OP 14): each meeting falls inside its phase's window."""
    phases = {p.id: p for p in data.phases}
    findings: list[Finding] = []
    checked = 0
    for meeting in data.meetings:
        phase = phases.get(meeting.phase_id) if meeting.phase_id else None
        if phase is None or not meeting.days:
            continue
        checked += 1
        outside = [d.date for d in meeting.days if not phase.starts_on <= d.date <= phase.ends_on]
        if outside:
            findings.append(
                Finding(
                    VIOLATION,
                    _(
                        "OP 14: %(meeting)s has days outside %(phase)s "
                        "(%(start)s to %(end)s): %(days)s."
                    )
                    % {
                        "meeting": meeting.title,
                        "phase": phase.title,
                        "start": _day(phase.starts_on),
                        "end": _day(phase.ends_on),
                        "days": ", ".join(_day(d) for d in outside),
                    },
                    subject=_meeting_subject(meeting),
                    limit=True,
                )
            )
    return RuleResult(
        "phase-windows",
        "OP 14",
        _("Meetings inside their phase's window"),
        hard=True,
        summary=_("%(ok)d of %(n)d meetings inside their phase's window")
        % {"ok": checked - len(findings), "n": checked},
        figures={"meetings_checked": checked, "outside": len(findings)},
        findings=findings,
    )


def check_thematic_sessions(data: ProcessData) -> RuleResult:
    """Rule 2 (OP 15–16): six sessions at the mandated venues and themes; at most 12
    working days in all; two or three panels each."""
    p = data.params
    sessions = data.of_kind(MeetingKind.THEMATIC_SESSION)
    slots = {s.key: s for s in p.thematic_slots}
    findings: list[Finding] = []

    # Count and slots.
    if len(sessions) > len(slots):
        findings.append(
            Finding(
                VIOLATION,
                _(
                    "OP 15: the mandate provides for %(n)d informal thematic sessions; "
                    "there would be %(count)d."
                )
                % {"n": len(slots), "count": len(sessions)},
                subject="thematic:count",
                limit=True,
            )
        )
    used: Counter[str] = Counter(s.mandate_slot for s in sessions if s.mandate_slot)
    for session in sessions:
        slot = slots.get(session.mandate_slot)
        if slot is None:
            findings.append(
                Finding(
                    VIOLATION,
                    _("OP 15: %(meeting)s is not one of the mandated sessions.")
                    % {"meeting": session.title},
                    subject=_meeting_subject(session),
                    limit=True,
                )
            )
        elif slot.venue != session.venue_slug:
            findings.append(
                Finding(
                    VIOLATION,
                    _("OP 15: %(meeting)s must be held at %(venue)s.")
                    % {"meeting": session.title, "venue": slot.venue},
                    subject=_meeting_subject(session),
                    limit=True,
                )
            )
    for key, count in used.items():
        if key in slots and count > 1:
            findings.append(
                Finding(
                    VIOLATION,
                    _("OP 15: the mandated session %(slot)s is held %(count)d times.")
                    % {"slot": key, "count": count},
                    subject=f"thematic:slot:{key}",
                    limit=True,
                )
            )
    missing = [k for k in slots if k not in used]
    if missing:
        findings.append(
            Finding(
                PENDING,
                _("OP 15: %(n)d mandated sessions not yet scheduled: %(slots)s.")
                % {"n": len(missing), "slots": ", ".join(missing)},
                subject="thematic:missing",
            )
        )

    # Working days (OP 16).
    per_session = {s.key: working_days(s, data.closures) for s in sessions}
    total = sum(per_session.values(), Decimal(0))
    cap = Decimal(str(p.thematic_max_working_days))
    if total > cap:
        findings.append(
            Finding(
                VIOLATION,
                _(
                    "OP 16: the thematic sessions may total at most %(cap)s working days; "
                    "they would total %(total)s."
                )
                % {"cap": _fmt_days(cap), "total": _fmt_days(total)},
                subject=f"thematic:working-days:{total}",
                limit=True,
            )
        )
    for session in sessions:
        for day in session.days:
            closed = data.closures.get(session.venue_slug, set())
            if not is_working_day(
                day.date, country=session.country, subdivision=session.subdivision, closures=closed
            ):
                why = holiday_name(session.country, session.subdivision, day.date) or (
                    _("a closure") if day.date in closed else _("a weekend")
                )
                findings.append(
                    Finding(
                        WARNING,
                        _(
                            "OP 16: %(meeting)s meets on %(day)s, %(why)s at the venue; "
                            "it does not count as a working day."
                        )
                        % {"meeting": session.title, "day": _day(day.date), "why": why},
                        subject=f"{_meeting_subject(session)}:non-working:{day.date}",
                    )
                )

    # Panels (OP 16).
    for session in sessions:
        n = len(session.panels)
        if n > p.panels_max:
            findings.append(
                Finding(
                    VIOLATION,
                    _(
                        "OP 16: each thematic session has two or three expert panels; "
                        "%(meeting)s would have %(n)d."
                    )
                    % {"meeting": session.title, "n": n},
                    subject=f"{_meeting_subject(session)}:panels:{n}",
                    limit=True,
                )
            )
        elif n < p.panels_min:
            findings.append(
                Finding(
                    VIOLATION if _past(session, data.today) else PENDING,
                    _(
                        "OP 16: each thematic session has two or three expert panels; "
                        "%(meeting)s has %(n)d."
                    )
                    % {"meeting": session.title, "n": n},
                    subject=f"{_meeting_subject(session)}:panels",
                )
            )

    return RuleResult(
        "thematic-sessions",
        "OP 15–16",
        _("Six informal thematic sessions, at most 12 working days, two or three panels each"),
        hard=True,
        summary=_(
            "thematic sessions: %(sessions)d of %(slots)d scheduled; "
            "%(used)s of %(cap)s working days"
        )
        % {
            "sessions": len(sessions),
            "slots": len(slots),
            "used": _fmt_days(total),
            "cap": _fmt_days(cap),
        },
        figures={
            "sessions": len(sessions),
            "mandated_sessions": len(slots),
            "working_days": float(total),
            "working_days_cap": float(cap),
            "working_days_by_session": {k: float(v) for k, v in per_session.items()},
        },
        findings=findings,
    )


def _group_label(code: str) -> str:
    return str(RegionalGroup(code).label) if code in RegionalGroup.values else code


def check_panel_moderators(data: ProcessData) -> RuleResult:
    """Rule 3 (OP 17): each panel is moderated by one or two Member States; a session's
    moderators are geographically balanced (a warning, with the distribution)."""
    p = data.params
    findings: list[Finding] = []
    panels = 0
    distribution_by_session: dict[str, dict[str, int]] = {}
    for session in data.of_kind(MeetingKind.THEMATIC_SESSION):
        groups: Counter[str] = Counter()
        for panel in session.panels:
            panels += 1
            subject = f"panel:{panel.id}"
            if len(panel.moderators) > p.moderators_per_panel_max:
                findings.append(
                    Finding(
                        VIOLATION,
                        _(
                            "OP 17: a panel is chaired by a Member State appointed by the "
                            "President of the General Assembly; at most %(max)d moderators per "
                            "panel, and %(panel)s would have %(n)d."
                        )
                        % {
                            "max": p.moderators_per_panel_max,
                            "panel": panel.title,
                            "n": len(panel.moderators),
                        },
                        subject=f"{subject}:count:{len(panel.moderators)}",
                        limit=True,
                    )
                )
            for moderator in panel.moderators:
                if not moderator.is_member:
                    findings.append(
                        Finding(
                            VIOLATION,
                            _(
                                "OP 17: each panel is chaired by a Member State; %(state)s is "
                                "not a Member State."
                            )
                            % {"state": moderator.state_name},
                            subject=f"{subject}:non-member:{moderator.state_name}",
                            limit=True,
                        )
                    )
                groups[moderator.regional_group] += 1
            if not panel.moderators and _past(session, data.today):
                findings.append(
                    Finding(
                        WARNING,
                        _("OP 17: no moderator is recorded for %(panel)s (%(meeting)s).")
                        % {"panel": panel.title, "meeting": session.title},
                        subject=f"{subject}:none",
                    )
                )
        total = sum(groups.values())
        # Every regional group, 0 as 0 (and "no group" only when a moderator has none).
        shown = [g for g in RegionalGroup.values if g or groups.get(g)]
        distribution = {_group_label(g): groups.get(g, 0) for g in shown}
        distribution_by_session[session.key] = distribution
        # Balance: with two or more moderators, no one regional group holds more than half.
        if total >= 2 and max(groups.values()) * 2 > total:
            findings.append(
                Finding(
                    WARNING,
                    _(
                        "OP 17: the moderators of %(meeting)s are not geographically balanced "
                        "across the regional groups: %(distribution)s."
                    )
                    % {
                        "meeting": session.title,
                        "distribution": "; ".join(f"{g}: {n}" for g, n in distribution.items()),
                    },
                    subject=f"{_meeting_subject(session)}:balance",
                )
            )
    # Other meetings' panels (an informal consultation's, a dialogue's): OP 17 speaks of
    # the thematic sessions, so more moderators than its practice allows is a warning
    # there, not a refusal.
    for meeting in data.meetings:
        if meeting.kind == MeetingKind.THEMATIC_SESSION:
            continue
        for panel in meeting.panels:
            if len(panel.moderators) > p.moderators_per_panel_max:
                findings.append(
                    Finding(
                        WARNING,
                        _(
                            "OP 17: a panel is moderated by one or two Member States; "
                            "%(panel)s (%(meeting)s) has %(n)d."
                        )
                        % {
                            "panel": panel.title,
                            "meeting": meeting.title,
                            "n": len(panel.moderators),
                        },
                        subject=f"panel:{panel.id}:count:{len(panel.moderators)}",
                    )
                )
    return RuleResult(
        "panel-moderators",
        "OP 17",
        _("Panels chaired by Member States, with geographical balance"),
        hard=True,
        summary=_("%(panels)d panels checked") % {"panels": panels},
        figures={"panels": panels, "distribution_by_session": distribution_by_session},
        findings=findings,
    )


def _deliverable_for(data: ProcessData, kind: str, meeting: MeetingData) -> list[DeliverableData]:
    return data.deliverables_by_meeting.get((kind, meeting.id), [])


def check_issue_briefs(data: ProcessData) -> RuleResult:
    """Rule 4 (OP 18): an issue brief is provided before each thematic session opens."""
    findings: list[Finding] = []
    in_time = 0
    sessions = data.of_kind(MeetingKind.THEMATIC_SESSION)
    for session in sessions:
        opens = session.first_day
        briefs = _deliverable_for(data, DeliverableKind.ISSUE_BRIEF, session)
        delivered = [b.delivered_on for b in briefs if b.delivered_on]
        if opens and delivered and min(delivered) < opens:
            in_time += 1
            continue
        if opens is None or (opens > data.today and not delivered):
            findings.append(
                Finding(
                    PENDING,
                    _("OP 18: the issue brief for %(meeting)s is not yet provided.")
                    % {"meeting": session.title},
                    subject=f"{_meeting_subject(session)}:brief",
                )
            )
        else:
            findings.append(
                Finding(
                    VIOLATION,
                    _("OP 18: no issue brief was provided before %(meeting)s opened on %(day)s.")
                    % {"meeting": session.title, "day": _day(opens)},
                    subject=f"{_meeting_subject(session)}:brief",
                )
            )
    return RuleResult(
        "issue-briefs",
        "OP 18",
        _("Issue brief before each thematic session"),
        hard=True,
        summary=_("%(ok)d of %(n)d thematic sessions had their issue brief in advance")
        % {"ok": in_time, "n": len(sessions)},
        figures={"in_advance": in_time, "sessions": len(sessions)},
        findings=findings,
    )


def check_session_summaries(data: ProcessData) -> RuleResult:
    """Rule 5 (OP 21): a co-facilitators' summary of every thematic session."""
    findings: list[Finding] = []
    done = 0
    sessions = data.of_kind(MeetingKind.THEMATIC_SESSION)
    for session in sessions:
        summaries = _deliverable_for(data, DeliverableKind.COFACILITATORS_SUMMARY, session)
        if any(s.delivered_on for s in summaries):
            done += 1
            continue
        overdue = any(s.timeliness(data.today) == Timeliness.OVERDUE for s in summaries)
        missing_after = _past(session, data.today) and not summaries
        findings.append(
            Finding(
                VIOLATION if overdue or missing_after else PENDING,
                _("OP 21: the co-facilitators' summary of %(meeting)s is not yet delivered.")
                % {"meeting": session.title},
                subject=f"{_meeting_subject(session)}:summary",
            )
        )
    return RuleResult(
        "session-summaries",
        "OP 21",
        _("Co-facilitators' summary of every thematic session"),
        hard=True,
        summary=_("%(ok)d of %(n)d summaries delivered") % {"ok": done, "n": len(sessions)},
        figures={"delivered": done, "sessions": len(sessions)},
        findings=findings,
    )


def _first_delivered(data: ProcessData, kind: str) -> datetime.date | None:
    return min((d.delivered_on for d in data.deliverables_of(kind) if d.delivered_on), default=None)


def check_stocktaking(data: ProcessData) -> RuleResult:
    """Rule 6 (OP 23–25): a three-day stocktaking meeting; the chair's summary before
    the zero draft."""
    p = data.params
    findings: list[Finding] = []
    days = Decimal(str(p.stocktaking_days))
    meetings = data.of_kind(MeetingKind.STOCKTAKING)
    for meeting in meetings:
        total = meeting.day_total
        if total > days:
            findings.append(
                Finding(
                    VIOLATION,
                    _(
                        "OP 23: the stocktaking meeting lasts %(days)s days; %(meeting)s would "
                        "last %(total)s."
                    )
                    % {
                        "days": _fmt_days(days),
                        "meeting": meeting.title,
                        "total": _fmt_days(total),
                    },
                    subject=f"{_meeting_subject(meeting)}:days:{total}",
                    limit=True,
                )
            )
        elif total < days:
            findings.append(
                Finding(
                    VIOLATION if _past(meeting, data.today) else PENDING,
                    _(
                        "OP 23: the stocktaking meeting lasts %(days)s days; %(meeting)s has "
                        "%(total)s."
                    )
                    % {
                        "days": _fmt_days(days),
                        "meeting": meeting.title,
                        "total": _fmt_days(total),
                    },
                    subject=f"{_meeting_subject(meeting)}:days",
                )
            )
    if not meetings:
        findings.append(
            Finding(
                PENDING,
                _("OP 23: the stocktaking meeting is not yet scheduled."),
                subject="stocktaking:missing",
            )
        )
    chair = _first_delivered(data, DeliverableKind.CHAIRS_SUMMARY)
    zero = _first_delivered(data, DeliverableKind.ZERO_DRAFT)
    if zero and (chair is None or chair > zero):
        findings.append(
            Finding(
                VIOLATION,
                _(
                    "OP 25: the chair's summary is the basis of the zero draft and comes "
                    "before it; the zero draft is dated %(zero)s."
                )
                % {"zero": _day(zero)},
                subject="stocktaking:chairs-summary",
            )
        )
    elif chair is None:
        findings.append(
            Finding(
                PENDING,
                _("OP 25: the chair's summary is not yet delivered."),
                subject="stocktaking:chairs-summary",
            )
        )
    return RuleResult(
        "stocktaking",
        "OP 23–25",
        _("Three-day stocktaking meeting; chair's summary before the zero draft"),
        hard=True,
        summary=_(
            "stocktaking: %(total)s of %(days)s days; chair's summary %(chair)s, "
            "zero draft %(zero)s"
        )
        % {
            "total": _fmt_days(sum((m.day_total for m in meetings), Decimal(0))),
            "days": _fmt_days(days),
            "chair": _day(chair) if chair else "—",
            "zero": _day(zero) if zero else "—",
        },
        figures={
            "meetings": len(meetings),
            "chairs_summary": chair.isoformat() if chair else None,
            "zero_draft": zero.isoformat() if zero else None,
        },
        findings=findings,
    )


def check_zero_draft_and_rounds(data: ProcessData) -> RuleResult:
    """Rule 7 (OP 27–28): the zero draft by early February 2018; negotiation rounds with
    their mandated day counts."""
    p = data.params
    findings: list[Finding] = []
    zero = _first_delivered(data, DeliverableKind.ZERO_DRAFT)
    if p.zero_draft_by:
        if zero and zero > p.zero_draft_by:
            findings.append(
                Finding(
                    VIOLATION,
                    _("OP 27: the zero draft is to be available by %(by)s; it came on %(on)s.")
                    % {"by": _day(p.zero_draft_by), "on": _day(zero)},
                    subject="zero-draft",
                )
            )
        elif zero is None:
            findings.append(
                Finding(
                    VIOLATION if data.today > p.zero_draft_by else PENDING,
                    _("OP 27: the zero draft is to be available by %(by)s.")
                    % {"by": _day(p.zero_draft_by)},
                    subject="zero-draft",
                )
            )
    rounds = data.of_kind(MeetingKind.NEGOTIATION_ROUND)
    matching = 0
    for meeting in rounds:
        if meeting.mandated_days is None:
            continue
        total, want = meeting.day_total, Decimal(meeting.mandated_days)
        if total == want:
            matching += 1
        elif total > want:
            findings.append(
                Finding(
                    VIOLATION,
                    _("OP 28: %(meeting)s is mandated for %(want)s days; it would have %(total)s.")
                    % {
                        "meeting": meeting.title,
                        "want": _fmt_days(want),
                        "total": _fmt_days(total),
                    },
                    subject=f"{_meeting_subject(meeting)}:days:{total}",
                    limit=True,
                )
            )
        else:
            findings.append(
                Finding(
                    VIOLATION if _past(meeting, data.today) else PENDING,
                    _("OP 28: %(meeting)s is mandated for %(want)s days; it has %(total)s.")
                    % {
                        "meeting": meeting.title,
                        "want": _fmt_days(want),
                        "total": _fmt_days(total),
                    },
                    subject=f"{_meeting_subject(meeting)}:days",
                )
            )
    return RuleResult(
        "zero-draft-rounds",
        "OP 27–28",
        _("Zero draft by early February 2018; negotiation rounds with their days"),
        hard=True,
        summary=_("zero draft %(zero)s; %(ok)d of %(n)d rounds with their mandated days")
        % {"zero": _day(zero) if zero else "—", "ok": matching, "n": len(rounds)},
        figures={
            "zero_draft": zero.isoformat() if zero else None,
            "rounds": len(rounds),
            "rounds_matching": matching,
        },
        findings=findings,
    )


def check_hearings(data: ProcessData) -> RuleResult:
    """Rule 8 (OP 30): at most four days of hearings in all (a half day counts as a half),
    inside the window."""
    p = data.params
    hearings = data.of_kind(MeetingKind.HEARING)
    total = sum((m.day_total for m in hearings), Decimal(0))
    cap = Decimal(str(p.hearing_max_days))
    start, end = p.hearing_window
    findings: list[Finding] = []
    if total > cap:
        findings.append(
            Finding(
                VIOLATION,
                _(
                    "OP 30: the multi-stakeholder hearings total at most %(cap)s days; they "
                    "would total %(total)s."
                )
                % {"cap": _fmt_days(cap), "total": _fmt_days(total)},
                subject=f"hearings:days:{total}",
                limit=True,
            )
        )
    for meeting in hearings:
        outside = [d.date for d in meeting.days if not start <= d.date <= end]
        if outside:
            findings.append(
                Finding(
                    VIOLATION,
                    _(
                        "OP 30: hearings are held between %(start)s and %(end)s; %(meeting)s "
                        "falls outside on %(days)s."
                    )
                    % {
                        "start": _day(start),
                        "end": _day(end),
                        "meeting": meeting.title,
                        "days": ", ".join(_day(d) for d in outside),
                    },
                    subject=f"{_meeting_subject(meeting)}:window",
                    limit=True,
                )
            )
    return RuleResult(
        "hearings",
        "OP 30",
        _("Multi-stakeholder hearings: at most four days, April 2017 to June 2018"),
        hard=True,
        summary=_("hearings: %(used)s of %(cap)s days used in %(n)d hearings")
        % {"used": _fmt_days(total), "cap": _fmt_days(cap), "n": len(hearings)},
        figures={"days_used": float(total), "days_allowed": float(cap), "hearings": len(hearings)},
        findings=findings,
    )


def _deadline_findings(
    data: ProcessData, deliverables: Iterable[DeliverableData], op: str
) -> tuple[list[Finding], Counter[str]]:
    findings: list[Finding] = []
    counts: Counter[str] = Counter()
    for d in deliverables:
        state = d.timeliness(data.today)
        counts[state.value] += 1
        if state == Timeliness.OVERDUE:
            findings.append(
                Finding(
                    VIOLATION,
                    _("%(op)s: %(title)s was due on %(due)s and is overdue.")
                    % {"op": op_label(op), "title": d.title, "due": _day(d.due_on)},
                    subject=f"deliverable:{d.key}",
                )
            )
        elif state == Timeliness.DELIVERED_LATE:
            findings.append(
                Finding(
                    WARNING,
                    _("%(op)s: %(title)s was due on %(due)s and delivered late, on %(on)s.")
                    % {
                        "op": op_label(op),
                        "title": d.title,
                        "due": _day(d.due_on),
                        "on": _day(d.delivered_on),
                    },
                    subject=f"deliverable:{d.key}",
                )
            )
    return findings, counts


def check_stakeholder_lists(data: ProcessData) -> RuleResult:
    """Rule 9 (OP 6): the stakeholder lists are submitted to Member States by their
    deadlines. (The review itself is checked by the stakeholders app once it records it.)"""
    lists = data.deliverables_of(DeliverableKind.STAKEHOLDER_LIST)
    findings, counts = _deadline_findings(data, lists, "OP 6")
    if not lists:
        findings.append(
            Finding(
                PENDING,
                _("OP 6: no stakeholder list submission is scheduled."),
                subject="stakeholder-lists:missing",
            )
        )
    submitted = counts[Timeliness.DELIVERED_ON_TIME] + counts[Timeliness.DELIVERED_LATE]
    return RuleResult(
        "stakeholder-lists",
        "OP 6",
        _("Stakeholder lists submitted by their deadlines, on a non-objection basis"),
        hard=True,
        summary=_("%(ok)d of %(n)d stakeholder lists submitted")
        % {"ok": submitted, "n": len(lists)},
        figures={"lists": len(lists), **dict(counts)},
        findings=findings,
    )


def check_deliverable_deadlines(data: ProcessData) -> RuleResult:
    """Rule 10 (OP 13, 22, 26, 27 and the rest): every deliverable tracked; late and
    overdue ones reported."""
    tracked = [d for d in data.deliverables if d.kind != DeliverableKind.STAKEHOLDER_LIST]
    findings, counts = _deadline_findings(data, tracked, _("Deadline"))
    return RuleResult(
        "deliverable-deadlines",
        "OP 13, 22, 26, 27",
        _("Deliverables on time"),
        hard=True,
        summary=_(
            "%(n)d deliverables: %(on_time)d on time, %(late)d late, %(overdue)d "
            "overdue, %(open)d open"
        )
        % {
            "n": len(tracked),
            "on_time": counts[Timeliness.DELIVERED_ON_TIME],
            "late": counts[Timeliness.DELIVERED_LATE],
            "overdue": counts[Timeliness.OVERDUE],
            "open": counts[Timeliness.ON_TRACK],
        },
        figures={"deliverables": len(tracked), **dict(counts)},
        findings=findings,
    )


RULES: list[Callable[[ProcessData], RuleResult]] = [
    check_phase_windows,
    check_thematic_sessions,
    check_panel_moderators,
    check_issue_briefs,
    check_session_summaries,
    check_stocktaking,
    check_zero_draft_and_rounds,
    check_hearings,
    check_stakeholder_lists,
    check_deliverable_deadlines,
]


def run_all(data: ProcessData) -> list[RuleResult]:
    return [rule(data) for rule in RULES]


def limit_keys(results: Iterable[RuleResult]) -> set[tuple[str, str]]:
    return {(r.code, f.subject) for r in results for f in r.limit_violations}
