"""Content in the six official languages: forms that show a translated field's six
columns (django-modeltranslation's ``title_en``, ``title_ar`` ...) side by side, with
the languages still missing named, and the marker shown where a page falls back to
English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

SOURCE = "en"
# English, the source language, first; then the others in the order of settings.LANGUAGES.
CODES = [SOURCE] + [code for code, _name in settings.LANGUAGES if code != SOURCE]


def column(base: str, code: str) -> str:
    """modeltranslation's column of ``base`` in ``code``: ``title``, ``zh-hans`` →
    ``title_zh_hans``."""
    return f"{base}_{code.replace('-', '_')}"


def columns(base: str) -> list[str]:
    return [column(base, code) for code in CODES]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES)[code])


@dataclass(frozen=True)
class LanguageGroup:
    """One translated field on a form: its legend, its six bound fields, and the names
    of the languages still missing."""

    legend: str
    fields: list[forms.BoundField]
    missing: list[str]


class TranslatedFieldsMixin:
    """For a ModelForm whose ``Meta.fields`` list a translated field's six columns:
    each column labelled "<field> in <language>" with its ``lang`` (and ``dir``)
    attribute, English required, and ``layout`` for the template, which renders the six
    as one fieldset where the English column stands.

    ``translated = {"title": _("Title"), ...}`` names the fields and their labels."""

    translated: dict[str, Any] = {}
    required_source: tuple[str, ...] = ("title",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for base, label in self.translated.items():
            for code in CODES:
                field = self.fields[column(base, code)]  # type: ignore[attr-defined]
                field.label = _("%(field)s in %(language)s") % {
                    "field": label,
                    "language": language_name(code),
                }
                field.required = code == SOURCE and base in self.required_source
                field.widget.attrs["lang"] = code
                field.widget.attrs["dir"] = "rtl" if code in settings.LANGUAGES_BIDI else "ltr"

    def layout(self) -> list[dict[str, Any]]:
        """The fields in order, each translated field's six columns as one group."""
        groups = {}
        for base, label in self.translated.items():
            names = columns(base)
            groups[names[0]] = LanguageGroup(
                legend=_("%(field)s in the six languages") % {"field": label},
                fields=[self[name] for name in names],  # type: ignore[index]
                missing=[language_name(code) for code in self._missing(base)],
            )
        grouped = {name for base in self.translated for name in columns(base)}
        items: list[dict[str, Any]] = []
        for bound in self:  # type: ignore[attr-defined]
            if bound.name in groups:
                items.append({"group": groups[bound.name]})
            elif bound.name not in grouped:
                items.append({"field": bound})
        return items

    def translated_values(self) -> dict[str, str | None]:
        """The cleaned columns of every translated field, an empty one other than the
        English as None: no text in that language, so the English shows as its
        fallback."""
        values: dict[str, str | None] = {}
        for base in self.translated:
            english, *others = columns(base)
            values[english] = self.cleaned_data[english]  # type: ignore[attr-defined]
            for name in others:
                values[name] = self.cleaned_data[name] or None  # type: ignore[attr-defined]
        return values

    def _missing(self, base: str) -> list[str]:
        """Missing in what the form shows: the submitted values after a POST, the saved
        ones otherwise."""
        if self.is_bound:  # type: ignore[attr-defined]
            data = self.data  # type: ignore[attr-defined]
            prefix = self.add_prefix  # type: ignore[attr-defined]
            values = {code: data.get(prefix(column(base, code)), "") for code in CODES}
        else:
            instance = getattr(self, "instance", None)
            values = {code: getattr(instance, column(base, code), "") or "" for code in CODES}
        if not str(values[SOURCE]).strip():
            return []
        return [code for code in CODES[1:] if not str(values[code]).strip()]
