"""Issue 17, item 2, in a real browser (Playwright driving Debian's Chromium against
live_server): an organization's status page, one card per application, and the apply
page with its windows, on a 390-pixel phone in each of the six languages: nothing
scrolls sideways (the Russian status page used to reach 413 px)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from stakeholders import services
from stakeholders.enums import ApplicationState, ListPurpose
from tests.people import person
from tests.test_registration import member_of
from tests.test_registration_status import REVIEW_DEADLINE, conference_window

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
LANGUAGES = ["en", "fr", "es", "ru", "zh-hans", "ar"]
# The elements reaching past the phone's edge, for the failure message.
WIDEST = """[...document.querySelectorAll("main *")]
  .filter((e) => e.getBoundingClientRect().right > 390)
  .map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)
    + " " + (e.textContent || "").slice(0, 60))
  .slice(0, 12)"""
INSIDE = datetime.datetime(2017, 4, 1, 12, 0, tzinfo=datetime.UTC)


def test_the_status_and_apply_pages_fit_a_390_pixel_phone_in_every_language(
    live_server, gcm, browser
):
    services.ensure_default_window(gcm)
    office = person("office", "pga_office")
    user, org = member_of(
        "rep", "Межрегиональная общественная организация содействия мигрантам", "KEN"
    )
    with time_machine.travel(INSIDE, tick=True):
        conference_window(gcm, INSIDE - datetime.timedelta(days=1), REVIEW_DEADLINE)
        preparatory = services.apply_for_accreditation(
            process=gcm,
            organization=org,
            purpose=ListPurpose.PREPARATORY,
            activities="Legal aid",
            representatives=[("Grace W.", "woman")],
            actor=user,
        )
        services.screen_application(
            application=preparatory, state=ApplicationState.SCREENED_IN, actor=office
        )
        lst = services.create_list(
            process=gcm,
            purpose=ListPurpose.PREPARATORY,
            title="Список заинтересованных сторон подготовительного процесса",
            actor=office,
        )
        services.add_entry(stakeholder_list=lst, application=preparatory, actor=office)
        services.submit_list(stakeholder_list=lst, deadline=REVIEW_DEADLINE, actor=office)
        conference = services.apply_for_accreditation(
            process=gcm,
            organization=org,
            purpose=ListPurpose.CONFERENCE,
            activities="Legal aid",
            representatives=[("Grace W.", "woman")],
            actor=user,
        )
        services.screen_application(
            application=conference,
            state=ApplicationState.NEEDS_INFORMATION,
            reason="Пожалуйста, укажите страны, в которых работает организация.",
            actor=office,
        )
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context = browser.new_context(viewport=PHONE, locale="en-US")
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        try:
            page = context.new_page()
            widths, culprits = {}, {}
            for language in LANGUAGES:
                with translation.override(language):
                    paths = {
                        "status": reverse("stakeholders-registration:status", args=[org.pk]),
                        "apply": reverse("stakeholders-registration:apply", args=[org.pk]),
                    }
                for name, path in paths.items():
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, (language, name)
                    widths[(language, name)] = page.evaluate("document.documentElement.scrollWidth")
                    if widths[(language, name)] > PHONE["width"]:
                        culprits[(language, name)] = page.evaluate(WIDEST)
                    if name == "status":
                        assert page.locator(".application-card").count() == 2
                        assert page.locator(".application-card .deadline time").count() == 1
            too_wide = {key: width for key, width in widths.items() if width > PHONE["width"]}
            assert not too_wide, (too_wide, culprits)
            assert widths[("ru", "status")] <= PHONE["width"]
        finally:
            context.close()
