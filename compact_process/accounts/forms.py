import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from compact_process.accounts import services
from compact_process.accounts.models import User
from compact_process.accounts.selectors import awaiting_verification
from compact_process.web.forms import AccessibleFormMixin
from compact_process.web.names import validate_name

log = logging.getLogger(__name__)


class SignInForm(AccessibleFormMixin, AuthenticationForm):
    """Django's sign-in form. Someone who gives the right password of an account still
    awaiting its e-mail confirmation is told so (and offered the link again), not that
    the password is wrong; anyone else learns nothing about which accounts exist."""

    awaiting_verification = False

    def get_invalid_login_error(self):
        if not getattr(self.request, "axes_locked_out", False) and self._unverified():
            self.awaiting_verification = True
            return ValidationError(_("Your e-mail address is not verified yet."), code="unverified")
        return super().get_invalid_login_error()

    def _unverified(self) -> bool:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password") or ""
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            User().set_password(password)  # the same time taken whether or not it exists
            return False
        return not user.is_active and user.check_password(password) and awaiting_verification(user)


class PasswordResetRequestForm(AccessibleFormMixin, PasswordResetForm):
    """Django's reset form; the e-mail goes out in the person's preferred language, with
    a link to the site's own address (settings.SITE_URL, never the request's Host), at
    most once a minute per account."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        user = context["user"]
        if not services.may_send("password-reset", user):
            return
        language = user.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            path = reverse(
                "accounts:password-reset-confirm", args=[context["uid"], context["token"]]
            )
            context = {
                **context,
                "link": settings.SITE_URL.rstrip("/") + path,
                "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            }
            subject = " ".join(render_to_string(subject_template_name, context).split())
            body = render_to_string(email_template_name, context)
        message = EmailMessage(
            subject, body, from_email, [to_email], headers={"Content-Language": language}
        )
        try:
            message.send()
        except Exception:
            # The same answer whether or not the address exists, even when mail fails.
            log.exception("The password reset e-mail to user %s was not sent", user.pk)


class NewPasswordForm(AccessibleFormMixin, SetPasswordForm):
    def save(self, commit: bool = True):
        return services.reset_password(user=self.user, password=self.cleaned_data["new_password1"])


class ProfileForm(AccessibleFormMixin, forms.ModelForm):
    """What a person sets about themselves: their name, and the language of what the
    application sends them (e-mails, reminders, PDFs)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
        widgets = {"preferred_language": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language in its own name, so that a reader finds theirs whatever the page's.
        self.fields["preferred_language"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        # On the form, not the model: AbstractUser's fields are Django's (issue 15).
        for name in ("first_name", "last_name"):
            self.fields[name].validators.append(validate_name)
