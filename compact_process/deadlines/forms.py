"""The reminder schedule of one kind of deadline, as a person types it: "14 days, 3 days,
1 day", "2 minutes", one per line or separated by commas, in minutes, hours, days or
weeks (English words or abbreviations, or the words this page shows in its language)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from compact_process.web.forms import AccessibleFormMixin

MINUTE, HOUR, DAY, WEEK = 1, 60, 24 * 60, 7 * 24 * 60
LONGEST = 365 * DAY

# What may be typed after the number, in English; the words of the page's language are
# added from the same strings that show a schedule (see _units).
UNIT_WORDS = {
    MINUTE: ("m", "min", "mins", "minute", "minutes"),
    HOUR: ("h", "hr", "hrs", "hour", "hours"),
    DAY: ("d", "day", "days"),
    WEEK: ("w", "wk", "wks", "week", "weeks"),
}
# Between steps: a new line, a comma, a semicolon or the word "and".
SEPARATORS = re.compile(r"[\n,;،、，；]+|\s+and\s+", re.IGNORECASE)
STEP = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>.*?)\s*(?:before)?$", re.IGNORECASE)


def _shown(minutes: int, count: int) -> str:
    if minutes == DAY:
        return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
    if minutes == HOUR:
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    if minutes == WEEK:
        return ngettext("%(count)d week", "%(count)d weeks", count) % {"count": count}
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}


def describe(minutes: int) -> str:
    """A step in the largest of days, hours or minutes that says it exactly ("14 days",
    "36 hours", "90 minutes"). Weeks are accepted when typed, not shown: the mandate's
    reminders are counted in days."""
    for unit in (DAY, HOUR):
        if minutes % unit == 0:
            return _shown(unit, minutes // unit)
    return _shown(MINUTE, minutes)


def describe_steps(steps: list[int]) -> str:
    """The steps as the form shows them and reads them back: "14 days, 3 days, 1 day"."""
    return ", ".join(describe(m) for m in sorted(steps, reverse=True))


def _units() -> dict[str, int]:
    """Unit words in English and in the active language (as ``describe`` writes them, in
    each plural form), so that what the page shows can be typed back."""
    words = {word: minutes for minutes, names in UNIT_WORDS.items() for word in names}
    for minutes in UNIT_WORDS:
        for count in (1, 2, 3, 5, 11, 21, 100):
            word = _shown(minutes, count).replace(str(count), "", 1).strip().lower()
            if word:
                words.setdefault(word, minutes)
    return words


def parse_steps(text: str) -> list[int]:
    """Minutes before the deadline, longest first, each once. Raises a ValidationError
    that names every part it could not read."""
    units = _units()
    steps: set[int] = set()
    errors: list[ValidationError] = []
    for raw in SEPARATORS.split(text or ""):
        part = " ".join(raw.split())
        if not part:
            continue
        match = STEP.match(part)
        if match is None:
            errors.append(
                ValidationError(
                    _("“%(part)s” is not a number followed by minutes, hours or days."),
                    code="unreadable",
                    params={"part": part},
                )
            )
            continue
        unit = match["unit"].lower().rstrip(".")
        if not unit:
            errors.append(
                ValidationError(
                    _("“%(part)s”: say minutes, hours or days (for example “%(part)s days”)."),
                    code="no_unit",
                    params={"part": part},
                )
            )
            continue
        if unit not in units:
            errors.append(
                ValidationError(
                    _(
                        "“%(part)s”: “%(unit)s” is not a unit of time; "
                        "write minutes, hours or days."
                    ),
                    code="unit",
                    params={"part": part, "unit": match["unit"]},
                )
            )
            continue
        try:
            minutes = Decimal(match["number"]) * units[unit]
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            minutes = Decimal(-1)
        if minutes != minutes.to_integral_value():
            errors.append(
                ValidationError(
                    _("“%(part)s” is not a whole number of minutes."),
                    code="fraction",
                    params={"part": part},
                )
            )
        elif not 0 < minutes <= LONGEST:
            errors.append(
                ValidationError(
                    _("“%(part)s”: a reminder is sent between 1 minute and 365 days before."),
                    code="range",
                    params={"part": part},
                )
            )
        else:
            steps.add(int(minutes))
    if errors:
        raise ValidationError(errors)
    return sorted(steps, reverse=True)


class ReminderScheduleForm(AccessibleFormMixin, forms.Form):
    steps = forms.CharField(
        label=_("Reminders before the deadline"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 40}),
        help_text=_(
            "In minutes, hours or days, one per line or separated by commas: for example "
            "“14 days, 3 days, 1 day”, or “2 minutes” to try the reminders out. Leave it "
            "empty for no reminder before the deadline."
        ),
    )
    when_overdue = forms.BooleanField(
        label=_("Once more when the deadline has passed and it is not met"),
        required=False,
        help_text=_("Not sent for a deadline missed more than 7 days ago."),
    )

    def __init__(self, *args, lapsing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if lapsing:  # it closes by itself at its deadline: nothing to remind once past
            del self.fields["when_overdue"]

    def clean_steps(self) -> list[int]:
        return parse_steps(self.cleaned_data.get("steps", ""))

    @classmethod
    def initial_for(cls, steps: list[int], when_overdue: bool) -> dict:
        return {"steps": describe_steps(steps), "when_overdue": when_overdue}
