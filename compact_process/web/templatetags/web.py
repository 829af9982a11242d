"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

from compact_process.web import drafts, punctuation
from compact_process.web.languages import IN_LANGUAGE, column, shown_language
from compact_process.web.languages import direction as _direction  # also |direction

register = template.Library()


@register.inclusion_tag("web/_language_links.html", takes_context=True)
def language_links(context) -> dict:
    """Links to this same page in each official language. Plain links, not a form: the
    language is in the URL, so the page stays shareable and cacheable for everyone. A
    signed-in person reading in another language than their preferred one is offered to
    make it theirs (a small POST form, no script)."""
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
    user = getattr(request, "user", None)
    offer = (
        user is not None
        and user.is_authenticated
        # A page cached for everyone carries nothing of who asked (web/cache.py).
        and not getattr(request, "public_page", False)
        and getattr(user, "preferred_language", current) != current
    )
    return {
        "links": links,
        "offer": offer,
        "current": current,
        "current_name": get_language_info(current)["name_local"] if offer else "",
        "here": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def translated(obj, field: str) -> str:
    """A translated field (django-modeltranslation) in the page's language. Where it is
    not in that language, the English shows instead, or, where there is no English
    either (an organization may describe itself only in French), the first language
    that has it; marked as such: ``lang`` (and ``dir``) on the text, so that a screen
    reader reads it in its language, and a visible "(in English)", "(in French)"."""
    language = get_language() or settings.LANGUAGE_CODE
    code = shown_language(obj, field, language)
    if code is None:
        return getattr(obj, field, "") or ""
    value = getattr(obj, column(field, code))
    if code == language:
        return value
    return format_html(
        '<span lang="{}" dir="{}">{}</span> <span class="fallback-note">({})</span>',
        code,
        _direction(code),
        value,
        IN_LANGUAGE[code],
    )


@register.simple_tag
def other_language(obj, field: str) -> str:
    """The code of the language a translated field shows in where it is not the page's
    (for a ``lang`` attribute: ``{% other_language p "text" as code %}``); empty
    otherwise."""
    language = get_language() or settings.LANGUAGE_CODE
    code = shown_language(obj, field, language)
    return code if code and code != language else ""


@register.simple_tag(takes_context=True)
def draft_key(context) -> str:
    """For ``<form data-keep-draft="{% draft_key %}">``: what the form's kept draft is
    filed under (compact_process.web.drafts)."""
    return drafts.draft_key(context["request"])


register.filter("direction", _direction)


@register.simple_tag
def punct(name: str) -> str:
    """The page language's own mark between pieces joined in a template:
    ``{% punct "colon" %}``, ``"comma"``, ``"semicolon"``, ``"open"``, ``"close"``
    (``compact_process.web.punctuation``)."""
    return punctuation.mark(name)


@register.filter
def parenthesized(value) -> str:
    """``value`` in the page language's parentheses (full-width in Chinese)."""
    return format_html("{}{}{}", punctuation.mark("open"), value, punctuation.mark("close"))
