"""The review's dated obligations as deadlines: a list under review (delegates, until it
closes; OP 6), an application window (organizations that have not applied yet) and each
meeting's registration deadline (organizations that may nominate and have not yet).

Flow 3 (ARCHITECTURE.md): the services that create, move or delete these sources call the
``sync_*`` functions below themselves, in their transaction; no signal writes a deadline.
A meeting's changes reach ``sync_meetings`` through ``phases.deadlines.meetings_changed``
(phases never imports stakeholders). ``sync_all`` repairs everything."""

from __future__ import annotations

from django.db.models import Min, Q

from compact_process import labels
from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import AudienceType, DeadlineKind
from stakeholders.enums import ListPurpose, ListStatus
from stakeholders.models import Application, Organization, StakeholderList
from stakeholders.models_registry import ApplicationWindow, OrganizationMember


def _organization_members(values: list[str]):
    return OrganizationMember.objects.filter(
        organization_id__in=[int(v) for v in values], user__is_active=True
    ).values_list("user_id", flat=True)


def _organizations_of(user) -> list[str]:
    found = OrganizationMember.objects.filter(user=user).values_list("organization_id", flat=True)
    return [str(pk) for pk in found]


deadlines.register_audience(AudienceType.ORGANIZATION, _organization_members, _organizations_of)


# A window's deadline is titled by its purpose, in each reader's language.
PURPOSE = "list_purpose"


def _purpose_label(params: dict) -> str:
    value = params.get("value", "")
    return str(ListPurpose(value).label) if value in ListPurpose.values else value


labels.register(PURPOSE, _purpose_label)


# --- A list under review -------------------------------------------------------------------


def review_key(stakeholder_list: StakeholderList) -> str:
    return f"list-review:{stakeholder_list.pk}"


def sync_review(stakeholder_list: StakeholderList) -> None:
    if stakeholder_list.status == ListStatus.DRAFT or stakeholder_list.review_deadline is None:
        deadlines.remove(review_key(stakeholder_list))
        return
    deadlines.upsert(
        key=review_key(stakeholder_list),
        kind=DeadlineKind.LIST_REVIEW,
        title=labels.plain(stakeholder_list.title),
        due_at=stakeholder_list.review_deadline,
        audience=[deadlines.DELEGATES],
        route="stakeholders-review:list",
        route_args=[stakeholder_list.pk],
        met_at=stakeholder_list.closed_at,
    )


def mark_review_met(stakeholder_list: StakeholderList) -> None:
    """The close's part, in its own transaction: one UPDATE (the rest is derived work)."""
    from compact_process.deadlines.models import Deadline

    Deadline.objects.filter(key=review_key(stakeholder_list)).update(
        met_at=stakeholder_list.closed_at, updated_at=stakeholder_list.closed_at
    )


def remove_review(stakeholder_list: StakeholderList) -> None:
    deadlines.remove(review_key(stakeholder_list))


# --- An application window -----------------------------------------------------------------


def window_key(window: ApplicationWindow) -> str:
    return f"application-window:{window.pk}"


def sync_window(window: ApplicationWindow) -> None:
    """Reminds the organizations with an account that have not applied for this window's
    purpose (a registration through the ECOSOC or NHRI list covers both)."""
    applied = (
        Application.objects.filter(process_id=window.process_id)
        .filter(Q(purpose=window.purpose) | Q(purpose=""))
        .values("organization")
    )
    waiting = (
        Organization.objects.filter(members__isnull=False)
        .exclude(pk__in=applied)
        .values_list("pk", flat=True)
        .distinct()
    )
    deadlines.upsert(
        key=window_key(window),
        kind=DeadlineKind.APPLICATION_WINDOW,
        title=labels.Label(PURPOSE, {"value": window.purpose}),
        due_at=window.closes_at,
        audience=[deadlines.organization(pk) for pk in waiting],
        route="stakeholders-registration:start",
    )


def sync_windows_of(process_id: int) -> None:
    for window in ApplicationWindow.objects.filter(process_id=process_id):
        sync_window(window)


# --- A meeting's registration deadline -------------------------------------------------------


def registration_key(meeting_id: int) -> str:
    return f"meeting-registration:{meeting_id}"


def _eligible(process_id: int) -> dict[str, set[int]]:
    """The set-based form of ``selectors.participation.grounds``, by purpose, in two
    queries: organizations approved on a final list of that purpose, or registered
    directly and confirmed (which covers every purpose)."""
    from stakeholders.enums import EntryOutcome, ListPurpose
    from stakeholders.models import ListEntry
    from stakeholders.models_registry import DirectRegistration, RegistrationState

    approved = ListEntry.objects.filter(
        stakeholder_list__process_id=process_id,
        stakeholder_list__status=ListStatus.CLOSED,
        outcome=EntryOutcome.APPROVED,
    ).values_list("stakeholder_list__purpose", "application__organization_id")
    registered = set(
        DirectRegistration.objects.filter(
            process_id=process_id, state=RegistrationState.CONFIRMED
        ).values_list("organization_id", flat=True)
    )
    found: dict[str, set[int]] = {purpose: set(registered) for purpose in ListPurpose.values}
    for purpose, organization_id in approved.iterator():
        found.setdefault(purpose, set(registered)).add(organization_id)
    return found


def sync_meetings(process_id: int, meeting_ids=None, *, purpose: str | None = None) -> None:
    """The registration deadlines of a process's meetings (all, these ``meeting_ids``, or
    those of one list ``purpose``), in a constant number of queries: the eligible
    organizations are worked out once for the process, not once per meeting, and the
    rows are written as a diff (``deadlines.upsert_many``)."""
    from phases.models import Meeting
    from stakeholders.models_participation import LIVE_STATES, Nomination
    from stakeholders.selectors import participation

    meetings = (
        Meeting.objects.filter(process_id=process_id)
        .select_related("venue", "registration_deadline")
        .annotate(first_date=Min("days__date"))
        .order_by("pk")
    )
    if meeting_ids is not None:
        meetings = meetings.filter(pk__in=list(meeting_ids))
    meetings = [m for m in meetings if purpose is None or participation.purpose_of(m) == purpose]
    if not meetings:
        return
    nominated: dict[int, set[int]] = {}
    for meeting_id, organization_id in Nomination.objects.filter(
        meeting__in=[m.pk for m in meetings], state__in=LIVE_STATES
    ).values_list("meeting_id", "organization_id"):
        nominated.setdefault(meeting_id, set()).add(organization_id)
    eligible = _eligible(process_id)
    specs, gone = [], []
    for meeting in meetings:
        deadline = participation.deadline_of(meeting, meeting.first_date)
        if deadline is None:
            gone.append(registration_key(meeting.pk))
            continue
        waiting = eligible.get(participation.purpose_of(meeting), set()) - nominated.get(
            meeting.pk, set()
        )
        specs.append(
            deadlines.spec(
                key=registration_key(meeting.pk),
                kind=DeadlineKind.MEETING_REGISTRATION,
                title=labels.translations(meeting, "title"),
                due_at=deadline.at,
                audience=[deadlines.organization(pk) for pk in waiting],
                route="stakeholders-registration:start",
            )
        )
    deadlines.remove_many(gone)
    deadlines.upsert_many(specs)


def sync_registration(meeting) -> None:
    """One meeting's registration deadline (its days, its own deadline or a nomination
    for it changed)."""
    sync_meetings(meeting.process_id, [meeting.pk])


def sync_registrations_of(process_id: int, *, purpose: str | None = None) -> None:
    """Every meeting of the process (of one list purpose): who may nominate changed."""
    sync_meetings(process_id, purpose=purpose)


def remove_registration(meeting_id: int) -> None:
    deadlines.remove(registration_key(meeting_id))


def sync_windows_everywhere() -> None:
    """An organization gained or lost a member: every process's windows."""
    for process_id in ApplicationWindow.objects.values_list("process_id", flat=True).distinct():
        sync_windows_of(process_id)


def sync_all() -> int:
    """Repair: every review, window and registration deadline from its source."""
    lists = list(StakeholderList.objects.all())
    for stakeholder_list in lists:
        sync_review(stakeholder_list)
    windows = list(ApplicationWindow.objects.all())
    for window in windows:
        sync_window(window)
    from phases.models import Process

    processes = list(Process.objects.values_list("pk", flat=True))
    for process_id in processes:
        sync_registrations_of(process_id)
    return len(lists) + len(windows) + len(processes)


def _meetings_changed(process_id: int, meeting_ids: list[int]) -> None:
    sync_meetings(process_id, meeting_ids)


def _meetings_removed(meeting_ids: list[int]) -> None:
    deadlines.remove_many(registration_key(pk) for pk in meeting_ids)


def connect() -> None:
    """Called once from ``StakeholdersConfig.ready``: the meeting services of ``phases``
    call ``phases.deadlines.meetings_changed``, which reaches the registration deadlines
    here. Not a signal: a call the service makes in plain sight."""
    from phases import deadlines as phase_deadlines

    phase_deadlines.on_meetings_changed(_meetings_changed, _meetings_removed)

    # What follows a review's close, for beat's sweep (``deadlines.run_pending``).
    from stakeholders import services

    deadlines.register_job(services.AFTER_CLOSE, lambda arg: services.after_close(list_id=int(arg)))
