"""The review's dated obligations as deadlines: a list under review (delegates, until it
closes; OP 6), an application window (organizations that have not applied yet) and each
meeting's registration deadline (organizations that may nominate and have not yet)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import AudienceType, DeadlineKind
from stakeholders.enums import ListStatus
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
        title=stakeholder_list.title,
        due_at=stakeholder_list.review_deadline,
        audience=[deadlines.DELEGATES],
        route="stakeholders-review:list",
        route_args=[stakeholder_list.pk],
        met_at=stakeholder_list.closed_at,
    )


# --- An application window -----------------------------------------------------------------


def window_key(window: ApplicationWindow) -> str:
    return f"application-window:{window.pk}"


def sync_window(window: ApplicationWindow) -> None:
    """Reminds the organizations with an account that have not applied in this process."""
    applied = Application.objects.filter(process_id=window.process_id).values("organization")
    waiting = (
        Organization.objects.filter(members__isnull=False)
        .exclude(pk__in=applied)
        .values_list("pk", flat=True)
        .distinct()
    )
    deadlines.upsert(
        key=window_key(window),
        kind=DeadlineKind.APPLICATION_WINDOW,
        title=str(window.get_purpose_display()),
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


def _eligible(process_id: int, purpose: str) -> set[int]:
    """The set-based form of ``selectors.participation.grounds``: organizations approved
    on a final list of this purpose, or registered directly and confirmed."""
    from stakeholders.enums import EntryOutcome
    from stakeholders.models import ListEntry
    from stakeholders.models_registry import DirectRegistration, RegistrationState

    approved = ListEntry.objects.filter(
        stakeholder_list__process_id=process_id,
        stakeholder_list__status=ListStatus.CLOSED,
        stakeholder_list__purpose=purpose,
        outcome=EntryOutcome.APPROVED,
    ).values_list("application__organization_id", flat=True)
    registered = DirectRegistration.objects.filter(
        process_id=process_id, state=RegistrationState.CONFIRMED
    ).values_list("organization_id", flat=True)
    return set(approved) | set(registered)


def sync_registration(meeting) -> None:
    from stakeholders.models_participation import LIVE_STATES, Nomination
    from stakeholders.selectors import participation

    deadline = participation.deadline_of(meeting)
    if deadline is None:
        deadlines.remove(registration_key(meeting.pk))
        return
    nominated = set(
        Nomination.objects.filter(meeting=meeting, state__in=LIVE_STATES).values_list(
            "organization_id", flat=True
        )
    )
    waiting = _eligible(meeting.process_id, participation.purpose_of(meeting)) - nominated
    deadlines.upsert(
        key=registration_key(meeting.pk),
        kind=DeadlineKind.MEETING_REGISTRATION,
        title=meeting.title,
        due_at=deadline.at,
        audience=[deadlines.organization(pk) for pk in sorted(waiting)],
        route="stakeholders-registration:start",
    )


def sync_registrations_of(process_id: int) -> None:
    from phases.models import Meeting

    for meeting in Meeting.objects.filter(process_id=process_id).select_related("venue"):
        sync_registration(meeting)


# --- Signals --------------------------------------------------------------------------------


def on_list_saved(sender, instance: StakeholderList, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    sync_review(instance)
    if instance.status == ListStatus.CLOSED:  # its approved organizations may now nominate
        sync_registrations_of(instance.process_id)


def on_list_deleted(sender, instance: StakeholderList, **kwargs) -> None:
    deadlines.remove(review_key(instance))


def on_window_saved(sender, instance: ApplicationWindow, raw: bool = False, **kwargs) -> None:
    if not raw:
        sync_window(instance)


def on_window_deleted(sender, instance: ApplicationWindow, **kwargs) -> None:
    deadlines.remove(window_key(instance))


def on_application_changed(sender, instance: Application, raw: bool = False, **kwargs) -> None:
    """An organization that applies is no longer reminded to."""
    if not raw:
        sync_windows_of(instance.process_id)


def on_member_changed(sender, instance: OrganizationMember, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    for process_id in ApplicationWindow.objects.values_list("process_id", flat=True).distinct():
        sync_windows_of(process_id)


def on_meeting_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A meeting, one of its days, its own deadline or a nomination for it changed."""
    from phases.models import Meeting

    if raw:
        return
    meeting = instance if isinstance(instance, Meeting) else getattr(instance, "meeting", None)
    if meeting is None:
        return
    if kwargs.get("signal") is post_delete and isinstance(instance, Meeting):
        deadlines.remove(registration_key(instance.pk))
        return
    if Meeting.objects.filter(pk=meeting.pk).exists():
        sync_registration(Meeting.objects.select_related("venue").get(pk=meeting.pk))


def on_direct_registration(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        sync_registrations_of(instance.process_id)


def sync_all() -> int:
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


def connect() -> None:
    from phases.models import Meeting, MeetingDay
    from stakeholders.models_participation import Nomination, RegistrationDeadline
    from stakeholders.models_registry import DirectRegistration

    pairs = [
        (StakeholderList, on_list_saved, on_list_deleted),
        (ApplicationWindow, on_window_saved, on_window_deleted),
        (Application, on_application_changed, on_application_changed),
        (OrganizationMember, on_member_changed, on_member_changed),
        (Meeting, on_meeting_changed, on_meeting_changed),
        (MeetingDay, on_meeting_changed, on_meeting_changed),
        (RegistrationDeadline, on_meeting_changed, on_meeting_changed),
        (Nomination, on_meeting_changed, on_meeting_changed),
        (DirectRegistration, on_direct_registration, on_direct_registration),
    ]
    for model, saved, deleted in pairs:
        name = model.__name__
        post_save.connect(saved, sender=model, dispatch_uid=f"deadline-{name}")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"deadline-d-{name}")
