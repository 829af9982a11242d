"""The text of a summary written in the application: Markdown as typed (a plain, labelled
textarea works with every browser, keyboard and screen reader), turned into HTML and
sanitised with nh3 to a small allowlist before it is stored or shown.

Headings start at h2 (the page's and the PDF's title is the h1). No images at all: a
summary is text, and an image from outside would make the renderer fetch a URL that a
user chose. Links are http, https and mailto only (plus the footnotes' own #anchors)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "blockquote",
    "a",
    "sup",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {
    "a": {"href"},
    "sup": {"id"},
    "li": {"id"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
# Only the classes of the footnote structure that Python-Markdown writes, and the PDF's
# page break (a line ``<hr class="page-break">`` in the text).
CLASSES = {
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
    "hr": {"page-break"},
}
SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["footnotes", "sane_lists", "tables"]


class _ShiftHeadings(Treeprocessor):
    """``#`` becomes h2, ``##`` h3, ``###`` and deeper h4."""

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(int(element.tag[1]) + 1, 4)}"


class _HeadingsFromTwo(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        url_schemes=SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def to_html(source: str) -> str:
    """The stored, shown and printed form of a text typed in Markdown."""
    html = markdown.markdown(
        source,
        extensions=[*EXTENSIONS, _HeadingsFromTwo()],
        extension_configs={"footnotes": {"BACKLINK_TITLE": ""}},
        output_format="html",
    )
    return sanitise(html)


# --- For the PDF: footnotes at the bottom of the page ----------------------------------

_SECTION = re.compile(r'<div class="footnote">(?P<body>.*)</div>', re.S)
_NOTE_START = re.compile(r'<li id="fn:(?P<key>[^"]+)">')
_BACKREF = re.compile(r'(?:&nbsp;|&#160;|\xa0)?<a[^>]*class="footnote-backref"[^>]*>.*?</a>', re.S)
_CALL = re.compile(
    r'<sup id="fnref\d*:(?P<key>[^"]+)"><a[^>]*class="footnote-ref"[^>]*>[^<]*</a></sup>'
)
_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p>")


def _notes(body: str) -> dict[str, str]:
    """Each footnote's content, inline (paragraphs joined by line breaks: a ``<p>``
    inside the inline footnote would end the paragraph that calls it)."""
    notes: dict[str, str] = {}
    starts = list(_NOTE_START.finditer(body))
    for i, start in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        chunk = body[start.end() : end]
        chunk = re.sub(r"</li>\s*(?:</ol>\s*)?$", "", chunk.strip())
        chunk = _BACKREF.sub("", chunk).strip()
        chunk = _PARAGRAPH_BREAK.sub("<br>", chunk)
        chunk = re.sub(r"^<p>|</p>$", "", chunk.strip())
        notes[start.group("key")] = chunk.strip()
    return notes


def to_pdf_html(html: str) -> str:
    """Markdown's endnotes moved to where they are called, as
    ``<span class="footnote">``, which WeasyPrint floats to the foot of the page
    (``float: footnote``) and numbers itself."""
    section = _SECTION.search(html)
    if section is None:
        return html
    notes = _notes(section.group("body"))
    html = html[: section.start()] + html[section.end() :]

    def call(match: re.Match) -> str:
        note = notes.get(match.group("key"))
        return match.group(0) if note is None else f'<span class="footnote">{note}</span>'

    return _CALL.sub(call, html).strip()
