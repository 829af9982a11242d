"""Changing one's password while signed in: Django's own view and form (the old password
first, the new one twice, checked by AUTH_PASSWORD_VALIDATORS: at least 12 characters),
saved by the accounts service, which audits it. This session stays signed in; the
person's other sessions end."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.urls import reverse_lazy

from compact_process.accounts import services
from compact_process.web.forms import AccessibleFormMixin


class ChangePasswordForm(AccessibleFormMixin, PasswordChangeForm):
    def save(self, commit: bool = True):
        return services.change_password(user=self.user, password=self.cleaned_data["new_password1"])


password_change = auth_views.PasswordChangeView.as_view(
    form_class=ChangePasswordForm, success_url=reverse_lazy("accounts:password-change-done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
