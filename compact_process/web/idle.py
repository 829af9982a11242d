"""Sessions end after a while without a request, and some time after signing in.

A session unused for ``SESSION_IDLE_MINUTES`` (``SESSION_IDLE_MINUTES_STAFF`` for the
staff who decide who takes part: the secretariat, the PGA Office, the co-facilitators,
superusers) is signed out at its next request, which goes to the sign-in page with a
message in the reader's language and comes back to the page asked for after signing in.
However busy, a session ends ``SESSION_COOKIE_AGE`` seconds after signing in: Django's
own expiry slides with each save of the session, this one does not.

The last request's time is written to the session at most once a minute, so that a page
of many requests does not write the session each time. Both limits at 0 turn this
middleware off (the suite does, in tests/conftest.py, since its tests travel across years
between requests; tests/test_security_headers.py turns it on).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.translation import ngettext

from compact_process.accounts.permissions import decides_who_takes_part

LAST_SEEN = "idle:last_seen"
SIGNED_IN_AT = "idle:signed_in_at"
LIMIT = "idle:limit_minutes"
# How stale the stored time may be: the idle limit is measured to the minute.
TOUCH_SECONDS = 60


def idle_limit_minutes(user) -> int:
    if decides_who_takes_part(user):
        return settings.SESSION_IDLE_MINUTES_STAFF
    return settings.SESSION_IDLE_MINUTES


@receiver(user_logged_in, dispatch_uid="idle-signed-in-at")
def _signed_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    # Decided once per session (a role given later applies from the next sign-in), so
    # that a request does not look the roles up only for this.
    request.session[LIMIT] = idle_limit_minutes(user)


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.warning(request, expired)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def _expired(self, request) -> str:
        """Why the session ends now (a sentence for the reader), or "" if it goes on."""
        if not settings.SESSION_IDLE_MINUTES and not settings.SESSION_IDLE_MINUTES_STAFF:
            return ""
        session = request.session
        now = int(time.time())
        limit = session.get(LIMIT)
        if limit is None:  # a session from before this middleware
            limit = session[LIMIT] = idle_limit_minutes(request.user)
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        if now - signed_in_at > settings.SESSION_COOKIE_AGE:
            hours = max(1, settings.SESSION_COOKIE_AGE // 3600)
            return ngettext(
                "You were signed out: a session lasts at most %(hours)d hour. "
                "Sign in again to go on.",
                "You were signed out: a session lasts at most %(hours)d hours. "
                "Sign in again to go on.",
                hours,
            ) % {"hours": hours}
        last_seen = session.get(LAST_SEEN, now)
        if limit and now - last_seen > limit * 60:
            return ngettext(
                "You were signed out after %(minutes)d minute without activity. "
                "Sign in again to go on.",
                "You were signed out after %(minutes)d minutes without activity. "
                "Sign in again to go on.",
                limit,
            ) % {"minutes": limit}
        if LAST_SEEN not in session or now - last_seen >= TOUCH_SECONDS:
            session[LAST_SEEN] = now
        return ""
