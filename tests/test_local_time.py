"""Instants in the reader's local time: ``{% instant %}`` writes a review deadline in UTC
(right for everyone, and all a page without JavaScript shows), and static/js/local-time.js
rewrites it in the browser's time zone and the page's language, the UTC text kept as a
title. The review's deadline in the tests is 20 April 2030, 23:59:59 UTC: 19:59:59 the
same day in New York (EDT), 08:59:59 the next day in Tokyo."""

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
    assert f'<time datetime="{ISO}" data-instant="seconds">{UTC_TEXT}</time>' in html
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
    assert "April 20, 2030" in text and "7:59:59" in text and "PM" in text, text
    assert "EDT" in text, text
    assert title == UTC_TEXT

    text, title = _deadline_in(browser, live_server, path, cookie, timezone_id="Asia/Tokyo")
    assert "April 21, 2030" in text and "8:59:59" in text and "AM" in text, text
    assert "GMT+9" in text, text
    assert title == UTC_TEXT

    # The page's language, not the browser's, names the month (<html lang="fr">).
    with translation.override("fr"):
        french = reverse("stakeholders-review:lists")
    text, _ = _deadline_in(browser, live_server, french, cookie, timezone_id="Asia/Tokyo")
    assert "21 avril 2030" in text and "8:59:59" in text and "PM" not in text, text

    # Without JavaScript the UTC text stands.
    text, title = _deadline_in(
        browser, live_server, path, cookie, timezone_id="Asia/Tokyo", java_script_enabled=False
    )
    assert text == UTC_TEXT and title is None
