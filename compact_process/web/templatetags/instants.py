"""``{% instant value %}``: a moment in time (a review deadline, when an objection was
lodged, when an application window opens) as each reader should see it, and the filters
that write days and instants the one way of compact_process/formats/written.py.

The server writes it in UTC, which is right for everyone and needs no script::

    <time datetime="2030-04-20T23:59:59Z" data-instant="seconds">20 April 2030, 23:59:59 UTC</time>

or, with ``zone="Europe/Zurich"``, in a named zone (a venue's), with its offset
("21 April 2030, 01:59:59 UTC+2"). static/js/local-time.js, where the browser runs it,
rewrites the text in the reader's own time zone with the same shape: the day in the
page's language as Django writes it, a 24-hour time, the offset ("20 April 2030,
19:59:59 UTC−4"), never the browser's default ("April 20, 2030 at 7:59:59 PM EDT"). The
text the server wrote stays as a ``title``; it is what a page without JavaScript, a copy
or a crawler gets.

We chose to render in UTC (or a named zone) on the server and the reader's zone in the
browser, rather than to ask each reader for a zone: the server cannot know where the
reader is, and a cached public page is the same for everyone.

``end=True`` marks an instant that ends a day (a window open until 17 April closes at
midnight): at midnight it reads as the day before at 23:59, on the server and in the
script (``data-end``).
"""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from compact_process.formats import written

register = template.Library()

ISO_UTC = written.ISO_UTC


@register.simple_tag
def instant(
    value: datetime.datetime | None,
    seconds: bool = False,
    zone: str | None = None,
    end: bool = False,
) -> str:
    """The ``<time>`` element of an aware datetime, in UTC (or ``zone``); ``seconds=True``
    where the second matters (a review deadline at 23:59:59 is not one at 23:59). Nothing
    for ``None``, so that an optional instant needs no ``{% if %}`` of its own."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" data-instant="{}"{}>{}</time>',
        written.machine(value),
        "seconds" if seconds else "minutes",
        mark_safe(' data-end="1"') if end else "",
        written.instant_words(value, zone, seconds=seconds, end=end),
    )


@register.filter
def machine(value) -> str:
    """The ``datetime`` attribute of a ``<time>`` element: "2026-12-02" for a day,
    "2026-12-02T16:55:00Z" for an instant (UTC, whole seconds: valid HTML)."""
    return written.machine(value)


@register.filter
def day_words(value) -> str:
    """A day in the page's language: "1 March 2018", "2018年3月1日"."""
    return written.day_words(value)


@register.filter
def instant_text(value, zone: str | None = None) -> str:
    """An instant as text with its zone (e-mails, titles): "9 December 2026, 16:56 UTC",
    "9 ديسمبر 2026، 16:56 UTC"."""
    return written.instant_words(value, zone)


@register.filter(expects_localtime=True)
def day_time(value: datetime.datetime | None, end: bool = False) -> str:
    """A date and a 24-hour time in the page's language, in the time zone in force
    (``{% timezone %}``, or ``|utc`` before it): "8 May 2017, 10:00", "8 mai 2017,
    10:00", "2017年5月8日 16:55". Not an English pattern such as "j F Y", which puts
    the day first in Chinese and the month in the nominative in Russian. ``end``
    (``|day_time:True``): midnight is the end of the day before, "17 April 2017, 23:59"."""
    if not value:
        return ""
    return written.wall_clock(value, value.tzinfo, end=bool(end))


@register.filter
def utc_offset(day: datetime.date, zone: str) -> str:
    """The offset from UTC of a time zone on a day, as people write it in every
    language ("UTC+2", "UTC−4", "UTC+5:30"), in place of the zone's IANA name
    (Europe/Zurich), which reads as English. Taken at noon: summer time starts and
    ends at night, never during a meeting."""
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=written._zone(zone))
    return written.zone_label(noon, zone)
