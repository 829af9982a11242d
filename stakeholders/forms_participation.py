"""Forms of the representatives' pages and of the application windows. None saves
anything: each view hands the cleaned data to ``stakeholders.services_participation``.

Times are typed as a person reads a clock at a place: a meeting's deadline in the venue's
time zone, a window in the zone chosen on the form (UN Headquarters' by default). The
form says which zone, and turns what was typed into an instant."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact_process.web.forms import AccessibleFormMixin
from compact_process.web.names import validate_name
from phases.models import Meeting, Venue
from stakeholders.enums import Gender

HEADQUARTERS_ZONE = "America/New_York"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input whose value is the wall-clock time as typed (naive);
    the form gives it its zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    input_formats = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S"]

    def to_python(self, value: Any) -> datetime.datetime | None:
        result = super().to_python(value)
        if result is None:
            return None
        # Django read it in the active zone; take back the wall-clock time typed.
        return timezone.make_naive(result, timezone.get_current_timezone())


def in_zone(naive: datetime.datetime, zone: str) -> datetime.datetime | None:
    """The instant a wall-clock time names in a zone; None if the clocks skip it (the
    hour lost when summer time starts)."""
    tz = zoneinfo.ZoneInfo(zone)
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(datetime.UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return aware


def local_value(at: datetime.datetime | None, zone: str) -> str:
    """An instant as the ``datetime-local`` input shows it in a zone."""
    if at is None:
        return ""
    return at.astimezone(zoneinfo.ZoneInfo(zone)).strftime(DATETIME_FORMAT)


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


def zone_choices() -> list[tuple[str, str]]:
    zones = {"UTC", HEADQUARTERS_ZONE, *Venue.objects.values_list("timezone", flat=True)}
    return [(z, z.replace("_", " ")) for z in sorted(zones)]


class WindowForm(AccessibleFormMixin, forms.Form):
    zone = forms.ChoiceField(
        label=_("Time zone of the times below"),
        help_text=_(
            "The times are read as clock times in this zone. United Nations Headquarters "
            "(New York) is the usual one."
        ),
    )
    opens_at = LocalDateTimeField(label=_("Opens"))
    closes_at = LocalDateTimeField(
        label=_("Closes"),
        help_text=_("Applications made before this instant are accepted; none after it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        zone = cleaned.get("zone")
        if not zone:
            return cleaned
        for name in ("opens_at", "closes_at"):
            naive = cleaned.get(name)
            if naive is None:
                continue
            aware = in_zone(naive, zone)
            if aware is None:
                self.add_error(
                    name,
                    _("This time does not exist in %(zone)s (the clocks change).") % {"zone": zone},
                )
            cleaned[name] = aware
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The window must close after it opens."))
        return cleaned
