"""``{% reader_time day meeting %}``: the attributes with which static/js/reader-time.js
writes a meeting day in the reader's own time zone beside the venue's, on request: the
day's start and end in UTC (``data-starts``, ``data-ends``)."""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html

register = template.Library()

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


@register.simple_tag
def reader_time(day, meeting) -> str:
    start, end = day.local_bounds(meeting.tz)
    return format_html(
        'data-starts="{}" data-ends="{}"',
        start.astimezone(datetime.UTC).strftime(ISO_UTC),
        end.astimezone(datetime.UTC).strftime(ISO_UTC),
    )
