"""The secretariat's forms. None of them saves anything: each view hands the cleaned data
to a service in ``phases.services``, which applies the mandate checks."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact_process.web.forms import AccessibleFormMixin
from compact_process.web.languages import TranslatedFieldsMixin, columns
from compact_process.web.names import validate_name
from phases.enums import DeliverableKind, MeetingKind, ResponsibleRole, Timeliness
from phases.models import Deliverable, Meeting, MeetingDay, MemberState, Panel, Phase, Process
from phases.parameters import MandateParameters
from phases.selectors import secretariat as staff
from phases.services import DaySpec


def free_key(objects, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… : the first key no row of ``objects`` has."""
    taken = set(objects.filter(key__startswith=base).values_list("key", flat=True))
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


# --- Meetings --------------------------------------------------------------------------


MEETING_FIELDS = [
    "kind",
    *columns("title"),
    *columns("theme"),
    "venue",
    "phase",
    "mandate_slot",
    "mandated_days",
    "interpretation",
    "dates_approximate",
    "source_note",
]


class MeetingForm(TranslatedFieldsMixin, AccessibleFormMixin, forms.ModelForm):
    """A meeting's own fields, its title and theme in the six languages side by side; its
    days are added one by one on their own form."""

    translated = {"title": _("Title"), "theme": _("Theme")}

    mandate_slot = forms.ChoiceField(
        label=_("Mandated slot"),
        required=False,
        help_text=_("Which mandated thematic session this is (OP 15); leave empty otherwise."),
    )

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 3}) for name in columns("theme")},
            "source_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "phase": _(
                "The phase whose window the meeting falls in (OP 14); hearings and the "
                "conference belong to none."
            ),
            "mandated_days": _(
                "For a negotiation round, the number of days the mandate gives it (OP 28)."
            ),
        }

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        self.process = process
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(process=process).order_by("number")
        self.fields["phase"].empty_label = _("No phase (across the phases)")
        slots = MandateParameters.from_json(process.parameters).thematic_slots
        choices = [("", _("None"))] + [(s.key, f"{s.key}: {s.theme}") for s in slots]
        current = self.instance.mandate_slot if self.instance else ""
        if current and current not in {s.key for s in slots}:
            choices.append((current, current))
        self.fields["mandate_slot"].choices = choices

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values, named as ``services.create_meeting``/``update_meeting``
        take them: each language's column by name (the view calls the service under
        English, so that ``title`` is the English column)."""
        return {
            **{name: self.cleaned_data[name] for name in MEETING_FIELDS},
            **self.translated_values(),
        }


class MeetingCreateForm(MeetingForm):
    key = forms.SlugField(
        label=_("Key"),
        max_length=70,
        required=False,
        help_text=_(
            "A short stable name used in the meeting's public address, e.g. "
            "informal-consultation-3. Leave empty to derive it from the title."
        ),
    )

    field_order = ["key", *MEETING_FIELDS]

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        if key and Meeting.objects.filter(process=self.process, key=key).exists():
            raise ValidationError(_("Another meeting of this process already has this key."))
        return key

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        title = cleaned.get("title_en")
        if not cleaned.get("key") and title and "key" not in self.errors:
            cleaned["key"] = self._free_key(slugify(title)[:60] or "meeting")
        return cleaned

    def _free_key(self, base: str) -> str:
        return free_key(Meeting.objects.filter(process=self.process), base)

    def service_fields(self) -> dict[str, Any]:
        return {"key": self.cleaned_data["key"], **super().service_fields()}


class MeetingFilterForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *MeetingKind.choices],
    )
    phase = forms.ModelChoiceField(
        label=pgettext_lazy("stage of the process", "Phase"),
        required=False,
        queryset=Phase.objects.none(),
        empty_label=_("All phases"),
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(process=process).order_by("number")

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid value is dropped (and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"kind": data.get("kind") or "", "phase": data.get("phase")}


class MeetingDayForm(AccessibleFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(
        label=_("Starts at"), initial=datetime.time(10, 0), widget=TimeInput()
    )
    ends_at = forms.TimeField(label=_("Ends at"), initial=datetime.time(18, 0), widget=TimeInput())
    portion = forms.TypedChoiceField(
        label=_("Portion of a day"),
        choices=[(str(MeetingDay.FULL), _("Full day")), (str(MeetingDay.HALF), _("Half day"))],
        coerce=Decimal,
        initial=str(MeetingDay.FULL),
        help_text=_("A half day counts as half towards the caps (OP 16, OP 30)."),
    )

    def __init__(
        self, *args: Any, meeting: Meeting, day: MeetingDay | None = None, **kwargs: Any
    ) -> None:
        """``day``: the day being edited (the form is prefilled with it)."""
        self.meeting = meeting
        self.day = day
        if day is not None:
            kwargs.setdefault(
                "initial",
                {
                    "date": day.date,
                    "starts_at": day.starts_at,
                    "ends_at": day.ends_at,
                    "portion": str(day.portion),
                },
            )
        super().__init__(*args, **kwargs)
        zone = _("In the venue's local time (%(city)s, %(zone)s).") % {
            "city": meeting.venue.city,
            "zone": meeting.venue.timezone,
        }
        self.fields["starts_at"].help_text = zone
        self.fields["ends_at"].help_text = zone
        # Bound fields copy their help text when first built (by the mixin): rebuild them.
        self._bound_fields_cache.clear()
        self._describe()

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        others = MeetingDay.objects.filter(meeting=self.meeting, date=day)
        if self.day is not None:
            others = others.exclude(pk=self.day.pk)
        if others.exists():
            raise ValidationError(_("This meeting already meets on that day."))
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The day must end after it starts."))
        return cleaned

    def day_spec(self) -> DaySpec:
        data = self.cleaned_data
        return DaySpec(data["date"], data["starts_at"], data["ends_at"], data["portion"])


# --- Panels and moderators -------------------------------------------------------------


class PanelForm(TranslatedFieldsMixin, AccessibleFormMixin, forms.Form):
    """A new panel's title in the six languages side by side (English required)."""

    translated = {"title": _("Title")}
    # The labels, "required" and lang/dir attributes are set by TranslatedFieldsMixin.
    title_en = forms.CharField(max_length=300)
    title_ar = forms.CharField(max_length=300)
    title_zh_hans = forms.CharField(max_length=300)
    title_fr = forms.CharField(max_length=300)
    title_ru = forms.CharField(max_length=300)
    title_es = forms.CharField(max_length=300)

    def __init__(self, *args: Any, panel: Panel | None = None, **kwargs: Any) -> None:
        """``panel``: the panel being renamed (the form shows its six titles)."""
        if panel is not None:
            kwargs.setdefault(
                "initial", {name: getattr(panel, name) or "" for name in columns("title")}
            )
        super().__init__(*args, **kwargs)

    def service_fields(self) -> dict[str, Any]:
        """``title`` in English and the other languages' columns (empty: None, so that
        the English shows as their fallback)."""
        values = self.translated_values()
        return {"title": values.pop("title_en"), **values}


class MemberStateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MemberState) -> str:
        return f"{obj.name} ({obj.get_regional_group_display()})"


class ModeratorForm(AccessibleFormMixin, forms.Form):
    member_state = MemberStateChoiceField(
        label=_("Member State"),
        queryset=MemberState.objects.none(),
        help_text=_(
            "OP 17: a Member State appointed by the President of the General Assembly; "
            "its regional group is shown in brackets."
        ),
    )
    person_name = forms.CharField(
        label=_("Person"), max_length=200, required=False, validators=[validate_name]
    )
    person_title = forms.CharField(label=_("Title or function"), max_length=300, required=False)
    appointed_on = forms.DateField(label=_("Appointed on"), required=False, widget=DateInput())
    letter_reference = forms.CharField(label=_("Appointing letter"), max_length=200, required=False)

    def __init__(self, *args: Any, panel: Panel, **kwargs: Any) -> None:
        self.panel = panel
        super().__init__(*args, **kwargs)
        self.fields["member_state"].queryset = staff.member_states()

    def clean_member_state(self) -> MemberState:
        state = self.cleaned_data["member_state"]
        if self.panel.moderators.filter(member_state=state).exists():
            raise ValidationError(_("This State already moderates this panel."))
        return state


# --- Deliverables ----------------------------------------------------------------------


class DeliveredForm(AccessibleFormMixin, forms.Form):
    """Named like the model's fields so that its errors land on the right field."""

    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput())
    delivered_approximate = forms.BooleanField(label=_("Date approximate"), required=False)
    symbol = forms.CharField(label=_("Document symbol"), max_length=60, required=False)

    def __init__(self, *args: Any, deliverable: Deliverable, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"symbol": deliverable.symbol})
        super().__init__(*args, **kwargs)


class DeliverableFilterForm(AccessibleFormMixin, forms.Form):
    timeliness = forms.ChoiceField(
        label=_("Timeliness"),
        required=False,
        choices=[("", _("Any timeliness")), *Timeliness.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *DeliverableKind.choices]
    )
    responsible = forms.ChoiceField(
        label=_("Responsible"),
        required=False,
        choices=[("", _("Anyone")), *ResponsibleRole.choices],
    )

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "state": data.get("timeliness") or "",
            "kind": data.get("kind") or "",
            "responsible": data.get("responsible") or "",
        }


DELIVERABLE_FIELDS = [
    "kind",
    *columns("title"),
    "meeting",
    "responsible",
    "symbol",
    "source_note",
]


class DeliverableForm(TranslatedFieldsMixin, AccessibleFormMixin, forms.ModelForm):
    """A deliverable's own fields, its title in the six languages side by side. The due
    date moves on its own page (``DueDateForm``), which says what happens to the
    reminders."""

    translated = {"title": _("Title")}

    class Meta:
        model = Deliverable
        fields = DELIVERABLE_FIELDS
        widgets = {"source_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        self.process = process
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        meeting.queryset = Meeting.objects.filter(process=process).order_by("key")
        meeting.empty_label = _("No meeting")
        meeting.help_text = _("The meeting the deliverable is for, if any.")

    def service_fields(self) -> dict[str, Any]:
        """Named as ``services.update_deliverable`` takes them: each language's column."""
        names = [n for n in DELIVERABLE_FIELDS if n not in columns("title")]
        return {
            **{name: self.cleaned_data[name] for name in names},
            **self.translated_values(),
        }


class DeliverableCreateForm(DeliverableForm):
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    due_approximate = forms.BooleanField(label=_("Due date approximate"), required=False)

    field_order = [*DELIVERABLE_FIELDS[:1], *columns("title"), "due_on", "due_approximate"]

    def _free_key(self, base: str) -> str:
        return free_key(Deliverable.objects.filter(process=self.process), base)

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        title = fields.pop("title_en")
        return {
            **fields,
            "title": title,
            "key": self._free_key(slugify(title)[:70] or "deliverable"),
            "due_on": self.cleaned_data["due_on"],
            "due_approximate": self.cleaned_data["due_approximate"],
        }


class DueDateForm(AccessibleFormMixin, forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DateInput())
    due_approximate = forms.BooleanField(label=_("Due date approximate"), required=False)

    def __init__(self, *args: Any, deliverable: Deliverable, **kwargs: Any) -> None:
        self.deliverable = deliverable
        kwargs.setdefault(
            "initial",
            {"due_on": deliverable.due_on, "due_approximate": deliverable.due_approximate},
        )
        super().__init__(*args, **kwargs)

    def clean_due_on(self) -> datetime.date:
        day = self.cleaned_data["due_on"]
        if day == self.deliverable.due_on and not self.has_changed():
            raise ValidationError(_("This is already the due date."))
        return day
