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


def direction(code: str) -> str:
    """``rtl`` for a right-to-left language's code (Arabic), ``ltr`` otherwise."""
    return "rtl" if code in settings.LANGUAGES_BIDI else "ltr"


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES)[code])


def shown_language(obj: Any, field: str, language: str) -> str | None:
    """The language whose text of a translated ``field`` a reader of ``language`` sees:
    their own where it is there, else the English, else the first language that has
    it (an organization may describe itself only in French); None where none has it."""
    for code in (language, SOURCE, *CODES):
        if getattr(obj, column(field, code), None):
            return code
    return None


# "(in French)" after a text shown in another language than the page's: whole phrases, as
# each language inflects the name ("en français", "на французском языке", "بالفرنسية").
IN_LANGUAGE = {
    "ar": _("in Arabic"),
    "zh-hans": _("in Chinese"),
    "en": _("in English"),
    "fr": _("in French"),
    "ru": _("in Russian"),
    "es": _("in Spanish"),
}


@dataclass(frozen=True)
class LanguageGroup:
    """One translated field on a form: its legend, its six bound fields, and a note
    naming the languages still missing and what their readers see instead."""

    legend: str
    fields: list[forms.BoundField]
    note: str


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
                field.widget.attrs["dir"] = direction(code)

    def group(self, base: str) -> LanguageGroup:
        """One translated field's six columns, for a template that places them itself."""
        return LanguageGroup(
            legend=_("%(field)s in the six languages") % {"field": self.translated[base]},
            fields=[self[name] for name in columns(base)],  # type: ignore[index]
            note=self._missing_note(self._missing(base)),
        )

    def layout(self) -> list[dict[str, Any]]:
        """The fields in order, each translated field's six columns as one group."""
        groups = {column(base, SOURCE): self.group(base) for base in self.translated}
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
        missing = [code for code in CODES if not str(values[code]).strip()]
        return [] if len(missing) == len(CODES) else missing

    @staticmethod
    def _missing_note(missing: list[str]) -> str:
        if not missing:
            return ""
        names = ", ".join(language_name(code) for code in missing)
        if SOURCE in missing:
            return _(
                "Not yet in: %(languages)s. Readers in those languages see the text in "
                "another language, marked as such."
            ) % {"languages": names}
        return _(
            "Not yet in: %(languages)s. Readers in those languages see the English, marked as such."
        ) % {"languages": names}
