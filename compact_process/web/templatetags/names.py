"""User-written names shown isolated from the text around them (see
``compact_process.web.names``).

``{{ organization|isolate }}`` isolates for what is being rendered: ``<bdi>`` in HTML,
FSI … PDI where autoescaping is off (the text e-mails, and the message parts that a text
and an HTML e-mail both include). ``{{ organization|isolate_text }}`` is always FSI …
PDI: for one line of plain text rendered with autoescaping on (an e-mail's subject, also
shown in the in-app inbox)."""

from __future__ import annotations

from django import template

from compact_process.web.names import isolate_html, isolate_text

register = template.Library()


@register.filter(needs_autoescape=True)
def isolate(value, autoescape=True):
    return isolate_html(value) if autoescape else isolate_text(value)


register.filter("isolate_text", isolate_text)
