"""How an app declares a PDF: a ``PdfSource`` subclass, registered by name.

A source knows its key (``name`` plus string arguments, so a Celery task can rebuild it
from ids), who may read it, the language it is in, the template and context of its HTML,
and the header facts of the UN document layout (``PdfMeta``). Its fingerprint is the hash
of that HTML: the cached file is served while the fingerprint is unchanged, and rendered
again as soon as the content (or the template) changes.

    @register
    class SummaryPdf(PdfSource):
        name = "summary"
        template = "documents/pdf/summary.html"   # extends "pdf/base.html"

        def __init__(self, version_id: str) -> None: ...
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.template.loader import render_to_string
from django.utils import translation

_REGISTRY: dict[str, type[PdfSource]] = {}


@dataclass(frozen=True)
class PdfMeta:
    """The facts printed on a UN document's first page and in its running header."""

    title: str
    language: str  # a code of settings.LANGUAGES: "en", "ar", "zh-hans", ...
    symbol: str = ""
    date: datetime.date | None = None
    distribution: str = ""  # the label ("General", "Limited"), already translated
    original_language: str = ""  # the label ("English", "Arabic"), already translated
    header: str = ""  # running header; defaults to the symbol
    subject: str = ""  # PDF metadata (description)
    extra: dict[str, Any] = field(default_factory=dict)


class PdfSource:
    name: ClassVar[str]
    template: ClassVar[str]

    def __init__(self, *args: str) -> None:
        self.args = tuple(str(a) for a in args)

    # --- What subclasses provide ---------------------------------------------------
    def meta(self) -> PdfMeta:
        raise NotImplementedError

    def context(self) -> dict[str, Any]:
        """The template's context (``meta`` is added)."""
        return {}

    def may_read(self, user) -> bool:
        """Whether this user may have the PDF (anonymous visitors included)."""
        return True

    def exists(self) -> bool:
        """False when the object behind the key is gone (the task then gives up)."""
        return True

    def filename(self) -> str:
        return f"{self.key.replace(':', '-')}.pdf"

    def steps(self) -> int:
        """How many pieces the HTML is made of, for the progress shown (1 = one piece)."""
        return 1

    # --- Derived ---------------------------------------------------------------------
    @property
    def key(self) -> str:
        return ":".join((self.name, *self.args))

    def render_html(self, progress=None) -> str:
        """The HTML for WeasyPrint, in the source's own language (not the request's)."""
        meta = self.meta()
        with translation.override(meta.language):
            return render_to_string(self.template, {**self.context(), "meta": meta})

    def fingerprint(self, html: str | None = None) -> str:
        return hashlib.sha256((html or self.render_html()).encode()).hexdigest()


def register(cls: type[PdfSource]) -> type[PdfSource]:
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"Two PDF sources are named {cls.name!r}")
    _REGISTRY[cls.name] = cls
    return cls


class UnknownSource(LookupError):
    pass


def load(key: str) -> PdfSource:
    """The source a key names (``summary:12`` → ``SummaryPdf("12")``)."""
    name, *args = key.split(":")
    try:
        return _REGISTRY[name](*args)
    except (KeyError, TypeError, ValueError) as exc:
        raise UnknownSource(key) from exc
