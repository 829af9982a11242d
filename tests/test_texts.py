"""Summaries written in the application (issue 6): the Markdown is sanitised, the editor
previews and saves without losing a word, the history restores an earlier text, the
meeting's summary is created once, and the PDFs (one language version in the UN layout,
the process book) read back with the facts a reader relies on."""

from __future__ import annotations

import datetime
import io
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from compact_process.pdf.sources import load
from phases.documents import services
from phases.documents.text import to_html, to_pdf_html
from phases.enums import Distribution, DocumentKind, ResponsibleRole
from phases.models import Document, DocumentVersion
from tests.pages import client_for, user_with_role

pytestmark = pytest.mark.django_db

ENGLISH = """# Introduction

The session heard **twelve** speakers.[^1]

- Smuggling of migrants
- Trafficking in persons

[^1]: Including three panel moderators.
"""
ARABIC = "# مقدمة\n\nاستمعت الدورة إلى اثني عشر متكلما.\n"
CHINESE = "会议讨论了移民问题。"
RUSSIAN = "Сессия обсудила вопросы миграции."


# --- Helpers ---------------------------------------------------------------------------


def pdf_bytes(source) -> bytes:
    """Render synchronously, through the PDF core's service if it is there."""
    try:
        from compact_process.pdf.services import render_now
    except ImportError:
        from compact_process.pdf.render import html_to_pdf

        return html_to_pdf(source.render_html())
    rendered = render_now(source)
    with rendered.file.open("rb") as f:
        return f.read()


def reader(source) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf_bytes(source)))


def font_names(pdf: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in pdf.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object().get("/BaseFont")))
    return names


def summary(process, *, symbol="A/72/999", title="Co-facilitators' summary of Vienna", **kw):
    meeting = process.meetings.get(key="thematic-5")
    fields = {
        "process": process,
        "kind": DocumentKind.COFACILITATORS_SUMMARY,
        "title": title,
        "author_role": ResponsibleRole.CO_FACILITATORS,
        "issued_on": datetime.date(2017, 10, 9),
        "symbol": symbol,
        "meeting": meeting,
        **kw,
    }
    return services.create_document(**fields)


def write(document, language: str, source: str) -> DocumentVersion:
    return services.save_text(
        document=document, language=language, source=source, html=to_html(source)
    )


def registry_url(process, which: str) -> str:
    """The text pages, built from seeded and created data, for the page registry."""
    if which == "write-summary":  # a session without a summary: the creation form
        # (not thematic-1: the documents' registry entries give it a summary)
        meeting = process.meetings.get(key="thematic-2")
        return reverse("texts:write-summary", args=[meeting.pk])
    document = Document.objects.filter(process=process, meeting__key="thematic-5").first()
    if document is None:
        document = summary(process, symbol="")
        write(document, "en", ENGLISH)
        write(document, "en", ENGLISH + "\nA second paragraph.\n")
    version = document.versions.get(language="en")
    record = version.history.order_by("history_date").first()
    return {
        "edit": lambda: reverse("texts:edit", args=[document.pk, "en"]),
        "edit-ar": lambda: reverse("texts:edit", args=[document.pk, "ar"]),
        "history": lambda: reverse("texts:history", args=[document.pk, "en"]),
        "revision": lambda: reverse("texts:revision", args=[document.pk, "en", record.history_id]),
        "restore": lambda: reverse("texts:restore", args=[document.pk, "en", record.history_id]),
    }[which]()


# --- Sanitising ------------------------------------------------------------------------


def test_script_event_handlers_javascript_links_and_styles_are_removed():
    html = to_html(
        "Hello <script>alert('x')</script>\n\n"
        '<img src="https://evil.example/x.png" onerror="alert(1)">\n\n'
        '<p style="color:red" onclick="steal()">styled</p>\n\n'
        "[click](javascript:alert(1)) [site](https://www.un.org) [mail](mailto:a@un.org)\n\n"
        '<iframe src="https://evil.example"></iframe>'
    )
    assert "script" not in html and "alert" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "style=" not in html and "iframe" not in html
    assert "javascript:" not in html
    assert '<a href="https://www.un.org">site</a>' in html
    assert '<a href="mailto:a@un.org">mail</a>' in html
    assert "styled" in html  # the words stay


def test_headings_start_at_h2_lists_and_footnotes_are_kept():
    html = to_html(ENGLISH + "\n## Panel one\n\n### Detail\n\n1. first\n2. second\n")
    assert "<h2>Introduction</h2>" in html and "<h1" not in html
    assert "<h3>Panel one</h3>" in html and "<h4>Detail</h4>" in html
    assert "<li>Smuggling of migrants</li>" in html and "<ol>" in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert '<li id="fn:1">' in html and "Including three panel moderators." in html


def test_footnotes_move_inline_for_the_pdf():
    html = to_pdf_html(
        to_html("A claim[^a] and another.[^b]\n\n[^a]: First note.\n[^b]: Second.\n")
    )
    assert '<span class="footnote">First note.</span>' in html
    assert '<span class="footnote">Second.</span>' in html
    assert html.index("First note.") < html.index("and another")  # at the call site
    assert "fn:" not in html and "footnote-backref" not in html and "<hr" not in html


def test_a_footnote_of_two_paragraphs_stays_inside_its_paragraph():
    html = to_pdf_html(to_html("Text[^1] after.\n\n[^1]: One.\n\n    Two.\n"))
    assert '<p>Text<span class="footnote">One.<br>Two.</span> after.</p>' in html


# --- The editor ------------------------------------------------------------------------


def test_preview_shows_the_sanitised_text_and_saves_nothing(gcm):
    document = summary(gcm)
    client = client_for("co_facilitator")
    url = reverse("texts:edit", args=[document.pk, "en"])
    response = client.post(url, {"source": ENGLISH + "<script>x()</script>", "preview": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h2>Introduction</h2>" in page and "<script>x()" not in page
    assert "The session heard **twelve** speakers." in page  # the textarea keeps the text
    assert not DocumentVersion.objects.filter(document=document).exists()


def test_save_stores_source_and_sanitised_html_and_links_the_pdf(gcm):
    document = summary(gcm)
    client = client_for("co_facilitator")
    url = reverse("texts:edit", args=[document.pk, "en"])
    response = client.post(url, {"source": ENGLISH, "save": "1"})
    assert response.status_code == 302 and response["Location"] == url
    version = document.versions.get(language="en")
    assert version.body_source == ENGLISH and "<h2>Introduction</h2>" in version.body_html
    page = client.get(url).content.decode()
    assert "The text in English is saved." in page
    assert reverse("pdf:file", args=[f"document:{version.pk}"]) in page


def test_an_empty_save_is_refused_and_a_refusal_keeps_the_text(gcm):
    document = summary(gcm)
    client = client_for("co_facilitator")
    url = reverse("texts:edit", args=[document.pk, "en"])
    assert client.post(url, {"source": "", "save": "1"}).status_code == 422
    # An uploaded file in English: saving a text there is refused, the text is kept.
    DocumentVersion.objects.create(document=document, language="fr", file="documents/x.pdf")
    response = client.post(
        reverse("texts:edit", args=[document.pk, "fr"]), {"source": "Mon texte", "save": "1"}
    )
    assert response.status_code == 200  # the page says it is a file; nothing saved
    assert "uploaded file" in response.content.decode()
    assert document.versions.get(language="fr").body_source == ""


def test_arabic_textarea_is_right_to_left_and_each_language_has_its_lang(gcm):
    document = summary(gcm)
    client = client_for("co_facilitator")
    page = client.get(reverse("texts:edit", args=[document.pk, "ar"])).content.decode()
    assert re.search(r'<textarea[^>]*lang="ar"[^>]*dir="rtl"', page) or re.search(
        r'<textarea[^>]*dir="rtl"[^>]*lang="ar"', page
    )
    page = client.get(reverse("texts:edit", args=[document.pk, "ru"])).content.decode()
    assert re.search(r'<textarea[^>]*lang="ru"', page)


def test_history_lists_each_save_and_restore_records_a_new_entry(gcm):
    document = summary(gcm)
    editor = user_with_role("co_facilitator")
    services.save_text(
        document=document,
        language="en",
        source="First text.",
        html=to_html("First text."),
        actor=editor,
    )
    services.save_text(
        document=document,
        language="en",
        source="Second text.",
        html=to_html("Second text."),
        actor=editor,
    )
    version = document.versions.get(language="en")
    first = version.history.order_by("history_date", "history_id").first()
    client = client_for("co_facilitator")
    page = client.get(reverse("texts:history", args=[document.pk, "en"])).content.decode()
    assert page.count("pagecheck-co_facilitator") == 2 + 1  # two rows, plus the nav's name

    revision = client.get(
        reverse("texts:revision", args=[document.pk, "en", first.history_id])
    ).content.decode()
    assert "First text." in revision
    assert re.search(r"<del>.*First.*</del>", revision) and re.search(
        r"<ins>.*Second.*</ins>", revision
    )

    restore_url = reverse("texts:restore", args=[document.pk, "en", first.history_id])
    assert client.get(restore_url).status_code == 200
    assert document.versions.get(language="en").body_source == "Second text."  # GET changes nothing
    response = client.post(restore_url)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.body_source == "First text." and version.body_html == "<p>First text.</p>"
    assert version.history.count() == 3


@pytest.mark.parametrize("role", ["delegate", "stakeholder"])
def test_delegates_and_ngos_may_not_edit_or_write(gcm, role):
    document = summary(gcm)
    write(document, "en", "Text.")
    record = document.versions.get().history.first()
    client = client_for(role)
    meeting = gcm.meetings.get(key="thematic-5")
    changing = (
        reverse("texts:edit", args=[document.pk, "en"]),
        reverse("texts:restore", args=[document.pk, "en", record.history_id]),
        reverse("texts:write-summary", args=[meeting.pk]),
    )
    reading = (
        reverse("texts:history", args=[document.pk, "en"]),
        reverse("texts:revision", args=[document.pk, "en", record.history_id]),
    )
    for url in changing + reading:
        assert client.get(url).status_code == 403, url
    for url in changing:
        assert client.post(url, {"source": "x", "save": "1"}).status_code == 403, url
    assert document.versions.get().body_source == "Text."
    assert not Document.objects.exclude(pk=document.pk).exists()


def test_the_office_may_not_edit_a_co_facilitators_summary(gcm):
    document = summary(gcm)
    response = client_for("pga_office").get(reverse("texts:edit", args=[document.pk, "en"]))
    assert response.status_code == 403


# --- Write the summary -----------------------------------------------------------------


def test_write_summary_creates_one_document_per_meeting(gcm):
    meeting = gcm.meetings.get(key="thematic-5")
    client = client_for("co_facilitator")
    url = reverse("texts:write-summary", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"original_language": "en"})
    document = Document.objects.get(meeting=meeting)
    assert response["Location"] == reverse("texts:edit", args=[document.pk, "en"])
    assert document.kind == DocumentKind.COFACILITATORS_SUMMARY
    assert document.author_role == ResponsibleRole.CO_FACILITATORS
    assert document.deliverable.key == "summary-5"
    assert document.issued_on == timezone.localdate()
    assert document.title_en.startswith("Co-facilitators' summary: ")
    assert meeting.title_en in document.title_en
    # No English stored as if it were a translation: a language without a translated
    # meeting title and wording stays empty, and the English title shows as its fallback.
    others = ("ar", "zh_hans", "fr", "ru", "es")
    assert all(getattr(document, f"title_{c}") != document.title_en for c in others)
    # Twice: the same document, straight to its editor.
    again = client.post(url, {"original_language": "en"})
    assert again["Location"] == reverse("texts:edit", args=[document.pk, "en"])
    assert client.get(url)["Location"] == again["Location"]
    assert Document.objects.filter(meeting=meeting).count() == 1


def test_a_hearing_summary_is_the_offices(gcm):
    hearing = gcm.meetings.filter(kind="hearing").first()
    assert hearing is not None, "the seed has the informal multi-stakeholder hearing"
    url = reverse("texts:write-summary", args=[hearing.pk])
    assert client_for("co_facilitator").get(url).status_code == 403
    client_for("pga_office").post(url, {"original_language": "en"})
    document = Document.objects.get(meeting=hearing)
    assert document.kind == DocumentKind.HEARING_SUMMARY
    assert document.author_role == ResponsibleRole.PGA_OFFICE


def test_the_meeting_page_lists_documents_and_offers_the_summary(gcm):
    meeting = gcm.meetings.get(key="thematic-5")
    document = summary(gcm, title="A very particular summary title")
    page = client_for("co_facilitator").get(reverse("secretariat:meeting", args=[meeting.pk]))
    html = page.content.decode()
    assert "A very particular summary title" in html
    assert reverse("texts:write-summary", args=[meeting.pk]) in html
    assert document.symbol in html


# --- The PDF of a language version -----------------------------------------------------


def test_document_pdf_has_title_symbol_date_page_numbers_and_footnote(gcm):
    document = summary(gcm)
    version = write(
        document,
        "en",
        ENGLISH + '\n<hr class="page-break">\n\n## Second page\n\nThe end of the summary.\n',
    )
    source = load(f"document:{version.pk}")
    pdf = reader(source)
    assert pdf.metadata.title == "Co-facilitators' summary of Vienna"
    assert len(pdf.pages) == 2
    first, second = (p.extract_text() for p in pdf.pages)
    assert "A/72/999" in first
    with translation.override("en"):
        assert date_format(datetime.date(2017, 10, 9), "DATE_FORMAT") in first
    assert "Including three panel moderators." in first  # the footnote, on its page
    assert "The end of the summary." in second and "Including three" not in second
    assert re.search(r"\b1\b\D{1,12}\b2\b", first)  # "1 / 2", "Page 1 of 2" …
    assert re.search(r"\b2\b\D{1,12}\b2\b", second)
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert any("Introduction" in t or "Vienna" in t for t in outline)


def test_arabic_version_is_right_to_left_with_an_arabic_font(gcm):
    document = summary(gcm)
    version = write(document, "ar", ARABIC)
    source = load(f"document:{version.pk}")
    html = source.render_html()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "استمعت الدورة" in html
    assert any("Arabic" in name for name in font_names(reader(source)))


def test_chinese_and_russian_text_is_extracted(gcm):
    document = summary(gcm)
    zh = write(document, "zh-hans", CHINESE)
    ru = write(document, "ru", RUSSIAN)
    assert CHINESE in reader(load(f"document:{zh.pk}")).pages[0].extract_text().replace(" ", "")
    assert RUSSIAN in reader(load(f"document:{ru.pk}")).pages[0].extract_text()


def test_who_may_read_a_document_pdf(gcm):
    from django.contrib.auth.models import AnonymousUser

    document = summary(gcm)
    key = f"document:{write(document, 'en', 'Text.').pk}"
    assert not load(key).may_read(AnonymousUser())
    assert load(key).may_read(user_with_role("co_facilitator"))
    assert not load(key).may_read(user_with_role("delegate"))
    services.publish(document=document)
    assert load(key).may_read(AnonymousUser())
    services.update_document(document=document, distribution=Distribution.LIMITED)
    assert not load(key).may_read(AnonymousUser())
    assert not load("document:999999").exists()


# --- The process book ------------------------------------------------------------------


def test_the_book_lists_published_summaries_in_order_with_page_numbers(gcm):
    later = summary(
        gcm, symbol="A/72/902", title="Later summary", issued_on=datetime.date(2017, 12, 1)
    )
    write(later, "en", "The later text.")
    earlier = summary(
        gcm, symbol="A/72/901", title="Earlier summary", issued_on=datetime.date(2017, 9, 20)
    )
    write(earlier, "en", "The earlier text.")
    write(earlier, "fr", "Le texte antérieur.")
    hidden = summary(gcm, symbol="A/72/903", title="Unpublished summary")
    write(hidden, "en", "Not yet public.")
    for document in (later, earlier):
        services.publish(document=document)

    source = load(f"book:{gcm.slug}")
    assert source.key == f"book:{gcm.slug}" and source.steps() == 2
    reported = []
    html = source.render_html(progress=lambda done, total: reported.append((done, total)))
    assert reported == [(1, 2), (2, 2)]
    assert "Unpublished summary" not in html
    pdf = pypdf.PdfReader(
        io.BytesIO(__import__("compact_process.pdf.render", fromlist=["x"]).html_to_pdf(html))
    )
    toc = pdf.pages[1].extract_text()
    assert toc.index("Earlier summary") < toc.index("Later summary")
    # Each entry ends with the page it starts on: title page, contents, then one each.
    assert re.search(r"Earlier summary[^\n]*\n?[^\n]*?\b3\b", toc)
    assert re.search(r"Later summary[^\n]*\n?[^\n]*?\b4\b", toc)
    assert "The earlier text." in pdf.pages[2].extract_text()
    assert "The later text." in pdf.pages[3].extract_text()
    assert "Unpublished" not in "".join(p.extract_text() for p in pdf.pages)
    outline = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert "Earlier summary" in outline and "Later summary" in outline

    # In French: the French text where written, else English, and the TOC says so.
    french = load(f"book:{gcm.slug}:fr").render_html()
    assert "Le texte antérieur." in french and "The later text." in french
    assert "anglais" in french.lower() or "English" in french
    with pytest.raises(LookupError):
        load(f"book:{gcm.slug}:xx")


@pytest.mark.parametrize(
    "which", ["write-summary", "edit", "edit-ar", "history", "revision", "restore"]
)
def test_the_registry_pages_answer_the_secretariat(gcm, which):
    url = registry_url(gcm, which)
    response = client_for("secretariat").get(url)
    assert response.status_code == 200, url
