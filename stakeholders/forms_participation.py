"""Forms of the representatives' pages and of the application windows. None saves
anything: each view hands the cleaned data to ``stakeholders.services_participation``.

Times are typed as a person reads a clock at a place: a meeting's deadline in the venue's
time zone, a window in the zone chosen on the form (UN Headquarters' by default). The
form says which zone, and turns what was typed into an instant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compact_process.web.forms import (
    AccessibleFormMixin,
    LocalDateTimeField,
    ZonedTimesForm,
    in_zone,
)
from compact_process.web.names import validate_name
from phases.models import Meeting
from stakeholders.enums import Gender


class NominationForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        validators=[validate_name],
        help_text=_("As in the passport or identity document shown at the entrance."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[("", "—"), *Gender.choices],
        help_text=_("OP 6 asks for women's full participation; counted, never published."),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The representative's own address: the secretariat writes to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    function = forms.CharField(
        label=_("Function or title"),
        max_length=200,
        required=False,
        validators=[validate_name],
        help_text=_("Optional, e.g. Director of programmes."),
    )


class DecisionForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional; the organization reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeadlineForm(AccessibleFormMixin, forms.Form):
    use_default = forms.BooleanField(
        label=_("Use the default deadline"),
        required=False,
    )
    closes_at = LocalDateTimeField(label=_("Nominations close"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, default_text: str, **kwargs: Any) -> None:
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        zone = meeting.venue.timezone
        self.fields["closes_at"].label = _("Nominations close (%(city)s time, %(zone)s)") % {
            "city": meeting.venue.city,
            "zone": zone,
        }
        self.fields["closes_at"].help_text = _(
            "Date and time at the venue. Nominations made before this instant are accepted; "
            "none after it. It cannot be after the meeting ends."
        )
        self.fields["use_default"].help_text = default_text
        self._bound_fields_cache.clear()  # bound (by the mixin) before the texts were set
        self._describe()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("use_default"):
            cleaned["deadline"] = None
            return cleaned
        naive = cleaned.get("closes_at")
        if naive is None:
            if "closes_at" not in self.errors:
                self.add_error(
                    "closes_at", _("Give the date and time, or choose the default deadline.")
                )
            return cleaned
        aware = in_zone(naive, self.meeting.venue.timezone)
        if aware is None:
            self.add_error(
                "closes_at",
                _("This time does not exist at the venue (the clocks change); choose another."),
            )
        cleaned["deadline"] = aware
        return cleaned


class WindowForm(ZonedTimesForm):
    zoned = ("opens_at", "closes_at")

    opens_at = LocalDateTimeField(label=_("Opens"))
    closes_at = LocalDateTimeField(
        label=_("Closes"),
        help_text=_("Applications made before this instant are accepted; none after it."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The window must close after it opens."))
        return cleaned
