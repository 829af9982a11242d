"""Reads of the registration pages, in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.utils import timezone

from compact_process.audit.models import AuditEvent
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, ListPurpose, ListStatus
from stakeholders.models import Application, ListEntry, Organization
from stakeholders.models_registry import (
    AccreditedBody,
    ApplicationWindow,
    DirectRegistration,
    OrganizationMember,
    RegistrationState,
)

PAGE_SIZE = 25


def organization_of(user) -> Organization | None:
    """The organization a user acts for, if any."""
    if not user.is_authenticated:
        return None
    member = (
        OrganizationMember.objects.filter(user=user).select_related("organization__country").first()
    )
    return member.organization if member else None


def own_organization(user, pk: int) -> Organization | None:
    """The organization ``pk`` if the user acts for it, else None (the page answers 404)."""
    if not user.is_authenticated:
        return None
    return Organization.objects.filter(pk=pk, members__user=user).select_related("country").first()


# Where an application stands, for its organization's status page (each names what
# comes next and by when; the template words them).
SUBMITTED = "submitted"  # the Office screens it
NEEDS_INFORMATION = "needs_information"  # the organization answers the Office
SCREENED_OUT = "screened_out"  # refused, with the Office's reason
REGISTERED = "registered"  # ECOSOC or NHRI list: no review (OP 6(a), OP 9)
SCREENED_IN = "screened_in"  # waits for the Office to propose a list to Member States
UNDER_REVIEW = "under_review"  # on a list Member States review until its deadline
APPROVED = "approved"  # on a final list: register representatives for meetings
NOT_APPROVED = "not_approved"  # a Member State objected


def _stage(application: Application) -> tuple[str, ListEntry | None]:
    """The application's stage and the entry it is about (the latest submitted list
    it is on), from the prefetched entries."""
    entries = sorted(application.entries.all(), key=lambda e: e.stakeholder_list_id)
    latest = entries[-1] if entries else None
    if application.channel != Channel.SPECIAL:
        return REGISTERED, None
    if application.state == ApplicationState.SUBMITTED:
        return SUBMITTED, None
    if application.state == ApplicationState.NEEDS_INFORMATION:
        return NEEDS_INFORMATION, None
    if application.state == ApplicationState.SCREENED_OUT:
        return SCREENED_OUT, None
    if latest is None:
        return SCREENED_IN, None
    if latest.stakeholder_list.status == ListStatus.UNDER_REVIEW:
        return UNDER_REVIEW, latest
    if latest.outcome == EntryOutcome.APPROVED:
        return APPROVED, latest
    return NOT_APPROVED, latest


@dataclass(frozen=True)
class PurposeWindow:
    """One purpose of a process as the organization's status page shows it: its window
    (if one is set) and whether the organization may apply now."""

    purpose: str
    label: str
    window: ApplicationWindow | None
    applied: bool
    now: datetime.datetime

    @property
    def is_open(self) -> bool:
        return self.window is not None and self.window.is_open(self.now)

    @property
    def opens_later(self) -> bool:
        return self.window is not None and self.now < self.window.opens_at

    @property
    def has_closed(self) -> bool:
        return self.window is not None and self.window.closes_at <= self.now

    @property
    def may_apply(self) -> bool:
        return self.is_open and not self.applied


def purpose_windows(
    process, organization: Organization | None, now=None, applied: set[str] | None = None
) -> list[PurposeWindow]:
    """Each purpose (OP 6(b), 6(c)) with its window and whether the organization applied
    for it (``applied``: the purposes of its applications in the process, if known); a
    registration through the ECOSOC or NHRI list counts for both (two queries, one if
    ``applied`` is given)."""
    now = now or timezone.now()
    found = {w.purpose: w for w in ApplicationWindow.objects.filter(process=process)}
    if applied is None:
        applied = set()
        if organization is not None:
            applied = set(
                Application.objects.filter(process=process, organization=organization).values_list(
                    "purpose", flat=True
                )
            )
    everything = "" in applied
    return [
        PurposeWindow(value, label, found.get(value), everything or value in applied, now)
        for value, label in ListPurpose.choices
    ]


def _next_registration_deadlines(applications: list[Application], now) -> dict[tuple, object]:
    """For each (process, purpose) with an approved or registered application: the
    earliest registration deadline of its meetings still open, with the meeting (one
    query per process)."""
    from django.db.models import Min

    from phases.models import Meeting
    from stakeholders.selectors import participation

    wanted: dict[int, set[str]] = {}
    for a in applications:
        if a.stage == APPROVED:
            wanted.setdefault(a.process_id, set()).add(a.purpose)
        elif a.stage == REGISTERED:
            wanted.setdefault(a.process_id, set()).update(ListPurpose.values)
    found: dict[tuple, object] = {}
    for process_id, purposes in wanted.items():
        meetings = (
            Meeting.objects.filter(process_id=process_id)
            .select_related("venue", "registration_deadline")
            .annotate(first_date=Min("days__date"))
        )
        for meeting in meetings:
            purpose = participation.purpose_of(meeting)
            if purpose not in purposes:
                continue
            deadline = participation.deadline_of(meeting, meeting.first_date)
            if deadline is None or not deadline.is_open(now):
                continue
            for key in ((process_id, purpose), (process_id, "")):
                best = found.get(key)
                if best is None or deadline.at < best[1].at:
                    found[key] = (meeting, deadline)
    return found


def status(organization: Organization, now=None) -> dict:
    """Everything the organization applied for: each application with its purpose, its
    state, the Office's reason, its answers, the submitted lists it is on with their
    outcome, and its stage (``stage``, ``current``: the entry it is about, and
    ``next_meeting``: (meeting, registration deadline) once it may register
    representatives); the purposes of the default process with their windows."""
    from phases.selectors import default_process

    now = now or timezone.now()
    entries = (
        ListEntry.objects.exclude(stakeholder_list__status=ListStatus.DRAFT)
        .select_related("stakeholder_list")
        .order_by("stakeholder_list_id")
    )
    applications = list(
        Application.objects.filter(organization=organization)
        .select_related("process")
        .prefetch_related("representatives", "answers", Prefetch("entries", queryset=entries))
        .order_by("process_id", "purpose", "submitted_at", "id")
    )
    for a in applications:
        a.stage, a.current = _stage(a)
    upcoming = _next_registration_deadlines(applications, now)
    for a in applications:
        a.next_meeting = upcoming.get((a.process_id, a.purpose))
    registrations = (
        DirectRegistration.objects.filter(organization=organization)
        .exclude(state=RegistrationState.CONFIRMED)
        .select_related("process")
    )
    process = default_process()
    return {
        "applications": applications,
        "registrations": list(registrations),
        "purposes": purpose_windows(
            process,
            None,
            now,
            applied={a.purpose for a in applications if a.process_id == process.pk},
        )
        if process
        else [],
        "now": now,
    }


def application_of(organization: Organization, pk: int) -> Application | None:
    return (
        Application.objects.filter(organization=organization, pk=pk)
        .select_related("process")
        .first()
    )


def accredited_counts() -> dict[str, int]:
    return dict(
        AccreditedBody.objects.order_by()
        .values_list("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )


def import_event(pk) -> AuditEvent | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return AuditEvent.objects.filter(pk=pk, action="accredited.imported").first()


def pending_registrations(page_number) -> object:
    """Near matches awaiting the secretariat, a page at a time."""
    pending = (
        DirectRegistration.objects.filter(state=RegistrationState.PENDING)
        .select_related("organization__country", "body__country", "process")
        .order_by("requested_at", "id")
    )
    return Paginator(pending, PAGE_SIZE).get_page(page_number)


def pending_registration(pk: int) -> DirectRegistration | None:
    return (
        DirectRegistration.objects.filter(pk=pk, state=RegistrationState.PENDING)
        .select_related("organization__country", "body__country", "process")
        .first()
    )
