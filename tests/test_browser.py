"""A real browser (Playwright driving Debian's Chromium, no browser download) opens
the public page of the live test server and finds the seeded meetings."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_public_page_shows_the_seeded_meetings_in_a_real_browser(live_server, gcm, page):
    import datetime

    import time_machine

    # Before the process opened every meeting is to come, listed in full.
    with time_machine.travel(datetime.datetime(2017, 3, 15, 12, tzinfo=datetime.UTC)):
        page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == gcm.title
    phases = page.locator(".process-axis .axis-title").all_inner_texts()
    assert "Phase I: Consultations" in phases
    meetings = page.locator(".meeting--thematic_session h3").all_inner_texts()
    assert len(meetings) == 6
    assert any("Smuggling of migrants" in m for m in meetings)
    assert page.locator(".meeting--thematic_session .venue").all_inner_texts() == [
        "Geneva",
        "New York",
        "Geneva",
        "New York",
        "Vienna",
        "Geneva",
    ]


def test_language_switcher_keeps_the_page_and_mirrors_for_arabic(live_server, gcm, page):
    page.goto(live_server.url + "/")
    page.locator('.language-links a[hreflang="ar"]').click()
    page.wait_for_load_state()
    assert page.url.startswith(live_server.url + "/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".meeting--thematic_session").count() == 6
