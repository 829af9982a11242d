"""Notifications: written with the change that causes them, sent from the database.

``notify`` stores one row per (event, recipient) in the caller's transaction (a second
call for the same event and recipient writes nothing) and, once that transaction
commits, asks a worker to send what is due. The worker's ``send_due`` claims each row
with one atomic UPDATE (pending → sending), hands the e-mail to the mail server and marks
it sent. So a row is handed over at most once, whatever the number of workers, sweeps or
redelivered messages. Between the claim and the hand-over, the worker writes the message
and opens the mail server's connection; only then does it note the hand-over's start, on
the condition that its claim still holds. A worker killed before that leaves a claim that
is known not to have reached the mail server: the sweep releases it after
``EMAIL_ABANDONED_SECONDS`` and it is sent as if nothing happened. A worker killed during
the hand-over leaves the row "sending" with its hand-over begun: it may or may not have
reached the mail server, so it is shown to the secretariat as uncertain (after
``EMAIL_UNCERTAIN_MINUTES``), for a person to resend or drop, never resent silently. A
mail-server failure puts the row back to pending with a later next attempt (backoff);
after ``MAX_ATTEMPTS`` it is failed. Beat sweeps the table every
``NOTIFICATION_SWEEP_SECONDS``, so a lost broker message only delays an e-mail.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from compact_process import labels
from compact_process.notifications.models import EmailStatus, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 200
_DATETIME = "$datetime"
_LABEL = "$label"


def backoff(attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: 1, 2, 4, 8… minutes, at most an hour."""
    return datetime.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


# --- Writing ----------------------------------------------------------------------------


@dataclass
class Note:
    """A notification to write: who, which event, where to act, what to say."""

    recipient_id: int
    kind: str
    key: str
    route: str = ""
    route_args: list[Any] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, labels.Label):
        return {_LABEL: value.as_json()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {_DATETIME}:
        return parse_datetime(value[_DATETIME])
    if isinstance(value, dict) and set(value) == {_LABEL}:
        # Written as a key, read in the language being rendered (the recipient's).
        label = labels.from_json(value[_LABEL])
        return label.shown().text if label is not None else ""
    return value


def notify(notes: Iterable[Note]) -> None:
    """Write these notifications in the current transaction; send them after it commits.
    A note whose (recipient, key) already exists is skipped."""
    rows = [
        Notification(
            recipient_id=note.recipient_id,
            kind=note.kind,
            key=note.key,
            route=note.route,
            route_args=list(note.route_args),
            params={name: _encode(value) for name, value in note.params.items()},
        )
        for note in notes
    ]
    if not rows:
        return
    Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    transaction.on_commit(_enqueue_sending)


def _enqueue_sending() -> None:
    from compact_process.notifications.tasks import send_due

    try:
        send_due.delay()
    except Exception:  # the broker is down: nothing is lost, beat's sweep sends them
        log.warning("Could not enqueue sending; the next sweep will send them", exc_info=True)


# --- Reading ----------------------------------------------------------------------------


def language_of(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def link(notification: Notification, *, absolute: bool = False) -> str:
    """The page to act on, in the current language."""
    if not notification.route:
        return ""
    try:
        path = reverse(notification.route, args=notification.route_args)
    except NoReverseMatch:
        return ""
    return settings.SITE_URL.rstrip("/") + path if absolute else path


def _context(notification: Notification, *, absolute: bool) -> dict[str, Any]:
    return {
        "notification": notification,
        "recipient": notification.recipient,
        "params": {name: _decode(value) for name, value in notification.params.items()},
        "link": link(notification, absolute=absolute),
        "site_url": settings.SITE_URL,
    }


def _template(notification: Notification, part: str) -> str:
    return f"notifications/{notification.kind.replace('.', '_')}/{part}"


def subject(notification: Notification) -> str:
    """One line, in the current language: the e-mail's subject and the in-app text."""
    text = render_to_string(
        _template(notification, "subject.txt"), _context(notification, absolute=False)
    )
    return " ".join(text.split())


def render_email(notification: Notification) -> EmailMultiAlternatives:
    """The e-mail in the recipient's preferred language: a text and an HTML part, with the
    link to act on."""
    recipient = notification.recipient
    language = language_of(recipient)
    with translation.override(language):
        context = _context(notification, absolute=True)
        context["language"] = language
        context["subject"] = subject(notification)
        text = render_to_string(_template(notification, "body.txt"), context)
        html = render_to_string(_template(notification, "body.html"), context)
        message = EmailMultiAlternatives(
            context["subject"], text, settings.DEFAULT_FROM_EMAIL, [recipient.email]
        )
    message.attach_alternative(html, "text/html")
    message.extra_headers["Content-Language"] = language
    return message


# --- Sending ----------------------------------------------------------------------------


# Kinds whose e-mails to one person, due in the same sweep, go out as one digest.
DIGEST_KINDS = frozenset({"reminder"})


def render_digest(notifications: list[Notification]) -> EmailMultiAlternatives:
    """Several notifications to one person as one e-mail, in their language."""
    recipient = notifications[0].recipient
    language = language_of(recipient)
    with translation.override(language):
        items = [
            {"subject": subject(n), "link": link(n, absolute=True), "notification": n}
            for n in notifications
        ]
        context = {
            "recipient": recipient,
            "items": items,
            "language": language,
            "site_url": settings.SITE_URL,
            "link": "",
        }
        title = " ".join(render_to_string("notifications/digest/subject.txt", context).split())
        context["subject"] = title
        text = render_to_string("notifications/digest/body.txt", context)
        html = render_to_string("notifications/digest/body.html", context)
        message = EmailMultiAlternatives(
            title, text, settings.DEFAULT_FROM_EMAIL, [recipient.email]
        )
    message.attach_alternative(html, "text/html")
    message.extra_headers["Content-Language"] = language
    return message


def _claim(pk: int, now: datetime.datetime) -> list[Notification]:
    """Claim this e-mail (and, for digest kinds, the same person's other due ones of that
    kind) with atomic UPDATEs: pending → sending under one batch token. Whoever's UPDATE
    changed the row owns it; a concurrent claimant gets nothing."""
    batch = uuid.uuid4().hex
    claim = {
        "email_status": EmailStatus.SENDING,
        "email_claimed_at": now,
        "email_attempts": F("email_attempts") + 1,
        "email_batch": batch,
    }
    if not Notification.objects.due(now).filter(pk=pk).update(**claim):
        return []
    first = Notification.objects.select_related("recipient").get(pk=pk)
    if first.kind in DIGEST_KINDS:
        Notification.objects.due(now).filter(
            recipient_id=first.recipient_id, kind=first.kind
        ).update(**claim)
    return list(
        Notification.objects.filter(email_batch=batch)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )


def abandoned_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.EMAIL_ABANDONED_SECONDS)


def release_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Claims whose hand-over never began, older than ``abandoned_after()``: the worker that
    made them died while writing the message or connecting, so none reached the mail
    server. Back to pending, due now (the attempt counts). Returns how many."""
    now = now or timezone.now()
    released = Notification.objects.filter(
        email_status=EmailStatus.SENDING,
        email_handover_at__isnull=True,
        email_claimed_at__lte=now - abandoned_after(),
    ).update(
        email_status=EmailStatus.PENDING,
        email_next_attempt_at=now,
        email_claimed_at=None,
        email_batch="",
    )
    if released:
        log.warning(
            "%s e-mail(s) claimed by a worker that stopped before sending: released", released
        )
    return released


def _begin_hand_over(batch: list[Notification]) -> bool:
    """Note that the hand-over begins, if this worker's claim still holds (a claim released
    as abandoned, and perhaps claimed again by another worker, does not): the fence that
    keeps a slow worker from sending what another sends."""
    token = batch[0].email_batch
    started = Notification.objects.filter(
        email_batch=token, email_status=EmailStatus.SENDING, email_handover_at__isnull=True
    ).update(email_handover_at=timezone.now())
    return started == len(batch)


def send_one(pk: int, *, now: datetime.datetime | None = None) -> str:
    """Hand one due e-mail to the mail server (with the same person's other due reminders,
    as a digest), if this call is the one that claims it. Returns what happened: "sent",
    "retry", "failed", "no_address" or "not_due"."""
    now = now or timezone.now()
    batch = _claim(pk, now)
    if not batch:
        return "not_due"
    rows = Notification.objects.filter(pk__in=[n.pk for n in batch])
    recipient = batch[0].recipient
    if not recipient.email:
        rows.update(email_status=EmailStatus.NO_ADDRESS)
        return "no_address"
    try:
        message = render_email(batch[0]) if len(batch) == 1 else render_digest(batch)
    except Exception as error:  # nothing was handed over: failed, not uncertain
        rows.update(
            email_status=EmailStatus.FAILED,
            email_claimed_at=None,
            email_error=f"could not be written: {type(error).__name__}: {error}"[:2000],
        )
        log.exception("E-mail %s could not be rendered", pk)
        return "failed"
    connection = get_connection()
    try:
        # Connecting, greeting, TLS, signing in: nothing of the message has left yet.
        connection.open()
        if not _begin_hand_over(batch):
            connection.close()
            log.warning("E-mail %s: its claim was released meanwhile; not sent here", pk)
            return "not_due"
        message.connection = connection
        try:
            message.send()
        finally:
            connection.close()
    except (smtplib.SMTPException, OSError) as error:
        attempts = max(n.email_attempts for n in batch)
        failed = attempts >= MAX_ATTEMPTS
        rows.update(
            email_status=EmailStatus.FAILED if failed else EmailStatus.PENDING,
            email_next_attempt_at=now + backoff(attempts),
            email_claimed_at=None,
            email_handover_at=None,
            email_error=f"{type(error).__name__}: {error}"[:2000],
        )
        log.warning("E-mail %s not sent (attempt %s): %s", pk, attempts, error)
        return "failed" if failed else "retry"
    rows.update(email_status=EmailStatus.SENT, email_sent_at=timezone.now(), email_error="")
    return "sent"


def send_due(*, now: datetime.datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Send every e-mail that is due, in batches; safe to run twice at once."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    if released := release_abandoned(now=now):
        counts["released"] = released
    last = 0
    while True:
        batch = list(
            Notification.objects.due(now)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not batch:
            return counts
        for pk in batch:
            outcome = send_one(pk, now=now)
            if outcome != "not_due":  # claimed meanwhile by another sweep or a digest
                counts[outcome] = counts.get(outcome, 0) + 1
            if limit is not None and counts.get("sent", 0) >= limit:
                return counts
        last = batch[-1]


# --- In the application -------------------------------------------------------------------


def mark_read(*, user, pk: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read."""
    unread = Notification.objects.filter(recipient=user).unread()
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
