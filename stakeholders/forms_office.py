"""The Office of the PGA's forms. None saves anything: each view hands the cleaned data
to a service in ``stakeholders.services``."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact_process.formats import written
from compact_process.web.forms import AccessibleFormMixin, LocalDateTimeField, ZonedTimesForm
from compact_process.web.names import validate_name
from stakeholders.enums import ApplicationState, Channel, ListPurpose
from stakeholders.models import Application, StakeholderList

SCREENING_CHOICES = [
    (ApplicationState.SCREENED_IN.value, _("Screen in")),
    (ApplicationState.SCREENED_OUT.value, _("Screen out")),
    (ApplicationState.NEEDS_INFORMATION.value, _("Ask the applicant for information")),
]


def _blank(choices) -> list[tuple[str, str]]:
    return [("", _("Any"))] + [(c.value, c.label) for c in choices]


class ApplicationFilterForm(AccessibleFormMixin, forms.Form):
    state = forms.ChoiceField(
        label=pgettext_lazy("status", "State"), choices=_blank(ApplicationState), required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=_blank(Channel), required=False)
    q = forms.CharField(label=_("Organization name contains"), required=False, max_length=100)

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ScreeningForm(AccessibleFormMixin, forms.Form):
    state = forms.ChoiceField(
        label=_("Decision"), choices=SCREENING_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason, sent to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Required when screening out or asking for information: the applicant reads it."
        ),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("state") != ApplicationState.SCREENED_IN
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason",
                _("Give the applicant a reason when screening out or asking for information."),
            )
        return data


class ListCreateForm(AccessibleFormMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ListPurpose.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        validators=[validate_name],
        help_text=_(
            "A name for the list, such as “Preparatory process, first round”. The public "
            "pages call it the proposed list while Member States review it and the final "
            "list once the review has closed: the name need not say which."
        ),
    )


class AddEntryForm(AccessibleFormMixin, forms.Form):
    """Put one screened-in special-channel application on a draft list. The select
    offers the first ``CANDIDATES_SHOWN`` candidates matching the search."""

    application = forms.TypedChoiceField(label=_("Screened-in application"), coerce=int)

    def __init__(self, *args, stakeholder_list: StakeholderList, options, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stakeholder_list = stakeholder_list
        field = self.fields["application"]
        field.choices = [("", _("Choose an organization"))] + [
            (a.pk, f"{a.organization} ({a.organization.country})") for a in options
        ]
        self.application: Application | None = None

    def clean_application(self) -> int:
        from stakeholders.selectors import office as selectors

        pk = self.cleaned_data["application"]
        self.application = selectors.candidate(self.stakeholder_list, pk)
        if self.application is None:
            raise forms.ValidationError(
                _("This application is not a screened-in candidate for this list.")
            )
        return pk

    def full_clean(self) -> None:
        # A candidate beyond the options shown (found by search) is still accepted.
        field = self.fields.get("application")
        if self.is_bound and field is not None:
            value = self.data.get(self.add_prefix("application"), "")
            if value and value not in {str(k) for k, _label in field.choices}:
                field.choices = [*field.choices, (value, value)]
        super().full_clean()


class SubmitListForm(ZonedTimesForm):
    """The review deadline, typed as a clock reads in the zone chosen (New York by
    default, where the Office works), stored as the instant it names."""

    zoned = ("deadline",)

    deadline = LocalDateTimeField(
        label=_("Review deadline"),
        help_text=_(
            "Date and time in the time zone chosen above. Objections made before this "
            "instant count; none made after it does. It must be in the future."
        ),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        value = cleaned.get("deadline")
        if value is not None and value <= timezone.now():
            self.add_error("deadline", _("The review deadline must be in the future."))
        return cleaned


class ExtendReviewForm(ZonedTimesForm):
    """A later review deadline, typed in a named zone, with the reason every delegate
    reads."""

    zoned = ("deadline",)

    deadline = LocalDateTimeField(label=_("New review deadline"))
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every Member State delegate reads it, with the new deadline."),
        error_messages={"required": _("Give the reason for the extension.")},
    )

    def __init__(self, *args, current: datetime.datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["deadline"].help_text = _(
            "Date and time in the time zone chosen above. It must be later than the "
            "current deadline, %(deadline)s: a review can be extended, never shortened."
        ) % {"deadline": written.instant_words(current, seconds=True)}
        self._describe()

    def clean(self) -> dict:
        cleaned = super().clean()
        value = cleaned.get("deadline")
        if value is not None and value <= self.current:
            self.add_error(
                "deadline",
                _(
                    "The new deadline must be later than the current one: a review can be "
                    "extended, never shortened."
                ),
            )
        return cleaned

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for the extension."))
        return reason


class ObjectionFilterForm(AccessibleFormMixin, forms.Form):
    """Which entries of a submitted list to show, by their standing objections."""

    objections = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All entries")),
            ("with", _("Entries with objections")),
            ("without", _("Entries without objections")),
        ],
    )

    def value(self) -> str:
        if not self.is_bound or not self.is_valid():
            return ""
        return self.cleaned_data["objections"]


class AuditFilterForm(AccessibleFormMixin, forms.Form):
    stakeholder_list = forms.TypedChoiceField(
        label=_("List"), coerce=int, required=False, empty_value=None
    )
    entry = forms.IntegerField(label=_("Entry number"), required=False, min_value=1)

    def __init__(self, *args, lists, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stakeholder_list"].choices = [("", _("All lists"))] + [
            (item.pk, item.title) for item in lists
        ]

    def filters(self) -> dict[str, int]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "list_id": self.cleaned_data["stakeholder_list"],
            "entry_id": self.cleaned_data["entry"],
        }
