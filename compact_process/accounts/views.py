from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from compact_process.accounts.forms import ProfileForm
from compact_process.accounts.permissions import has_role
from compact_process.accounts.roles import Role


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
        return render(request, "accounts/profile.html", {"form": form}, status=422)
    return render(request, "accounts/profile.html", {"form": form})
