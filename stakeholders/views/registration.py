"""The registration pages (issue 4): sign-up with a verified e-mail address, the
organization's profile, special accreditation within the application window, the
ECOSOC and NHRI channels (OP 6(a), OP 9), the applicant's status page, and the
secretariat's list imports and near-match confirmations.

Views check who may act, call a service or a selector, and render. A refused or invalid
submission is shown again with what was typed, an error summary, and status 422."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.tokens import default_token_generator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from compact_process.accounts.permissions import role_required
from compact_process.accounts.roles import Role
from compact_process.web import drafts
from compact_process.web.forms import attempt
from phases import selectors as phase_selectors
from stakeholders import services
from stakeholders.enums import ApplicationState
from stakeholders.forms_registration import (
    AnswerForm,
    ApplicationForm,
    DecisionForm,
    DirectRegistrationForm,
    ImportForm,
    OrganizationForm,
    RepresentativeFormSet,
    ResendVerificationForm,
    SignUpForm,
)
from stakeholders.models import Organization
from stakeholders.selectors import registration as selectors

change_methods = require_http_methods(["GET", "HEAD", "POST"])
NS = "stakeholders-registration"


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A form page shown after a POST was refused or invalid: 422."""
    status = 422 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def _own(request: HttpRequest, pk: int) -> Organization:
    """The user's own organization; any other is 404 (it leaks nothing)."""
    organization = selectors.own_organization(request.user, pk)
    if organization is None:
        raise Http404(_("No such organization."))
    return organization


def _status_url(organization: Organization) -> str:
    return reverse(f"{NS}:status", args=[organization.pk])


# --- Sign-up and verification ------------------------------------------------------------


def _verification_link(request: HttpRequest):
    def build(user) -> str:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        # In the language of the e-mail: the person lands on pages in it.
        with translation.override(user.preferred_language):
            path = reverse(f"{NS}:verify", args=[uid, token])
        return request.build_absolute_uri(path)

    return build


@change_methods
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(f"{NS}:start")
    data = request.POST if request.method == "POST" else None
    form = SignUpForm(data)
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.sign_up(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                link_for=_verification_link(request),
            ),
        )
        if outcome.ok:
            return redirect(f"{NS}:signup-sent")
    return _render(request, "registration/signup.html", {"form": form})


@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_sent.html")


@change_methods
def resend(request: HttpRequest) -> HttpResponse:
    """The confirmation link again, for whoever lost the first: the same answer whatever
    was typed, so that the page tells nobody which accounts exist."""
    if request.method == "POST":
        form = ResendVerificationForm(request.POST)
        if form.is_valid():
            services.resend_verification(
                identifier=form.cleaned_data["identifier"],
                link_for=_verification_link(request),
            )
            return redirect(f"{NS}:resend-sent")
    else:
        form = ResendVerificationForm(initial={"identifier": request.GET.get("identifier", "")})
    return _render(request, "registration/verify_resend.html", {"form": form})


@require_safe
def resend_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/verify_resend_sent.html")


@require_safe
def verify(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, user_model.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "registration/verify_failed.html", status=400)
    services.verify_email(user=user)
    # Signing in sets last_login, which makes the link unusable from now on.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your e-mail address is verified. Now describe your organization."))
    return redirect(f"{NS}:start")


# --- The stakeholder's pages ---------------------------------------------------------------


@require_safe
@role_required(Role.STAKEHOLDER)
def start(request: HttpRequest) -> HttpResponse:
    organization = selectors.organization_of(request.user)
    if organization is None:
        return redirect(f"{NS}:organization-create")
    return redirect(_status_url(organization))


@change_methods
@role_required(Role.STAKEHOLDER)
def organization_create(request: HttpRequest) -> HttpResponse:
    existing = selectors.organization_of(request.user)
    if existing is not None:
        return redirect(f"{NS}:organization-edit", existing.pk)
    data = request.POST if request.method == "POST" else None
    form = OrganizationForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.create_organization(actor=request.user, **form.service_fields()),
        )
        if outcome.ok:
            messages.success(request, _("Your organization's profile is saved."))
            return redirect(_status_url(outcome.value))
        refusal = outcome.refusal
    return _render(
        request,
        "stakeholders/registration/organization_form.html",
        {"form": form, "refusal": refusal, "organization": None},
    )


@change_methods
@role_required(Role.STAKEHOLDER)
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _own(request, pk)
    shown = {"pk": organization.pk, "name": str(organization), "country": organization.country}
    data = request.POST if request.method == "POST" else None
    form = OrganizationForm(data, instance=organization)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.update_organization(
                organization=organization, actor=request.user, **form.service_fields()
            ),
        )
        if outcome.ok:
            messages.success(request, _("Your organization's profile is saved."))
            return redirect(_status_url(organization))
        refusal = outcome.refusal
    return _render(
        request,
        "stakeholders/registration/organization_form.html",
        {"form": form, "refusal": refusal, "organization": shown},
    )


@require_safe
@role_required(Role.STAKEHOLDER)
def status(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _own(request, pk)
    return render(
        request,
        "stakeholders/registration/status.html",
        {
            "organization": organization,
            "needs_information": ApplicationState.NEEDS_INFORMATION,
            **selectors.status(organization),
        },
    )


@change_methods
@role_required(Role.STAKEHOLDER)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form, for one of the purposes whose window is open and that the
    organization has not applied for. With none, the page says when a window opens or
    that it closed; only a POST can be refused."""
    organization = _own(request, pk)
    process = phase_selectors.default_process_or_404()
    purposes = selectors.purpose_windows(process, organization)
    choices = [(p.purpose, p.label) for p in purposes if p.may_apply]
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, prefix="application", purposes=choices)
    formset = RepresentativeFormSet(data, prefix="representatives")
    refusal: list[str] = []
    if data is not None and not choices:
        # The window closed (or the organization applied) while the form was open: the
        # service says why, and nothing is asked to be corrected.
        outcome = attempt(
            None,
            lambda: services.apply_for_accreditation(
                process=process,
                organization=organization,
                purpose=data.get("application-purpose") or None,
                activities="",
                representatives=[],
                actor=request.user,
            ),
        )
        refusal = outcome.refusal  # the form stays as typed, unchecked, to copy from
    elif data is not None:
        valid = form.is_valid() & formset.is_valid()
        if valid:
            outcome = attempt(
                form,
                lambda: services.apply_for_accreditation(
                    process=process,
                    organization=organization,
                    purpose=form.cleaned_data["purpose"],
                    activities=form.cleaned_data["activities"],
                    representatives=formset.representatives(),
                    actor=request.user,
                ),
            )
            if outcome.ok:
                messages.success(request, _("Your application is submitted to the Office."))
                return drafts.accepted(redirect(_status_url(organization)), request)
            refusal = outcome.refusal
    return _render(
        request,
        "stakeholders/registration/apply.html",
        {
            "organization": organization,
            "process": process,
            "purposes": purposes,
            "may_apply": bool(choices),
            "form": form,
            "formset": formset,
            "refusal": refusal,
            "now": timezone.now(),
        },
    )


@change_methods
@role_required(Role.STAKEHOLDER)
def answer(request: HttpRequest, pk: int, application_pk: int) -> HttpResponse:
    organization = _own(request, pk)
    application = selectors.application_of(organization, application_pk)
    if application is None:
        raise Http404(_("No such application."))
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.answer_information_request(
                application=application, text=form.cleaned_data["text"], actor=request.user
            ),
        )
        if outcome.ok:
            messages.success(request, _("Your answer is sent; the application is resubmitted."))
            return drafts.accepted(redirect(_status_url(organization)), request)
        refusal = outcome.refusal
    return _render(
        request,
        "stakeholders/registration/answer.html",
        {
            "organization": organization,
            "application": application,
            "form": form,
            "refusal": refusal,
        },
    )


@change_methods
@role_required(Role.STAKEHOLDER)
def register_direct(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _own(request, pk)
    process = phase_selectors.default_process_or_404()
    data = request.POST if request.method == "POST" else None
    form = DirectRegistrationForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.register_directly(
                process=process,
                organization=organization,
                channel=form.cleaned_data["channel"],
                actor=request.user,
            ),
        )
        if outcome.ok:
            if outcome.value.application_id:
                messages.success(
                    request,
                    _("Your organization is registered: it matched the list, no review needed."),
                )
            else:
                messages.info(
                    request,
                    _(
                        "Your organization's name is close to one on the list but not the same: "
                        "the secretariat will confirm whether it is your organization."
                    ),
                )
            return redirect(_status_url(organization))
        refusal = outcome.refusal
    return _render(
        request,
        "stakeholders/registration/register_direct.html",
        {"organization": organization, "form": form, "refusal": refusal},
    )


# --- The secretariat's pages ----------------------------------------------------------------


@change_methods
@role_required(Role.SECRETARIAT)
def accredited_import(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ImportForm(data, request.FILES or None)
    bad_rows: list[tuple[int, str]] = []
    if data is not None and form.is_valid():
        parsed, _changes, event = services.import_accredited_bodies(
            source=form.cleaned_data["source"],
            data=form.cleaned_data["file"].read(),
            actor=request.user,
        )
        if event is not None:
            messages.success(
                request,
                _("The list is imported: %(n)d rows.") % {"n": len(parsed.rows)},
            )
            return redirect(reverse(f"{NS}:accredited-import") + f"?event={event.pk}#changes")
        bad_rows = parsed.errors
    event = selectors.import_event(request.GET.get("event")) if data is None else None
    return _render(
        request,
        "stakeholders/registration/import.html",
        {
            "form": form,
            "bad_rows": bad_rows,
            "event": event,
            "counts": selectors.accredited_counts(),
        },
    )


@require_safe
@role_required(Role.SECRETARIAT)
def matches(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "stakeholders/registration/matches.html",
        {"page": selectors.pending_registrations(request.GET.get("page"))},
    )


@change_methods
@role_required(Role.SECRETARIAT)
def match_decide(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.pending_registration(pk)
    if registration is None:
        raise Http404(_("No such registration awaiting confirmation."))
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data)
    refusal: list[str] = []
    if data is not None and form.is_valid():
        outcome = attempt(
            form,
            lambda: services.decide_registration(
                registration=registration,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data["reason"],
                actor=request.user,
            ),
        )
        if outcome.ok:
            messages.success(request, _("The registration is decided."))
            return redirect(f"{NS}:matches")
        refusal = outcome.refusal
    return _render(
        request,
        "stakeholders/registration/match_decide.html",
        {"registration": registration, "form": form, "refusal": refusal},
    )
