"""What an upload really is: a PDF or a Word (DOCX) document, checked by its content.

The file's name and the content type the browser sent are never trusted: a Windows
program renamed ``summary.pdf`` and sent as ``application/pdf`` is refused, with a message
saying what the file appears to be when that is recognisable.

Choices (issue 6):
- PDF: starts with ``%PDF-`` and parses with pypdf, with at least one page. Encrypted
  PDFs are refused, even those that open without a password: a public document must open
  for everyone and its text must be readable by assistive technology and search.
- DOCX: a ZIP holding ``[Content_Types].xml`` and ``word/document.xml`` whose content
  type is WordprocessingML's main document. Macro-enabled documents (``vbaProject.bin``,
  the ``macroEnabled`` content type) are refused, as are encrypted ZIP entries and ZIP
  bombs (the uncompressed sizes are bounded; ``zipfile`` never reads past the declared
  size, so the bound holds even when the sizes lie).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

from compact_process.errors import Refusal

# How much a DOCX may expand to, in all (a 20 MB DOCX of text is already enormous).
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_ENTRIES = 5000
CONTENT_TYPES_MAX = 1024 * 1024
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPES = (
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-office.vbaproject",
)
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class Checked:
    kind: Literal["pdf", "docx"]
    sha256: str
    size: int


def max_bytes() -> int:
    return settings.DOCUMENT_UPLOAD_MAX_BYTES


def megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"


def _read_all(upload) -> bytes:
    """The upload's bytes (it is at most the size limit, checked before)."""
    upload.seek(0)
    data = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    upload.seek(0)
    return data


def check(upload) -> Checked:
    """Check an uploaded file (Django's UploadedFile or any file object with ``size``)
    and return its kind, SHA-256 and size, or raise ``Refusal`` saying why not."""
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise Refusal(
            _("This file is %(size)s MB; files may be at most %(limit)s MB.")
            % {"size": megabytes(size), "limit": megabytes(limit)}
        )
    data = _read_all(upload)
    if len(data) > limit:
        raise Refusal(
            _("This file is %(size)s MB; files may be at most %(limit)s MB.")
            % {"size": megabytes(len(data)), "limit": megabytes(limit)}
        )
    if not data:
        raise Refusal(_("This file is empty."))
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        kind: Literal["pdf", "docx"] = "pdf"
    elif data.startswith(b"PK\x03\x04"):
        _check_docx(data)
        kind = "docx"
    else:
        raise Refusal(_not_accepted(describe(data)))
    return Checked(kind=kind, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _not_accepted(what: str | None) -> str:
    if what is None:
        return _(
            "This file is neither a PDF nor a Word (DOCX) document. Only PDF and DOCX files "
            "are accepted; the file's name does not matter, its content does."
        )
    return _("This file is %(what)s, not a PDF or Word document.") % {"what": what}


# --- What a refused file appears to be ---------------------------------------------------

_SIGNATURES: list[tuple[bytes, int, str]] = [
    # (magic bytes, offset, kind key)
    (b"MZ", 0, "windows"),
    (b"\x7fELF", 0, "elf"),
    (b"\xcf\xfa\xed\xfe", 0, "macos"),
    (b"\xce\xfa\xed\xfe", 0, "macos"),
    (b"\xfe\xed\xfa\xcf", 0, "macos"),
    (b"\xfe\xed\xfa\xce", 0, "macos"),
    (b"\xca\xfe\xba\xbe", 0, "macos"),
    (b"#!", 0, "script"),
    (b"\x89PNG\r\n\x1a\n", 0, "image"),
    (b"\xff\xd8\xff", 0, "image"),
    (b"GIF87a", 0, "image"),
    (b"GIF89a", 0, "image"),
    (b"II*\x00", 0, "image"),
    (b"MM\x00*", 0, "image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "ole"),
    (b"{\\rtf", 0, "rtf"),
    (b"Rar!\x1a\x07", 0, "archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "archive"),
    (b"\x1f\x8b", 0, "archive"),
]


def _kind_text(key: str) -> str:
    texts = {
        "windows": _("a Windows program"),
        "elf": _("a Linux program"),
        "macos": _("a macOS program"),
        "script": _("a script (a program)"),
        "image": _("an image"),
        "ole": _("an older Microsoft Office file (save it as DOCX or PDF)"),
        "rtf": _("a Rich Text (RTF) file (save it as DOCX or PDF)"),
        "archive": _("a compressed archive"),
        "html": _("a web page (HTML)"),
        "svg": _("an image (SVG)"),
    }
    return texts[key]


def describe(data: bytes) -> str | None:
    """What the bytes appear to be, in words, or None if not recognisable."""
    for magic, offset, key in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return _kind_text(key)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _kind_text("image")
    if data[:2] == b"PK":
        return _zip_kind_text("zip")
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return _kind_text("html")
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return _kind_text("svg")
    return None


# --- PDF ---------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    damaged = _(
        "This file starts like a PDF but cannot be read as one; it may be damaged. "
        "Save or export it as PDF again and upload the new file."
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Refusal(
                _(
                    "This PDF is encrypted or password-protected. Upload a version without "
                    "protection: a published document must open for everyone."
                )
            )
        if len(reader.pages) < 1:
            raise Refusal(_("This PDF has no pages."))
    except Refusal:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise Refusal(damaged) from exc
    except Exception as exc:  # pypdf raises many kinds on malformed input
        raise Refusal(damaged) from exc


# --- DOCX --------------------------------------------------------------------------------

_OTHER_ZIPS: list[tuple[str, str]] = [
    ("xl/workbook.xml", "excel"),
    ("xl/workbook.bin", "excel"),
    ("ppt/presentation.xml", "powerpoint"),
    ("androidmanifest.xml", "android"),
    ("meta-inf/manifest.mf", "java"),
]


def _zip_kind_text(key: str) -> str:
    texts = {
        "excel": _("an Excel spreadsheet"),
        "powerpoint": _("a PowerPoint presentation"),
        "android": _("an Android app"),
        "java": _("a Java program"),
        "opendocument": _("an OpenDocument file (save it as DOCX or PDF)"),
        "epub": _("an e-book (EPUB)"),
        "zip": _("a ZIP archive"),
    }
    return texts[key]


def _other_zip(zf: zipfile.ZipFile, names: set[str]) -> str:
    lower = {n.lower() for n in names}
    for name, key in _OTHER_ZIPS:
        if name in lower:
            return _zip_kind_text(key)
    if "mimetype" in names:
        try:
            mimetype = zf.read("mimetype")[:100]
        except Exception:
            mimetype = b""
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return _zip_kind_text("opendocument")
        if mimetype.startswith(b"application/epub"):
            return _zip_kind_text("epub")
    return _zip_kind_text("zip")


def _check_docx(data: bytes) -> None:
    damaged = _(
        "This file starts like a Word document but cannot be read as one; it may be "
        "damaged. Save it as DOCX again and upload the new file."
    )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise Refusal(damaged) from exc
    with zf:
        if len(infos) > DOCX_MAX_ENTRIES or (
            sum(info.file_size for info in infos) > DOCX_MAX_UNCOMPRESSED
        ):
            raise Refusal(
                _(
                    'This file expands to far more than a document would (a "ZIP bomb"); '
                    "it is refused."
                )
            )
        names = {info.filename for info in infos}
        if any(info.flag_bits & 0x1 for info in infos):
            raise Refusal(
                _(
                    "This Word document is encrypted or password-protected. Upload it "
                    "without protection."
                )
            )
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise Refusal(_macro_message())
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise Refusal(_not_accepted(_other_zip(zf, names)))
        types = _content_types(zf, damaged)
        main = types.get("/word/document.xml", "")
        if any(t in MACRO_TYPES for t in types.values()) or "macroenabled" in main:
            raise Refusal(_macro_message())
        if main != WORD_MAIN:
            raise Refusal(
                _(
                    "This file is a Word template or another kind of Office file, not a Word "
                    "document (DOCX). Save it as a document and upload it again."
                )
            )
        try:
            # Read the main part once: a damaged entry or wrong checksum shows here.
            with zf.open("word/document.xml") as part:
                while part.read(1024 * 1024):
                    pass
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise Refusal(damaged) from exc


def _macro_message() -> str:
    return _(
        "This Word document contains macros (a macro-enabled document). Save it as a plain "
        "Word document (DOCX) or as PDF and upload that."
    )


_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _content_types(zf: zipfile.ZipFile, damaged: str) -> dict[str, str]:
    """Part name → content type (lower case), from the Overrides and, for parts without
    one, from the Defaults by extension."""
    info = zf.getinfo("[Content_Types].xml")
    if info.file_size > CONTENT_TYPES_MAX:
        raise Refusal(damaged)
    try:
        raw = zf.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise Refusal(damaged) from exc
    if _DTD.search(raw):  # no entity expansion: a content-types part never needs a DTD
        raise Refusal(damaged)
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise Refusal(damaged) from exc
    defaults = {
        (el.get("Extension") or "").lower(): (el.get("ContentType") or "").lower()
        for el in root.iter(f"{CT_NS}Default")
    }
    types = {
        (el.get("PartName") or ""): (el.get("ContentType") or "").lower()
        for el in root.iter(f"{CT_NS}Override")
    }
    for name in zf.namelist():
        part = "/" + name
        if part not in types and "." in name:
            ext = name.rsplit(".", 1)[1].lower()
            if ext in defaults:
                types[part] = defaults[ext]
    return types
