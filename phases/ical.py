"""iCalendar feeds of the meetings, generated with the icalendar library. One event per
meeting day (a round's days need not be consecutive), in the venue's own time zone with
its VTIMEZONE, so that a calendar client shows the right local time."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from phases.models import Meeting, Process


def feed(process: Process, meetings: list[Meeting], *, name: str, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//Compact process//{process.slug}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for meeting in meetings:
        tz = meeting.tz
        for day in meeting.days.all():
            start, end = day.local_bounds(tz)
            event = Event()
            event.add("uid", f"{process.slug}-{meeting.key}-{day.date.isoformat()}@compact-process")
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("summary", meeting.title)
            event.add("location", f"{meeting.venue.name}, {meeting.venue.city}")
            description = [meeting.get_kind_display()]
            if meeting.theme:
                description.append(meeting.theme)
            if meeting.dates_approximate:
                description.append(_("The dates are approximate."))
            event.add("description", "\n\n".join(str(d) for d in description))
            event.add("url", f"{base_url}{meeting.key}/")
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
