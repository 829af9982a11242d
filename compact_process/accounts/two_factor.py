"""The second factor: a code from an authenticator app (TOTP, RFC 6238, django-otp's
``otp_totp``), with ten single-use recovery codes (``otp_static``) for a lost phone.

Who must have one: the people who decide who takes part (the secretariat, the PGA Office,
the co-facilitators) and superusers. Anyone else may set one up from the profile page
(delegates are offered it there); once set up, it is asked for at each sign-in as well.

``SecondFactorMiddleware`` keeps a signed-in person who must give a code, and has not
given it in this session, off every page but the ones that let them give it, set it up,
or sign out. The services below are the only writers of devices, each change audited in
its own transaction.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from compact_process.accounts.permissions import decides_who_takes_part
from compact_process.audit.models import record

RECOVERY_CODES = 10
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
# Whether the person has a second factor, noted in the session at sign-in (so that a page
# does not look the devices up each time); the services keep it true for the session.
ENROLLED = "two_factor:enrolled"
# The pages a person who still owes the second factor may open.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:logout",
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
}


def is_required(user) -> bool:
    return decides_who_takes_part(user)


def app_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def is_enrolled(user) -> bool:
    return app_device(user) is not None


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Services ----------------------------------------------------------------------------


def pending_app_device(*, user) -> TOTPDevice:
    """The app to be set up: a new secret, not yet confirmed (it counts for nothing until
    a code made with it is typed). The same one while the person has not finished, so that
    reloading the page does not change the QR code they may have scanned already."""
    with transaction.atomic():
        device = app_device(user, confirmed=False)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)
        return device


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_app(
    *, request: HttpRequest, device: TOTPDevice, code: str
) -> tuple[list[str] | None, int]:
    """The person typed ``code`` from the app they are setting up: if it is right, the app
    is theirs, this session counts as verified, and the ten recovery codes are made and
    returned (shown once). ``(None, seconds to wait)`` when the code is wrong (0) or comes
    too soon after a wrong one."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return None, _seconds_to_wait(info)
        if device.confirmed or not device.verify_token("".join(code.split())):
            return None, 0
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Any other app set up before (there is one at a time).
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _new_recovery_codes(user)
        record("account.two_factor_enabled", actor=user, username=user.get_username())
    otp_login(request, device)
    request.session[ENROLLED] = True
    return codes, 0


def verify(*, request: HttpRequest, code: str) -> tuple[bool, int]:
    """The second factor at sign-in: a code from the app or one recovery code (used up).
    Returns (accepted, seconds to wait): after a wrong code the app's device refuses the
    next one for 1, 2, 4, 8 ... seconds (django-otp's throttling)."""
    user = request.user
    code = "".join(code.split()).lower()
    if not code:
        return False, 0
    with transaction.atomic():
        app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if app is not None and code.isdigit():
            allowed, info = app.verify_is_allowed()
            if not allowed:
                return False, _seconds_to_wait(info)
            if app.verify_token(code):
                otp_login(request, app)
                return True, 0
            return False, 0
        recovery = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        for device in recovery:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                return False, _seconds_to_wait(info)
            if device.verify_token(code):
                record(
                    "account.recovery_code_used",
                    actor=user,
                    username=user.get_username(),
                    left=device.token_set.count(),
                )
                otp_login(request, device)
                return True, 0
    return False, 0


def _seconds_to_wait(info) -> int:
    until = (info or {}).get("locked_until")
    if until is None:
        return 1
    return max(1, int((until - timezone.now()).total_seconds()) + 1)


def renew_recovery_codes(*, user) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record("account.recovery_codes_renewed", actor=user, username=user.get_username())
    return codes


def turn_off(*, request: HttpRequest) -> None:
    """The person, who is not required to have a second factor, turns it off (the views
    ask for a current code first)."""
    user = request.user
    if is_required(user):
        raise PermissionError("this account must keep its second factor")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record("account.two_factor_disabled", actor=user, username=user.get_username())
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[ENROLLED] = False


# --- Middleware ----------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="two-factor-enrolled")
def _note_enrolment(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED] = user_has_device(user)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a person who owes a second factor in this session
    goes to the page where they give it (or set it up, the first time), and comes back to
    the page they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if self._owes_second_factor(request, user):
            target = "accounts:two-factor-setup"
            if user_has_device(user):
                target = "accounts:two-factor-verify"
            following = request.get_full_path()
            return redirect(reverse(target) + "?" + urlencode({"next": following}))
        return self.get_response(request)

    def _owes_second_factor(self, request: HttpRequest, user) -> bool:
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        session = request.session
        if ENROLLED not in session:  # a session from before the second factor
            session[ENROLLED] = user_has_device(user)
        return not self._open(request) and (session[ENROLLED] or is_required(user))

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False  # a 404 for a visitor, the second factor first for this person
        return match.view_name in OPEN_BEFORE_SECOND_FACTOR
