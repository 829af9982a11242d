"""``{% mandate_slot meeting %}``: which session of the mandate a meeting is, as a reader
says it ("OP 15, thematic session 1 of 6"), not the key the process stores ("geneva-1")."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from phases.parameters import MandateParameters

register = template.Library()


@register.simple_tag
def mandate_slot(meeting) -> str:
    key = meeting.mandate_slot
    if not key:
        return ""
    slots = MandateParameters.from_json(meeting.process.parameters).thematic_slots
    for number, slot in enumerate(slots, 1):
        if slot.key == key:
            return _("OP 15, thematic session %(n)d of %(total)d") % {
                "n": number,
                "total": len(slots),
            }
    return key
