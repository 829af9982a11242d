"""PDF sources (see compact_process.pdf.sources): one negotiation draft in the UN layout
(``draft:<draft key>:<lang>``), and two drafts compared paragraph by paragraph
(``draft-compare:<from key>:<to key>:<lang>``). Drafts are published texts: anyone may
read both."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from compact_process.pdf.sources import PdfMeta, PdfSource, register
from phases import selectors
from phases.drafts import selectors as drafts_selectors
from phases.drafts.compare import KINDS, compare
from phases.models import NegotiationDraft

CODES = {code for code, _name in settings.LANGUAGES}


def _language(lang: str) -> str:
    if lang not in CODES:
        raise ValueError(f"Unknown language {lang!r}")
    return lang


def _draft(key: str) -> NegotiationDraft | None:
    process = selectors.default_process()
    return drafts_selectors.draft(process, key) if process is not None else None


def _demo_note(*drafts: NegotiationDraft) -> str:
    if any(d.is_demonstration for d in drafts):
        return _(
            "Demonstration text: short texts written for the demonstration, with the real "
            "dates; not the real drafts."
        )
    return ""


@register
class DraftPdf(PdfSource):
    name = "draft"
    template = "pdf/draft.html"

    def __init__(self, key: str, lang: str) -> None:
        super().__init__(key, lang)
        self.draft_key, self.lang = key, _language(lang)
        self._draft: NegotiationDraft | None = None

    @property
    def draft(self) -> NegotiationDraft | None:
        if self._draft is None:
            self._draft = _draft(self.draft_key)
        return self._draft

    def exists(self) -> bool:
        return self.draft is not None

    def meta(self) -> PdfMeta:
        draft = self.draft
        with translation.override(self.lang):
            return PdfMeta(
                title=draft.title,
                language=self.lang,
                date=draft.issued_on,
                distribution=_("General"),
                header=draft.title,
                subject=str(draft.get_stage_display()),
            )

    def context(self) -> dict[str, Any]:
        return {
            "draft": self.draft,
            "parts": drafts_selectors.by_part(self.draft),
            "demo_note": _demo_note(self.draft),
        }


@register
class DraftComparePdf(PdfSource):
    name = "draft-compare"
    template = "pdf/draft_compare.html"

    def __init__(self, from_key: str, to_key: str, lang: str) -> None:
        super().__init__(from_key, to_key, lang)
        self.from_key, self.to_key, self.lang = from_key, to_key, _language(lang)
        self._pair: tuple[NegotiationDraft | None, NegotiationDraft | None] | None = None

    @property
    def pair(self) -> tuple[NegotiationDraft | None, NegotiationDraft | None]:
        if self._pair is None:
            self._pair = (_draft(self.from_key), _draft(self.to_key))
        return self._pair

    def exists(self) -> bool:
        old, new = self.pair
        return old is not None and new is not None and old.pk != new.pk

    def meta(self) -> PdfMeta:
        old, new = self.pair
        with translation.override(self.lang):
            title = _("%(old)s compared with %(new)s") % {"old": old.title, "new": new.title}
            return PdfMeta(
                title=title,
                language=self.lang,
                date=new.issued_on,
                distribution=_("General"),
                header=title,
                subject=_("Paragraph-by-paragraph comparison"),
            )

    def context(self) -> dict[str, Any]:
        old, new = self.pair
        result = compare(old, new)
        counts = result.counts
        return {
            "old": old,
            "new": new,
            "parts": result.parts,
            "counts": [(kind, counts[kind]) for kind in KINDS],
            "demo_note": _demo_note(old, new),
        }
