"""The one way the site writes a date or an instant, in every language, on pages, in
e-mails and in messages.

- A day: the language's own ``DATE_FORMAT`` ("2 December 2026", "2 décembre 2026",
  "2 декабря 2026", "2026年12月2日", "2 ديسمبر 2026").
- An instant: the language's ``DATETIME_FORMAT`` (the day, then a 24-hour time:
  "2 December 2026, 16:55", "2026年12月2日 16:55", "2 ديسمبر 2026، 16:55"), seconds
  only where they matter, then the zone as an offset from UTC: "UTC", "UTC−5",
  "UTC+5:30" — never a zone abbreviation (EST, GMT+9), which is English and ambiguous.
- An instant that ends a day (a window open "until 17 April", stored as midnight the
  next day): written as that day, "17 April 2017, 23:59 UTC−4", not "18 April, 00:00".
- In markup: ``<time datetime>`` takes :func:`machine` (a day "2026-12-02", an instant
  in UTC to the second "2026-12-02T16:55:00Z"; valid HTML, never microseconds).

The server writes instants in UTC (or in a named zone, e.g. a venue's, when asked), and
static/js/local-time.js rewrites them in the reader's zone with the same shape: the same
Django format of the page's language for the day (the script asks the browser for the
same pattern, and the browser test compares both), a 24-hour time, the same offset
notation. ISO dates stay only in machine outputs (CSV, iCalendar, JSON, audit details).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import formats

ISO_UTC = "%Y-%m-%dT%H:%M:%SZ"
MINUS = "\u2212"


def zone_label(at: datetime.datetime, zone: str | datetime.tzinfo | None = None) -> str:
    """The offset from UTC of a zone at an instant, as people write it in every language:
    "UTC", "UTC+2", "UTC−4", "UTC+5:30"."""
    tz = _zone(zone)
    minutes = int(at.astimezone(tz).utcoffset().total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else MINUS
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def day_words(day: datetime.date | None) -> str:
    """A day in the active language: "1 March 2018", "1 mars 2018", "2018年3月1日"."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return formats.date_format(day, "DATE_FORMAT")


def day_words_of(value):
    """A value as a person reads it: a day, or a day written as ISO ("2018-02-05", as the
    compliance report's figures keep it for machines), in words; anything else as it
    is."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return day_words(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, datetime.date):
        return day_words(value)
    return value


def days_words(first: datetime.date, last: datetime.date) -> str:
    """A span of days: "1 February 2018 – 31 July 2018"."""
    return f"{day_words(first)} – {day_words(last)}"


def wall_clock(
    at: datetime.datetime,
    zone: str | datetime.tzinfo | None = None,
    *,
    seconds: bool = False,
    end: bool = False,
) -> str:
    """An instant's day and 24-hour time in a zone (UTC by default), without the zone:
    "2 December 2026, 16:55". ``end``: an instant at midnight is the end of the day
    before, and reads as that day at 23:59 (23:59:59 with seconds)."""
    local = at.astimezone(_zone(zone))
    if end and local.time() == datetime.time(0):
        local = local - datetime.timedelta(seconds=1 if seconds else 60)
    pattern = formats.get_format("DATETIME_FORMAT")
    if seconds:
        pattern = pattern.replace("H:i", "H:i:s")
    return formats.date_format(local, pattern)


def instant_words(
    at: datetime.datetime | None,
    zone: str | datetime.tzinfo | None = None,
    *,
    seconds: bool = False,
    end: bool = False,
) -> str:
    """An instant as text, with its zone: "2 December 2026, 16:55 UTC",
    "2 December 2026, 11:55 UTC−5". For e-mails, messages, titles."""
    if at is None:
        return ""
    return f"{wall_clock(at, zone, seconds=seconds, end=end)} {zone_label(at, zone)}"


def machine(value: datetime.date | datetime.datetime | None) -> str:
    """The ``datetime`` attribute of a ``<time>``: a day as "2026-12-02", an instant in
    UTC to the second "2026-12-02T16:55:00Z"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).strftime(ISO_UTC)
    return value.isoformat()


def _zone(zone: str | datetime.tzinfo | None) -> datetime.tzinfo:
    if zone is None:
        return datetime.UTC
    if isinstance(zone, str):
        return datetime.UTC if zone == "UTC" else zoneinfo.ZoneInfo(zone)
    return zone
