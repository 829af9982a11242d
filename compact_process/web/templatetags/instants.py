"""``{% instant value %}``: a moment in time (a review deadline, when an objection was
lodged, when an application window opens) as each reader should see it.

The server writes it in UTC, which is right for everyone and needs no script::

    <time datetime="2030-04-20T23:59:59Z" data-instant="seconds">20 April 2030, 23:59:59 UTC</time>

and static/js/local-time.js, where the browser runs it, rewrites the text in the reader's
own time zone and language, keeping the UTC text in a ``title``. A delegate in Tokyo then
reads the deadline as their clock will show it, without arithmetic; the UTC text stays
the reference, and is what a page without JavaScript, a copy or a crawler gets.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django import template
from django.utils import formats
from django.utils.html import format_html

register = template.Library()

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"


@register.simple_tag
def instant(value: datetime.datetime | None, seconds: bool = False) -> str:
    """The ``<time>`` element of an aware datetime, in UTC; ``seconds=True`` where the
    second matters (a review deadline at 23:59:59 is not one at 23:59). Nothing for
    ``None``, so that an optional instant needs no ``{% if %}`` of its own."""
    if value is None:
        return ""
    utc = value.astimezone(datetime.UTC)
    # The locale's date, a 24-hour time (UTC is given as such: no a.m./p.m.).
    shown = formats.date_format(
        utc, formats.get_format("DATE_FORMAT") + (", H:i:s" if seconds else ", H:i")
    )
    return format_html(
        '<time datetime="{}" data-instant="{}">{} UTC</time>',
        utc.strftime(ISO_UTC),
        "seconds" if seconds else "minutes",
        shown,
    )


@register.filter(expects_localtime=True)
def day_time(value: datetime.datetime | None) -> str:
    """A date and a 24-hour time in the page's language, in the time zone in force
    (``{% timezone %}``, or ``|utc`` before it): "8 May 2017, 10:00", "8 mai 2017,
    10:00", "2017年5月8日, 10:00". Not an English pattern such as "j F Y", which puts
    the day first in Chinese and the month in the nominative in Russian."""
    if not value:
        return ""
    return formats.date_format(value, formats.get_format("DATE_FORMAT") + ", H:i")


@register.filter
def utc_offset(day: datetime.date, zone: str) -> str:
    """The offset from UTC of a time zone on a day, as people write it in every
    language ("UTC+2", "UTC−4", "UTC+5:30"), in place of the zone's IANA name
    (Europe/Zurich), which reads as English. Taken at noon: summer time starts and
    ends at night, never during a meeting."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(zone))
    minutes = int(noon.utcoffset().total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
