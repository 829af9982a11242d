"""Every state change of the process. Each one runs in a transaction guarded by
the mandate checks: a change that would create a new hard-rule violation (a cap
or a window of the resolution) is refused with the OP's words and rolled back,
so nothing already saved changes, whatever the entry point (form, command,
shell, task)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from compact_process.audit.models import record
from compact_process.deadlines import services as deadline_table
from compact_process.deadlines.models import Deadline
from compact_process.errors import Refusal
from phases import deadlines, mandate
from phases.enums import (
    Appointer,
    AppointmentRole,
    DeliverableKind,
    DeliverableStatus,
    MeetingKind,
    ResponsibleRole,
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
from phases.selectors import load_process_data


class MandateViolation(Refusal):
    """A change refused because it breaks a hard rule of the mandate."""

    def __init__(self, findings: list[mandate.Finding]):
        self.findings = findings
        super().__init__([f.message for f in findings], code="mandate")


_guard_active: ContextVar[bool] = ContextVar("mandate_guard_active", default=False)


@contextmanager
def mandate_guard(process: Process) -> Iterator[None]:
    """Run a change atomically; refuse it if it creates a new limit violation.

    Violations that existed before (e.g. imported data) do not block unrelated
    edits; only the ones this change introduces do. Guards nest: inside an outer
    guard (a batch such as the seed) the inner ones defer to it, and the batch
    is checked once, as a whole, before it commits.
    """
    if _guard_active.get():
        with transaction.atomic():
            yield
        return
    token = _guard_active.set(True)
    try:
        with transaction.atomic():
            yield from _checked(process)
    finally:
        _guard_active.reset(token)


def _checked(process: Process) -> Iterator[None]:
    before = mandate.limit_keys(mandate.run_all(load_process_data(process)))
    yield
    results = mandate.run_all(load_process_data(process))
    new = [f for r in results for f in r.limit_violations if (r.code, f.subject) not in before]
    if new:
        raise MandateViolation(new)


M = TypeVar("M", bound=Model)


def _create(model: type[M], **fields: Any) -> M:
    """Build, validate (fields and constraints, so errors are messages, not
    IntegrityErrors) and save a new row."""
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj


# --- Process and phases ------------------------------------------------------------


def create_process(
    *,
    slug: str,
    title: str,
    mandate_ref: str,
    adopted_on: datetime.date | None = None,
    description: str = "",
    parameters: dict[str, Any] | None = None,
) -> Process:
    extra = {"parameters": parameters} if parameters is not None else {}
    return _create(
        Process,
        slug=slug,
        title=title,
        mandate=mandate_ref,
        mandate_adopted_on=adopted_on,
        description=description,
        **extra,
    )


def create_phase(
    *,
    process: Process,
    number: int,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
) -> Phase:
    with mandate_guard(process):
        return _create(
            Phase,
            process=process,
            number=number,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description,
        )


def update_phase_window(*, phase: Phase, starts_on: datetime.date, ends_on: datetime.date) -> Phase:
    with mandate_guard(phase.process):
        phase.starts_on, phase.ends_on = starts_on, ends_on
        phase.full_clean()
        phase.save(update_fields=["starts_on", "ends_on"])
    return phase


def create_venue(**fields: Any) -> Venue:
    return _create(Venue, **fields)


def add_closure(*, venue: Venue, date: datetime.date, reason: str) -> Closure:
    """A day the venue is closed. It can only lower working-day counts, so no guard."""
    return _create(Closure, venue=venue, date=date, reason=reason)


# --- Meetings -------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySpec:
    date: datetime.date
    starts_at: datetime.time = datetime.time(10, 0)
    ends_at: datetime.time = datetime.time(18, 0)
    portion: Decimal = MeetingDay.FULL


def create_meeting(
    *,
    process: Process,
    key: str,
    kind: MeetingKind | str,
    title: str,
    venue: Venue,
    days: Iterable[DaySpec] = (),
    phase: Phase | None = None,
    **fields: Any,
) -> Meeting:
    with mandate_guard(process):
        meeting = _create(
            Meeting,
            process=process,
            key=key,
            kind=kind,
            title=title,
            venue=venue,
            phase=phase,
            **fields,
        )
        for spec in days:
            _save_day(meeting, spec)
        deadlines.meetings_changed(process.pk, [meeting.pk])
    return meeting


def _save_day(meeting: Meeting, spec: DaySpec) -> MeetingDay:
    return _create(
        MeetingDay,
        meeting=meeting,
        date=spec.date,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        portion=spec.portion,
    )


def add_meeting_day(*, meeting: Meeting, day: DaySpec) -> MeetingDay:
    with mandate_guard(meeting.process):
        saved = _save_day(meeting, day)
        deadlines.meetings_changed(meeting.process_id, [meeting.pk])
    return saved


def remove_meeting_day(*, meeting: Meeting, date: datetime.date) -> None:
    with mandate_guard(meeting.process):
        MeetingDay.objects.filter(meeting=meeting, date=date).delete()
        deadlines.meetings_changed(meeting.process_id, [meeting.pk])


def update_meeting_day(*, day: MeetingDay, spec: DaySpec, actor=None) -> MeetingDay:
    """Change a day's date, hours or portion; its meeting's dated obligations follow."""
    meeting = day.meeting
    before = day.date
    with mandate_guard(meeting.process):
        day.date, day.starts_at, day.ends_at, day.portion = (
            spec.date,
            spec.starts_at,
            spec.ends_at,
            spec.portion,
        )
        day.full_clean()
        day.save(update_fields=["date", "starts_at", "ends_at", "portion"])
        deadlines.meetings_changed(meeting.process_id, [meeting.pk])
        record(
            "meeting_day.updated",
            actor=actor,
            meeting_id=meeting.pk,
            day=day.pk,
            before=before.isoformat(),
            date=day.date.isoformat(),
            starts_at=day.starts_at.strftime("%H:%M"),
            ends_at=day.ends_at.strftime("%H:%M"),
        )
    return day


def update_meeting(*, meeting: Meeting, **fields: Any) -> Meeting:
    with mandate_guard(meeting.process):
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.full_clean()
        meeting.save(update_fields=list(fields))
        deadlines.meetings_changed(meeting.process_id, [meeting.pk])
    return meeting


# --- Panels and appointments ----------------------------------------------------------


def add_panel(
    *, meeting: Meeting, title: str, order: int | None = None, **translations: str | None
) -> Panel:
    """A panel of a meeting; ``translations`` are the title's other languages by column
    (``title_fr=...``)."""
    with mandate_guard(meeting.process):
        if order is None:
            order = (
                meeting.panels.order_by("-order").values_list("order", flat=True).first() or 0
            ) + 1
        return _create(Panel, meeting=meeting, order=order, title=title, **translations)


def update_panel(*, panel: Panel, title: str, actor=None, **translations: str | None) -> Panel:
    """Rename a panel: ``title`` is the English column, ``translations`` the others
    (``title_fr=...``; None shows the English in that language)."""
    with mandate_guard(panel.meeting.process):
        fields = {"title_en": title, **translations}
        for name, value in fields.items():
            setattr(panel, name, value)
        panel.full_clean()
        panel.save(update_fields=list(fields))
        record("panel.updated", actor=actor, meeting_id=panel.meeting_id, panel=panel.pk)
    return panel


def appoint_moderator(
    *,
    panel: Panel,
    member_state: MemberState,
    person_name: str = "",
    person_title: str = "",
    appointed_on: datetime.date | None = None,
    letter_reference: str = "",
) -> Appointment:
    """OP 17: the PGA appoints a Member State to chair (moderate) a panel."""
    process = panel.meeting.process
    with mandate_guard(process):
        return _create(
            Appointment,
            process=process,
            role=AppointmentRole.PANEL_MODERATOR,
            appointed_by=Appointer.PGA,
            panel=panel,
            member_state=member_state,
            person_name=person_name,
            person_title=person_title,
            appointed_on=appointed_on,
            letter_reference=letter_reference,
        )


def appoint(
    *,
    process: Process,
    role: AppointmentRole | str,
    appointed_by: Appointer | str,
    person_name: str,
    **fields: Any,
) -> Appointment:
    """OP 5 (co-facilitators, by the PGA) and OP 10 (Secretary-General of the Conference)."""
    return _create(
        Appointment,
        process=process,
        role=role,
        appointed_by=appointed_by,
        person_name=person_name,
        **fields,
    )


# --- Deliverables -------------------------------------------------------------------


def create_deliverable(
    *,
    process: Process,
    key: str,
    kind: DeliverableKind | str,
    title: str,
    due_on: datetime.date,
    responsible: ResponsibleRole | str,
    **fields: Any,
) -> Deliverable:
    with transaction.atomic():
        deliverable = _create(
            Deliverable,
            process=process,
            key=key,
            kind=kind,
            title=title,
            due_on=due_on,
            responsible=responsible,
            **fields,
        )
        deadlines.sync(deliverable)
    return deliverable


def add_deliverable(*, actor=None, **fields: Any) -> Deliverable:
    """``create_deliverable`` from the secretariat's form, with its audit event."""
    with transaction.atomic():
        deliverable = create_deliverable(**fields)
        record(
            "deliverable.created",
            actor=actor,
            deliverable=deliverable.pk,
            due_on=deliverable.due_on.isoformat(),
        )
    return deliverable


# What the secretariat may change on a deliverable's own form (its due date moves on its
# own page, its delivery is marked on another).
DELIVERABLE_FIELDS = ("kind", "meeting", "responsible", "symbol", "source_note")


def update_deliverable(*, deliverable: Deliverable, actor=None, **fields: Any) -> Deliverable:
    """Change a deliverable's title (``title_en``, ``title_fr``, ...), kind, meeting,
    responsible or symbol; its deadline follows (its audience, its venue's zone)."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(deliverable, name, value)
        deliverable.full_clean()
        deliverable.save(update_fields=list(fields) or None)
        deadlines.sync(deliverable)
        record(
            "deliverable.updated", actor=actor, deliverable=deliverable.pk, fields=sorted(fields)
        )
    return deliverable


@dataclass(frozen=True)
class DueDateMoved:
    deliverable: Deliverable
    before: datetime.date
    after: datetime.date
    reminders: int  # reminders still to go out for the new date


def move_deliverable_due(
    *,
    deliverable: Deliverable,
    due_on: datetime.date,
    approximate: bool | None = None,
    actor=None,
    now: datetime.datetime | None = None,
) -> DueDateMoved:
    """Move a deliverable's due date, and its deadline with it (flow 3): reminders already
    sent stay sent; the ones to come are planned from the new date by the next sweep."""
    before = deliverable.due_on
    fields = ["due_on"]
    deliverable.due_on = due_on
    if approximate is not None:
        deliverable.due_approximate = approximate
        fields.append("due_approximate")
    deliverable.full_clean()
    with transaction.atomic():
        deliverable.save(update_fields=fields)
        deadlines.sync(deliverable)
        row = Deadline.objects.get(key=deadlines.key(deliverable))
        to_come = deadline_table.reminders_to_come(row, now=now or timezone.now())
        record(
            "deliverable.moved",
            actor=actor,
            deliverable=deliverable.pk,
            before=before.isoformat(),
            after=due_on.isoformat(),
            reminders=to_come,
        )
    return DueDateMoved(deliverable, before, due_on, to_come)


def mark_delivered(
    *,
    deliverable: Deliverable,
    on: datetime.date,
    approximate: bool = False,
    symbol: str | None = None,
) -> Deliverable:
    deliverable.status = DeliverableStatus.DELIVERED
    deliverable.delivered_on = on
    deliverable.delivered_approximate = approximate
    fields = ["status", "delivered_on", "delivered_approximate"]
    if symbol is not None:
        deliverable.symbol = symbol
        fields.append("symbol")
    deliverable.full_clean()
    with transaction.atomic():
        deliverable.save(update_fields=fields)
        deadlines.sync(deliverable)
    return deliverable


# --- Removals (the secretariat's pages confirm each one first) -------------------------


def remove_panel(*, panel: Panel) -> None:
    """Remove a panel and, with it, its moderators' appointments. Too few panels is a
    completeness finding (reported, not refused), so only new limit violations block."""
    with mandate_guard(panel.meeting.process):
        panel.delete()


def remove_moderator(*, appointment: Appointment) -> None:
    """Remove a panel moderator's appointment (OP 17)."""
    from django.utils.translation import gettext as _

    if appointment.panel_id is None:
        raise Refusal(_("Only a panel moderator's appointment can be removed here."))
    with mandate_guard(appointment.process):
        appointment.delete()
