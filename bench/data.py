"""Generated processes and stakeholder lists for the benchmarks, written with
``bulk_create`` straight to the models (``phases.services`` runs the mandate checks on
every call: far too slow here).

The data is deterministic (a seeded RNG) and shaped so that every mandate rule does real
work: all meeting kinds, 2017–2018 dates including weekends and public holidays, meetings
outside their phase's window, thematic sessions with panels and moderators (some from an
observer State, some regionally unbalanced), deliverables on time, late and overdue.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from bench.core import Context
from phases.enums import (
    Appointer,
    AppointmentRole,
    DeliverableKind,
    DeliverableStatus,
    MeetingKind,
    ResponsibleRole,
    StateStatus,
)
from phases.models import (
    Appointment,
    Closure,
    Deliverable,
    Meeting,
    MeetingDay,
    MemberState,
    Panel,
    Phase,
    Process,
    Venue,
)
from phases.parameters import GCM_THEMATIC_SLOTS
from stakeholders.enums import ApplicationState, Channel, ListStatus, OrganizationKind
from stakeholders.models import (
    Application,
    ListEntry,
    Objection,
    Organization,
    Representative,
    StakeholderList,
)

D = datetime.date


@dataclass(frozen=True)
class Size:
    name: str
    meetings: int
    deliverables: int


SIZES = {
    "small": Size("small", meetings=200, deliverables=2_000),
    "large": Size("large", meetings=800, deliverables=8_000),
}

VENUES = [
    # slug, name, city, country, subdivision (holidays library), time zone
    ("geneva", "Palais des Nations", "Geneva", "CH", "GE", "Europe/Zurich"),
    ("new-york", "United Nations Headquarters", "New York", "US", "", "America/New_York"),
    ("vienna", "Vienna International Centre", "Vienna", "AT", "9", "Europe/Vienna"),
]

PHASES = [
    (1, "Phase I: Consultations", D(2017, 4, 1), D(2017, 11, 30)),
    (2, "Phase II: Stocktaking", D(2017, 11, 1), D(2018, 1, 31)),
    (3, "Phase III: Intergovernmental negotiations", D(2018, 2, 1), D(2018, 7, 31)),
]

FIRST_DAY = D(2017, 1, 2)
LAST_DAY = D(2018, 12, 20)
KINDS = list(MeetingKind.values)
DELIVERABLE_KINDS = list(DeliverableKind.values)
RESPONSIBLE = list(ResponsibleRole.values)


def venues(ctx: Context) -> dict[str, Venue]:
    """The three duty stations, with a few closures each (created once per run)."""
    if "venues" not in ctx.shared:
        with transaction.atomic():
            found = {}
            for slug, name, city, country, subdivision, tz in VENUES:
                found[slug], _ = Venue.objects.get_or_create(
                    slug=slug,
                    defaults={
                        "name": name,
                        "name_en": name,
                        "city": city,
                        "city_en": city,
                        "country_code": country,
                        "subdivision": subdivision,
                        "timezone": tz,
                        "is_duty_station": True,
                    },
                )
            rng = random.Random(71280)
            closures = []
            for venue in found.values():
                days = {FIRST_DAY + datetime.timedelta(days=rng.randrange(720)) for _ in range(8)}
                closures += [Closure(venue=venue, date=d, reason="Bench closure") for d in days]
            Closure.objects.bulk_create(closures, ignore_conflicts=True)
        ctx.shared["venues"] = found
    return ctx.shared["venues"]


def process_of_size(ctx: Context, size_name: str) -> Process:
    """The generated process of that size (see SIZES), generated once per run."""
    key = f"process:{size_name}"
    if key not in ctx.shared:
        size = SIZES[size_name]
        ctx.log(
            f"generating {size.name} process ({size.meetings} meetings, "
            f"{size.deliverables} deliverables)…"
        )
        ctx.shared[key] = _generate(ctx, size)
    return ctx.shared[key]


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@transaction.atomic
def _generate(ctx: Context, size: Size) -> Process:
    rng = random.Random(f"bench-{size.name}")
    venue_by_slug = venues(ctx)
    venue_list = list(venue_by_slug.values())
    title = f"Benchmark process ({size.name})"
    process = Process.objects.create(
        slug=f"bench-{size.name}",
        title=title,
        title_en=title,
        mandate="A/RES/71/280",
        mandate_adopted_on=D(2017, 4, 6),
    )
    phases = Phase.objects.bulk_create(
        Phase(process=process, number=n, title=t, title_en=t, starts_on=s, ends_on=e)
        for n, t, s, e in PHASES
    )

    # Meetings: every kind in turn, dates spread over 2017–2018.
    span = (LAST_DAY - FIRST_DAY).days
    meetings: list[Meeting] = []
    day_plans: list[list[datetime.date]] = []
    for i in range(size.meetings):
        kind = KINDS[i % len(KINDS)]
        n_days = 2 + i % 4  # 2–5 days
        start = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
        if i % 5:  # most start on a weekday; the rest may run into a weekend
            start = _weekday_on_or_after(start)
        gap = int(i % 3 == 0)  # a third skip a day before their last day
        days = [start + datetime.timedelta(days=k + gap * (k == n_days - 1)) for k in range(n_days)]
        day_plans.append(days)
        phase = next((p for p in phases if p.contains(start)), None)
        if phase is not None and i % 10 == 0:
            phase = phases[phase.number % len(phases)]  # the wrong window, on purpose
        slot = GCM_THEMATIC_SLOTS[i % len(GCM_THEMATIC_SLOTS)]
        thematic = kind == MeetingKind.THEMATIC_SESSION
        if thematic:
            venue = venue_by_slug[slot.venue] if i % 9 else rng.choice(venue_list)
        else:
            venue = venue_list[i % len(venue_list)]
        meeting_title = f"{MeetingKind(kind).label} {i}"
        meetings.append(
            Meeting(
                process=process,
                key=f"m-{i}",
                phase=phase,
                kind=kind,
                number=i,
                title=meeting_title,
                title_en=meeting_title,
                theme=slot.theme if thematic else "",
                theme_en=slot.theme if thematic else "",
                venue=venue,
                mandate_slot=slot.key if thematic else "",
                mandated_days=(n_days + (i % 4 == 0))  # a quarter mismatch
                if kind == MeetingKind.NEGOTIATION_ROUND
                else None,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=500)

    half = Decimal("0.5")
    MeetingDay.objects.bulk_create(
        (
            MeetingDay(
                meeting=m,
                date=day,
                portion=half if m.kind == MeetingKind.HEARING and k == 0 else Decimal(1),
            )
            for m, days in zip(meetings, day_plans, strict=True)
            for k, day in enumerate(days)
        ),
        batch_size=500,
    )

    # Thematic sessions: three panels, two Member State moderators each.
    sessions = [m for m in meetings if m.kind == MeetingKind.THEMATIC_SESSION]
    panels = Panel.objects.bulk_create(
        (
            Panel(
                meeting=m,
                order=order,
                title=f"Panel {order} of {m.title}",
                title_en=f"Panel {order} of {m.title}",
            )
            for m in sessions
            for order in (1, 2, 3)
        ),
        batch_size=500,
    )
    states = list(MemberState.objects.order_by("id"))
    members = [s for s in states if s.status == StateStatus.MEMBER]
    observers = [s for s in states if s.status == StateStatus.OBSERVER]
    appointments = []
    for j, panel in enumerate(panels):
        first, second = rng.sample(members, 2)
        if j % 25 == 0 and observers:
            second = observers[j % len(observers)]
        appointments += [
            Appointment(
                process=process,
                role=AppointmentRole.PANEL_MODERATOR,
                appointed_by=Appointer.PGA,
                member_state=state,
                panel=panel,
                appointed_on=D(2017, 4, 1) + datetime.timedelta(days=j % 300),
            )
            for state in (first, second)
        ]
    Appointment.objects.bulk_create(appointments, batch_size=500)

    # Deliverables: an issue brief and a summary for each thematic session, the rest spread
    # over every kind; delivered on time, late, or not at all.
    first_days = {m.id: days[0] for m, days in zip(meetings, day_plans, strict=True)}
    deliverables = []
    for i in range(size.deliverables):
        if i < 2 * len(sessions):
            meeting = sessions[i // 2]
            kind = (
                DeliverableKind.ISSUE_BRIEF
                if i % 2 == 0
                else DeliverableKind.COFACILITATORS_SUMMARY
            )
            offset = -14 if kind == DeliverableKind.ISSUE_BRIEF else 30
            due = first_days[meeting.id] + datetime.timedelta(days=offset)
        else:
            kind = DELIVERABLE_KINDS[i % len(DELIVERABLE_KINDS)]
            meeting = meetings[i % len(meetings)] if i % 3 == 0 else None
            due = FIRST_DAY + datetime.timedelta(days=rng.randrange(span))
        fate = i % 4  # 0: on time, 1: late, 2 and 3: not delivered (overdue or open)
        delivered_on = None
        if fate == 0:
            delivered_on = due - datetime.timedelta(days=rng.randrange(10))
        elif fate == 1:
            delivered_on = due + datetime.timedelta(days=1 + rng.randrange(20))
        deliverable_title = f"{DeliverableKind(kind).label} {i}"
        deliverables.append(
            Deliverable(
                process=process,
                key=f"d-{i}",
                kind=kind,
                title=deliverable_title,
                title_en=deliverable_title,
                meeting=meeting,
                responsible=RESPONSIBLE[i % len(RESPONSIBLE)],
                due_on=due,
                status=DeliverableStatus.DELIVERED if delivered_on else DeliverableStatus.PLANNED,
                delivered_on=delivered_on,
            )
        )
    Deliverable.objects.bulk_create(deliverables, batch_size=500)
    return process


def counts(process: Process) -> dict[str, int]:
    """How much data the process holds (reported next to the figures)."""
    return {
        "meetings": Meeting.objects.filter(process=process).count(),
        "meeting_days": MeetingDay.objects.filter(meeting__process=process).count(),
        "panels": Panel.objects.filter(meeting__process=process).count(),
        "moderators": Appointment.objects.filter(process=process, panel__isnull=False).count(),
        "deliverables": Deliverable.objects.filter(process=process).count(),
    }


# --- Pages over a generated process ------------------------------------------------------


@contextmanager
def as_default_process(process: Process) -> Iterator[Process]:
    """Make ``process`` the one the pages show (``selectors.default_process()``, which
    otherwise returns the oldest process) until the block ends."""
    from phases import selectors

    original = selectors.default_process
    selectors.default_process = lambda: process
    try:
        yield process
    finally:
        selectors.default_process = original


def user_with_role(role: str = "secretariat"):
    """A user in the role's group (the groups come with the migrations), created once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, _ = get_user_model().objects.get_or_create(username=f"bench-{role}")
    user.groups.add(Group.objects.get(name=role))
    return user


# --- Stakeholder lists (the no-objection review) -------------------------------------

# entries, objections: the issue's scale is the large one (3,000 entries, 193 Member
# States, 20,000 objections).
REVIEW_SIZES = {"small": (300, 2_000), "large": (3_000, 20_000)}
GENDERS = ["woman", "man", "woman", "man", "other", "undisclosed"]


def stakeholder_list(
    ctx: Context,
    process: Process,
    *,
    title: str,
    entries: int,
    objections: int = 0,
    deadline: datetime.datetime | None = None,
) -> StakeholderList:
    """A list of ``entries`` screened-in organizations (one representative each, of every
    kind, from every Member State in turn). With a ``deadline`` it is under review (sent
    30 days before it) with ``objections`` from the Member States, 10% of them withdrawn,
    concentrated on a tenth of the entries (as in practice: most entries draw none, so
    that a close decides both ways); without, a draft being composed."""
    from django.contrib.auth import get_user_model

    if objections and deadline is None:
        raise ValueError("objections need a list under review (a deadline)")
    rng = random.Random(title)
    states = list(MemberState.objects.filter(status=StateStatus.MEMBER).order_by("id"))
    kinds = list(OrganizationKind.values)
    ctx.log(f"generating {title!r}: {entries} entries, {objections} objections")
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"{title} organisation {i:05d}",  # sorted as generated
            kind=kinds[i % len(kinds)],
            country=states[i % len(states)],
            email=f"o{i}@example.org",
        )
        for i in range(entries)
    )
    apps = Application.objects.bulk_create(
        Application(
            process=process,
            organization=o,
            channel=Channel.SPECIAL,
            state=ApplicationState.SCREENED_IN,
            activities="Migration",
        )
        for o in orgs
    )
    Representative.objects.bulk_create(
        Representative(application=a, name=f"Representative {i}", gender=GENDERS[i % len(GENDERS)])
        for i, a in enumerate(apps)
    )
    submitted = deadline - datetime.timedelta(days=30) if deadline else None
    lst = StakeholderList.objects.create(
        process=process,
        purpose="preparatory",
        title=title,
        status=ListStatus.UNDER_REVIEW if deadline else ListStatus.DRAFT,
        review_deadline=deadline,
        submitted_at=submitted,
    )
    rows = ListEntry.objects.bulk_create(
        ListEntry(stakeholder_list=lst, application=a) for a in apps
    )
    # Its deadline row, as submit_list writes it (flow 3: no signal does it any more).
    from stakeholders.deadlines import sync_review

    sync_review(lst)
    if not objections:
        return lst
    user, _ = get_user_model().objects.get_or_create(username="bench-delegate")
    contested = max(1, len(rows) // 10)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < objections:
        pairs.add((rng.randrange(contested), rng.randrange(len(states))))
    lodged = submitted + datetime.timedelta(days=1)
    Objection.objects.bulk_create(
        Objection(
            entry=rows[e],
            member_state=states[s],
            lodged_by=user,
            lodged_at=lodged,
            withdrawn_at=lodged if rng.random() < 0.1 else None,
        )
        for e, s in sorted(pairs)
    )
    return lst
