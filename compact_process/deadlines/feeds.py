"""A person's open deadlines as an iCalendar feed (the icalendar library, as the public
meeting feeds in ``phases.ical``). One event per deadline, starting at its instant in UTC,
a quarter of an hour long, with an alarm a day before; the link to act and the kind are
in the event, in the person's own language."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vDuration

from compact_process.deadlines.models import Deadline
from compact_process.deadlines.selectors import link

LENGTH = datetime.timedelta(minutes=15)
ALARM_BEFORE = datetime.timedelta(days=1)
# Asks calendar clients that honour it to fetch the feed again every hour.
REFRESH = datetime.timedelta(hours=1)


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC).replace(microsecond=0)


def uid(deadline: Deadline) -> str:
    """Stable for the deadline whatever its date: a moved deadline is the same event."""
    return f"deadline-{deadline.key}@compact-process"


def _event(deadline: Deadline, absolute: Callable[[str], str]) -> Event:
    event = Event()
    event.add("uid", uid(deadline))
    event.add("dtstamp", _utc(deadline.updated_at))
    event.add("last-modified", _utc(deadline.updated_at))
    event.add("dtstart", _utc(deadline.due_at))
    event.add("duration", LENGTH)
    event.add("summary", deadline.label.text)
    event.add("description", str(deadline.get_kind_display()))
    event.add("transp", "TRANSPARENT")  # a deadline does not make its owner busy
    path = link(deadline)
    if path:
        event.add("url", absolute(path))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", deadline.label.text)
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    return event


def feed(deadlines: Iterable[Deadline], *, absolute: Callable[[str], str]) -> bytes:
    """``absolute(path)``: the full address of a path on this site."""
    cal = Calendar()
    cal.add("prodid", "-//Compact process//due for me//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Due for me: Global Compact for Migration"))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))  # an X- property: typed by hand
    for deadline in deadlines:
        cal.add_component(_event(deadline, absolute))
    return cal.to_ical()
