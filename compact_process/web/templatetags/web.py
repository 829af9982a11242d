"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext

from compact_process.web.languages import SOURCE, column

register = template.Library()


@register.inclusion_tag("web/_language_links.html", takes_context=True)
def language_links(context) -> dict:
    """Links to this same page in each official language. Plain links, not a form: the
    language is in the URL, so the page stays shareable and cacheable for everyone."""
    request = context["request"]
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
        )
    return {"links": links}


@register.simple_tag
def translated(obj, field: str) -> str:
    """A translated field (django-modeltranslation) in the page's language. Where it is
    not yet translated, the English shows instead, marked as such: ``lang="en"`` on the
    text, so that a screen reader reads it as English, and a visible "(in English)"."""
    value = getattr(obj, field, "") or ""
    language = get_language() or settings.LANGUAGE_CODE
    if not value or language == SOURCE or getattr(obj, column(field, language), None):
        return value
    return format_html(
        '<span lang="en">{}</span> <span class="fallback-note">({})</span>',
        value,
        gettext("in English"),
    )
