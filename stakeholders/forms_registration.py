"""Forms of the registration pages. None saves anything: each view hands the cleaned
data to a service in ``stakeholders.services``."""

from __future__ import annotations

import unicodedata

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from compact_process.accounts.selectors import unverified_accounts
from compact_process.web.forms import AccessibleFormMixin
from compact_process.web.languages import TranslatedFieldsMixin, columns
from compact_process.web.names import validate_name
from phases.models import MemberState
from stakeholders.enums import Channel, Gender
from stakeholders.models import Organization
from stakeholders.models_registry import AccreditedSource
from stakeholders.services import ORGANIZATION_FIELDS


class SignUpForm(AccessibleFormMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
        # First, so that an invisible character is named rather than refused as "not a
        # letter" by the user model's own validator.
        validators=[validate_name],
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to this address; the account works once you follow it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The validators' help is a list of sentences; shown as plain text.
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )
        self._bound_fields_cache.pop("password1", None)  # bound before the help was set
        self._describe()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        user_model = get_user_model()
        user_model.username_validator(username)
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken; choose another."))
        return username

    # Set when the address belongs to an account still awaiting confirmation: the page
    # then offers to send the link again rather than a dead end.
    unverified_email = ""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if unverified_accounts(email):
            self.unverified_email = email
            raise ValidationError(
                _(
                    "An account with this e-mail address is waiting for the address to be "
                    "confirmed; we can send the link again."
                )
            )
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("An account already uses this e-mail address; sign in instead.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first and "username" in cleaned:
            user = get_user_model()(username=cleaned["username"], email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(first, user=user)
            except ValidationError as invalid:
                self.add_error("password1", invalid)
        return cleaned


def _is_latin(text: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


class OrganizationForm(TranslatedFieldsMixin, AccessibleFormMixin, forms.ModelForm):
    """The organization's profile; its description in any of the six languages, side by
    side (none required: a reader whose language is missing sees another one, marked)."""

    translated = {"description": _("Description")}
    required_source = ()

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in columns("description")}
        help_texts = {
            "name": _("As the organization writes it, in its own language and script."),
            "name_latin": _(
                "The name in Latin letters; required if the name is in another script."
            ),
            "country": _("The region (regional group) follows from the country."),
        }

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = MemberState.objects.order_by("name")
        self._describe()

    def clean_name_latin(self) -> str:
        value = self.cleaned_data.get("name_latin", "").strip()
        if value and not _is_latin(value):
            raise ValidationError(_("Use Latin letters only."))
        return value

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name", "")
        if name and not _is_latin(name) and not cleaned.get("name_latin"):
            self.add_error(
                "name_latin", _("The name is not in Latin letters: give a transliteration.")
            )
        return cleaned

    def service_fields(self) -> dict:
        return {**self.cleaned_data, **self.translated_values()}


class ResendVerificationForm(AccessibleFormMixin, forms.Form):
    identifier = forms.CharField(
        label=_("Your user name or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class ApplicationForm(AccessibleFormMixin, forms.Form):
    """``purposes``: (value, label) of the purposes whose window is open now and that the
    organization has not applied for; with only one, it is chosen and the help says so."""

    purpose = forms.ChoiceField(
        label=_("What your organization applies for"), widget=forms.RadioSelect
    )
    activities = forms.CharField(
        label=_("Activities related to migration"),
        help_text=_("What your organization does on migration, where, and since when."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, purposes=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["purpose"]
        field.choices = [(value, label) for value, label in purposes]
        if len(field.choices) == 1:
            value, label = field.choices[0]
            self.initial.setdefault("purpose", value)
            field.help_text = _("Only one application window is open now: %(purpose)s.") % {
                "purpose": label
            }
        self._describe()


class RepresentativeForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[validate_name])
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—"), *Gender.choices])


class BaseRepresentativeFormSet(forms.BaseFormSet):
    def representatives(self) -> list[tuple[str, str]]:
        return [
            (f.cleaned_data["name"], f.cleaned_data["gender"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


RepresentativeFormSet = forms.formset_factory(
    RepresentativeForm,
    formset=BaseRepresentativeFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=20,
    validate_max=True,
)


class AnswerForm(AccessibleFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your answer to the Office"), widget=forms.Textarea(attrs={"rows": 6})
    )


class DirectRegistrationForm(AccessibleFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (Channel.ECOSOC.value, Channel.ECOSOC.label),
            (Channel.NHRI.value, Channel.NHRI.label),
        ],
        widget=forms.RadioSelect,
    )


class ImportForm(AccessibleFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("List"), choices=AccreditedSource.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8, first line: name,country_iso3,status. ECOSOC status: general, special "
            "or roster; NHRI status: A, B or C (only A registers directly)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class DecisionForm(AccessibleFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("Confirm: it is the same organization")),
            ("reject", _("Reject: not the same organization")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (sent to the organization)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
