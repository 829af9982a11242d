"""Labels stored as a key and its parameters, rendered in the reader's language.

A row that outlives the request that wrote it (a deadline, a notification) must not keep
a label as text: the text would be in whatever language was active when it was written
(a reminder to a Spanish delegate reading "The conference (OP 6(c))", or an English
reader's page showing a Spanish title). It keeps a ``Label`` instead: a key naming how to
write it and the parameters it needs, and each reader gets it in their own language when
it is shown.

Two kinds of key:

- ``text``: content kept in the six languages (a modeltranslation field, e.g. a
  deliverable's or a meeting's title), its parameters the text in each language
  (``{"en": ..., "fr": ...}``); a reader whose language has none sees the English
  (or the first language that has it), marked with its ``lang``;
- a key registered by the app that owns the words (``register``), e.g. ``list_purpose``
  with ``{"value": "conference"}``: a function of the parameters that returns the words
  through gettext, so in the active language. ``compact_process`` imports no app.

``plain`` is text in one language that nobody translates (a list's title as the Office
typed it): shown as it is, untagged, as everywhere else on the site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import get_language, override

TEXT = "text"
PLAIN = "plain"

_renderers: dict[str, Callable[[dict[str, Any]], str]] = {}


def register(key: str, render: Callable[[dict[str, Any]], str]) -> None:
    """``render(params)``: the label's words in the active language."""
    _renderers[key] = render


@dataclass(frozen=True)
class Shown:
    """A label as one reader sees it: its words, and their language where it is not the
    reader's (for a ``lang`` attribute; empty otherwise)."""

    text: str
    lang: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Label:
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def shown(self, language: str | None = None) -> Shown:
        return show(self.key, self.params, language=language)

    def __str__(self) -> str:
        return self.shown().text

    def in_language(self, language: str) -> str:
        return self.shown(language).text

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": self.params}


def text(values: dict[str, str | None]) -> Label:
    """Content in several languages (``{"en": "Zero draft", "fr": "Avant-projet", ...}``;
    empty ones left out)."""
    return Label(TEXT, {code: value for code, value in values.items() if value})


def translations(obj: Any, field_name: str) -> Label:
    """A modeltranslation field of ``obj`` in every language it has."""
    return text(
        {
            code: getattr(obj, f"{field_name}_{code.replace('-', '_')}", None)
            for code, _name in settings.LANGUAGES
        }
    )


def plain(value: str) -> Label:
    return Label(PLAIN, {"text": value})


def show(
    key: str, params: dict[str, Any], *, language: str | None = None, fallback: str = ""
) -> Shown:
    """The label in ``language`` (the active one by default)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if key == TEXT:
        codes = [language, settings.LANGUAGE_CODE, *(code for code, _ in settings.LANGUAGES)]
        for code in codes:
            if params.get(code):
                return Shown(params[code], "" if code == language else code)
        return Shown(fallback)
    if key == PLAIN:
        return Shown(params.get("text", fallback))
    render = _renderers.get(key)
    if render is None:
        return Shown(fallback)
    with override(language):
        return Shown(str(render(params)))


def from_json(value: Any) -> Label | None:
    if isinstance(value, dict) and set(value) == {"key", "params"}:
        return Label(value["key"], dict(value["params"] or {}))
    return None
