"""Documents (issue 6): uploads checked by their content (a renamed program is refused
with what it is, the form keeps what was typed), real PDF and DOCX files stored with
their SHA-256 and downloadable by staff, macro documents, ZIP bombs, encrypted PDFs and
over-size files refused; who may change what; publishing behind a confirmation puts a
document in the public library (filters, search in English, by symbol, in French) and on
its meeting's page; limited or unpublished documents never reach the public; each change
is audited."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from compact_process.audit.models import AuditEvent
from compact_process.errors import Refusal
from phases.documents import services, uploads
from phases.enums import Distribution, DocumentKind, DocumentStatus, ResponsibleRole
from phases.models import Document, DocumentVersion
from tests.pages import client_for, user_with_role

D = datetime.date
PDF_CT = "application/pdf"
DOCX_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Files -------------------------------------------------------------------------------


def make_pdf(text: str = "") -> bytes:
    """A real one-page PDF (pypdf), optionally with a comment to vary its bytes."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
{extra}<Override PartName="/word/document.xml" ContentType="{main}"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml" Type="{OFFICE_DOCUMENT}"/>
</Relationships>""".replace(
    "{OFFICE_DOCUMENT}",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
)
DOCUMENT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>Co-facilitators' summary</w:t></w:r></w:p></w:body></w:document>"""


def make_docx(
    *, main: str = uploads.WORD_MAIN, extra_types: str = "", extra_parts: dict | None = None
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main, extra=extra_types))
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", DOCUMENT_XML)
        for name, data in (extra_parts or {}).items():
            zf.writestr(name, data)
    return out.getvalue()


def make_zip_bomb() -> bytes:
    """A DOCX whose one extra part expands to 210 MB of zeros (a few hundred KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=uploads.WORD_MAIN, extra=""))
        zf.writestr("word/document.xml", DOCUMENT_XML)
        chunk = b"\0" * (1024 * 1024)
        with zf.open("word/media/padding.xml", "w", force_zip64=True) as part:
            for _ in range(210):
                part.write(chunk)
    return out.getvalue()


WINDOWS_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200 + b"PE\0\0"
LINUX_PROGRAM = b"\x7fELF\x02\x01\x01\x00" + b"\0" * 200


def upload(name: str, data: bytes, content_type: str = PDF_CT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Data --------------------------------------------------------------------------------


def new_document(process, **fields) -> Document:
    defaults = {
        "kind": DocumentKind.COFACILITATORS_SUMMARY,
        "title": "Summary of the first informal thematic session",
        "author_role": ResponsibleRole.CO_FACILITATORS,
        "issued_on": D(2017, 5, 30),
        "symbol": "",
    }
    defaults.update(fields)
    with translation.override("en"):
        return services.create_document(process=process, **defaults)


def with_pdf(document: Document, language: str = "en") -> DocumentVersion:
    data = make_pdf(f"{document.pk}-{language}")
    checked = uploads.check(upload("x.pdf", data))
    return services.attach_file(
        document=document,
        language=language,
        upload=upload("x.pdf", data),
        file_kind=checked.kind,
        sha256=checked.sha256,
    )


def published(process, **fields) -> Document:
    document = new_document(process, **fields)
    with_pdf(document)
    return services.publish(document=document)


def create_form_data(process, **overrides) -> dict:
    data = {
        "symbol": "A/AC.1/2017/TEST",
        "kind": DocumentKind.COFACILITATORS_SUMMARY,
        "title_en": "Summary of the human rights session",
        "title_fr": "Résumé de la session sur les droits de l'homme",
        "title_ar": "",
        "title_zh_hans": "",
        "title_ru": "",
        "title_es": "",
        "meeting": process.meetings.get(key="thematic-1").pk,
        "deliverable": "",
        "author_role": ResponsibleRole.CO_FACILITATORS,
        "issued_on": "2017-05-09",
        "distribution": Distribution.GENERAL,
        "original_language": "en",
        "transmitted_by": "",
    }
    data.update(overrides)
    return data


def actions(document: Document) -> list[str]:
    return list(
        AuditEvent.objects.filter(data__document=document.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def words(response) -> str:
    """The page's text without its tags, as a reader hears it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


# --- Uploads, by content -----------------------------------------------------------------


def test_renamed_windows_program_as_pdf_is_refused_and_the_form_keeps_every_field(gcm):
    client = client_for("secretariat")
    data = create_form_data(gcm)
    data["file"] = upload("summary.pdf", WINDOWS_PROGRAM, PDF_CT)
    response = client.post(reverse("documents-secretariat:create"), data)
    assert response.status_code == 422
    page = text(response)
    assert "This file is a Windows program, not a PDF or Word document." in page
    assert 'value="A/AC.1/2017/TEST"' in page
    assert 'value="Summary of the human rights session"' in page
    assert "Résumé de la session sur les droits de l&#x27;homme" in page
    assert 'value="2017-05-09"' in page
    selected = re.search(r'<option value="(\d+)" selected>', page)
    assert selected and int(selected.group(1)) == data["meeting"]
    assert not Document.objects.filter(symbol="A/AC.1/2017/TEST").exists()


def test_renamed_linux_program_uploaded_as_pdf_is_refused(gcm):
    document = new_document(gcm)
    response = client_for("secretariat").post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "fr", "file": upload("summary.pdf", LINUX_PROGRAM, PDF_CT)},
    )
    assert response.status_code == 422
    page = text(response)
    assert "This file is a Linux program, not a PDF or Word document." in page
    assert '<option value="fr" selected>' in page
    assert not document.versions.exists()


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "a script (a program)"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "an image"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 40, "an image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "an older Microsoft Office file"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "a web page (HTML)"),
    ],
)
def test_other_files_are_refused_saying_what_they_are(data, what):
    with pytest.raises(Refusal) as refused:
        uploads.check(upload("report.pdf", data))
    assert f"This file is {what}" in refused.value.messages[0]


def test_zip_of_another_kind_is_refused_saying_what_it_is():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(Refusal) as refused:
        uploads.check(upload("report.docx", out.getvalue(), DOCX_CT))
    assert "This file is an Excel spreadsheet, not a PDF or Word document." in (
        refused.value.messages
    )
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(Refusal) as refused:
        uploads.check(upload("report.docx", plain.getvalue(), DOCX_CT))
    assert "This file is a ZIP archive, not a PDF or Word document." in refused.value.messages


def test_unrecognisable_file_is_refused_with_a_clear_message():
    with pytest.raises(Refusal) as refused:
        uploads.check(upload("report.pdf", b"just some words, not a document"))
    assert "neither a PDF nor a Word (DOCX) document" in refused.value.messages[0]


def test_a_truncated_pdf_is_refused_as_damaged():
    with pytest.raises(Refusal) as refused:
        uploads.check(upload("report.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"))
    assert "cannot be read as one" in refused.value.messages[0]


def test_real_pdf_is_accepted_whatever_its_name_stored_with_sha256_and_downloadable(gcm):
    client = client_for("secretariat")
    pdf = make_pdf("accepted")
    data = create_form_data(gcm)
    # Named and typed as a text file: the content decides.
    data["file"] = upload("scan.txt", pdf, "text/plain")
    response = client.post(reverse("documents-secretariat:create"), data)
    assert response.status_code == 302
    document = Document.objects.get(symbol="A/AC.1/2017/TEST")
    assert document.status == DocumentStatus.DRAFT
    assert document.title_fr == "Résumé de la session sur les droits de l'homme"
    version = document.versions.get()
    assert (version.language, version.file_kind) == ("en", "pdf")
    assert version.sha256 == hashlib.sha256(pdf).hexdigest()
    assert version.file_size == len(pdf)
    assert version.original_filename == "scan.txt"
    download = client.get(reverse("documents-secretariat:file", args=[version.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == PDF_CT
    assert "attachment" in download["Content-Disposition"]
    assert "A-AC.1-2017-TEST-en.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == pdf


def test_real_docx_is_accepted_on_the_upload_page_and_downloadable_by_staff(gcm):
    document = new_document(gcm, symbol="A/AC.1/2017/DOCX")
    client = client_for("secretariat")
    docx = make_docx()
    response = client.post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "es", "file": upload("resumen.docx", docx, "application/octet-stream")},
    )
    assert response.status_code == 302
    version = document.versions.get(language="es")
    assert version.file_kind == "docx"
    assert version.sha256 == hashlib.sha256(docx).hexdigest()
    detail = text(client.get(reverse("documents-secretariat:detail", args=[document.pk])))
    assert "DOCX" in detail
    assert reverse("documents-secretariat:file", args=[version.pk]) in detail
    download = client.get(reverse("documents-secretariat:file", args=[version.pk]))
    assert download["Content-Type"] == DOCX_CT
    assert b"".join(download.streaming_content) == docx


@pytest.mark.parametrize(
    "docx",
    [
        make_docx(main="application/vnd.ms-word.document.macroEnabled.main+xml"),
        make_docx(extra_parts={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"}),
    ],
    ids=["docm-content-type", "vba-project-part"],
)
def test_macro_enabled_word_documents_are_refused(gcm, docx):
    document = new_document(gcm)
    response = client_for("secretariat").post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "en", "file": upload("summary.docx", docx, DOCX_CT)},
    )
    assert response.status_code == 422
    assert "contains macros" in text(response)
    assert not document.versions.exists()


def test_zip_bomb_is_refused():
    bomb = make_zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(Refusal) as refused:
        uploads.check(upload("summary.docx", bomb, DOCX_CT))
    assert "ZIP bomb" in refused.value.messages[0]


def test_encrypted_pdf_is_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(Refusal) as refused:
        uploads.check(upload("summary.pdf", out.getvalue()))
    assert "encrypted or password-protected" in refused.value.messages[0]


def test_file_over_the_size_limit_is_refused_with_the_limit_in_mb(gcm, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024 * 1024
    document = new_document(gcm)
    big = make_pdf() + b"%" + b"x" * (1024 * 1024)
    response = client_for("secretariat").post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "en", "file": upload("summary.pdf", big)},
    )
    assert response.status_code == 422
    assert "files may be at most 1 MB" in text(response)
    assert not document.versions.exists()


def test_the_default_limit_is_20_mb_and_checked_before_reading():
    class Huge:
        size = 20 * 1024 * 1024 + 1

        def read(self):  # pragma: no cover - must not be reached
            raise AssertionError("read before the size was checked")

    with pytest.raises(Refusal) as refused:
        uploads.check(Huge())
    assert "files may be at most 20 MB" in refused.value.messages[0]


# --- Who may do what ---------------------------------------------------------------------


def test_people_without_a_staff_role_get_403_and_anonymous_visitors_sign_in(gcm):
    document = new_document(gcm)
    for route, args in [
        ("documents-secretariat:list", []),
        ("documents-secretariat:create", []),
        ("documents-secretariat:detail", [document.pk]),
        ("documents-secretariat:publish", [document.pk]),
    ]:
        url = reverse(route, args=args)
        assert client_for("delegate").get(url).status_code == 403
        assert client_for("stakeholder").get(url).status_code == 403
        anonymous = client_for(None).get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_co_facilitators_change_their_own_documents_only(gcm):
    theirs = new_document(gcm)
    secretariat_note = new_document(
        gcm,
        kind=DocumentKind.ORGANIZATIONAL_NOTE,
        title="Note on arrangements",
        author_role=ResponsibleRole.SECRETARIAT,
    )
    client = client_for("co_facilitator")
    assert client.get(reverse("documents-secretariat:edit", args=[theirs.pk])).status_code == 200
    for route in ("edit", "upload", "publish"):
        url = reverse(f"documents-secretariat:{route}", args=[secretariat_note.pk])
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("documents-secretariat:upload", args=[secretariat_note.pk]),
        {"language": "en", "file": upload("note.pdf", make_pdf())},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("documents-secretariat:publish", args=[secretariat_note.pk])
        ).status_code
        == 403
    )
    assert not secretariat_note.versions.exists()
    # They may read it, without the buttons to change it.
    detail = text(client.get(reverse("documents-secretariat:detail", args=[secretariat_note.pk])))
    assert reverse("documents-secretariat:edit", args=[secretariat_note.pk]) not in detail
    # And may not create a document for another author.
    data = create_form_data(gcm, author_role=ResponsibleRole.SECRETARIAT)
    response = client.post(reverse("documents-secretariat:create"), data)
    assert response.status_code == 422
    assert not Document.objects.filter(symbol="A/AC.1/2017/TEST").exists()


# --- Publishing and the public library ---------------------------------------------------


def test_publish_behind_confirmation_then_in_library_and_on_meeting_page(gcm):
    client = client_for("secretariat")
    meeting = gcm.meetings.get(key="thematic-1")
    data = create_form_data(gcm)
    data["file"] = upload("summary.pdf", make_pdf("published"))
    assert client.post(reverse("documents-secretariat:create"), data).status_code == 302
    document = Document.objects.get(symbol="A/AC.1/2017/TEST")
    library = reverse("documents:library")
    public = client_for(None)
    assert "A/AC.1/2017/TEST" not in text(public.get(library))
    assert public.get(reverse("documents:detail", args=[document.pk])).status_code == 404

    confirm = client.get(reverse("documents-secretariat:publish", args=[document.pk]))
    assert confirm.status_code == 200
    page = text(confirm)
    assert "What becomes public" in page
    assert meeting.title in page
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT  # nothing happens on GET

    response = client.post(reverse("documents-secretariat:publish", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED and document.published_at

    page = text(public.get(library))
    assert "A/AC.1/2017/TEST" in page
    assert "Summary of the human rights session" in page
    version = document.versions.get()
    assert reverse("documents:file", args=[version.pk]) in page
    meeting_page = text(public.get(reverse("phases:meeting", args=[meeting.key])))
    assert "Summary of the human rights session" in meeting_page
    assert reverse("documents:file", args=[version.pk]) in meeting_page
    assert reverse("documents:detail", args=[document.pk]) in meeting_page
    download = public.get(reverse("documents:file", args=[version.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:5] == b"%PDF-"

    detail = text(public.get(reverse("documents:detail", args=[document.pk])))
    assert "A/AC.1/2017/TEST" in detail and "General" in detail
    assert meeting.title in detail


def test_library_filters_and_search(gcm):
    meeting = gcm.meetings.get(key="thematic-1")
    other_meeting = gcm.meetings.get(key="thematic-2")
    summary = published(
        gcm,
        symbol="A/AC.1/2017/SUM",
        title="Summary on human rights of all migrants",
        title_fr="Résumé sur les droits humains des migrants",
        meeting=meeting,
    )
    letter = published(
        gcm,
        symbol="A/72/999",
        kind=DocumentKind.TRANSMITTAL_LETTER,
        title="Letter transmitting the stocktaking outcome",
        author_role=ResponsibleRole.PGA_OFFICE,
        issued_on=D(2018, 1, 10),
        meeting=other_meeting,
    )
    with_pdf(letter, "fr")
    client = client_for(None)
    url = reverse("documents:library")

    def found(params, *, lang_url=url) -> set[str]:
        page = client.get(lang_url, params)
        assert page.status_code == 200
        return {s for s in ("A/AC.1/2017/SUM", "A/72/999") if s in page.content.decode()}

    assert found({}) == {"A/AC.1/2017/SUM", "A/72/999"}
    assert found({"kind": DocumentKind.TRANSMITTAL_LETTER}) == {"A/72/999"}
    assert found({"meeting": meeting.pk}) == {"A/AC.1/2017/SUM"}
    assert found({"year": "2018"}) == {"A/72/999"}
    assert found({"language": "fr"}) == {"A/72/999"}
    assert found({"q": "human rights"}) == {"A/AC.1/2017/SUM"}
    assert found({"q": "72/999"}) == {"A/72/999"}
    assert found({"q": "nothing like this"}) == set()
    page = text(client.get(url, {"q": "human rights"}))
    assert "1 document matches the search and filters." in page

    with translation.override("fr"):
        french = reverse("documents:library")
    assert found({"q": "droits humains"}, lang_url=french) == {"A/AC.1/2017/SUM"}
    page = text(client.get(french, {"q": "droits humains"}))
    assert "Résumé sur les droits humains des migrants" in page
    # English words still find it in French (the English column is searched too).
    assert found({"q": "human rights"}, lang_url=french) == {"A/AC.1/2017/SUM"}
    assert summary.pk != letter.pk


def test_library_numbers_its_results_and_pages(gcm):
    for i in range(27):
        published(gcm, symbol=f"A/AC.1/2017/P{i:02}", title=f"Paged document {i:02}")
    client = client_for(None)
    first = text(client.get(reverse("documents:library"), {"q": "Paged"}))
    assert "27 documents match the search and filters." in first
    assert "Page 1 of 2" in first
    assert "q=Paged&amp;page=2" in first
    second = text(client.get(reverse("documents:library"), {"q": "Paged", "page": 2}))
    assert second.count("Paged document") == 2


def test_limited_distribution_is_never_public(gcm):
    meeting = gcm.meetings.get(key="thematic-1")
    document = published(
        gcm,
        symbol="A/AC.1/2017/L.1",
        title="Limited note for delegations",
        distribution=Distribution.LIMITED,
        meeting=meeting,
    )
    version = document.versions.get()
    public = client_for(None)
    assert "Limited note" not in text(public.get(reverse("documents:library")))
    assert "Limited note" not in text(public.get(reverse("documents:library"), {"q": "Limited"}))
    assert public.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    assert public.get(reverse("documents:file", args=[version.pk])).status_code == 404
    assert "Limited note" not in text(public.get(reverse("phases:meeting", args=[meeting.key])))
    # Staff still get the file.
    staff = client_for("secretariat")
    assert staff.get(reverse("documents-secretariat:file", args=[version.pk])).status_code == 200


def test_unpublished_documents_and_their_files_are_404_to_the_public(gcm):
    document = new_document(gcm, symbol="A/AC.1/2017/DRAFT")
    version = with_pdf(document)
    public = client_for(None)
    assert public.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    assert public.get(reverse("documents:file", args=[version.pk])).status_code == 404
    services.set_status(document=document, status=DocumentStatus.FINAL)
    assert public.get(reverse("documents:file", args=[version.pk])).status_code == 404
    # Published, then withdrawn: gone again.
    services.publish(document=document)
    assert public.get(reverse("documents:file", args=[version.pk])).status_code == 200
    response = client_for("secretariat").post(
        reverse("documents-secretariat:status", args=[document.pk]), {"status": "final"}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.FINAL
    assert public.get(reverse("documents:file", args=[version.pk])).status_code == 404
    assert "A/AC.1/2017/DRAFT" not in text(public.get(reverse("documents:library")))


def test_publishing_without_the_original_language_is_refused(gcm):
    document = new_document(gcm, original_language="fr")
    with_pdf(document, "en")
    response = client_for("secretariat").post(
        reverse("documents-secretariat:publish", args=[document.pk])
    )
    assert response.status_code == 422
    assert "original language (French)" in text(response)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT


def test_written_text_is_read_on_the_public_page(gcm):
    document = new_document(gcm, symbol="A/AC.1/2017/TEXT", original_language="fr")
    version = services.save_text(
        document=document,
        language="fr",
        source="Le résumé des co-facilitateurs.",
        html="<p>Le résumé des co-facilitateurs.</p>",
    )
    services.publish(document=document)
    page = text(client_for(None).get(reverse("documents:detail", args=[document.pk])))
    assert '<div class="text-body" lang="fr" dir="ltr"><p>Le résumé des co-facilitateurs.</p>' in (
        page
    )
    assert f'href="{reverse("documents:detail", args=[document.pk])}#text-fr"' in page
    assert reverse("documents:file", args=[version.pk]) not in page


def test_co_facilitators_publish_their_written_summary_and_the_meeting_page_offers_it(gcm):
    meeting = gcm.meetings.get(key="thematic-5")
    document = new_document(gcm, symbol="A/AC.1/2017/VIE", meeting=meeting)
    version = services.save_text(
        document=document,
        language="en",
        source="The Vienna session discussed smuggling.",
        html="<p>The Vienna session discussed smuggling.</p>",
    )
    client = client_for("co_facilitator")
    detail = text(client.get(reverse("documents-secretariat:detail", args=[document.pk])))
    assert reverse("texts:edit", args=[document.pk, "en"]) in detail
    assert "Write/edit the text" in detail
    response = client.post(reverse("documents-secretariat:publish", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_published
    page = text(client_for(None).get(reverse("phases:meeting", args=[meeting.key])))
    assert "A/AC.1/2017/VIE" in page
    assert f"{reverse('documents:detail', args=[document.pk])}#text-en" in page
    assert f'href="{reverse("pdf:file", args=[f"document:{version.pk}"])}"' in page
    library = text(client_for(None).get(reverse("documents:library")))
    assert f'href="{reverse("pdf:file", args=[f"document:{version.pk}"])}"' in library
    assert f'href="{reverse("pdf:file", args=[f"book:{gcm.slug}"])}"' in library


# --- The staff's pages -------------------------------------------------------------------


def test_staff_list_filters_by_kind_status_and_meeting(gcm):
    meeting = gcm.meetings.get(key="thematic-1")
    published(gcm, symbol="A/AC.1/2017/PUB", title="Published summary", meeting=meeting)
    new_document(gcm, symbol="A/72/LETTER", kind=DocumentKind.TRANSMITTAL_LETTER, title="A letter")
    client = client_for("secretariat")
    url = reverse("documents-secretariat:list")

    def symbols(params) -> set[str]:
        page = client.get(url, params).content.decode()
        return {s for s in ("A/AC.1/2017/PUB", "A/72/LETTER") if s in page}

    assert symbols({}) == {"A/AC.1/2017/PUB", "A/72/LETTER"}
    assert symbols({"status": "published"}) == {"A/AC.1/2017/PUB"}
    assert symbols({"kind": DocumentKind.TRANSMITTAL_LETTER}) == {"A/72/LETTER"}
    assert symbols({"meeting": meeting.pk}) == {"A/AC.1/2017/PUB"}


def test_detail_lists_versions_and_missing_languages_and_removal_asks_first(gcm):
    document = new_document(gcm, symbol="A/AC.1/2017/V")
    english = with_pdf(document, "en")
    french = with_pdf(document, "fr")
    client = client_for("secretariat")
    response = client.get(reverse("documents-secretariat:detail", args=[document.pk]))
    assert "Missing languages: Arabic, Chinese, Russian, Spanish" in words(response)
    page = text(response)
    remove_url = reverse("documents-secretariat:version-remove", args=[document.pk, french.pk])
    assert remove_url in page
    confirm = client.get(remove_url)
    assert confirm.status_code == 200
    assert "Remove the French version?" in text(confirm)
    assert document.versions.count() == 2
    path = french.file.path
    assert client.post(remove_url).status_code == 302
    assert list(document.versions.values_list("language", flat=True)) == ["en"]
    import os

    assert not os.path.exists(path)
    assert english.file.storage.exists(english.file.name)


def test_editing_the_metadata_keeps_the_titles_side_by_side(gcm):
    document = new_document(gcm, symbol="A/AC.1/2017/E")
    client = client_for("secretariat")
    url = reverse("documents-secretariat:edit", args=[document.pk])
    form = client.get(url).content.decode()
    assert 'name="title_zh_hans"' in form
    assert re.search(r'<label for="id_title_zh_hans">\s*Title in Chinese', form)
    # The languages still missing are named above the six boxes.
    note = re.search(r'<p class="help languages-missing">(.*?)</p>', form, re.S).group(1)
    assert "Arabic" in note and "Russian" in note
    data = create_form_data(
        gcm, symbol="A/AC.1/2017/E", title_en="New English title", title_ru="Новое название"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title_en == "New English title"
    assert document.title_ru == "Новое название"
    assert document.issued_on == D(2017, 5, 9)
    note = re.search(r'<p class="help languages-missing">(.*?)</p>', text(client.get(url)), re.S)
    assert "Russian" not in note.group(1)


def test_transmittal_letter_is_chosen_among_letters_and_linked_publicly(gcm):
    letter = published(
        gcm, symbol="A/72/L", kind=DocumentKind.TRANSMITTAL_LETTER, title="Covering letter"
    )
    report = new_document(gcm, symbol="A/72/R", kind=DocumentKind.SG_REPORT, title="Report")
    client = client_for("secretariat")
    form = client.get(reverse("documents-secretariat:edit", args=[report.pk])).content.decode()
    choices = re.search(r'<select name="transmitted_by".*?</select>', form, re.S).group(0)
    assert f'value="{letter.pk}"' in choices
    assert f'value="{report.pk}"' not in choices
    services.update_document(document=report, transmitted_by=letter)
    with_pdf(report)
    services.publish(document=report)
    page = text(client_for(None).get(reverse("documents:detail", args=[report.pk])))
    assert f'href="{reverse("documents:detail", args=[letter.pk])}"' in page


def test_every_change_is_audited(gcm):
    client = client_for("secretariat")
    data = create_form_data(gcm)
    data["file"] = upload("summary.pdf", make_pdf("audit"))
    client.post(reverse("documents-secretariat:create"), data)
    document = Document.objects.get(symbol="A/AC.1/2017/TEST")
    client.post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "fr", "file": upload("fr.docx", make_docx())},
    )
    client.post(reverse("documents-secretariat:status", args=[document.pk]), {"status": "final"})
    client.post(reverse("documents-secretariat:publish", args=[document.pk]))
    french = document.versions.get(language="fr")
    client.post(reverse("documents-secretariat:version-remove", args=[document.pk, french.pk]))
    assert actions(document) == [
        "document.created",
        "document.file_attached",
        "document.file_attached",
        "document.status",
        "document.published",
        "document.version_removed",
    ]
    staff = user_with_role("secretariat")
    assert set(
        AuditEvent.objects.filter(data__document=document.pk).values_list("actor", flat=True)
    ) == {staff.pk}


def test_secretariat_nav_links_to_documents(gcm):
    page = client_for("secretariat").get(reverse("secretariat:dashboard")).content.decode()
    assert f'href="{reverse("documents-secretariat:list")}"' in page


def test_library_queries_do_not_grow_with_the_documents(gcm, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(None)
    for i in range(3):
        published(gcm, symbol=f"A/Q/{i}", title=f"Counted {i}")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:library"), {"q": "Counted"})
    for i in range(3, 15):
        published(gcm, symbol=f"A/Q/{i}", title=f"Counted {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("documents:library"), {"q": "Counted"})
    assert len(many) == len(few)


# --- In a real browser, on a phone -----------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_390_pixel_phone_the_pages_fit_and_a_renamed_program_is_refused(
    live_server, gcm, browser
):
    from tests.test_accessibility import _signed_in_context

    overflow = "() => document.documentElement.scrollWidth - window.innerWidth"
    staff = _signed_in_context(browser, live_server, "secretariat")
    anonymous = browser.new_context()
    try:
        tab = staff.new_page()
        tab.set_viewport_size({"width": 390, "height": 844})
        tab.goto(live_server.url + registry_url(gcm, "staff-detail"))
        assert tab.evaluate(overflow) <= 0, "the document's page scrolls sideways at 390 px"
        tab.get_by_role("combobox", name="Language (required)").select_option("es")
        tab.get_by_label("File (required)").set_input_files(
            {"name": "summary.pdf", "mimeType": PDF_CT, "buffer": WINDOWS_PROGRAM}
        )
        tab.get_by_role("button", name="Upload").click()
        tab.wait_for_load_state("load")
        assert "This file is a Windows program, not a PDF or Word document." in tab.content()
        assert tab.get_by_role("combobox", name="Language (required)").input_value() == "es"
        assert tab.evaluate(overflow) <= 0, "the refused upload scrolls sideways at 390 px"
        tab.goto(live_server.url + registry_url(gcm, "staff-create"))
        assert tab.evaluate(overflow) <= 0, "the document form scrolls sideways at 390 px"

        public = anonymous.new_page()
        public.set_viewport_size({"width": 390, "height": 844})
        public.goto(live_server.url + registry_url(gcm, "library"))
        assert public.evaluate(overflow) <= 0, "the library scrolls sideways at 390 px"
        public.get_by_label("Search", exact=True).fill("Registry summary")
        public.get_by_role("button", name="Search", exact=True).click()
        public.wait_for_load_state("load")
        assert "1 document matches the search and filters." in public.content()
        public.get_by_role("link", name="Registry summary of the first session").click()
        public.wait_for_load_state("load")
        assert public.evaluate(overflow) <= 0, "the document's page scrolls sideways at 390 px"
        assert public.get_by_role("heading", level=1).inner_text() == (
            "Registry summary of the first session"
        )
    finally:
        staff.close()
        anonymous.close()


# --- The accessibility registry ----------------------------------------------------------


def registry_url(process, which: str) -> str:
    """URLs for the page-wide checks (tests/pages.py): a published document with a PDF
    in English and a DOCX in French, and a draft with a PDF (each made once)."""
    public = Document.objects.filter(process=process, symbol="A/AC.1/2017/REG").first()
    if public is None:
        public = new_document(
            process,
            symbol="A/AC.1/2017/REG",
            title="Registry summary of the first session",
            title_fr="Résumé du registre",
            meeting=process.meetings.get(key="thematic-1"),
        )
        with_pdf(public, "en")
        docx = make_docx()
        checked = uploads.check(upload("fr.docx", docx, DOCX_CT))
        services.attach_file(
            document=public,
            language="fr",
            upload=upload("fr.docx", docx, DOCX_CT),
            file_kind=checked.kind,
            sha256=checked.sha256,
        )
        services.publish(document=public)
    draft = Document.objects.filter(process=process, symbol="A/AC.1/2017/REG-DRAFT").first()
    if draft is None:
        draft = new_document(process, symbol="A/AC.1/2017/REG-DRAFT", title="Registry draft")
        with_pdf(draft, "en")
    version = draft.versions.get(language="en")
    routes = {
        "library": ("documents:library", [], "en"),
        "library-ar": ("documents:library", [], "ar"),
        "detail": ("documents:detail", [public.pk], "en"),
        "detail-fr": ("documents:detail", [public.pk], "fr"),
        "staff-list": ("documents-secretariat:list", [], "en"),
        "staff-create": ("documents-secretariat:create", [], "en"),
        "staff-detail": ("documents-secretariat:detail", [draft.pk], "en"),
        "staff-edit": ("documents-secretariat:edit", [draft.pk], "en"),
        "staff-upload": ("documents-secretariat:upload", [draft.pk], "en"),
        "staff-publish": ("documents-secretariat:publish", [draft.pk], "en"),
        "staff-version-remove": (
            "documents-secretariat:version-remove",
            [draft.pk, version.pk],
            "en",
        ),
    }
    name, args, lang = routes[which]
    with translation.override(lang):
        return reverse(name, args=args)


@pytest.mark.parametrize(
    ("which", "role"),
    [
        ("library", None),
        ("library-ar", None),
        ("detail", None),
        ("detail-fr", None),
        ("staff-list", "secretariat"),
        ("staff-create", "secretariat"),
        ("staff-detail", "secretariat"),
        ("staff-edit", "secretariat"),
        ("staff-upload", "secretariat"),
        ("staff-publish", "secretariat"),
        ("staff-version-remove", "secretariat"),
    ],
)
def test_registry_pages_render(gcm, which, role):
    response = client_for(role).get(registry_url(gcm, which))
    assert response.status_code == 200
    assert "<h1" in response.content.decode()
