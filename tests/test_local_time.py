"""Instants in the reader's local time: ``{% instant %}`` writes a review deadline in UTC
(right for everyone, and all a page without JavaScript shows), and static/js/local-time.js
rewrites it in the browser's time zone with the server's shape, in the page's language,
the UTC text kept as a title. The review's deadline in the tests is 20 April 2030,
23:59:59 UTC: 19:59:59 the same day in New York (EDT), 08:59:59 the next day in Tokyo."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.people import delegate
from tests.test_review_pages import DEADLINE, build_list, signed_in

browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UTC_TEXT = "20 April 2030, 23:59:59 UTC"
ISO = "2030-04-20T23:59:59Z"


def render(source: str, **context) -> str:
    return Template("{% load instants %}" + source).render(Context(context))


# --- The tag: the page without JavaScript ------------------------------------------------


def test_an_instant_is_written_in_utc_whatever_its_time_zone():
    tokyo = DEADLINE.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert render("{% instant when seconds=True %}", when=tokyo) == (
        f'<time datetime="{ISO}" data-instant="seconds">{UTC_TEXT}</time>'
    )


def test_an_instant_shows_minutes_unless_seconds_are_asked_for():
    when = datetime.datetime(2030, 4, 1, 12, 5, 30, tzinfo=datetime.UTC)
    assert render("{% instant when %}", when=when) == (
        '<time datetime="2030-04-01T12:05:30Z" data-instant="minutes">'
        "1 April 2030, 12:05 UTC</time>"
    )


def test_no_instant_renders_nothing():
    assert render("[{% instant when %}]", when=None) == "[]"


def test_an_instant_names_the_month_in_the_pages_language():
    with translation.override("fr"):
        html = render("{% instant when seconds=True %}", when=DEADLINE)
    assert "20 avril 2030, 23:59:59 UTC" in html


@pytest.mark.django_db
def test_the_review_page_without_javascript_shows_the_deadline_in_utc(gcm):
    build_list(gcm, 2, title="Conference list")
    client = signed_in(delegate("mx", "MEX"))
    html = client.get(reverse("stakeholders-review:lists")).content.decode()
    assert f'<time datetime="{ISO}" data-instant="seconds" data-end="1">{UTC_TEXT}</time>' in html
    assert 'src="/static/js/local-time.js"' in html and "<script defer" in html


# --- In a real browser -------------------------------------------------------------------


def _deadline_in(browser, live_server, path: str, cookie: str, **context_options):
    """The deadline's <time> element as a browser context with these options shows it:
    (its text, its title)."""
    context = browser.new_context(locale="en-US", **context_options)
    try:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        tab = context.new_page()
        assert tab.goto(live_server.url + path).ok
        element = tab.locator(f'time[datetime="{ISO}"]').first
        return element.inner_text(), element.get_attribute("title")
    finally:
        context.close()


@pytest.mark.browser
@browser_db
def test_the_deadline_reads_in_each_viewers_local_time(live_server, gcm, browser):
    build_list(gcm, 2, title="Conference list")
    client = signed_in(delegate("mx", "MEX"))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    path = reverse("stakeholders-review:lists")

    text, title = _deadline_in(browser, live_server, path, cookie, timezone_id="America/New_York")
    assert text == "20 April 2030, 19:59:59 UTC\u22124", text
    assert title == UTC_TEXT

    text, title = _deadline_in(browser, live_server, path, cookie, timezone_id="Asia/Tokyo")
    assert text == "21 April 2030, 08:59:59 UTC+9", text
    assert title == UTC_TEXT

    # The page's language, not the browser's, names the month (<html lang="fr">).
    with translation.override("fr"):
        french = reverse("stakeholders-review:lists")
    text, _ = _deadline_in(browser, live_server, french, cookie, timezone_id="Asia/Tokyo")
    assert text == "21 avril 2030, 08:59:59 UTC+9", text

    # Without JavaScript the UTC text stands.
    text, title = _deadline_in(
        browser, live_server, path, cookie, timezone_id="Asia/Tokyo", java_script_enabled=False
    )
    assert text == UTC_TEXT and title is None


# --- The script writes what the server would write in that zone ---------------------------

SCRIPT = settings.BASE_DIR / "static" / "js" / "local-time.js"
# A summer instant and a winter one, and an end of day (a window open until 17 April 2017,
# closing at midnight in New York).
SUMMER = datetime.datetime(2026, 7, 2, 16, 55, 7, tzinfo=datetime.UTC)
WINTER = datetime.datetime(2026, 12, 2, 16, 55, 7, tzinfo=datetime.UTC)
END_OF_DAY = datetime.datetime(2017, 4, 18, 0, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
ZONES = ("America/New_York", "Asia/Tokyo", "Europe/Zurich", "Asia/Kolkata", "UTC")


def _script_shows(browser, language: str, zone: str, elements: str) -> list[str]:
    """The texts of the page's <time> elements after local-time.js, in a browser whose
    own language is American English and whose clock is in ``zone``."""
    context = browser.new_context(locale="en-US", timezone_id=zone)
    try:
        tab = context.new_page()
        tab.set_content(f'<!doctype html><html lang="{language}"><body>{elements}</body></html>')
        tab.add_script_tag(path=str(SCRIPT))
        return tab.locator("time").all_inner_texts()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_script_writes_an_instant_as_the_server_does_in_that_zone(browser, language):
    """In every language and zone the reader's text is exactly what the server writes
    for that zone ({% instant ... zone=... %}): the day in the page's language, a
    24-hour time, the offset; never the browser's "December 2, 2026 at 11:55 AM EST"."""
    from compact_process.formats import written

    cases = [(SUMMER, False, False), (WINTER, True, False), (END_OF_DAY, False, True)]
    with translation.override(language):
        elements = "".join(
            render("{% instant at seconds=s end=e %}", at=at, s=s, e=e) for at, s, e in cases
        )
        for zone in ZONES:
            expected = [written.instant_words(at, zone, seconds=s, end=e) for at, s, e in cases]
            shown = _script_shows(browser, language, zone, elements)
            assert shown == expected, (language, zone)
            for text in shown:
                assert not any(m in text for m in ("AM", "PM", " at ", "EST", "EDT", "GMT")), text
    if language == "en":
        assert expected[0] == "2 July 2026, 16:55 UTC"
        assert (
            written.instant_words(WINTER, "America/New_York") == "2 December 2026, 11:55 UTC\u22125"
        )
        # The window that ends "on 17 April" reads as 17 April, not 18 April at 00:00.
        assert written.instant_words(END_OF_DAY, "America/New_York", end=True) == (
            "17 April 2017, 23:59 UTC\u22124"
        )


def test_a_window_that_ends_at_midnight_reads_as_the_end_of_that_day():
    """A window open until 17 April closes at midnight in New York: the venue's clock, the
    script's data say 17 April, not "18 April, 00:00"; an opening at midnight stays."""
    from django.template.loader import render_to_string

    html = render_to_string(
        "stakeholders/participation/_deadline.html",
        {"at": END_OF_DAY, "zone": "America/New_York", "city": "", "end": True},
    )
    assert ">17 April 2017, 23:59</time>" in html, html
    assert 'datetime="2017-04-18T04:00:00Z"' in html and 'data-end="1"' in html
    # In UTC it is 04:00 on 18 April, which is right; the script writes the reader's day.
    assert "18 April 2017, 04:00 UTC" in html
    opens = render_to_string(
        "stakeholders/participation/_deadline.html",
        {"at": END_OF_DAY, "zone": "America/New_York", "city": ""},
    )
    assert ">18 April 2017, 00:00</time>" in opens and "data-end" not in opens
