"""Every state change of representatives at meetings (issue 4) and of the application
windows. Each function checks who may act and when, changes the rows, and writes one
audit event in the same transaction.

A nomination moves once: nominated → confirmed or declined (the secretariat), or
nominated → withdrawn (the organization). Each move is claimed with a conditional
``update()`` that must change exactly one row, so two clicks or two people never decide
the same nomination twice.

Audit events name nominations by number, never by person: the trail is append-only and
cannot be erased, and personal data stays where it can be (the nomination row)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact_process.audit.models import record
from compact_process.formats import written
from phases.models import Meeting, Process
from stakeholders import deadlines as stakeholder_deadlines
from stakeholders import notifications
from stakeholders.enums import ListPurpose
from stakeholders.models import Organization
from stakeholders.models_participation import Nomination, NominationState, RegistrationDeadline
from stakeholders.models_registry import ApplicationWindow
from stakeholders.selectors import participation as selectors
from stakeholders.services import ReviewError, _require_member, _require_secretariat

__all__ = [
    "ReviewError",
    "decide_nomination",
    "nominate",
    "set_application_window",
    "set_registration_deadline",
    "withdraw_nomination",
]


def venue_time_text(at: datetime.datetime, zone: str) -> str:
    """An instant as the venue reads it, and in UTC, written as every instant of the site
    is (compact_process/formats/written.py): "24 April 2017, 23:59 UTC+2 (24 April 2017,
    21:59 UTC)"; one at midnight is the end of the day before (a deadline "until the end
    of 24 April")."""
    return _("%(local)s (%(utc)s)") % {
        "local": written.instant_words(at, zone, end=True),
        "utc": written.instant_words(at, end=True),
    }


# --- Nominations -----------------------------------------------------------------------------


def nominate(
    *,
    organization: Organization,
    meeting: Meeting,
    name: str,
    gender: str,
    email: str,
    function: str = "",
    actor,
) -> Nomination:
    """The organization names a representative for a meeting, before the meeting's
    registration deadline (the instant is taken when the request arrives)."""
    made_at = timezone.now()
    _require_member(actor, organization)
    found = selectors.grounds(organization, meeting.process)
    if not found.covers(meeting):
        if selectors.purpose_of(meeting) == ListPurpose.CONFERENCE:
            message = _(
                "Only organizations approved on the final list for the conference (OP 6(c)) "
                "or registered directly (OP 6(a), OP 9) may nominate representatives for the "
                "conference."
            )
        else:
            message = _(
                "Only organizations approved on the final list for the preparatory process "
                "(OP 6(b)) or registered directly (OP 6(a), OP 9) may nominate "
                "representatives for this meeting."
            )
        raise ReviewError(message)
    deadline = selectors.deadline_of(meeting)
    if deadline is None:
        raise ReviewError(
            _("The meeting has no dates yet, so nominations are not open; try again later.")
        )
    if not deadline.is_open(made_at):
        raise ReviewError(
            _(
                "Nominations for %(meeting)s closed on %(deadline)s; nothing was saved. "
                "Write to the secretariat if a representative must still be added."
            )
            % {"meeting": meeting.title, "deadline": venue_time_text(deadline.at, deadline.zone)}
        )
    nomination = Nomination(
        meeting=meeting,
        organization=organization,
        name=" ".join(name.split()),
        gender=gender,
        email=email.strip().lower(),
        function=" ".join(function.split()),
        nominated_by=actor,
        nominated_at=made_at,
    )
    nomination.full_clean(exclude=["meeting", "organization", "nominated_by"])
    try:
        with transaction.atomic():
            nomination.save()
            record(
                "nomination.made",
                actor=actor,
                nomination_id=nomination.pk,
                meeting_id=meeting.pk,
                organization_id=organization.pk,
            )
            # The organization has nominated: no longer reminded to (flow 3).
            stakeholder_deadlines.sync_registration(meeting)
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("This person (this e-mail address) is already nominated for this meeting.")}
        ) from exc
    return nomination


def withdraw_nomination(*, nomination: Nomination, actor) -> Nomination:
    """The organization withdraws a nomination the secretariat has not decided yet."""
    _require_member(actor, nomination.organization)
    now = timezone.now()
    with transaction.atomic():
        changed = Nomination.objects.filter(
            pk=nomination.pk, state=NominationState.NOMINATED
        ).update(state=NominationState.WITHDRAWN, withdrawn_at=now, withdrawn_by=actor)
        if changed != 1:
            nomination.refresh_from_db(fields=["state"])
            raise ReviewError(
                _(
                    "Only a nomination awaiting confirmation can be withdrawn; this one is: "
                    "%(state)s."
                )
                % {"state": nomination.get_state_display()}
            )
        record(
            "nomination.withdrawn",
            actor=actor,
            nomination_id=nomination.pk,
            meeting_id=nomination.meeting_id,
            organization_id=nomination.organization_id,
        )
        stakeholder_deadlines.sync_registration(nomination.meeting)
    nomination.refresh_from_db()
    return nomination


def decide_nomination(
    *, nomination: Nomination, confirm: bool, reason: str = "", actor
) -> Nomination:
    """The secretariat confirms or declines a nomination, once."""
    _require_secretariat(actor)
    state = NominationState.CONFIRMED if confirm else NominationState.DECLINED
    reason = reason.strip()
    now = timezone.now()
    with transaction.atomic():
        changed = Nomination.objects.filter(
            pk=nomination.pk, state=NominationState.NOMINATED
        ).update(state=state, reason=reason, decided_at=now, decided_by=actor)
        if changed != 1:
            nomination.refresh_from_db(fields=["state"])
            raise ReviewError(
                _("This nomination was already decided or withdrawn: %(state)s. Nothing changed.")
                % {"state": nomination.get_state_display()}
            )
        record(
            "nomination.decided",
            actor=actor,
            nomination_id=nomination.pk,
            meeting_id=nomination.meeting_id,
            organization_id=nomination.organization_id,
            state=state,
            with_reason=bool(reason),
        )
        nomination.refresh_from_db()
        stakeholder_deadlines.sync_registration(nomination.meeting)
        notifications.nomination_decided(nomination)
    return nomination


# --- Registration deadlines ----------------------------------------------------------------


def set_registration_deadline(
    *, meeting: Meeting, closes_at: datetime.datetime | None, actor
) -> RegistrationDeadline | None:
    """The secretariat sets a meeting's registration deadline, or (None) goes back to the
    default. The deadline cannot be after the meeting ends."""
    _require_secretariat(actor)
    if closes_at is not None:
        if timezone.is_naive(closes_at):
            raise ValueError("closes_at must be timezone-aware")
        last_day = meeting.days.order_by("-date").first()
        ends = selectors.meeting_end(meeting, last_day.date) if last_day else None
        if ends is not None and closes_at > ends:
            raise ValidationError(
                {
                    "closes_at": _("The deadline cannot be after the meeting ends (%(end)s).")
                    % {"end": venue_time_text(ends, meeting.venue.timezone)}
                }
            )
    with transaction.atomic():
        existing = RegistrationDeadline.objects.select_for_update().filter(meeting=meeting).first()
        before = existing.closes_at.isoformat() if existing else None
        if closes_at is None:
            if existing is not None:
                existing.delete()
            result = None
        elif existing is None:
            result = RegistrationDeadline.objects.create(
                meeting=meeting, closes_at=closes_at, set_by=actor
            )
        else:
            existing.closes_at, existing.set_by = closes_at, actor
            existing.save(update_fields=["closes_at", "set_by", "set_at"])
            result = existing
        record(
            "deadline.set",
            actor=actor,
            meeting_id=meeting.pk,
            before=before,
            after=closes_at.isoformat() if closes_at else None,
            default=closes_at is None,
        )
        stakeholder_deadlines.sync_registration(meeting)
    # The meeting object may carry the old deadline (select_related): forget it.
    meeting._state.fields_cache.pop("registration_deadline", None)
    return result


# --- Application windows (OP 6(b)–(c)) -----------------------------------------------------


def set_application_window(
    *,
    process: Process,
    purpose: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    actor,
) -> ApplicationWindow:
    """The secretariat sets when organizations may apply for special accreditation for a
    purpose (creating the window if there is none)."""
    _require_secretariat(actor)
    if purpose not in ListPurpose.values:
        raise ReviewError(_("Not a purpose of a stakeholder list."))
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The window must close after it opens.")})
    with transaction.atomic():
        window = (
            ApplicationWindow.objects.select_for_update()
            .filter(process=process, purpose=purpose)
            .first()
        )
        before = (
            {"opens_at": window.opens_at.isoformat(), "closes_at": window.closes_at.isoformat()}
            if window
            else None
        )
        if window is None:
            window = ApplicationWindow(process=process, purpose=purpose)
        window.opens_at, window.closes_at = opens_at, closes_at
        window.full_clean()
        window.save()
        record(
            "window.set",
            actor=actor,
            process=process.slug,
            window_id=window.pk,
            purpose=purpose,
            before=before,
            after={"opens_at": opens_at.isoformat(), "closes_at": closes_at.isoformat()},
        )
        stakeholder_deadlines.sync_window(window)
    return window
