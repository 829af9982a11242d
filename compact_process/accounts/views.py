from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse, reverse_lazy, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from compact_process.accounts import services
from compact_process.accounts.forms import (
    NewPasswordForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignInForm,
)
from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role
from compact_process.accounts.two_factor import is_enrolled


def landing(request: HttpRequest) -> HttpResponse:
    """Where signing in leads: each role to its own start page."""
    user = request.user
    if has_role(user, Role.PGA_OFFICE):
        return redirect("stakeholders-office:home")
    if has_role(user, Role.SECRETARIAT, Role.CO_FACILITATOR):
        return redirect("secretariat:dashboard")
    if has_role(user, Role.DELEGATE):
        return redirect("stakeholders-review:lists")
    if has_role(user, Role.STAKEHOLDER):
        return redirect("stakeholders-registration:start")
    return redirect("phases:public-home")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """One's own name and preferred language. Saved, the page answers in the language
    chosen (its address carries the language)."""
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            with translation.override(user.preferred_language):
                messages.success(
                    request,
                    _(
                        "Your profile is saved. E-mails, reminders and PDFs sent to you "
                        "are in %(language)s."
                    )
                    % {
                        "language": translation.get_language_info(user.preferred_language)[
                            "name_local"
                        ]
                    },
                )
                return redirect(reverse("accounts:profile"))
        return render(request, "accounts/profile.html", _profile(request, form), status=422)
    return render(request, "accounts/profile.html", _profile(request, form))


def _profile(request: HttpRequest, form) -> dict:
    return {"form": form, "two_factor_on": is_enrolled(request.user)}


def in_language(url: str, code: str) -> str:
    """The same page in the language ``code`` (its URL prefix: ``/ar/...``; English has
    none), whatever language ``url`` is in; unchanged where it is not one of our pages."""
    path = unquote(urlsplit(url).path)
    for source in dict.fromkeys([translation.get_language(), *dict(settings.LANGUAGES)]):
        with translation.override(source):
            try:
                resolve(path)
            except Resolver404:
                continue
            return translate_url(url, code)
    return url


class SignInView(auth_views.LoginView):
    """Django's sign-in; it lands on the page asked for (``next``) or the person's start
    page, in their preferred language."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        return in_language(super().get_success_url(), self.request.user.preferred_language)


# Django's own password reset: single-use tokens (they cover the password hash and the
# last sign-in), the same answer whether or not the address has an account.
password_reset = auth_views.PasswordResetView.as_view(
    form_class=PasswordResetRequestForm,
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    form_class=NewPasswordForm, success_url=reverse_lazy("accounts:password-reset-complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()


@login_required
@require_POST
def preferred_language(request: HttpRequest) -> HttpResponse:
    """ "Make français my language", offered beside the language links: saved, the person
    stays on the page they were reading."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(status=400)
    services.set_preferred_language(user=request.user, language=language)
    following = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        following = reverse("accounts:landing")
    with translation.override(language):
        messages.success(
            request,
            _(
                "%(language)s is now your language: e-mails, reminders and PDFs come to you "
                "in it, and signing in opens your pages in it."
            )
            % {"language": translation.get_language_info(language)["name_local"]},
        )
    return redirect(in_language(following, language))
