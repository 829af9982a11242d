"""Forms that announce their errors to screen readers, the one way a date and time is
typed (as a clock reads at a place, in a named time zone), and the one way a view hands a
form's cleaned data to a service."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from compact_process.errors import Refusal

T = TypeVar("T")


class AccessibleFormMixin:
    """Ties each field to its help and error text with aria-describedby and marks invalid
    fields with aria-invalid, so that assistive technology reads them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._describe()

    def _describe(self) -> None:
        errors = self._errors or {}  # type: ignore[attr-defined]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            # Not self[name]: that caches the bound field, with the label as it is now,
            # and a subclass may still set labels after this (TranslatedFieldsMixin).
            bound = field.get_bound_field(self, name)
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-help")
            if name in errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{bound.auto_id}-errors")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


# --- Times typed in a named zone ---------------------------------------------------------

HEADQUARTERS_ZONE = "America/New_York"
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A ``datetime-local`` input whose value is the wall-clock time as typed (naive);
    the form gives it its zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)
    input_formats = [LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S"]

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
    return at.astimezone(zoneinfo.ZoneInfo(zone)).strftime(LOCAL_INPUT_FORMAT)


def zone_choices() -> list[tuple[str, str]]:
    """UTC, United Nations Headquarters' zone and every venue's."""
    from phases.models import Venue

    zones = {"UTC", HEADQUARTERS_ZONE, *Venue.objects.values_list("timezone", flat=True)}
    return [(z, z.replace("_", " ")) for z in sorted(zones)]


class ZonedTimesForm(AccessibleFormMixin, forms.Form):
    """A form whose times (the ``LocalDateTimeField`` named in ``zoned``) are typed as
    clock times in the zone chosen on it: every date and time the site asks for is typed
    this way (an application window, a review deadline and its extension). ``clean``
    turns each into an instant; a subclass checks the instants after ``super().clean()``."""

    zoned: tuple[str, ...] = ()

    zone = forms.ChoiceField(
        label=_("Time zone of the times below"),
        help_text=_(
            "The times are read as clock times in this zone. United Nations Headquarters "
            "(New York) is the usual one."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = zone_choices()
        self.fields["zone"].initial = self.initial.get("zone", HEADQUARTERS_ZONE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        zone = cleaned.get("zone")
        for name in self.zoned:
            naive = cleaned.get(name)
            if naive is None:
                continue
            if not zone:
                cleaned[name] = None
                continue
            aware = in_zone(naive, zone)
            if aware is None:
                self.add_error(
                    name,
                    gettext_now("This time does not exist in %(zone)s (the clocks change).")
                    % {"zone": zone},
                )
                continue
            cleaned[name] = aware
        return cleaned


def add_model_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a model's ValidationError (raised by a service's full_clean) on the form's
    fields of the same name, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclasses.dataclass(frozen=True)
class Outcome(Generic[T]):
    """What became of a service call: done (``ok``, with what the service returned), or
    refused as a whole (``refusal``, the messages for the top of the form), or invalid
    (not ok, no refusal: the errors are on the form)."""

    ok: bool
    value: T | None = None
    refusal: list[str] = dataclasses.field(default_factory=list)


def attempt(form: forms.BaseForm | None, action: Callable[[], T]) -> Outcome[T]:
    """Run ``action`` (a service call). A ``Refusal`` becomes the outcome's ``refusal``;
    any other ValidationError is put on ``form``'s fields (``add_model_errors``). A page
    without a form passes None: such an error is then not the user's to fix, and is
    raised."""
    try:
        value = action()
    except Refusal as refused:
        return Outcome(ok=False, refusal=list(refused.messages))
    except ValidationError as invalid:
        if form is None:
            raise
        add_model_errors(form, invalid)
        return Outcome(ok=False)
    return Outcome(ok=True, value=value)
