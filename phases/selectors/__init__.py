"""Reads that pages, commands and services share."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from phases import mandate
from phases.enums import StateStatus
from phases.models import (
    Appointment,
    Closure,
    Deliverable,
    Meeting,
    MeetingDay,
    Panel,
    Phase,
    Process,
)
from phases.parameters import MandateParameters


def days_in_order() -> Prefetch:
    return Prefetch("days", queryset=MeetingDay.objects.order_by("date"))


def panels_with_moderators() -> Prefetch:
    """A meeting's panels in order, each with its moderators and their States."""
    return Prefetch(
        "panels",
        queryset=Panel.objects.order_by("order").prefetch_related(
            Prefetch(
                "moderators",
                queryset=Appointment.objects.select_related("member_state").order_by("id"),
            )
        ),
    )


def _translated(field: str) -> list[str]:
    """The per-language columns of a modeltranslation field (title_en, title_fr, ...)."""
    return [build_localized_fieldname(field, code) for code, _ in settings.LANGUAGES]


def default_process() -> Process | None:
    return Process.objects.order_by("id").first()


def default_process_or_404() -> Process:
    """The process a page is about; "not found" (with a reason) before one is seeded."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    process = default_process()
    if process is None:
        raise Http404(_("No process yet."))
    return process


def load_process_data(
    process: Process, *, today: datetime.date | None = None
) -> mandate.ProcessData:
    """Everything the mandate checks read, in a fixed number of queries (seven).

    Reads plain values rather than model instances: the checks need a few columns, and
    building thousands of instances (with six translation columns each) dominated the
    time (bench/bench_mandate.py).
    """
    phases = [
        mandate.PhaseData(p.id, p.number, p.title, p.starts_on, p.ends_on)
        for p in Phase.objects.filter(process=process).order_by("number")
    ]
    meetings_qs = (
        Meeting.objects.filter(process=process)
        .only(
            "id",
            "key",
            "kind",
            "title",
            *_translated("title"),
            "phase_id",
            "mandate_slot",
            "mandated_days",
            "venue__slug",
            "venue__country_code",
            "venue__subdivision",
        )
        .select_related("venue")
        .prefetch_related(
            Prefetch(
                "days",
                queryset=MeetingDay.objects.only("meeting_id", "date", "portion").order_by("date"),
            ),
            panels_with_moderators(),
        )
        .order_by("id")
    )
    meetings = [
        mandate.MeetingData(
            id=m.id,
            key=m.key,
            kind=m.kind,
            title=m.title,
            phase_id=m.phase_id,
            venue_slug=m.venue.slug,
            country=m.venue.country_code,
            subdivision=m.venue.subdivision,
            mandate_slot=m.mandate_slot,
            mandated_days=m.mandated_days,
            days=[mandate.DayData(d.date, d.portion) for d in m.days.all()],
            panels=[
                mandate.PanelData(
                    id=p.id,
                    order=p.order,
                    title=p.title,
                    moderators=[
                        mandate.ModeratorData(
                            state_name=a.member_state.name,
                            is_member=a.member_state.status == StateStatus.MEMBER,
                            regional_group=a.member_state.regional_group,
                        )
                        for a in p.moderators.all()
                        if a.member_state is not None
                    ],
                )
                for p in m.panels.all()
            ],
        )
        for m in meetings_qs
    ]
    # Titles through the translated attribute so that messages are in the reader's language.
    deliverables = [
        mandate.DeliverableData(
            d.id, d.key, d.kind, d.title, d.meeting_id, d.due_on, d.delivered_on
        )
        for d in Deliverable.objects.filter(process=process)
        .only(
            "id",
            "key",
            "kind",
            "title",
            *_translated("title"),
            "meeting_id",
            "due_on",
            "delivered_on",
        )
        .order_by("due_on", "id")
    ]
    closures: dict[str, set[datetime.date]] = defaultdict(set)
    venue_ids = {m.venue_slug for m in meetings}
    for slug, day in Closure.objects.filter(venue__slug__in=venue_ids).values_list(
        "venue__slug", "date"
    ):
        closures[slug].add(day)
    return mandate.ProcessData(
        params=MandateParameters.from_json(process.parameters),
        today=today or timezone.localdate(),
        phases=phases,
        meetings=meetings,
        deliverables=deliverables,
        closures=dict(closures),
    )


def compliance_report(process: Process, *, today: datetime.date | None = None):
    return mandate.run_all(load_process_data(process, today=today))
