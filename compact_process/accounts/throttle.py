"""Sign-in throttling with django-axes: after ``AXES_FAILURE_LIMIT`` failed attempts in a
row for one account, that account is paused for ``AXES_COOLOFF_TIME``; after
``AXES_ADDRESS_FAILURE_LIMIT`` from one address (whatever the names typed), that address.

What this module adds to axes:

- A limit of its own for each kind of lock-out. axes has one limit for all its lock-out
  parameters; an office or a delegation signs in from one shared address, where the
  account's five would let one person's mistyped password lock out all their colleagues.

- ``AuditedHandler`` (``AXES_HANDLER``): axes' database handler that writes an audit event
  when an account or an address becomes locked, in the transaction that counts the
  failure; and that, on a successful sign-in, forgets the failures of that account only
  (axes' own reset would also forget every failure from the same address, so that an
  attacker with an account of their own could reset the count of the one they guess).
- ``lockout_response`` (``AXES_LOCKOUT_CALLABLE``): the page a locked-out person reads,
  in their language, saying when they may try again.
- ``current_lockouts`` and ``unlock``: what the secretariat's page lists and does.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from compact_process.audit.models import record

# What a lock-out is by: one account (the name typed) or one address.
ACCOUNT, ADDRESS = "account", "address"
FIELDS = {ACCOUNT: "username", ADDRESS: "ip_address"}
KIND_OF_FIELD = {field: kind for kind, field in FIELDS.items()}


def failure_limit(kind: str = ACCOUNT) -> int:
    """How many failures in a row lock an account, or an address."""
    if kind == ADDRESS:
        return settings.AXES_ADDRESS_FAILURE_LIMIT
    return get_failure_limit(None, None)


def cool_off() -> datetime.timedelta:
    return get_cool_off(None) or datetime.timedelta(0)


class AuditedHandler(AxesDatabaseHandler):
    def _recent_by_kind(self, request, credentials) -> list[tuple[str, object]]:
        """(kind, the failures within the cool-off) for each lock-out parameter."""
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        return [
            (KIND_OF_FIELD.get(parameter, ACCOUNT), recent)
            for parameter, recent in zip(parameters, attempts, strict=True)
        ]

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """What axes compares with ``AXES_FAILURE_LIMIT`` (the account's limit) to decide
        whether to lock: the account's limit less the attempts left before the nearest
        lock-out, each kind counted against its own limit. It reaches the account's limit
        exactly when the account reaches its own, or the address its own."""
        account_limit = failure_limit(ACCOUNT)
        left = min(
            (
                failure_limit(kind)
                - (recent.aggregate(total=Sum("failures_since_start"))["total"] or 0)
                for kind, recent in self._recent_by_kind(request, credentials)
            ),
            default=account_limit,
        )
        return account_limit - left

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        with transaction.atomic():
            super().user_login_failed(sender, credentials, request, **kwargs)
            # None: axes did not count this attempt (the client was locked out already).
            if getattr(request, "axes_failures_since_start", None) is None:
                return
            for kind, recent in self._recent_by_kind(request, credentials):
                total = recent.aggregate(total=Sum("failures_since_start"))["total"] or 0
                # Counted one at a time: the attempt that reaches the limit locks.
                if total == failure_limit(kind):
                    self._record_locked(request, credentials, kind, total)

    @staticmethod
    def _record_locked(request, credentials, kind: str, limit: int) -> None:
        minutes = int(cool_off().total_seconds() // 60)
        username = get_client_username(request, credentials) or ""
        address = request.axes_ip_address or ""
        if kind == ACCOUNT:
            record(
                "account.locked",
                username=username,
                ip_address=address,
                failures=limit,
                minutes=minutes,
            )
        else:
            record(
                "address.locked",
                username=username,
                ip_address=address,
                failures=limit,
                minutes=minutes,
            )

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count

    def the_lock(
        self, request: HttpRequest, credentials: dict | None
    ) -> tuple[datetime.datetime, int]:
        """When the lock-out that refuses this request ends, and the number of failures
        that caused it (the one that ends last, when the account and the address are both
        locked)."""
        found = []
        for kind, recent in self._recent_by_kind(request, credentials):
            seen = recent.aggregate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            if (seen["total"] or 0) >= failure_limit(kind) and seen["last"] is not None:
                found.append((seen["last"] + cool_off(), failure_limit(kind)))
        return max(found, default=(timezone.now() + cool_off(), failure_limit(ACCOUNT)))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page of a refused sign-in, in the language of the page it came from."""
    handler = AxesProxyHandler.get_implementation()
    until, limit = (
        handler.the_lock(request, credentials)
        if isinstance(handler, AuditedHandler)
        else (timezone.now() + cool_off(), failure_limit())
    )
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "until": until, "limit": limit},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# --- The secretariat's page ------------------------------------------------------------------


@dataclass(frozen=True)
class Lockout:
    kind: str  # ACCOUNT or ADDRESS
    value: str  # the name typed, or the address
    failures: int
    last_failure: datetime.datetime
    until: datetime.datetime


def current_lockouts(*, now: datetime.datetime | None = None) -> list[Lockout]:
    """Every account and address locked out now, the longest-locked last."""
    now = now or timezone.now()
    pause = cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - pause)
    found: list[Lockout] = []
    for kind, field in FIELDS.items():
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(total__gte=failure_limit(kind))
            .order_by("-last", field)
        )
        found += [
            Lockout(
                kind=kind,
                value=row[field],
                failures=row["total"],
                last_failure=row["last"],
                until=row["last"] + pause,
            )
            for row in rows
            if row[field]  # a sign-in with no name typed is counted by its address only
        ]
    return sorted(found, key=lambda lockout: lockout.last_failure, reverse=True)


def find_lockout(kind: str, value: str) -> Lockout | None:
    return next((x for x in current_lockouts() if x.kind == kind and x.value == value), None)


def unlock(*, kind: str, value: str, actor) -> bool:
    """Forget the failures of one account or one address, so that it may sign in again at
    once. False when it was not locked (any more): nothing is changed or recorded."""
    with transaction.atomic():
        lockout = find_lockout(kind, value)
        if lockout is None:
            return False
        if kind == ACCOUNT:
            AxesProxyHandler.reset_attempts(username=value)
            record("account.unlocked", actor=actor, username=value, failures=lockout.failures)
        else:
            AxesProxyHandler.reset_attempts(ip_address=value)
            record("address.unlocked", actor=actor, ip_address=value, failures=lockout.failures)
    return True
