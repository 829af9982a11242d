"""``{% source_note obj %}``: a meeting's or a draft's source note in the page's language.

A source note is one text, in English, as the seed or the secretariat wrote it (not a
translated field). The seed's notes are translated in ``phases.seed_translations``; any
other note shows in English, marked as such (``lang`` and "(in English)"), as
``{% translated %}`` marks a translated field's fallback."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

from compact_process.web.languages import IN_LANGUAGE, SOURCE
from phases import seed_translations

register = template.Library()


@register.simple_tag
def source_note(obj) -> str:
    english = getattr(obj, "source_note", "") or ""
    if not english:
        return ""
    language = get_language() or settings.LANGUAGE_CODE
    if language == SOURCE:
        return english
    translated = seed_translations.source_note(english, language)
    if translated:
        return translated
    return format_html(
        '<span lang="{}" dir="ltr">{}</span> <span class="fallback-note">({})</span>',
        SOURCE,
        english,
        IN_LANGUAGE[SOURCE],
    )
