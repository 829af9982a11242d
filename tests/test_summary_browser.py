"""The issue's "Done when" for written summaries, in a real browser (Playwright driving
Debian's Chromium against live_server): a co-facilitator writes the summary of the Vienna
session, in English and in Arabic, and publishes it; an anonymous visitor finds its PDFs
on the public meeting page, and they open with the symbol, the date and page numbers.

The PDF view renders in a Celery task; here the queued task's body runs in-process (what
a worker runs) once the progress page has shown."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote, urlsplit

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from phases.documents.pdfs import DocumentPdf
from phases.enums import DocumentStatus
from phases.models import Document
from tests.people import sign_in_in_the_browser
from tests.test_secretariat_browser import serious_accessibility_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-browser-password-6"
SYMBOL = "A/72/524"
ENGLISH = """# Overview

The fifth informal thematic session met in Vienna on 4 and 5 September 2017.[^1]

- Smuggling of migrants
- Trafficking in persons and contemporary forms of slavery

[^1]: At the Vienna International Centre.
"""
ARABIC = "# نظرة عامة\n\nعقدت الدورة المواضيعية غير الرسمية الخامسة في فيينا.\n"
PHONE = {"width": 390, "height": 844}


def co_facilitator():
    user = get_user_model().objects.create_user(
        "cofac-vienna", email="cofac@example.org", password=PASSWORD
    )
    user.groups.add(Group.objects.get(name="co_facilitator"))
    return user


def no_sideways_scroll(page) -> None:
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def fetch_pdf(page, url: str) -> bytes:
    """The PDF behind a /pdf/<key>/ link: the progress page first if it is not ready,
    then (the queued task run here) the file."""
    from compact_process.pdf import tasks

    key = unquote(urlsplit(url).path).rstrip("/").split("/pdf/", 1)[1]
    response = page.request.get(url)
    if response.status == 202:
        page.goto(url)
        expect(page.locator("progress")).to_be_visible()
        tasks.render(key)  # the task's body, as a worker runs it
        response = page.request.get(url)
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def test_a_co_facilitator_writes_and_publishes_the_vienna_summary(gcm, live_server, page, browser):
    co_facilitator()
    meeting = gcm.meetings.get(key="thematic-5")
    assert meeting.venue.key == "vienna" if hasattr(meeting.venue, "key") else True

    # Sign in.
    sign_in_in_the_browser(page, live_server.url, "cofac-vienna", PASSWORD)
    page.wait_for_url(live_server.url + "/secretariat/")

    # The secretariat's meeting page: Write the summary.
    page.goto(live_server.url + reverse("secretariat:meeting", args=[meeting.pk]))
    page.get_by_role("link", name="Write the summary").click()
    page.wait_for_url(re.compile(r"/summary/$"))
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Create the summary and write it").click()
    page.wait_for_url(re.compile(r"/text/en/$"))
    document = Document.objects.get(meeting=meeting)

    # English: preview, then save.
    page.get_by_label("Text in English").fill(ENGLISH)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".text-preview h2", has_text="Overview")).to_be_visible()
    expect(page.get_by_label("Text in English")).to_have_value(ENGLISH)
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save the text").click()
    expect(page.get_by_role("status")).to_contain_text("The text in English is saved.")
    no_sideways_scroll(page)

    # Arabic: its own tab, a right-to-left textarea.
    page.get_by_role("link", name="Arabic", exact=True).click()
    page.wait_for_url(re.compile(r"/text/ar/$"))
    textarea = page.locator("textarea#id_source")
    expect(textarea).to_have_attribute("dir", "rtl")
    expect(textarea).to_have_attribute("lang", "ar")
    textarea.fill(ARABIC)
    page.get_by_role("button", name="Save the text").click()
    expect(page.get_by_role("status")).to_contain_text("is saved")
    no_sideways_scroll(page)

    # The history of the English text: two saves would show two rows; one here.
    page.goto(live_server.url + reverse("texts:history", args=[document.pk, "en"]))
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    assert serious_accessibility_violations(page) == []

    # The symbol, on the document's page (the deliverable has none in the seed).
    page.goto(live_server.url + reverse("documents-secretariat:edit", args=[document.pk]))
    page.fill("#id_symbol", SYMBOL)
    page.get_by_role("button", name="Save the document").click()
    page.wait_for_load_state()
    document.refresh_from_db()
    assert document.symbol == SYMBOL

    # Publish, behind the confirmation page.
    page.goto(live_server.url + reverse("texts:edit", args=[document.pk, "en"]))
    page.get_by_role("link", name="Publish the document").click()
    page.locator("main form button[type=submit]", has_text="Publish").click()
    page.wait_for_load_state()
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED

    # An anonymous visitor: the public meeting page offers the PDFs.
    visitor = browser.new_context(locale="en-US").new_page()
    visitor.goto(live_server.url + reverse("phases:meeting", args=["thematic-5"]))
    links = visitor.locator("a[href*='/pdf/document']")
    expect(links).to_have_count(2)
    hrefs = {link.get_attribute("href") for link in links.all()}
    versions = {v.language: v for v in document.versions.all()}
    by_language = {
        language: next(h for h in hrefs if unquote(h).rstrip("/").endswith(f"document:{v.pk}"))
        for language, v in versions.items()
    }

    english = pypdf.PdfReader(io.BytesIO(fetch_pdf(visitor, live_server.url + by_language["en"])))
    text = english.pages[0].extract_text()
    assert SYMBOL in text
    with translation.override("en"):
        assert date_format(document.issued_on, "DATE_FORMAT") in text  # as printed
    assert re.search(r"\b1\b\D{1,12}\b1\b", text)  # "1 / 1", "page 1 of 1" …
    assert "At the Vienna International Centre." in text  # the footnote
    assert english.metadata.title.startswith("Co-facilitators' summary")

    arabic_bytes = fetch_pdf(visitor, live_server.url + by_language["ar"])
    arabic = pypdf.PdfReader(io.BytesIO(arabic_bytes))
    assert SYMBOL in arabic.pages[0].extract_text()
    fonts = {
        str(f.get_object().get("/BaseFont"))
        for p in arabic.pages
        for f in p.get("/Resources", {}).get("/Font", {}).values()
    }
    assert any("Arabic" in name for name in fonts), fonts
    html = DocumentPdf(str(versions["ar"].pk)).render_html()
    assert 'dir="rtl"' in html and 'lang="ar"' in html and "فيينا" in html
    visitor.context.close()
