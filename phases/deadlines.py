"""Deliverables as deadlines (OP 13, 18, 21, 22, 25–27, 30): due at the end of their due
day in the meeting's venue time (UN Headquarters time when no meeting), for whoever is
responsible, met once delivered. The services that create or change a deliverable call
``sync`` themselves (flow 3 of ARCHITECTURE.md): no signal writes a deadline."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from compact_process import labels
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
        title=labels.translations(deliverable, "title"),
        due_at=_end_of_day(deliverable.due_on, zone),
        audience=AUDIENCE.get(deliverable.responsible, [deadlines.role("secretariat")]),
        route="secretariat:deliverables",
        met_at=met,
    )


def remove(deliverable: Deliverable) -> None:
    deadlines.remove(key(deliverable))


# --- Deadlines of other apps that hang on a meeting -------------------------------------
# (stakeholders: each meeting's registration deadline). phases never imports them: they
# register here, and the meeting services call ``meetings_changed`` in plain sight.

_changed: list[Callable[[int, list[int]], None]] = []
_removed: list[Callable[[list[int]], None]] = []


def on_meetings_changed(
    changed: Callable[[int, list[int]], None], removed: Callable[[list[int]], None]
) -> None:
    if changed not in _changed:
        _changed.append(changed)
    if removed not in _removed:
        _removed.append(removed)


def meetings_changed(process_id: int, meeting_ids: Iterable[int]) -> None:
    """A meeting was created or moved, or its days changed: its dated obligations follow."""
    ids = list(meeting_ids)
    for changed in _changed:
        changed(process_id, ids)


def meetings_removed(meeting_ids: Iterable[int]) -> None:
    ids = list(meeting_ids)
    for removed in _removed:
        removed(ids)


def sync_all() -> int:
    """Repair: every deliverable's deadline from its row."""
    found = Deliverable.objects.select_related("meeting__venue")
    for deliverable in found:
        sync(deliverable)
    return len(found)
