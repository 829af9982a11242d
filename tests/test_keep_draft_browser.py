"""Issue 16, item 3, in a real browser (Playwright driving Debian's Chromium against
live_server): the text of an objection survives a submission that fails with the 503 of
a database outage (static/js/keep-draft.js), and is gone once the server has saved it.

The outage: the objection's INSERT fails at Django's cursor with the error PostgreSQL's
driver raises when the server restarts, so the transaction rolls back as it would. The
delegate uses a phone (390 px), where the 503 page must not scroll sideways.
"""

from __future__ import annotations

import contextlib
import re

import pytest
import time_machine
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.urls import reverse
from playwright.sync_api import expect

from stakeholders.models import Objection
from tests.people import delegate, sign_in_in_the_browser
from tests.test_review_pages import DURING, build_list
from tests.test_secretariat_browser import serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
BASIS = "Its activities fall outside the scope of the compact.\nSecond paragraph: زيادة."
DRAFTS = "Object.keys(sessionStorage).filter((k) => k.startsWith('draft:'))"


@contextlib.contextmanager
def objections_not_saved():
    """While inside, an objection's INSERT fails as with the database gone."""
    original = CursorWrapper._execute
    insert = f'INSERT INTO "{Objection._meta.db_table}"'

    def execute(self, sql, params, *rest):
        if sql.startswith(insert):
            raise OperationalError("server closed the connection unexpectedly")
        return original(self, sql, params, *rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "_execute", execute)
        yield


def test_the_objection_text_survives_a_failed_submission_and_goes_once_saved(
    gcm, live_server, browser
):
    lst, _, entries = build_list(gcm, 1)
    delegate("ke", "KEN")
    form_path = reverse("stakeholders-review:object", args=[lst.pk, entries[0].pk])
    list_path = reverse("stakeholders-review:list", args=[lst.pk])
    context = browser.new_context(
        locale="en-US", viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    basis = page.locator("#id_basis")
    lodge = page.get_by_role("button", name="Lodge the objection")
    with time_machine.travel(DURING, tick=True):
        sign_in_in_the_browser(page, live_server.url, "ke")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto(f"{live_server.url}{form_path}?next={list_path}")
        basis.fill(BASIS)

        with objections_not_saved():
            lodge.click()
            expect(page.locator("h1")).to_have_text("The site is briefly unavailable")
        assert not Objection.objects.exists()
        main = page.locator("main")
        expect(main).to_contain_text("What you just sent may not have been saved.")
        expect(main).to_contain_text("What you typed is kept in this browser tab")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert serious_accessibility_violations(page) == []

        # "Try again" is the form's page, loaded afresh: the script puts the text back.
        page.get_by_role("link", name="Try again").click()
        expect(basis).to_have_value(BASIS)
        # Failed again; the browser's Back button returns to the form with the text.
        with objections_not_saved():
            lodge.click()
            expect(page.locator("h1")).to_have_text("The site is briefly unavailable")
        page.go_back()
        expect(basis).to_have_value(BASIS)
        # The same form in another language, typed into on the English page: kept too.
        page.goto(f"{live_server.url}/fr{form_path}")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(basis).to_have_value(BASIS)
        assert len(page.evaluate(DRAFTS)) == 1

        # The database answers again: the objection is saved, and its draft goes.
        page.locator("form[data-keep-draft] button[type=submit]").click()
        page.wait_for_url(re.compile(re.escape(list_path) + "$"))
        assert Objection.objects.get().basis == BASIS.replace("\n", "\r\n")
        assert page.evaluate(DRAFTS) == []
        assert "draft_accepted" not in page.evaluate("document.cookie")
        page.goto(f"{live_server.url}{form_path}")
        expect(page.locator("main")).to_contain_text("already objects to this entry")
        expect(basis).to_have_value("")
    context.close()
