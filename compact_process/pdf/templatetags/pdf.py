"""Template helpers of the PDF layout: CSS strings for the margin boxes."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def css_string(value) -> str:
    """A quoted CSS string (for ``content:``), safe inside a <style> element."""
    text = str(value or "")
    text = re.sub(r'[\\"]', lambda m: "\\" + m.group(0), text)
    text = re.sub(r"[\x00-\x1f\x7f<>&]", lambda m: f"\\{ord(m.group(0)):x} ", text)
    return mark_safe(f'"{text}"')


@register.simple_tag
def page_numbers() -> str:
    """``content`` for the page number box, in the active language: "Page 2 of 3"."""
    # Translators: page numbers printed at the foot of PDF pages; keep both placeholders.
    words = gettext("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\((?:page|pages)\)s)", words)
    out = []
    for part in parts:
        if part == "%(page)s":
            out.append("counter(page)")
        elif part == "%(pages)s":
            out.append("counter(pages)")
        elif part:
            out.append(css_string(part))
    return mark_safe(" ".join(out))
