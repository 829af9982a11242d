"""Reads of the representatives' pages (issue 4): who may nominate for which meeting, each
meeting's registration deadline, and the nominations as each reader may see them. Every
list runs a fixed number of queries however many nominations there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Max, Min, Q, QuerySet, Value, When

from phases.enums import MeetingKind
from phases.models import Meeting, Process
from stakeholders.enums import EntryOutcome, ListPurpose, ListStatus
from stakeholders.models import ListEntry, Organization
from stakeholders.models_participation import Nomination, NominationState
from stakeholders.models_registry import ApplicationWindow, DirectRegistration, RegistrationState

# The default deadline: the end of the day (venue time) this many days before the
# meeting's first day, so that the secretariat has two weeks to confirm people and
# issue grounds passes, and representatives to arrange visas and travel.
DEFAULT_DEADLINE_DAYS = 14
END_OF_DAY = datetime.time(23, 59, 59)


# --- Who may nominate for which meeting ----------------------------------------------------


def purpose_of(meeting: Meeting) -> str:
    """Which list's purpose covers a meeting: the conference list the conference (OP 6(c)),
    the preparatory list every other meeting (OP 6(b))."""
    if meeting.kind == MeetingKind.CONFERENCE:
        return ListPurpose.CONFERENCE
    return ListPurpose.PREPARATORY


@dataclass(frozen=True)
class Grounds:
    """Why an organization takes part in a process: the final lists it is approved on
    (each covers its purpose) and its confirmed direct registrations (which cover both:
    OP 6(a) and OP 9 name "the conference and its preparatory process")."""

    approved_on: tuple[tuple[str, str], ...] = ()  # (purpose, list title)
    registered_as: tuple[str, ...] = ()  # channels (ECOSOC, NHRI)

    @property
    def purposes(self) -> frozenset[str]:
        if self.registered_as:
            return frozenset(ListPurpose.values)
        return frozenset(purpose for purpose, _title in self.approved_on)

    def covers(self, meeting: Meeting) -> bool:
        return purpose_of(meeting) in self.purposes

    def __bool__(self) -> bool:
        return bool(self.approved_on or self.registered_as)


def grounds(organization: Organization, process: Process) -> Grounds:
    """The one rule of who may nominate (two queries): an approved entry on a closed
    ("final") list of the process, or a direct registration (ECOSOC consultative status,
    NHRI with status A) that is confirmed."""
    approved = (
        ListEntry.objects.filter(
            application__organization=organization,
            stakeholder_list__process=process,
            stakeholder_list__status=ListStatus.CLOSED,
            outcome=EntryOutcome.APPROVED,
        )
        .order_by("stakeholder_list__id")
        .values_list("stakeholder_list__purpose", "stakeholder_list__title")
    )
    registered = (
        DirectRegistration.objects.filter(
            process=process, organization=organization, state=RegistrationState.CONFIRMED
        )
        .order_by("channel")
        .values_list("channel", flat=True)
        .distinct()
    )
    return Grounds(approved_on=tuple(approved), registered_as=tuple(registered))


def may_nominate(organization: Organization, meeting: Meeting) -> bool:
    """Whether the organization may nominate representatives for this meeting (whatever
    the deadline)."""
    return grounds(organization, meeting.process).covers(meeting)


# --- Registration deadlines ----------------------------------------------------------------


def default_deadline(meeting: Meeting, first_day: datetime.date | None) -> datetime.datetime | None:
    """The end of the day, in the venue's time zone, ``DEFAULT_DEADLINE_DAYS`` before the
    meeting's first day; None for a meeting without days."""
    if first_day is None:
        return None
    day = first_day - datetime.timedelta(days=DEFAULT_DEADLINE_DAYS)
    return datetime.datetime.combine(day, END_OF_DAY, tzinfo=meeting.tz)


def meeting_end(meeting: Meeting, last_day: datetime.date | None) -> datetime.datetime | None:
    """The end of the meeting's last day (venue time), if it has days."""
    if last_day is None:
        return None
    ends = max((d.ends_at for d in meeting.days.all() if d.date == last_day), default=END_OF_DAY)
    return datetime.datetime.combine(last_day, ends, tzinfo=meeting.tz)


@dataclass(frozen=True)
class Deadline:
    at: datetime.datetime
    is_default: bool
    zone: str  # the venue's time zone, for display

    def is_open(self, now: datetime.datetime) -> bool:
        return now < self.at


def _override(meeting: Meeting):
    try:
        return meeting.registration_deadline
    except Meeting.registration_deadline.RelatedObjectDoesNotExist:
        return None


def deadline_of(meeting: Meeting, first_day: datetime.date | None = None) -> Deadline | None:
    """The meeting's registration deadline: the secretariat's, else the default. Pass the
    first day where it is already known (annotated) to save a query."""
    override = _override(meeting)
    if override is not None:
        return Deadline(override.closes_at, False, meeting.venue.timezone)
    if first_day is None:
        first_day = getattr(meeting, "first_date", None)
    if first_day is None:
        first_day = meeting.days.aggregate(first=Min("date"))["first"]
    at = default_deadline(meeting, first_day)
    return Deadline(at, True, meeting.venue.timezone) if at else None


def meeting_for_nomination(process: Process, pk: int) -> Meeting | None:
    """A meeting of the process, with what its pages show (dates, venue, deadline)."""
    return (
        Meeting.objects.filter(process=process, pk=pk)
        .select_related("venue", "registration_deadline", "process")
        .annotate(first_date=Min("days__date"), last_date=Max("days__date"))
        .first()
    )


# --- Meetings with their counts --------------------------------------------------------------


@dataclass
class MeetingRow:
    meeting: Meeting
    deadline: Deadline | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def purpose(self) -> str:
        return purpose_of(self.meeting)

    @property
    def first_date(self) -> datetime.date | None:
        return self.meeting.first_date

    @property
    def last_date(self) -> datetime.date | None:
        return self.meeting.last_date

    @property
    def total(self) -> int:
        return sum(n for state, n in self.counts.items() if state != NominationState.WITHDRAWN)


def _counted(meetings: QuerySet, nominations: Q) -> QuerySet:
    counts = {
        f"n_{state}": Count(
            "nominations",
            filter=nominations & Q(nominations__state=state),
            distinct=True,  # the join with the days repeats each nomination
        )
        for state in NominationState.values
    }
    return (
        meetings.select_related("venue", "registration_deadline")
        .annotate(first_date=Min("days__date"), last_date=Max("days__date"), **counts)
        .order_by(F("first_date").asc(nulls_last=True), "title")
    )


def _rows(meetings: QuerySet) -> list[MeetingRow]:
    return [
        MeetingRow(
            meeting=m,
            deadline=deadline_of(m, m.first_date),
            counts={state: getattr(m, f"n_{state}") for state in NominationState.values},
        )
        for m in meetings
    ]


def meetings_with_counts(process: Process) -> list[MeetingRow]:
    """Every meeting of the process, in date order, with its nominations counted by state
    (one query)."""
    return _rows(_counted(Meeting.objects.filter(process=process), Q()))


def meetings_for(organization: Organization, process: Process, found: Grounds) -> list[MeetingRow]:
    """The meetings the organization may nominate for, with its own nominations counted
    by state (one query)."""
    kinds = Q()
    purposes = found.purposes
    if purposes == {ListPurpose.CONFERENCE}:
        kinds = Q(kind=MeetingKind.CONFERENCE)
    elif purposes == {ListPurpose.PREPARATORY}:
        kinds = ~Q(kind=MeetingKind.CONFERENCE)
    elif not purposes:
        return []
    meetings = Meeting.objects.filter(kinds, process=process)
    return _rows(_counted(meetings, Q(nominations__organization=organization)))


# --- Nominations ----------------------------------------------------------------------------


def organization_nominations(organization: Organization, meeting: Meeting) -> list[Nomination]:
    """The organization's nominations for a meeting, live ones first."""
    return list(
        Nomination.objects.filter(organization=organization, meeting=meeting).order_by(
            F("withdrawn_at").desc(nulls_first=True), "nominated_at", "id"
        )
    )


def own_nomination(organization: Organization, pk: int) -> Nomination | None:
    return (
        Nomination.objects.filter(organization=organization, pk=pk)
        .select_related("meeting__venue")
        .first()
    )


def meeting_nominations(meeting: Meeting, state: str = "") -> QuerySet[Nomination]:
    """A meeting's nominations for the secretariat: those awaiting a decision first, then
    by organization."""
    nominations = Nomination.objects.filter(meeting=meeting)
    if state:
        nominations = nominations.filter(state=state)
    awaiting_first = Case(When(state=NominationState.NOMINATED, then=Value(0)), default=Value(1))
    return nominations.select_related("organization__country", "decided_by").order_by(
        awaiting_first, "organization__name", "nominated_at", "id"
    )


def nomination_for_decision(process: Process, pk: int) -> Nomination | None:
    return (
        Nomination.objects.filter(pk=pk, meeting__process=process)
        .select_related("organization__country", "meeting__venue", "decided_by")
        .first()
    )


def participants(meeting: Meeting) -> QuerySet[Nomination]:
    """The participant list: every nomination not withdrawn, by organization."""
    return (
        Nomination.objects.filter(meeting=meeting)
        .exclude(state=NominationState.WITHDRAWN)
        .select_related("organization__country")
        .order_by("organization__name", "organization_id", "name", "id")
    )


def organizations_taking_part(meeting: Meeting) -> list[dict]:
    """What Member States see: the organizations with confirmed representatives, and how
    many; never a person."""
    return list(
        Nomination.objects.filter(meeting=meeting, state=NominationState.CONFIRMED)
        .values(
            "organization__name",
            "organization__name_latin",
            "organization__kind",
            "organization__country__name",
            "organization__country__regional_group",
        )
        .annotate(representatives=Count("id"))
        .order_by("organization__name")
    )


# --- Application windows ---------------------------------------------------------------------


def windows_by_purpose(process: Process) -> list[tuple[str, str, ApplicationWindow | None]]:
    """Each purpose with its window, if one is set: (purpose, label, window)."""
    found = {w.purpose: w for w in ApplicationWindow.objects.filter(process=process)}
    return [(value, label, found.get(value)) for value, label in ListPurpose.choices]


def window(process: Process, purpose: str) -> ApplicationWindow | None:
    return ApplicationWindow.objects.filter(process=process, purpose=purpose).first()
