"""Sign-in throttling with django-axes: after ``AXES_FAILURE_LIMIT`` failed attempts in a
row for one account, or from one address, signing in is paused for ``AXES_COOLOFF_TIME``.

What this module adds to axes:

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


def failure_limit() -> int:
    return get_failure_limit(None, None)


def cool_off() -> datetime.timedelta:
    return get_cool_off(None) or datetime.timedelta(0)


class AuditedHandler(AxesDatabaseHandler):
    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        with transaction.atomic():
            super().user_login_failed(sender, credentials, request, **kwargs)
            # None: axes did not count this attempt (the client was locked out already).
            if getattr(request, "axes_failures_since_start", None) is None:
                return
            limit = get_failure_limit(request, credentials)
            parameters = get_lockout_parameters(request, credentials)
            for parameter, attempts in zip(
                parameters, self.get_user_attempts(request, credentials), strict=True
            ):
                total = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
                # Counted one at a time: the attempt that reaches the limit locks.
                if total != limit or parameter not in KIND_OF_FIELD:
                    continue
                self._record_locked(request, credentials, KIND_OF_FIELD[parameter], limit)

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

    def locked_until(self, request: HttpRequest, credentials: dict | None) -> datetime.datetime:
        """When the lock-out that refuses this request ends (the latest, when the account
        and the address are both locked)."""
        limit = get_failure_limit(request, credentials)
        ends = []
        for attempts in self.get_user_attempts(request, credentials):
            seen = attempts.aggregate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            if (seen["total"] or 0) >= limit and seen["last"] is not None:
                ends.append(seen["last"] + cool_off())
        return max(ends, default=timezone.now() + cool_off())


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page of a refused sign-in, in the language of the page it came from."""
    handler = AxesProxyHandler.get_implementation()
    until = (
        handler.locked_until(request, credentials)
        if isinstance(handler, AuditedHandler)
        else timezone.now() + cool_off()
    )
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "until": until, "limit": get_failure_limit(request, credentials)},
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
    pause, limit = cool_off(), failure_limit()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - pause)
    found: list[Lockout] = []
    for kind, field in FIELDS.items():
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(total__gte=limit)
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
