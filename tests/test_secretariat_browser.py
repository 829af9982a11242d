"""The secretariat's pages in a real browser (Playwright driving Debian's Chromium): a
hard rule of the mandate refused through the forms, with the OP's words and nothing
changed, and a form that works from the keyboard alone."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from phases.models import Meeting, MemberState
from tests.people import sign_in_in_the_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-long-browser-password-1"


def make_secretariat_user(username: str = "secretariat-browser"):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name="secretariat"))
    return user


def sign_in(page, live_server, username: str) -> None:
    sign_in_in_the_browser(page, live_server.url, username, PASSWORD)
    page.wait_for_url(live_server.url + "/secretariat/")


def open_meeting(page, live_server, title_start: str) -> None:
    page.goto(live_server.url + "/secretariat/meetings/")
    page.get_by_role("link", name=title_start).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith(title_start)


def listed_days(page) -> list[str]:
    return page.locator("ul.days time").evaluate_all("els => els.map(e => e.dateTime)")


def test_a_thirteenth_working_day_is_refused_in_the_browser(live_server, gcm, page):
    make_secretariat_user()
    sign_in(page, live_server, "secretariat-browser")
    open_meeting(page, live_server, "Informal thematic session 1")
    assert listed_days(page) == ["2017-05-08", "2017-05-09"]

    page.get_by_role("link", name="Add a day").click()
    page.locator("#id_date").fill("2017-05-10")  # a Wednesday: a thirteenth working day
    page.get_by_role("button", name="Add the day").click()
    page.wait_for_load_state()

    alert = page.get_by_role("alert")
    assert "OP 16" in alert.inner_text()
    assert "at most 12 working days" in alert.inner_text()
    assert page.locator("#id_date").input_value() == "2017-05-10"  # kept as typed
    assert listed_days(page) == ["2017-05-08", "2017-05-09"]  # unchanged on the page
    session = Meeting.objects.get(process=gcm, key="thematic-1")
    assert [d.date for d in session.days.all()] == [
        datetime.date(2017, 5, 8),
        datetime.date(2017, 5, 9),
    ]
    # The refusal page is itself accessible (axe-core, bundled; serious or critical fail).
    assert serious_accessibility_violations(page) == []


def test_a_third_moderator_is_refused_in_the_browser(live_server, gcm, page):
    make_secretariat_user()
    sign_in(page, live_server, "secretariat-browser")
    open_meeting(page, live_server, "Informal thematic session 5")
    panel = Meeting.objects.get(process=gcm, key="thematic-5").panels.get(order=2)
    moderators = page.locator(f"#panel-{panel.pk} tbody th")
    assert moderators.all_inner_texts() == ["Austria", "Australia"]

    page.get_by_role("link", name="Add a moderator (panel 2)").click()
    page.locator("#id_member_state").select_option(str(MemberState.objects.get(iso3="KEN").pk))
    page.get_by_role("button", name="Appoint the moderator").click()
    page.wait_for_load_state()

    assert "OP 17" in page.get_by_role("alert").inner_text()
    assert page.locator("ul.moderators li").count() == 2
    assert panel.moderators.count() == 2
    page.goto(live_server.url + f"/secretariat/meetings/{panel.meeting_id}/")
    assert page.locator(f"#panel-{panel.pk} tbody th").all_inner_texts() == [
        "Austria",
        "Australia",
    ]


def serious_accessibility_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with the Tab key")


def test_the_add_day_form_works_with_the_keyboard_alone(live_server, gcm, page):
    make_secretariat_user()
    sign_in(page, live_server, "secretariat-browser")
    dialogue = Meeting.objects.get(process=gcm, key="dialogue-1")
    page.goto(live_server.url + f"/secretariat/meetings/{dialogue.pk}/days/add/")

    tab_to(page, "id_date")
    page.keyboard.type("05102017")  # mm/dd/yyyy in the en-US date field
    assert page.locator("#id_date").input_value() == "2017-05-10"
    tab_to(page, "id_portion")
    page.keyboard.press("End")  # "Half day", the last option
    assert page.locator("#id_portion").input_value() == "0.5"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Add the day"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"/secretariat/meetings/{dialogue.pk}/") + "(#.*)?$"))

    assert "10 May 2017 is added" in page.get_by_role("status").inner_text()
    assert "2017-05-10" in listed_days(page)
    assert dialogue.days.filter(date=datetime.date(2017, 5, 10), portion="0.5").exists()
