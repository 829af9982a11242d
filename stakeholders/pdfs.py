"""The stakeholder lists as PDF (resolution 71/280, footnote 5: the proposed and the
final lists are brought to the attention of the General Assembly).

Three sources, each keyed by the list and the language of the page the link was on:

- ``list-proposed:<list pk>:<lang>``: every entry proposed to Member States;
- ``list-final:<list pk>:<lang>``: the entries approved at the close;
- ``list-comparison:<list pk>:<lang>``: every proposed entry with its outcome, the
  removed ones marked with the number of objections behind them.

The PDF is one file per key, served to whoever may read it, so it holds what the
public transparency page shows and nothing that depends on the reader: it reads
through ``stakeholders.selectors.public`` (organizations, outcomes, counts), never an
objecting State, a basis or a person. The proposed list is public from its submission
(as /lists/<pk>/ is); the final list and the comparison once the review has closed.

Long lists (thousands of entries) are rendered in chunks of rows, each reported to the
progress callback, so that the page can show how far the HTML is.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from compact_process.pdf.sources import PdfMeta, PdfSource, register
from phases.enums import Distribution
from stakeholders.enums import EntryOutcome, ListStatus
from stakeholders.models import ListEntry, StakeholderList
from stakeholders.selectors import public

ROWS_PER_STEP = 500
ROWS_TEMPLATE = "stakeholders/pdf/_rows.html"


def _language_codes() -> set[str]:
    return {code for code, _label in settings.LANGUAGES}


class _ListPdf(PdfSource):
    """What the three list PDFs share: the key, the reader rule, the data, the chunks."""

    kind: ClassVar[str]  # "proposed", "final", "comparison"
    # A list readable as this PDF is in one of these statuses.
    readable_statuses: ClassVar[tuple[str, ...]] = (ListStatus.CLOSED,)

    def __init__(self, list_id: str, language: str) -> None:
        # A malformed key is an unknown source (``load`` turns ValueError into that).
        if language not in _language_codes():
            raise ValueError(language)
        super().__init__(str(int(list_id)), language)
        self.list_id = int(list_id)
        self.language = language
        self._list: StakeholderList | None = None
        self._loaded = False

    # --- The list behind the key ----------------------------------------------------
    def _stakeholder_list(self) -> StakeholderList | None:
        if not self._loaded:
            self._list = (
                StakeholderList.objects.filter(pk=self.list_id).select_related("process").first()
            )
            self._loaded = True
        return self._list

    def exists(self) -> bool:
        return self._stakeholder_list() is not None

    def may_read(self, user) -> bool:
        """Everyone, anonymous visitors included, once the list is public in this form
        (the content is the public page's): nobody before."""
        found = self._stakeholder_list()
        return found is not None and found.status in self.readable_statuses

    def filename(self) -> str:
        return f"{self.kind}-list-{self.list_id}-{self.language}.pdf"

    # --- Content --------------------------------------------------------------------
    def _published(self) -> public.PublicList | None:
        found = self._stakeholder_list()
        if found is None:
            return None
        return public.published_list(found.process, found.pk)

    def _title(self, list_title: str) -> str:
        raise NotImplementedError

    def _date(self, found: StakeholderList):
        stamp = found.closed_at
        return timezone.localdate(stamp) if stamp else None

    def meta(self) -> PdfMeta:
        found = self._stakeholder_list()
        with translation.override(self.language):
            title = self._title(found.title if found else "")
            return PdfMeta(
                title=title,
                language=self.language,
                symbol="",  # the lists carry no document symbol (yet)
                date=self._date(found) if found else None,
                distribution=str(Distribution.GENERAL.label),
                header=title,
                subject=_(
                    "Relevant stakeholders proposed by the President of the General "
                    "Assembly to Member States on a non-objection basis (resolution "
                    "71/280, operative paragraph 6 and footnote 5)."
                ),
                extra={"kind": self.kind},
            )

    def rows(self, entries: list[public.PublicEntry]) -> list[public.PublicEntry]:
        """The entries this PDF numbers in its table (in the selector's stable order:
        organization name, then entry)."""
        return entries

    def context(self) -> dict[str, Any]:
        item = self._published()
        entries = public.entries(item) if item is not None else []
        found = self._stakeholder_list()
        return {
            "item": item,
            "stakeholder_list": found,
            "submitted_on": timezone.localdate(found.submitted_at)
            if found and found.submitted_at
            else None,
            "closed_on": timezone.localdate(found.closed_at) if found and found.closed_at else None,
            "deadline": found.review_deadline if found else None,
            "counts": {
                "proposed": len(entries),
                "approved": sum(1 for e in entries if e.approved),
                "not_approved": sum(1 for e in entries if e.not_approved),
            },
            "rows": self.rows(entries),
            "kind": self.kind,
        }

    def _row_filter(self) -> dict[str, Any]:
        return {}

    def steps(self) -> int:
        n = ListEntry.objects.filter(stakeholder_list_id=self.list_id, **self._row_filter()).count()
        return max(1, math.ceil(n / ROWS_PER_STEP))

    def render_html(self, progress=None) -> str:
        """The page, its table body rendered ``ROWS_PER_STEP`` rows at a time, each
        piece reported as ``progress(done, total)``."""
        meta = self.meta()
        with translation.override(meta.language):
            context = {**self.context(), "meta": meta}
            rows = context["rows"]
            total = max(1, math.ceil(len(rows) / ROWS_PER_STEP))
            pieces = []
            for step, start in enumerate(range(0, max(len(rows), 1), ROWS_PER_STEP), 1):
                pieces.append(
                    render_to_string(
                        ROWS_TEMPLATE,
                        {
                            **context,
                            "chunk": rows[start : start + ROWS_PER_STEP],
                            "offset": start,
                        },
                    )
                )
                if progress is not None:
                    progress(step, total)
            # Our own template's output, escaped as it was rendered.
            context["rows_html"] = mark_safe("".join(pieces))
            return render_to_string(self.template, context)


@register
class ProposedListPdf(_ListPdf):
    name = "list-proposed"
    kind = "proposed"
    template = "stakeholders/pdf/proposed.html"
    readable_statuses = (ListStatus.UNDER_REVIEW, ListStatus.CLOSED)

    def _title(self, list_title: str) -> str:
        return _("Proposed list of relevant stakeholders: %(title)s") % {"title": list_title}

    def _date(self, found: StakeholderList):
        return timezone.localdate(found.submitted_at) if found.submitted_at else None


@register
class FinalListPdf(_ListPdf):
    name = "list-final"
    kind = "final"
    template = "stakeholders/pdf/final.html"

    def _title(self, list_title: str) -> str:
        return _("Final list of relevant stakeholders: %(title)s") % {"title": list_title}

    def rows(self, entries: list[public.PublicEntry]) -> list[public.PublicEntry]:
        return [entry for entry in entries if entry.approved]

    def _row_filter(self) -> dict[str, Any]:
        return {"outcome": EntryOutcome.APPROVED}


@register
class ComparisonListPdf(_ListPdf):
    name = "list-comparison"
    kind = "comparison"
    template = "stakeholders/pdf/comparison.html"

    def _title(self, list_title: str) -> str:
        return _("The proposed and final lists of relevant stakeholders: %(title)s") % {
            "title": list_title
        }
