from django.contrib.auth.forms import AuthenticationForm

from compact_process.web.forms import AccessibleFormMixin


class SignInForm(AccessibleFormMixin, AuthenticationForm):
    pass
