from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language_info

from compact_process.accounts.models import User
from compact_process.web.forms import AccessibleFormMixin


class SignInForm(AccessibleFormMixin, AuthenticationForm):
    pass


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
