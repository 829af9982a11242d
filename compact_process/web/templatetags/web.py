"""Template helpers shared by every page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

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
