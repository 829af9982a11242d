"""Every state change of the accreditation and the no-objection review (OP 6, footnote 5).

Each function is one arrow of the workflow: it checks who may act and when, changes the
rows, and writes one audit event in the same transaction.

The deadline. An objection counts if it was *made* before the review deadline: the
instant is taken when the request reaches the service, before any lock is awaited. The
list row is locked (``SELECT ... FOR UPDATE``) by every objection, withdrawal and by the
close, so they serialize. The close refuses to run until ``CLOSE_GRACE`` after the
deadline, so that an objection made in the last second, still waiting for the lock,
commits before the close takes it and is counted; one made a second after the deadline
is refused. The close claims the list once (its status moves from under review to
closed under the lock), so two triggers at once produce one final list.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from compact_process.accounts.permissions import acts_for, has_role
from compact_process.accounts.roles import Role
from compact_process.audit.models import record
from phases.models import MemberState, Process
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, ListStatus
from stakeholders.models import (
    Application,
    InformationRequest,
    ListEntry,
    Objection,
    Organization,
    Representative,
    StakeholderList,
)

CLOSE_GRACE = datetime.timedelta(seconds=5)


class ReviewError(ValidationError):
    """A step of the review refused, with a message for the person who tried."""


def _deadline_text(deadline: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT") + " UTC"


def _locked(list_id: int) -> StakeholderList:
    return StakeholderList.objects.select_for_update().get(pk=list_id)


def _require_office(user) -> None:
    if not has_role(user, Role.PGA_OFFICE):
        raise PermissionDenied(
            _("Only the Office of the President of the General Assembly may do this.")
        )


# --- Applications ----------------------------------------------------------------------


def submit_application(
    *,
    process: Process,
    organization: Organization,
    channel: str,
    activities: str,
    representatives: Iterable[tuple[str, str]] = (),
    actor=None,
) -> Application:
    with transaction.atomic():
        application = Application(
            process=process, organization=organization, channel=channel, activities=activities
        )
        application.full_clean()
        application.save()
        for name, gender in representatives:
            rep = Representative(application=application, name=name, gender=gender)
            rep.full_clean()
            rep.save()
        record(
            "application.submitted",
            actor=actor,
            application_id=application.pk,
            organization=str(organization),
            channel=channel,
        )
    return application


def screen_application(
    *, application: Application, state: str, reason: str = "", actor
) -> Application:
    """The Office screens an application in or out, or asks for information."""
    _require_office(actor)
    if state not in (
        ApplicationState.SCREENED_IN,
        ApplicationState.SCREENED_OUT,
        ApplicationState.NEEDS_INFORMATION,
    ):
        raise ReviewError(_("Not a screening decision."))
    with transaction.atomic():
        application.state = state
        application.reason = reason
        application.decided_at = timezone.now()
        application.save(update_fields=["state", "reason", "decided_at"])
        record(
            "application.screened",
            actor=actor,
            application_id=application.pk,
            state=state,
            reason=reason,
        )
    return application


# --- Composing and submitting a list ------------------------------------------------------


def create_list(*, process: Process, purpose: str, title: str, actor) -> StakeholderList:
    _require_office(actor)
    with transaction.atomic():
        stakeholder_list = StakeholderList(process=process, purpose=purpose, title=title)
        stakeholder_list.full_clean()
        stakeholder_list.save()
        record(
            "list.created", actor=actor, list_id=stakeholder_list.pk, title=title, purpose=purpose
        )
    return stakeholder_list


def add_entry(*, stakeholder_list: StakeholderList, application: Application, actor) -> ListEntry:
    _require_office(actor)
    if application.channel != Channel.SPECIAL:
        raise ReviewError(
            _(
                "Organizations in consultative status with ECOSOC and "
                "accredited national human rights institutions need no list "
                "review (OP 6(a), OP 9)."
            )
        )
    if application.state != ApplicationState.SCREENED_IN:
        raise ReviewError(_("Only screened-in applications can be put on a list."))
    with transaction.atomic():
        locked = _locked(stakeholder_list.pk)
        if locked.status != ListStatus.DRAFT:
            raise ReviewError(_("The list was submitted to Member States; its entries are frozen."))
        try:
            with transaction.atomic():
                entry = ListEntry.objects.create(stakeholder_list=locked, application=application)
        except IntegrityError as exc:
            raise ReviewError(_("This organization is already on the list.")) from exc
        record(
            "entry.added",
            actor=actor,
            list_id=locked.pk,
            entry_id=entry.pk,
            organization=str(application.organization),
        )
    return entry


def submit_list(
    *, stakeholder_list: StakeholderList, deadline: datetime.datetime, actor
) -> StakeholderList:
    """OP 6(b)–(c): the Office submits the list to Member States for consideration on a
    non-objection basis, with a review deadline. From now on the entries are frozen."""
    _require_office(actor)
    now = timezone.now()
    if deadline <= now:
        raise ReviewError(_("The review deadline must be in the future."))
    with transaction.atomic():
        locked = _locked(stakeholder_list.pk)
        if locked.status != ListStatus.DRAFT:
            raise ReviewError(_("This list was already submitted."))
        entries = locked.entries.count()
        if entries == 0:
            raise ReviewError(_("An empty list cannot be submitted."))
        locked.status = ListStatus.UNDER_REVIEW
        locked.submitted_at = now
        locked.review_deadline = deadline
        locked.save(update_fields=["status", "submitted_at", "review_deadline"])
        record(
            "list.submitted",
            actor=actor,
            list_id=locked.pk,
            entries=entries,
            deadline=deadline.isoformat(),
        )
    return locked


# --- Member State review ------------------------------------------------------------------


def _open_for_review(locked: StakeholderList, made_at: datetime.datetime) -> None:
    if locked.status != ListStatus.UNDER_REVIEW or made_at >= locked.review_deadline:
        deadline = locked.review_deadline
        raise ReviewError(
            _("The review closed at %(deadline)s; nothing can be changed any more.")
            % {"deadline": _deadline_text(deadline)}
            if deadline
            else _("This list is not under review.")
        )


def lodge_objection(
    *,
    entry: ListEntry,
    member_state: MemberState,
    user,
    basis: str = "",
    disclose_identity: bool = False,
) -> Objection:
    """A delegate objects, for its own State, to an entry of a list under review."""
    made_at = timezone.now()  # when it was made, before any wait for the lock
    if not acts_for(user, member_state):
        raise PermissionDenied(_("You do not act for this State."))
    with transaction.atomic():
        locked = _locked(entry.stakeholder_list_id)
        _open_for_review(locked, made_at)
        try:
            with transaction.atomic():
                objection = Objection.objects.create(
                    entry=entry,
                    member_state=member_state,
                    lodged_by=user,
                    lodged_at=made_at,
                    basis=basis.strip(),
                    disclose_identity=disclose_identity,
                )
        except IntegrityError as exc:
            raise ReviewError(_("Your State already objects to this entry.")) from exc
        record(
            "objection.lodged",
            actor=user,
            list_id=locked.pk,
            entry_id=entry.pk,
            state=member_state.iso3,
            with_basis=bool(objection.basis),
            disclose_identity=disclose_identity,
        )
    return objection


def withdraw_objection(*, objection: Objection, user) -> Objection:
    made_at = timezone.now()
    if not acts_for(user, objection.member_state):
        raise PermissionDenied(_("You do not act for this State."))
    with transaction.atomic():
        locked = _locked(objection.entry.stakeholder_list_id)
        _open_for_review(locked, made_at)
        changed = Objection.objects.filter(pk=objection.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=made_at, withdrawn_by=user
        )
        if changed != 1:
            raise ReviewError(_("This objection was already withdrawn."))
        record(
            "objection.withdrawn",
            actor=user,
            list_id=locked.pk,
            entry_id=objection.entry_id,
            state=objection.member_state.iso3,
        )
    objection.refresh_from_db()
    return objection


def request_information(*, entry: ListEntry, member_state: MemberState, user) -> InformationRequest:
    """Footnote 5: any Member State may ask what the Office received on an entry."""
    if not acts_for(user, member_state):
        raise PermissionDenied(_("You do not act for this State."))
    with transaction.atomic():
        request = InformationRequest.objects.create(
            entry=entry, requesting_state=member_state, requested_by=user
        )
        record(
            "information.requested",
            actor=user,
            list_id=entry.stakeholder_list_id,
            entry_id=entry.pk,
            state=member_state.iso3,
            request_id=request.pk,
        )
    return request


def share_information(*, request: InformationRequest, actor) -> InformationRequest:
    """The Office shares what it received: each general basis, and the objecting State
    only where that State allowed it."""
    _require_office(actor)
    with transaction.atomic():
        locked = InformationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.shared_at is not None:
            raise ReviewError(_("This request was already answered."))
        objections = Objection.objects.filter(
            entry_id=locked.entry_id, withdrawn_at__isnull=True
        ).select_related("member_state")
        locked.shared = [
            {
                "basis": o.basis,
                "state": o.member_state.name if o.disclose_identity else None,
            }
            for o in objections
        ]
        locked.shared_at = timezone.now()
        locked.shared_by = actor
        locked.save(update_fields=["shared", "shared_at", "shared_by"])
        record(
            "information.shared",
            actor=actor,
            list_id=locked.entry.stakeholder_list_id,
            entry_id=locked.entry_id,
            request_id=locked.pk,
            items=len(locked.shared),
        )
    return locked


# --- The close ------------------------------------------------------------------------------


def close_review(*, list_id: int, actor=None, now: datetime.datetime | None = None) -> bool:
    """Close the review of one list: entries with at least one standing objection are not
    approved, all others are. Returns False if it was already closed (by a concurrent
    trigger); refuses before the deadline (plus ``CLOSE_GRACE``)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(list_id)
        if locked.status == ListStatus.CLOSED:
            return False
        if locked.status != ListStatus.UNDER_REVIEW:
            raise ReviewError(_("This list was never submitted for review."))
        if now < locked.review_deadline + CLOSE_GRACE:
            raise ReviewError(
                _("The review is open until %(deadline)s; it cannot be closed before.")
                % {"deadline": _deadline_text(locked.review_deadline)}
            )
        entries = ListEntry.objects.filter(stakeholder_list_id=list_id)
        standing = (
            Objection.objects.filter(
                entry=OuterRef("pk"),
                withdrawn_at__isnull=True,
                lodged_at__lt=locked.review_deadline,
            )
            .order_by()
            .values("entry")
            .annotate(n=Count("id"))
            .values("n")
        )
        entries.update(standing_objections=Coalesce(Subquery(standing), Value(0)))
        not_approved = entries.filter(standing_objections__gt=0).update(
            outcome=EntryOutcome.NOT_APPROVED
        )
        approved = entries.filter(standing_objections=0).update(outcome=EntryOutcome.APPROVED)
        locked.status = ListStatus.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        record(
            "review.closed",
            actor=actor,
            list_id=list_id,
            approved=approved,
            not_approved=not_approved,
            actor_label="system" if actor is None else "",
        )
    return True


def close_due_reviews(*, now: datetime.datetime | None = None) -> list[int]:
    """The beat sweep: close every review whose deadline (plus grace) has passed."""
    now = now or timezone.now()
    due = StakeholderList.objects.filter(
        status=ListStatus.UNDER_REVIEW, review_deadline__lte=now - CLOSE_GRACE
    ).values_list("pk", flat=True)
    return [pk for pk in due if close_review(list_id=pk, now=now)]
