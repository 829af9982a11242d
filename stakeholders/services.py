"""Every state change of the accreditation and the no-objection review (OP 6, footnote 5).

Each function is one arrow of the workflow: it checks who may act and when, changes the
rows, and writes one audit event in the same transaction.

The deadline. An objection counts if it was *made* before the review deadline: the
instant is when the delegate's request arrived (``compact_process.web.arrival``; the view
passes it as ``made_at``), before the server's queue, the middleware and any lock. The
list row is locked (``SELECT ... FOR UPDATE``) by every objection, withdrawal and by the
close, so they serialize. An act that reaches the lock more than the request timeout
(``REQUEST_TIMEOUT_SECONDS``) after it was made is refused, and the close refuses to run
until that long after the deadline (``close_grace()``): so an objection made in the last
second, still in flight, commits before the close takes the lock and is counted, and one
made a moment after the deadline is refused. The close claims the list once (its status
moves from under review to closed under the lock), so two triggers at once produce one
final list.

Only Member States object (OP 6(b) submits the lists to Member States): an observer
State's delegate reads the list and may request information, and is refused an objection.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from compact_process.accounts.permissions import acts_for, has_role
from compact_process.accounts.roles import Role
from compact_process.audit.models import record
from compact_process.deadlines import services as deadlines
from compact_process.errors import Refusal
from compact_process.web.arrival import request_timeout
from compact_process.web.languages import columns
from phases.models import MemberState, Process
from stakeholders import deadlines as review_deadlines
from stakeholders import notifications, profiles
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, ListPurpose, ListStatus
from stakeholders.models import (
    Application,
    InformationRequest,
    ListEntry,
    Objection,
    Organization,
    Representative,
    StakeholderList,
)


def close_grace() -> datetime.timedelta:
    """How long after its deadline a review may close: the longest a request may be in
    flight, so that an objection made before the deadline has reached the record."""
    return request_timeout()


log = logging.getLogger(__name__)

CLOSE_GRACE = close_grace()  # at the settings' value; the services read close_grace()


class ReviewError(Refusal):
    """A step of the review refused, with a message for the person who tried."""


def _deadline_text(deadline: datetime.datetime) -> str:
    return (
        formats.date_format(timezone.localtime(deadline, datetime.UTC), "DATETIME_FORMAT") + " UTC"
    )


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
    purpose: str | None = None,
    actor=None,
) -> Application:
    """``purpose``: the list purpose applied for (OP 6(b) or 6(c)); by default the
    preparatory process for special accreditation, none (both) for the ECOSOC and NHRI
    channels."""
    if purpose is None:
        purpose = ListPurpose.PREPARATORY if channel == Channel.SPECIAL else ""
    with transaction.atomic():
        application = Application(
            process=process,
            organization=organization,
            channel=channel,
            purpose=purpose,
            activities=activities,
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
            purpose=purpose,
        )
        # An organization that applied is no longer reminded to (flow 3).
        review_deadlines.sync_windows_of(process.pk)
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
        # What Member States will read if it is listed: the profile as screened now.
        application.screened_profile = profiles.snapshot(application, application.decided_at)
        application.save(update_fields=["state", "reason", "decided_at", "screened_profile"])
        record(
            "application.screened",
            actor=actor,
            application_id=application.pk,
            state=state,
            reason=reason,
        )
        notifications.application_screened(application)
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
    if application.purpose != stakeholder_list.purpose:
        raise ReviewError(
            _(
                "The application and the list are for different purposes (the "
                "application: %(applied)s; the list: %(list)s). An organization goes on a "
                "list of the purpose it applied for."
            )
            % {
                "applied": application.get_purpose_display(),
                "list": stakeholder_list.get_purpose_display(),
            }
        )
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
        review_deadlines.sync_review(locked)  # delegates are due to review it (flow 3)
        record(
            "list.submitted",
            actor=actor,
            list_id=locked.pk,
            entries=entries,
            deadline=deadline.isoformat(),
        )
        notifications.list_submitted(locked, entries=entries)
    return locked


def extend_review(
    *, stakeholder_list: StakeholderList, deadline: datetime.datetime, reason: str, actor
) -> StakeholderList:
    """The Office extends a review before its deadline passes, with a reason; never
    shortens it (an objection already planned for the last day must still count), never
    after it passed (the review is then closing: nothing may be decided twice). Under the
    list's row lock, so that it serializes with objections and the close. It writes the
    review's deadline row itself (flow 3): the reminders re-plan, a changed date being a
    new reminder key; every delegate is told."""
    _require_office(actor)
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Give the reason for the extension."))
    with transaction.atomic():
        locked = _locked(stakeholder_list.pk)
        if locked.status != ListStatus.UNDER_REVIEW:
            raise ReviewError(_("Only a list under review can have its deadline extended."))
        previous = locked.review_deadline
        if timezone.now() >= previous:
            raise ReviewError(
                _("The review deadline passed at %(deadline)s; it can no longer be extended.")
                % {"deadline": _deadline_text(previous)}
            )
        if deadline <= previous:
            raise ReviewError(
                _(
                    "The new deadline must be later than the current one, %(deadline)s: a "
                    "review can be extended, never shortened."
                )
                % {"deadline": _deadline_text(previous)}
            )
        locked.review_deadline = deadline
        locked.save(update_fields=["review_deadline"])
        review_deadlines.sync_review(locked)
        record(
            "review.extended",
            actor=actor,
            list_id=locked.pk,
            before=previous.isoformat(),
            after=deadline.isoformat(),
            reason=reason,
        )
        notifications.review_extended(locked, previous=previous, reason=reason)
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
    if timezone.now() - made_at > request_timeout():
        # The close waits this long after the deadline; an act slower than that could
        # otherwise be overtaken by it. Refused, so that nothing is decided twice.
        raise ReviewError(
            _(
                "Your request took more than %(seconds)s seconds to reach the record; "
                "nothing was changed. Please try again."
            )
            % {"seconds": int(request_timeout().total_seconds())}
        )


def observer_note(member_state: MemberState) -> str:
    """Why an observer State's delegate is not offered an objection (OP 6(b))."""
    return _(
        "Only Member States may object: OP 6(b) submits the list to Member States. "
        "%(state)s, an observer State, may read the list and request information."
    ) % {"state": member_state.name}


def _require_member_state(member_state: MemberState) -> None:
    if not member_state.is_member:
        raise ReviewError(observer_note(member_state))


def lodge_objection(
    *,
    entry: ListEntry,
    member_state: MemberState,
    user,
    basis: str = "",
    disclose_identity: bool = False,
    made_at: datetime.datetime | None = None,
) -> Objection:
    """A delegate objects, for its own State, to an entry of a list under review.
    ``made_at``: when the request arrived (``arrival(request)``); now by default."""
    made_at = made_at or timezone.now()
    if not acts_for(user, member_state):
        raise PermissionDenied(_("You do not act for this State."))
    _require_member_state(member_state)
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


def withdraw_objection(
    *, objection: Objection, user, made_at: datetime.datetime | None = None
) -> Objection:
    """``made_at``: when the request arrived, as for an objection."""
    made_at = made_at or timezone.now()
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
        # The requester, and only the requester, is told (inbox and e-mail).
        notifications.information_shared(locked)
    return locked


# --- The close ------------------------------------------------------------------------------


def close_review(*, list_id: int, actor=None, now: datetime.datetime | None = None) -> bool:
    """Close the review of one list: entries with at least one standing objection are not
    approved, all others are. Returns False if it was already closed (by a concurrent
    trigger); refuses before the deadline (plus ``close_grace()``).

    One set-based decision under the list's row lock, in the same few queries whatever
    the list's size: the outcomes, the list's status, the review deadline met, the audit
    event and one outbox row. What follows from it (the approved organizations join the
    meetings' registration audiences, the organizations are told) is ``after_close``,
    run after commit by a task, or by beat's sweep if that task is lost."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(list_id)
        if locked.status == ListStatus.CLOSED:
            return False
        if locked.status != ListStatus.UNDER_REVIEW:
            raise ReviewError(_("This list was never submitted for review."))
        if now < locked.review_deadline + close_grace():
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
        review_deadlines.mark_review_met(locked)
        deadlines.request_job(AFTER_CLOSE, list_id)
        record(
            "review.closed",
            actor=actor,
            list_id=list_id,
            approved=approved,
            not_approved=not_approved,
            actor_label="system" if actor is None else "",
        )
        transaction.on_commit(functools.partial(_enqueue_after_close, list_id))
    return True


AFTER_CLOSE = "stakeholders.after_close"


def _enqueue_after_close(list_id: int) -> None:
    from stakeholders.tasks import after_close as task

    try:
        task.delay(list_id)
    except Exception:  # the broker is down: the outbox row stays, beat's sweep does it
        log.warning("Could not enqueue the close's derived work of list %s", list_id, exc_info=True)


def after_close(*, list_id: int) -> None:
    """What follows from a close, once it committed; set-based and idempotent (a second
    run changes nothing): the review's deadline row (met), the registration deadlines of
    the meetings of the list's purpose (its approved organizations may now nominate, in
    one diff for all meetings), and each listed organization told of its outcome."""
    started = deadlines.job_started(AFTER_CLOSE, list_id)
    stakeholder_list = StakeholderList.objects.filter(pk=list_id).first()
    with transaction.atomic():
        if stakeholder_list is not None and stakeholder_list.status == ListStatus.CLOSED:
            review_deadlines.sync_review(stakeholder_list)
            review_deadlines.sync_registrations_of(
                stakeholder_list.process_id, purpose=stakeholder_list.purpose
            )
            notifications.review_closed(stakeholder_list)
        deadlines.job_done(AFTER_CLOSE, list_id, started=started)


def close_due_reviews(*, now: datetime.datetime | None = None) -> list[int]:
    """The beat sweep: close every review whose deadline (plus grace) has passed."""
    now = now or timezone.now()
    due = StakeholderList.objects.filter(
        status=ListStatus.UNDER_REVIEW, review_deadline__lte=now - close_grace()
    ).values_list("pk", flat=True)
    return [pk for pk in due if close_review(list_id=pk, now=now)]


# --- Registration (issue 4): accounts, profiles, applications, the ECOSOC and NHRI lists ----
# Appended: the models are in ``stakeholders.models_registry``; CSV reading in
# ``stakeholders.imports``.


def _registry():
    from stakeholders import models_registry

    return models_registry


def _require_member(user, organization: Organization) -> None:
    """Only a member of the organization acts for it."""
    registry = _registry()
    if not (
        user.is_authenticated
        and registry.OrganizationMember.objects.filter(
            user=user, organization=organization
        ).exists()
    ):
        raise PermissionDenied(_("You do not act for this organization."))


def _require_secretariat(user) -> None:
    if not has_role(user, Role.SECRETARIAT):
        raise PermissionDenied(_("Only the secretariat may do this."))


def sign_up(*, username: str, email: str, password: str, link_for) -> object:
    """An organization's representative creates an account. It stays inactive until the
    e-mail address is verified through the link sent (``link_for(user)`` builds it)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    user_model = get_user_model()
    user = user_model(username=username, email=email, is_active=False)
    validate_password(password, user=user)
    user.set_password(password)
    with transaction.atomic():
        user.full_clean(exclude=["password"])
        user.save()
        record("account.signed_up", actor=user, username=username)
    send_verification(user=user, link=link_for(user))
    return user


def send_verification(*, user, link: str) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override(getattr(user, "preferred_language", None)):
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        body = render_to_string(
            "registration/verify_email.txt", {"user": user, "link": link, "days": days}
        )
        subject = _("Confirm your e-mail address")
    send_mail(subject, body, None, [user.email])


def resend_verification(*, identifier: str, link_for) -> None:
    """A new confirmation link for the account awaiting confirmation whose user name or
    e-mail address is ``identifier``; nothing for any other (the page says the same either
    way). At most one a minute per account."""
    from compact_process.accounts import services as accounts
    from compact_process.accounts.selectors import unverified_accounts

    for user in unverified_accounts(identifier):
        if not accounts.may_send("verification", user):
            continue
        with transaction.atomic():
            record("account.verification_resent", actor=user, username=user.get_username())
        send_verification(user=user, link=link_for(user))


def verify_email(*, user) -> object:
    """The link was followed: the account is active and in the stakeholder group."""
    from django.contrib.auth.models import Group

    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        user.groups.add(Group.objects.get(name=Role.STAKEHOLDER))
        record("account.verified", actor=user, username=user.get_username())
    return user


# The description in the six languages, by column (description_en, description_ar ...).
ORGANIZATION_FIELDS = (
    "name",
    "name_latin",
    "kind",
    "country",
    "website",
    "email",
    *columns("description"),
)


def create_organization(*, actor, **fields) -> Organization:
    """A verified stakeholder creates its organization's profile and acts for it."""
    registry = _registry()
    if not has_role(actor, Role.STAKEHOLDER):
        raise PermissionDenied(_("Only a stakeholder with a verified account may do this."))
    if registry.OrganizationMember.objects.filter(user=actor).exists():
        raise ReviewError(_("You already act for an organization."))
    with transaction.atomic():
        organization = Organization(**{k: fields[k] for k in ORGANIZATION_FIELDS if k in fields})
        organization.full_clean()
        organization.save()
        registry.OrganizationMember.objects.create(user=actor, organization=organization)
        record(
            "organization.created",
            actor=actor,
            organization_id=organization.pk,
            organization=str(organization),
        )
        # Its members are reminded to apply in every open window (flow 3).
        review_deadlines.sync_windows_everywhere()
    return organization


def update_organization(*, organization: Organization, actor, **fields) -> Organization:
    _require_member(actor, organization)
    with transaction.atomic():
        for key in ORGANIZATION_FIELDS:
            if key in fields:
                setattr(organization, key, fields[key])
        organization.full_clean()
        organization.save()
        record(
            "organization.updated",
            actor=actor,
            organization_id=organization.pk,
            fields=sorted(k for k in fields if k in ORGANIZATION_FIELDS),
        )
    return organization


def ensure_default_window(process: Process):
    """The real window for special accreditation: 14 March–17 April 2017, New York time
    (idempotent; the seed should call it for the GCM)."""
    import zoneinfo

    from stakeholders.enums import ListPurpose

    registry = _registry()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    window, created = registry.ApplicationWindow.objects.get_or_create(
        process=process,
        purpose=ListPurpose.PREPARATORY,
        defaults={
            "opens_at": datetime.datetime(2017, 3, 14, tzinfo=new_york),
            "closes_at": datetime.datetime(2017, 4, 18, tzinfo=new_york),
        },
    )
    if created:
        record("window.created", process=process.slug, window_id=window.pk)
        review_deadlines.sync_window(window)
    return window


def open_windows(process: Process, now: datetime.datetime | None = None) -> list:
    """The process's application windows open at ``now``, earliest first."""
    now = now or timezone.now()
    return list(
        _registry()
        .ApplicationWindow.objects.filter(process=process, opens_at__lte=now, closes_at__gt=now)
        .order_by("opens_at", "purpose")
    )


def open_window(process: Process, now: datetime.datetime | None = None):
    found = open_windows(process, now)
    return found[0] if found else None


def apply_for_accreditation(
    *,
    process: Process,
    organization: Organization,
    activities: str,
    representatives: Iterable[tuple[str, str]],
    actor,
    purpose: str | None = None,
) -> Application:
    """Special accreditation (OP 6(b)–(c)) for one purpose, only within that purpose's
    application window. Without a ``purpose``, the one window open if there is exactly
    one."""
    now = timezone.now()
    _require_member(actor, organization)
    registry = _registry()
    open_now = {w.purpose: w for w in open_windows(process, now)}
    if purpose is None and len(open_now) == 1:
        purpose = next(iter(open_now))
    if purpose is not None and purpose not in ListPurpose.values:
        raise ReviewError(_("Not a purpose of a stakeholder list."))
    if purpose is None and open_now:
        raise ReviewError(_("Choose what your organization applies for."))
    if purpose not in open_now:
        windows = registry.ApplicationWindow.objects.filter(process=process)
        if purpose is not None:
            windows = windows.filter(purpose=purpose)
        # The window to name: the next to open, else the last to close.
        window = windows.filter(opens_at__gt=now).order_by("opens_at").first() or (
            windows.order_by("-closes_at").first()
        )
        if window is None:
            raise ReviewError(_("No application window is set for this process."))
        raise ReviewError(
            _(
                "%(purpose)s: applications are accepted only within the application "
                "window, from %(opens)s to %(closes)s."
            )
            % {
                "purpose": window.get_purpose_display(),
                "opens": _deadline_text(window.opens_at),
                "closes": _deadline_text(window.closes_at),
            }
        )
    applied = Application.objects.filter(process=process, organization=organization)
    if applied.exclude(channel=Channel.SPECIAL).exists():
        raise ReviewError(
            _(
                "Your organization is registered through the ECOSOC or NHRI list: it takes "
                "part in the conference and its preparatory process without applying."
            )
        )
    if applied.filter(purpose=purpose).exists():
        raise ReviewError(
            _("Your organization has already applied: %(purpose)s.")
            % {"purpose": open_now[purpose].get_purpose_display()}
        )
    representatives = list(representatives)
    if not representatives:
        raise ReviewError(_("Name at least one representative."))
    try:
        return submit_application(
            process=process,
            organization=organization,
            channel=Channel.SPECIAL,
            purpose=purpose,
            activities=activities,
            representatives=representatives,
            actor=actor,
        )
    except IntegrityError as exc:  # two submissions at once: the constraint decides
        raise ReviewError(
            _("Your organization has already applied: %(purpose)s.")
            % {"purpose": open_now[purpose].get_purpose_display()}
        ) from exc


def answer_information_request(*, application: Application, text: str, actor) -> Application:
    """The applicant answers the Office's request for information; the application is
    submitted again."""
    registry = _registry()
    _require_member(actor, application.organization)
    text = text.strip()
    if not text:
        raise ReviewError(_("Write your answer."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != ApplicationState.NEEDS_INFORMATION:
            raise ReviewError(_("The Office has not asked for information on this application."))
        registry.InformationAnswer.objects.create(application=locked, text=text, answered_by=actor)
        locked.state = ApplicationState.SUBMITTED
        locked.save(update_fields=["state"])
        record("application.resubmitted", actor=actor, application_id=locked.pk)
    return locked


def import_accredited_bodies(*, source: str, data: bytes, actor):
    """Replace one imported list (ECOSOC or NHRI) with a CSV file, all or nothing.
    Returns ``(parsed, changes, event)``; with errors, nothing is written and changes and
    event are None."""
    from stakeholders import imports

    registry = _registry()
    _require_secretariat(actor)
    countries = dict(MemberState.objects.values_list("iso3", "pk"))
    parsed = imports.parse(source, data, countries)
    if not parsed.ok:
        return parsed, None, None
    now = timezone.now()
    changes = imports.Changes()
    with transaction.atomic():
        existing = {
            (b.normalized_name, b.country.iso3): b
            for b in registry.AccreditedBody.objects.select_for_update()
            .filter(source=source)
            .select_related("country")
        }
        new, updated = [], []
        for row in parsed.rows:
            key = (row.normalized_name, row.country_iso3)
            body = existing.pop(key, None)
            described = {"name": row.name, "country": row.country_iso3, "status": row.status}
            if body is None:
                new.append(
                    registry.AccreditedBody(
                        source=source,
                        name=row.name,
                        normalized_name=row.normalized_name,
                        country_id=countries[row.country_iso3],
                        status=row.status,
                        imported_at=now,
                    )
                )
                changes.added.append(described)
            elif body.name != row.name or body.status != row.status:
                changes.changed.append(
                    {**described, "was_name": body.name, "was_status": body.status}
                )
                body.name, body.status, body.imported_at = row.name, row.status, now
                updated.append(body)
            else:
                changes.unchanged += 1
        for body in existing.values():
            changes.removed.append(
                {"name": body.name, "country": body.country.iso3, "status": body.status}
            )
        registry.AccreditedBody.objects.filter(pk__in=[b.pk for b in existing.values()]).delete()
        registry.AccreditedBody.objects.bulk_create(new, batch_size=500)
        registry.AccreditedBody.objects.bulk_update(
            updated, ["name", "status", "imported_at"], batch_size=500
        )
        event = record(
            "accredited.imported",
            actor=actor,
            source=source,
            rows=len(parsed.rows),
            **changes.as_data(),
        )
    return parsed, changes, event


def _candidates(organization: Organization, source: str):
    from stakeholders import imports

    registry = _registry()
    bodies = registry.AccreditedBody.objects.filter(
        source=source, country=organization.country, status__in=imports.REGISTERS[source]
    )
    names = {imports.normalize(n) for n in (organization.name, organization.name_latin) if n}
    best, best_ratio = None, 0.0
    for body in bodies:
        if body.normalized_name in names:
            return body, 1.0
        for name in names:
            r = imports.ratio(name, body.normalized_name)
            if r > best_ratio:
                best, best_ratio = body, r
    if best is not None and best_ratio >= imports.NEAR_MATCH:
        return best, best_ratio
    return None, 0.0


def register_directly(*, process: Process, organization: Organization, channel: str, actor):
    """OP 6(a), OP 9: an organization on the ECOSOC list or an NHRI with status A
    registers without list review. An exact match (normalized name and country) is
    confirmed at once; a near match waits for the secretariat; no match is refused."""
    registry = _registry()
    _require_member(actor, organization)
    if channel not in (Channel.ECOSOC, Channel.NHRI):
        raise ReviewError(_("Choose the ECOSOC or the NHRI channel."))
    if Application.objects.filter(process=process, organization=organization).exists():
        raise ReviewError(_("Your organization has already applied in this process."))
    if registry.DirectRegistration.objects.filter(
        process=process, organization=organization, state=registry.RegistrationState.PENDING
    ).exists():
        raise ReviewError(
            _("Your registration is already awaiting the secretariat's confirmation.")
        )
    body, similarity = _candidates(organization, channel)
    if body is None:
        if channel == Channel.ECOSOC:
            message = _(
                "Your organization was not found on the list of organizations in consultative "
                "status with ECOSOC for its country. Apply for special accreditation instead."
            )
        else:
            message = _(
                "Your organization was not found among the national human rights institutions "
                "accredited with status A for its country. Apply for special accreditation "
                "instead."
            )
        raise ReviewError(message)
    with transaction.atomic():
        registration = registry.DirectRegistration(
            process=process,
            organization=organization,
            channel=channel,
            body=body,
            matched_name=body.name,
            ratio=similarity,
            requested_by=actor,
        )
        if similarity == 1.0:
            registration.application = _confirmed_application(registration, actor=actor)
            registration.state = registry.RegistrationState.CONFIRMED
            registration.decided_at = timezone.now()
        registration.save()
        record(
            "registration.requested",
            actor=actor,
            registration_id=registration.pk,
            organization=str(organization),
            channel=channel,
            matched=body.name,
            ratio=round(similarity, 3),
            state=registration.state,
        )
        if registration.state == registry.RegistrationState.CONFIRMED:
            _registered(registration)
    return registration


def _confirmed_application(registration, *, actor) -> Application:
    application = Application(
        process=registration.process,
        organization=registration.organization,
        channel=registration.channel,
        purpose="",  # OP 6(a), OP 9: the conference and its preparatory process
        activities=_("Registered through the list: %(name)s") % {"name": registration.matched_name},
        state=ApplicationState.SCREENED_IN,
        reason=_("Matched “%(name)s” on the imported list; no list review is needed.")
        % {"name": registration.matched_name},
        decided_at=timezone.now(),
    )
    application.full_clean()
    application.save()
    record(
        "application.registered",
        actor=actor,
        application_id=application.pk,
        organization=str(registration.organization),
        channel=registration.channel,
    )
    return application


def decide_registration(*, registration, confirm: bool, reason: str = "", actor):
    """The secretariat confirms or rejects a near match; nothing is decided silently."""
    registry = _registry()
    _require_secretariat(actor)
    with transaction.atomic():
        locked = registry.DirectRegistration.objects.select_for_update().get(pk=registration.pk)
        if locked.state != registry.RegistrationState.PENDING:
            raise ReviewError(_("This registration was already decided."))
        if confirm:
            if Application.objects.filter(
                process=locked.process, organization=locked.organization
            ).exists():
                raise ReviewError(_("This organization has already applied in this process."))
            locked.application = _confirmed_application(locked, actor=actor)
            locked.state = registry.RegistrationState.CONFIRMED
        else:
            locked.state = registry.RegistrationState.REJECTED
        locked.reason = reason.strip()
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["application", "state", "reason", "decided_by", "decided_at"])
        record(
            "registration.decided",
            actor=actor,
            registration_id=locked.pk,
            state=locked.state,
            reason=locked.reason,
        )
        if confirm:
            _registered(locked)
    return locked


def _registered(registration) -> None:
    """A confirmed direct registration: the organization may nominate for every meeting
    (OP 6(a), OP 9) and, having an application, is no longer reminded to apply."""
    review_deadlines.sync_registrations_of(registration.process_id)
    review_deadlines.sync_windows_of(registration.process_id)
