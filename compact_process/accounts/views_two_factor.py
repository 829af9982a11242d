"""The second factor's pages: set it up (a QR code and the key as text, then one code),
give it at sign-in (a code from the app, or a recovery code), and, on the profile's page
of it, new recovery codes or turning it off where it is not required."""

from __future__ import annotations

import base64
import io
from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp.qr import write_qrcode_image

from compact_process.accounts import two_factor
from compact_process.accounts.views import in_language
from compact_process.web.forms import AccessibleFormMixin


class CodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SignInCodeForm(CodeForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code from your authenticator app, or a recovery code")
        self.fields["code"].widget.attrs.pop("inputmode")
        self._describe()


TURNED_OFF = _("Two-step verification is off: signing in asks only for your password.")


def _wait(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes: wait %(n)d second, then type the code the app shows then.",
        "Too many wrong codes: wait %(n)d seconds, then type the code the app shows then.",
        seconds,
    ) % {"n": seconds}


def _following(request: HttpRequest) -> str:
    following = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        following = reverse("accounts:landing")
    return in_language(following, request.user.preferred_language)


def _qr_code(uri: str) -> str:
    out = io.BytesIO()
    write_qrcode_image(uri, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _grouped(key: str) -> str:
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.is_enrolled(user):
        return redirect("accounts:two-factor")
    device = two_factor.pending_app_device(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            codes, wait = two_factor.confirm_app(
                request=request, device=device, code=form.cleaned_data["code"]
            )
            if codes is not None:
                return render(
                    request,
                    "accounts/two_factor/codes.html",
                    {"codes": codes, "next": _following(request), "first": True},
                )
            form.add_error(
                "code",
                _wait(wait)
                if wait
                else _(
                    "This code is not right. Type the 6 digits the app shows now for this "
                    "site (a code changes every 30 seconds), and check the phone's clock."
                ),
            )
        status = 422
    key = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/two_factor/setup.html",
        {
            "form": form,
            "qr_code": _qr_code(device.config_url),
            "key": _grouped(key),
            "required": two_factor.is_required(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "issuer": settings.OTP_TOTP_ISSUER,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(_following(request))
    if not two_factor.is_enrolled(user) and not two_factor.recovery_codes_left(user):
        return redirect(reverse("accounts:two-factor-setup") + "?" + request.GET.urlencode())
    form = SignInCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            accepted, wait = two_factor.verify(request=request, code=form.cleaned_data["code"])
            if accepted:
                return redirect(_following(request))
            if wait:
                form.add_error("code", _wait(wait))
            else:
                form.add_error(
                    "code",
                    _(
                        "This code is not right: type the 6 digits the app shows now, or "
                        "one of your recovery codes that you have not used yet."
                    ),
                )
        return render(
            request,
            "accounts/two_factor/verify.html",
            {"form": form, "next": request.POST.get("next", "")},
            status=422,
        )
    return render(
        request, "accounts/two_factor/verify.html", {"form": form, "next": request.GET.get("next")}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """The profile's page of the second factor: whether it is on, how many recovery codes
    are left; new codes (confirmed by a current code) and, where not required, off."""
    user = request.user
    enrolled = two_factor.is_enrolled(user)
    required = two_factor.is_required(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    action = request.POST.get("action", "")
    if request.method == "POST" and not enrolled:
        return redirect("accounts:two-factor-setup")
    if request.method == "POST":
        if action == "off" and required:
            return HttpResponse(status=403)
        if action not in ("codes", "off"):
            form.add_error(None, _("Choose what to do: new recovery codes, or turning it off."))
        elif form.is_valid():
            # A current code first: someone at an unattended, signed-in computer cannot
            # take the codes or turn the second factor off.
            device = two_factor.app_device(user)
            if device is not None and device.verify_token(form.cleaned_data["code"]):
                if action == "codes":
                    codes = two_factor.renew_recovery_codes(user=user)
                    return render(
                        request,
                        "accounts/two_factor/codes.html",
                        {"codes": codes, "next": reverse("accounts:two-factor"), "first": False},
                    )
                two_factor.turn_off(request=request)
                messages.success(
                    request,
                    _("Two-step verification is off: signing in asks only for your password."),
                )
                return redirect("accounts:two-factor")
            form.add_error(
                "code", _("This code is not right: type the 6 digits the app shows now.")
            )
        return render(
            request,
            "accounts/two_factor/manage.html",
            _manage_context(user, enrolled, required, form, action),
            status=422,
        )
    return render(
        request,
        "accounts/two_factor/manage.html",
        _manage_context(user, enrolled, required, form, action),
    )


def _manage_context(user, enrolled, required, form, action) -> dict:
    return {
        "enrolled": enrolled,
        "required": required,
        "codes_left": two_factor.recovery_codes_left(user) if enrolled else 0,
        "form": form,
        "action": action,
    }
