"""Deliverables as deadlines (OP 13, 18, 21, 22, 25–27, 30): due at the end of their due
day in the meeting's venue time (UN Headquarters time when no meeting), for whoever is
responsible, met once delivered."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import DeadlineKind
from phases.enums import DeliverableStatus, ResponsibleRole
from phases.models import Deliverable

HEADQUARTERS = ZoneInfo("America/New_York")

# Who is reminded of a deliverable, by who is responsible for it.
AUDIENCE = {
    ResponsibleRole.CO_FACILITATORS: [deadlines.role("co_facilitator")],
    ResponsibleRole.PGA_OFFICE: [deadlines.role("pga_office")],
    ResponsibleRole.SECRETARY_GENERAL: [deadlines.role("secretariat")],
    ResponsibleRole.SECRETARIAT: [deadlines.role("secretariat")],
    ResponsibleRole.UN_SYSTEM: [deadlines.role("secretariat")],
    ResponsibleRole.MEMBER_STATES: [deadlines.DELEGATES],
}


def _end_of_day(day: datetime.date, zone: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=zone)


def key(deliverable: Deliverable) -> str:
    return f"deliverable:{deliverable.pk}"


def sync(deliverable: Deliverable) -> None:
    zone = HEADQUARTERS
    if deliverable.meeting_id is not None:
        zone = ZoneInfo(deliverable.meeting.venue.timezone)
    met = None
    if deliverable.status == DeliverableStatus.DELIVERED and deliverable.delivered_on:
        met = _end_of_day(deliverable.delivered_on, zone)
    deadlines.upsert(
        key=key(deliverable),
        kind=DeadlineKind.DELIVERABLE,
        title=deliverable.title,
        due_at=_end_of_day(deliverable.due_on, zone),
        audience=AUDIENCE.get(deliverable.responsible, [deadlines.role("secretariat")]),
        route="secretariat:deliverables",
        met_at=met,
    )


def on_save(sender, instance: Deliverable, raw: bool = False, **kwargs) -> None:
    if not raw:
        sync(instance)


def on_delete(sender, instance: Deliverable, **kwargs) -> None:
    deadlines.remove(key(instance))


def sync_all() -> int:
    found = Deliverable.objects.select_related("meeting__venue")
    for deliverable in found:
        sync(deliverable)
    return len(found)
