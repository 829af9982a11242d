"""The public home (/) as a picture of the process on the day it is read: the phases on a
time axis with the current one marked, "Today", the next meeting at the top, the
meetings to come first and those held folded, filters by kind and venue without
JavaScript, a calendar file per meeting, and the lists and registration in the
navigation. The seeded process ran 2017–2018: read today it has concluded."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from compact_process.web.cache import local_pages
from phases.models import Meeting
from tests.pages import reset_public_cache

INSIDE = datetime.datetime(2018, 3, 1, 12, 0, tzinfo=datetime.UTC)  # phase III, before round 2
# The phases over, the conference to come.
BETWEEN = datetime.datetime(2018, 9, 3, 12, 0, tzinfo=datetime.UTC)
BEFORE = datetime.datetime(2017, 1, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fresh_public_cache():
    reset_public_cache()
    yield
    reset_public_cache()


def page(client, url: str = "/", when: datetime.datetime | None = None) -> str:
    if when is None:
        response = client.get(url)
    else:
        with time_machine.travel(when, tick=False):
            response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def block(html: str, css_class: str) -> str:
    """The element whose class attribute starts with ``css_class``, up to its end tag."""
    match = re.search(rf'<(\w+) class="{css_class}[^"]*"[^>]*>(.*?)</\1>', html, re.S)
    assert match, f"no .{css_class} in the page"
    return match.group(2)


def phase_item(html: str, number: int) -> str:
    match = re.search(rf'<li id="phase-{number}"([^>]*)>(.*?)</li>', html, re.S)
    assert match, f"phase {number} is not on the axis"
    return match.group(1) + match.group(2)


def listed(html: str) -> list[str]:
    """The keys of the meetings listed: those to come (a heading each) and those held (a
    line each)."""
    return re.findall(r'<(?:h3|li class="meeting--\w+")><a href="/meetings/([\w-]+)/">', html)


def past_count(process, day: datetime.date) -> int:
    return sum(1 for m in process.meetings.all() if max(d.date for d in m.days.all()) < day)


def test_inside_the_process_the_current_phase_and_the_next_meeting_come_first(client, gcm):
    html = page(client, when=INSIDE)
    state = block(html, "process-state")
    assert "Current phase:" in state and "Phase III: Intergovernmental negotiations" in state
    assert "Today: 1 March 2018" in state
    current = phase_item(html, 3)
    assert 'aria-current="step"' in current and "Current" in current and "Today" in current
    for number in (1, 2):
        assert "aria-current" not in phase_item(html, number)
        assert "Concluded" in phase_item(html, number)
    # The next meeting, before the axis and the lists: round 2, in New York, 12 March.
    nxt = block(html, "next-meeting")
    assert html.index('class="next-meeting"') < html.index('class="process-axis"')
    assert "Next meeting" in nxt and "Intergovernmental negotiations, round 2" in nxt
    assert "Intergovernmental negotiation round" in nxt and "New York" in nxt
    assert 'datetime="2018-03-12"' in nxt and "(in 11 days)" in nxt
    assert reverse("phases:meeting", args=["round-2"]) in nxt
    assert reverse("phases:meeting-ical", args=["round-2"]) in nxt
    # Meetings to come first, in date order; those held folded, with their count.
    upcoming = html[html.index('id="upcoming-title"') : html.index('class="past-meetings"')]
    keys = re.findall(r'<h3><a href="/meetings/([\w-]+)/">', upcoming)
    assert keys[:3] == ["round-2", "round-3", "round-4"] and keys[-1] == "conference"
    past = html[html.index('<details class="past-meetings">') :]
    n = past_count(gcm, INSIDE.date())
    assert f"Past meetings ({n})" in past and n == 18
    assert "<details" in html and "<details open" not in html
    assert 'href="/meetings/thematic-1/"' in past and 'href="/meetings/round-1/"' in past
    # One line each: the first and last days, not every day.
    assert '<time datetime="2017-05-08">8 May 2017</time> – <time datetime="2017-05-09">' in past
    assert sorted(listed(html)) == sorted(gcm.meetings.values_list("key", flat=True))


def test_after_the_process_the_page_says_it_concluded_and_shows_the_conference_last(client, gcm):
    html = page(client)  # today: the seeded process is long over
    assert "The process concluded on 11 December 2018." in block(html, "process-state")
    assert 'aria-current="step"' not in html
    assert all("Concluded" in phase_item(html, n) for n in (1, 2, 3))
    nxt = block(html, "next-meeting")
    assert "Last meeting" in nxt and "Intergovernmental Conference" in nxt
    assert "Marrakech" in nxt and "(in " not in nxt
    assert "No meeting to come." in html
    assert f"Past meetings ({gcm.meetings.count()})" in html
    # "Today" stands after the last phase.
    axis = block(html, "process-axis")
    assert axis.index("axis-today-marker") > axis.index('id="phase-3"')


def test_between_the_phases_and_the_conference_no_phase_is_current(client, gcm):
    html = page(client, when=BETWEEN)
    assert "No phase is under way." in block(html, "process-state")
    assert "Next meeting" in block(html, "next-meeting")
    assert "Intergovernmental Conference" in block(html, "next-meeting")
    axis = block(html, "process-axis")
    assert axis.index("axis-today-marker") > axis.index('id="phase-3"')


def test_before_the_process_every_phase_is_not_started(client, gcm):
    html = page(client, when=BEFORE)
    assert "The process has not started yet: it opens on 1 April 2017." in html
    assert all("Not started" in phase_item(html, n) for n in (1, 2, 3))
    axis = block(html, "process-axis")
    assert axis.index("axis-today-marker") < axis.index('id="phase-1"')
    assert "Informal thematic session 1" in block(html, "next-meeting") or (
        "thematic-1" in block(html, "next-meeting")
    )
    assert "Past meetings" not in html


def test_a_meeting_under_way_is_named_so(client, gcm):
    html = page(client, when=datetime.datetime(2018, 3, 13, 15, tzinfo=datetime.UTC))
    nxt = block(html, "next-meeting")
    assert "Meeting under way" in nxt and "round 2" in nxt and "(in " not in nxt


def test_the_filters_work_without_javascript(client, gcm):
    form = page(client, when=INSIDE)
    assert '<form class="meeting-filters" method="get" action="/">' in form
    assert '<select id="filter-kind" name="kind">' in form and '<button type="submit">' in form
    html = page(client, "/?kind=hearing", when=INSIDE)
    hearings = gcm.meetings.filter(kind="hearing").values_list("key", flat=True)
    assert sorted(listed(html)) == sorted(hearings)
    assert '<option value="hearing" selected>' in html
    assert "hearing-5" in block(html, "next-meeting")
    html = page(client, "/?kind=thematic_session&venue=geneva", when=INSIDE)
    assert sorted(listed(html)) == ["thematic-1", "thematic-3", "thematic-6"]
    assert "No meeting to come matches these filters." in html
    assert "Past meetings (3)" in html


@pytest.mark.parametrize(
    ("asked", "answer"),
    [
        ("/?kind=bogus", "/"),
        ("/?utm_source=x", "/"),
        ("/?kind=", "/"),
        ("/?kind=&venue=vienna", "/?venue=vienna"),
        ("/?venue=geneva&kind=hearing", "/?kind=hearing&venue=geneva"),
        ("/?kind=hearing&kind=conference", "/"),
        ("/fr/?venue=atlantis", "/fr/"),
    ],
)
def test_an_unknown_or_reordered_query_is_redirected_and_never_cached(client, gcm, asked, answer):
    page(client, "/")
    cached = len(local_pages._pages)
    response = client.get(asked)
    assert response.status_code == 302 and response["Location"] == answer
    assert len(local_pages._pages) == cached


def test_the_page_is_cached_per_day(client, gcm, django_assert_num_queries):
    with time_machine.travel(INSIDE, tick=False):
        first = client.get("/")
        with django_assert_num_queries(0):
            again = client.get("/")
        assert again.content == first.content
        assert client.get("/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    # Nothing was edited, but the next day is another page: no stale "Today", no 304.
    with time_machine.travel(INSIDE + datetime.timedelta(days=1), tick=False):
        assert client.get("/", headers={"If-None-Match": first["ETag"]}).status_code == 200
        following = client.get("/")
    assert following["ETag"] != first["ETag"]
    assert "Today: 2 March 2018" in following.content.decode()


def test_each_day_carries_its_bounds_in_utc_for_the_readers_time(client, gcm):
    html = page(client, when=INSIDE)
    # Round 2, New York, 12 March 2018 10:00–18:00 EDT (UTC−4): 14:00–22:00 UTC.
    assert '<li data-starts="2018-03-12T14:00:00Z" data-ends="2018-03-12T22:00:00Z">' in html
    assert 'data-reader-time-toggle aria-pressed="false" hidden' in html
    assert "js/reader-time.js" in html
    meeting = page(client, reverse("phases:meeting", args=["thematic-5"]))
    # Vienna, 4 September 2017 10:00 CEST (UTC+2): 08:00 UTC.
    assert 'data-starts="2017-09-04T08:00:00Z"' in meeting and "js/reader-time.js" in meeting


def test_the_navigation_leads_to_the_lists_and_to_registration(client, gcm):
    for url, prefix in (("/", ""), ("/es/", "/es")):
        nav = block(page(client, url), "site-nav")
        assert f'href="{prefix}/lists/"' in nav
        assert f'href="{prefix}/stakeholders/signup/"' in nav
    assert client.get(reverse("stakeholders-public:index")).status_code == 200
    assert client.get(reverse("stakeholders-registration:signup")).status_code == 200


# --- A calendar file per meeting ------------------------------------------------------


def test_a_meetings_calendar_file_has_its_days_in_the_venues_time_zone(client, gcm):
    round_2 = Meeting.objects.get(process=gcm, key="round-2")
    response = client.get(reverse("phases:meeting-ical", args=["round-2"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert sorted(e.decoded("DTSTART").date() for e in events) == [
        d.date for d in round_2.days.order_by("date")
    ]
    assert {str(e["SUMMARY"]) for e in events} == {round_2.title}
    assert {e["DTSTART"].params["TZID"] for e in events} == {"America/New_York"}
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2018, 3, 12, 10)
    assert first.decoded("DTSTART").astimezone(datetime.UTC).hour == 14  # EDT since 11 March
    assert "America/New_York" in {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert str(first["URL"]).endswith(reverse("phases:meeting", args=["round-2"]))


def test_the_conference_file_is_in_marrakechs_time_and_unknown_meetings_are_404(client, gcm):
    cal = Calendar.from_ical(client.get("/meetings/conference/calendar.ics").content)
    assert {e["DTSTART"].params["TZID"] for e in cal.walk("VEVENT")} == {"Africa/Casablanca"}
    assert len(list(cal.walk("VEVENT"))) == 2
    assert client.get("/meetings/no-such-meeting/calendar.ics").status_code == 404


def test_the_calendar_file_keeps_its_name_when_served_from_the_cache(client, gcm):
    url = reverse("phases:meeting-ical", args=["conference"])
    first, cached = client.get(url), client.get(url)
    assert first.content == cached.content
    for response in (first, cached):
        assert response["Content-Disposition"] == f'inline; filename="{gcm.slug}-conference.ics"'


def test_the_calendar_file_is_linked_from_the_home_and_the_meeting_page(client, gcm):
    link = reverse("phases:meeting-ical", args=["thematic-1"])
    assert f'href="{link}"' in page(client, "/")
    assert f'href="{link}"' in page(client, reverse("phases:meeting", args=["thematic-1"]))
