"""The iCalendar feeds parse, hold one event per meeting day, and give each day in its
venue's own time zone (with the VTIMEZONE a client needs)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from phases.enums import MeetingKind
from tests.pages import reset_public_cache


@pytest.fixture(autouse=True)
def fresh_public_cache():
    """The feeds are cached public pages; start each test from an empty cache."""
    reset_public_cache()
    yield
    reset_public_cache()


def fetch(client, url: str) -> tuple[Calendar, bytes]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/calendar"), response["Content-Type"]
    return Calendar.from_ical(response.content), response.content


def events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


def timezones(cal: Calendar) -> set[str]:
    return {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}


def event_on(cal: Calendar, day: datetime.date, summary_part: str):
    found = [
        e
        for e in events(cal)
        if e.decoded("DTSTART").date() == day and summary_part in str(e["SUMMARY"])
    ]
    assert len(found) == 1, f"{len(found)} events on {day} matching {summary_part!r}"
    return found[0]


def test_the_whole_process_feed_parses_with_unique_uids(client, gcm):
    cal, raw = fetch(client, reverse("phases:ical"))
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == gcm.title
    items = events(cal)
    n_days = sum(m.days.count() for m in gcm.meetings.all())
    assert len(items) == n_days
    uids = [str(e["UID"]) for e in items]
    assert len(uids) == len(set(uids)), "duplicate UIDs"
    for e in items:
        for prop in ("DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL"):
            assert prop in e, f"{e.get('UID')} lacks {prop}"
        assert e.decoded("DTEND") > e.decoded("DTSTART")
    # Every zone used by an event is described in the feed.
    used = {str(e["DTSTART"].params["TZID"]) for e in items}
    assert used <= timezones(cal)
    assert b"BEGIN:VTIMEZONE" in raw


def test_the_thematic_session_feed_has_two_days_of_each_of_six_sessions(client, gcm):
    cal, _ = fetch(client, reverse("phases:ical-kind", args=[MeetingKind.THEMATIC_SESSION]))
    items = events(cal)
    assert len(items) == 12
    assert len({str(e["UID"]) for e in items}) == 12
    assert {str(e["SUMMARY"]) for e in items} == set(
        gcm.meetings.filter(kind=MeetingKind.THEMATIC_SESSION).values_list("title", flat=True)
    )
    assert str(MeetingKind.THEMATIC_SESSION.label) in str(cal["X-WR-CALNAME"])


def test_the_first_geneva_day_starts_at_ten_zurich_time(client, gcm):
    cal, raw = fetch(client, reverse("phases:ical-kind", args=[MeetingKind.THEMATIC_SESSION]))
    session = gcm.meetings.get(key="thematic-1")
    event = event_on(cal, datetime.date(2017, 5, 8), session.title)
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Zurich"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2017, 5, 8, 10, 0)
    # 10:00 summer time in Geneva is 08:00 UTC.
    assert event.decoded("DTSTART").astimezone(datetime.UTC) == datetime.datetime(
        2017, 5, 8, 8, 0, tzinfo=datetime.UTC
    )
    assert b"DTSTART;TZID=Europe/Zurich:20170508T100000" in raw
    assert "Europe/Zurich" in timezones(cal)
    assert "Geneva" in str(event["LOCATION"])
    assert str(event["URL"]).endswith(reverse("phases:meeting", args=["thematic-1"]))


def test_the_first_new_york_round_starts_at_ten_new_york_time(client, gcm):
    cal, raw = fetch(client, reverse("phases:ical"))
    round_1 = gcm.meetings.get(key="round-1")
    event = event_on(cal, datetime.date(2018, 2, 20), round_1.title)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2018, 2, 20, 10, 0)
    # Winter time in New York: UTC−5.
    assert event.decoded("DTSTART").astimezone(datetime.UTC) == datetime.datetime(
        2018, 2, 20, 15, 0, tzinfo=datetime.UTC
    )
    assert b"DTSTART;TZID=America/New_York:20180220T100000" in raw
    assert "America/New_York" in timezones(cal)


def test_every_kind_has_a_feed_and_an_unknown_kind_is_404(client, gcm):
    for kind in MeetingKind.values:
        cal, _ = fetch(client, reverse("phases:ical-kind", args=[kind]))
        expected = sum(m.days.count() for m in gcm.meetings.filter(kind=kind))
        assert len(events(cal)) == expected, kind
    assert client.get("/calendar/no-such-kind.ics").status_code == 404


def test_the_spanish_feed_answers(client, gcm):
    response = client.get("/es/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    english, _ = fetch(client, reverse("phases:ical"))
    assert len(events(cal)) == len(events(english))
    # Its links stay in Spanish.
    assert all("/es/meetings/" in str(e["URL"]) for e in events(cal))
