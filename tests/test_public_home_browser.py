"""The public home in a real browser: on a desk (1280 px) and on a phone (390 px), in
each of the six languages, the current phase and the next meeting are on the first
screen without scrolling and nothing runs off the side; the reader's own time zone is
shown on request, in the page's language, and the choice is remembered."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from tests.pages import reset_public_cache

browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)

INSIDE = datetime.datetime(2018, 3, 1, 12, 0, tzinfo=datetime.UTC)
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 800}
LANGUAGES = ("", "fr/", "es/", "ru/", "zh-hans/", "ar/")


@pytest.fixture(autouse=True)
def fresh_public_cache():
    reset_public_cache()
    yield
    reset_public_cache()


def _first_screen(tab) -> dict:
    return tab.evaluate(
        """() => {
          const box = (sel) => document.querySelector(sel).getBoundingClientRect();
          document.querySelectorAll('details').forEach((d) => { d.open = true; });
          const width = document.documentElement.scrollWidth;
          document.querySelectorAll('details').forEach((d) => { d.open = false; });
          return {
            state: box('.process-state').bottom,
            next: box('.next-meeting').bottom,
            current: document.querySelector('.process-state a') !== null,
            height: window.innerHeight,
            width: width,
            viewport: document.documentElement.clientWidth,
          };
        }"""
    )


@pytest.mark.browser
@browser_db
@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_the_current_phase_and_the_next_meeting_are_on_the_first_screen(
    live_server, gcm, browser, viewport
):
    failures = []
    with time_machine.travel(INSIDE, tick=True):
        context = browser.new_context(locale="en-US", viewport=viewport)
        try:
            tab = context.new_page()
            for prefix in LANGUAGES:
                assert tab.goto(f"{live_server.url}/{prefix}").ok
                seen = _first_screen(tab)
                label = f"/{prefix} at {viewport['width']} px"
                if not seen["current"]:
                    failures.append(f"{label}: no current phase named")
                if seen["next"] > seen["height"] or seen["state"] > seen["height"]:
                    failures.append(
                        f"{label}: the next meeting ends at {seen['next']:.0f} px, "
                        f"below the first screen ({seen['height']} px)"
                    )
                if seen["width"] > seen["viewport"]:
                    failures.append(
                        f"{label}: {seen['width']} px wide in a {seen['viewport']} px window"
                    )
        finally:
            context.close()
    assert not failures, "\n".join(failures)


@pytest.mark.browser
@browser_db
def test_the_days_show_in_the_readers_time_zone_on_request(live_server, gcm, browser):
    with time_machine.travel(INSIDE, tick=True):
        context = browser.new_context(locale="en-US", timezone_id="Asia/Tokyo", viewport=PHONE)
        try:
            tab = context.new_page()
            assert tab.goto(f"{live_server.url}/fr/").ok
            toggle = tab.locator("[data-reader-time-toggle]")
            assert toggle.is_visible()
            assert toggle.get_attribute("aria-pressed") == "false"
            assert tab.locator(".reader-time").count() == 0
            toggle.click()
            assert toggle.get_attribute("aria-pressed") == "true"
            # Round 2's first day: 10:00–18:00 in New York (EDT) is 23:00 the same day to
            # 07:00 the next in Tokyo, written in French (the page's language).
            day = tab.locator('li[data-starts="2018-03-12T14:00:00Z"] .reader-time').first
            text = day.inner_text()
            # The page's own words around it (data-pattern, translated with the page).
            before_time = toggle.get_attribute("data-pattern").split("{time}")[0]
            assert text.startswith(before_time), text
            assert "12 mars" in text and "23:00" in text and "07:00" in text, text
            assert "UTC+9" in text or "GMT+9" in text, text
            assert "PM" not in text and "AM" not in text, text
            # Remembered on the next page, here a meeting's.
            assert tab.goto(f"{live_server.url}/fr/meetings/round-2/").ok
            assert tab.locator(".reader-time").first.is_visible()
            tab.locator("[data-reader-time-toggle]").click()
            assert not tab.locator(".reader-time").first.is_visible()
        finally:
            context.close()
        # Without JavaScript the venue's times stand alone and the button is not offered.
        context = browser.new_context(locale="en-US", java_script_enabled=False)
        try:
            tab = context.new_page()
            assert tab.goto(f"{live_server.url}/").ok
            assert not tab.locator("[data-reader-time-toggle]").is_visible()
            assert "New York time" in tab.locator(".next-meeting").inner_text()
        finally:
            context.close()


@pytest.mark.browser
@browser_db
def test_the_filters_submit_without_javascript(live_server, gcm, browser):
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    try:
        tab = context.new_page()
        assert tab.goto(f"{live_server.url}/").ok
        tab.select_option("#filter-kind", "hearing")
        tab.select_option("#filter-venue", "geneva")
        tab.click("form.meeting-filters button[type=submit]")
        tab.wait_for_url("**/?kind=hearing&venue=geneva")
        # Held in October 2017: among the past meetings, folded.
        links = tab.locator(".past-list > li > a:first-child").evaluate_all(
            "links => links.map((a) => a.getAttribute('href'))"
        )
        assert links == ["/meetings/hearing-2/"], links
        assert tab.locator("#filter-kind").input_value() == "hearing"
        assert tab.locator("#filter-venue").input_value() == "geneva"
    finally:
        context.close()


@pytest.mark.browser
@browser_db
def test_the_home_inside_the_process_passes_axe(live_server, gcm, browser):
    """tests/test_accessibility.py checks the home as read today (the process concluded);
    this checks it with a phase current and a meeting to come, on a phone."""
    from axe_playwright_python.sync_playwright import Axe

    failures = []
    with time_machine.travel(INSIDE, tick=True):
        context = browser.new_context(locale="en-US", viewport=PHONE)
        try:
            tab = context.new_page()
            for prefix in ("", "ar/"):
                assert tab.goto(f"{live_server.url}/{prefix}").ok
                tab.locator("details.past-meetings summary").click()
                for violation in Axe().run(tab).response["violations"]:
                    if violation["impact"] in ("serious", "critical"):
                        failures.append(f"/{prefix}: {violation['id']}: {violation['help']}")
        finally:
            context.close()
    assert not failures, "\n".join(failures)
