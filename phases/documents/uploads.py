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
  the ``macroEnabled`` content type) are refused.

Safe files (issue 15): the ZIP is read by ``zipread`` (real sizes counted while inflating,
never the declared ones; bombs, traversal names, encrypted and overlapping members
refused), then every XML part is parsed with defusedxml (no DTD or entity anywhere), every
relationship must stay inside the package except a clickable hyperlink, and no field may
fetch or run something (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDEAUTO``).
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser
from django.conf import settings
from django.utils.translation import gettext as _

from compact_process.errors import Refusal
from phases.documents import zipread

# How far a DOCX may expand (a 20 MB DOCX of text is already enormous): 200 MB in all,
# 100 MB in one part, 100 times a part's compressed size past its first MB.
DOCX_LIMITS = zipread.Limits(
    members=5000, member_bytes=100 * 1024 * 1024, total_bytes=200 * 1024 * 1024, ratio=100
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPES = (
    "application/vnd.ms-word.document.macroenabled.main+xml",
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml",
    "application/vnd.ms-office.vbaproject",
)
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


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


def _other_zip(package: zipread.SafeZip, names: set[str]) -> str:
    lower = {n.lower() for n in names}
    for name, key in _OTHER_ZIPS:
        if name in lower:
            return _zip_kind_text(key)
    if "mimetype" in names:
        try:
            mimetype = package.head("mimetype", 100)
        except zipread.UnsafeZip:
            mimetype = b""
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return _zip_kind_text("opendocument")
        if mimetype.startswith(b"application/epub"):
            return _zip_kind_text("epub")
    return _zip_kind_text("zip")


def _damaged() -> str:
    return _(
        "This file starts like a Word document but cannot be read as one; it may be "
        "damaged. Save it as DOCX again and upload the new file."
    )


def _check_docx(data: bytes) -> None:
    try:
        _check_package(data)
    except zipread.Bomb as exc:
        raise Refusal(
            _('This file expands to far more than a document would (a "ZIP bomb"); it is refused.')
        ) from exc
    except zipread.UnsafeName as exc:
        raise Refusal(
            _(
                "This file holds a part whose name points outside the document (such as "
                "“../”), which can overwrite files where it is unpacked; it is refused."
            )
        ) from exc
    except zipread.Encrypted as exc:
        raise Refusal(
            _(
                "This Word document is encrypted or password-protected. Upload it "
                "without protection."
            )
        ) from exc
    except zipread.Damaged as exc:
        raise Refusal(_damaged()) from exc


def _check_package(data: bytes) -> None:
    package = zipread.SafeZip(data, DOCX_LIMITS)
    names = set(package.names)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refusal(_macro_message())
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise Refusal(_not_accepted(_other_zip(package, names)))
    # Every member inflated and counted before any part is parsed.
    package.measure()
    types = _content_types(package)
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
    for name in package.names:
        if name == "[Content_Types].xml" or not _is_xml(name, types):
            continue
        if name.lower().endswith(".rels"):
            rels = _Relationships()
            _parse(package, name, rels)
            if not all(_safe_relationship(name, rel) for rel in rels.found):
                raise Refusal(_external_message())
        else:
            _parse(package, name, _Fields() if name.startswith("word/") else None)


def _macro_message() -> str:
    return _(
        "This Word document contains macros (a macro-enabled document). Save it as a plain "
        "Word document (DOCX) or as PDF and upload that."
    )


def _external_message() -> str:
    return _(
        "This Word document links to a file or address outside it that would be fetched "
        "when the document is opened (for example an attached template, or an image or "
        "field stored elsewhere). Remove the link, save the document again and upload the "
        "new file."
    )


def _is_xml(name: str, types: dict[str, str]) -> bool:
    if name.endswith("/"):
        return False
    content_type = types.get("/" + name, "")
    return name.lower().endswith((".xml", ".rels")) or content_type.endswith("xml")


def _parse(package: zipread.SafeZip, name: str, handler: ContentHandler | None) -> None:
    """Parse one part as it is inflated, with expat refusing any DTD, entity declaration
    or external reference (defusedxml): Word never writes them, and they are how an XML
    file makes its reader expand a "billion laughs" or read ``/etc/passwd``."""
    parser = DefusedExpatParser(
        namespaceHandling=1, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    parser.setContentHandler(handler or ContentHandler())
    try:
        for chunk in package.chunks(name):
            parser.feed(chunk)
        parser.close()
    except DefusedXmlException as exc:
        raise Refusal(
            _(
                "This Word document contains XML declarations (a DTD or entities) that Word "
                "never writes and that can make a reader fetch or reveal files. Save it as "
                "DOCX again and upload the new file."
            )
        ) from exc
    except SAXException as exc:
        raise Refusal(_damaged()) from exc
    if isinstance(handler, _Fields) and handler.fetches:
        raise Refusal(_external_message())


class _ContentTypes(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}

    def startElementNS(self, name, qname, attrs) -> None:
        if name == (CT_NS, "Default"):
            extension = attrs.get((None, "Extension")) or ""
            self.defaults[extension.lower()] = (attrs.get((None, "ContentType")) or "").lower()
        elif name == (CT_NS, "Override"):
            part = attrs.get((None, "PartName")) or ""
            self.overrides[part] = (attrs.get((None, "ContentType")) or "").lower()


def _content_types(package: zipread.SafeZip) -> dict[str, str]:
    """Part name → content type (lower case), from the Overrides and, for parts without
    one, from the Defaults by extension."""
    found = _ContentTypes()
    _parse(package, "[Content_Types].xml", found)
    types = dict(found.overrides)
    for name in package.names:
        part = "/" + name
        if part not in types and "." in name:
            ext = name.rsplit(".", 1)[1].lower()
            if ext in found.defaults:
                types[part] = found.defaults[ext]
    return types


@dataclass(frozen=True)
class _Relationship:
    type: str
    target: str
    mode: str


class _Relationships(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[_Relationship] = []

    def startElementNS(self, name, qname, attrs) -> None:
        if name[1] == "Relationship":
            self.found.append(
                _Relationship(
                    type=attrs.get((None, "Type")) or "",
                    target=attrs.get((None, "Target")) or "",
                    mode=attrs.get((None, "TargetMode")) or "",
                )
            )


HYPERLINK_SCHEMES = {"http", "https", "mailto"}


def _safe_relationship(rels_name: str, rel: _Relationship) -> bool:
    """A relationship to a part inside the package, or a hyperlink a reader may click.

    Hyperlinks stay: a UN document cites others by their addresses, and no program
    follows a link until the reader does. Every other external target (an attached
    template, a linked image, a frame, a sub-document, an OLE link) is fetched when the
    document opens, which tells a stranger who reads it, or reads a file of the reader's
    own computer (``file:///``)."""
    target = unquote(rel.target).strip()
    if rel.mode not in ("", "Internal"):
        # A hyperlink to the web, to an address, or to a bookmark of the document itself.
        return rel.type.endswith("/hyperlink") and (
            urlsplit(target).scheme.lower() in HYPERLINK_SCHEMES or target.startswith("#")
        )
    if "\\" in target or "\x00" in target:
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False  # "internal" in name only
    source = posixpath.dirname(posixpath.dirname(rels_name))  # word/_rels/x.rels → word
    path = parts.path
    resolved = posixpath.normpath(
        path.lstrip("/") if path.startswith("/") else posixpath.join(source, path)
    )
    return resolved != ".." and not resolved.startswith("../")


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Fields that fetch or run something when they are updated, which Word may do on opening.
_FETCHING_FIELD = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.I)


class _Fields(ContentHandler):
    """Finds fields that fetch content from outside (``INCLUDEPICTURE "http://…"``,
    ``INCLUDETEXT "file:///…"``, ``LINK``) or run a program (``DDEAUTO``); a field's code
    may be split over several runs, so its pieces are joined until the field ends."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches = False
        self._codes: list[list[str]] = []
        self._in_code = False

    def startElementNS(self, name, qname, attrs) -> None:
        if name[0] != W_NS:
            return
        if name[1] == "fldSimple":
            self._judge(attrs.get((W_NS, "instr")) or "")
        elif name[1] == "fldChar":
            kind = attrs.get((W_NS, "fldCharType"))
            if kind == "begin":
                self._codes.append([])
            elif kind in ("separate", "end") and self._codes:
                self._judge("".join(self._codes[-1]))
                self._codes[-1] = []
                if kind == "end":
                    self._codes.pop()
        elif name[1] == "instrText":
            self._in_code = True

    def endElementNS(self, name, qname) -> None:
        if name == (W_NS, "instrText"):
            self._in_code = False

    def characters(self, content: str) -> None:
        if self._in_code and self._codes:
            self._codes[-1].append(content)

    def _judge(self, code: str) -> None:
        if _FETCHING_FIELD.match(code):
            self.fetches = True
