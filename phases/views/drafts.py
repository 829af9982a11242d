"""Public pages of the negotiation texts: the list of drafts, one draft, and two drafts
compared paragraph by paragraph. Drafts are published texts: no sign-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from compact_process.web.cache import public_page
from compact_process.web.languages import SOURCE, shown_language
from phases import selectors
from phases.drafts import selectors as drafts_selectors
from phases.drafts.compare import KINDS, UNCHANGED, compare
from phases.drafts.forms import CompareForm

ONLY_CHANGES = "changes"


def _list(request: HttpRequest, *, problem: str = "", status: int = 200) -> HttpResponse:
    process = selectors.default_process_or_404()
    drafts = list(drafts_selectors.drafts(process))
    initial = {}
    if len(drafts) >= 2:
        initial = {"from": drafts[-2].key, "to": drafts[-1].key}
    # After a bad request the picker keeps what was chosen; the problem is said above it.
    keys = {d.key for d in drafts}
    initial.update({k: v for k, v in request.GET.items() if k in ("from", "to") and v in keys})
    form = CompareForm(initial=initial, drafts=drafts, auto_id="compare-%s")
    return render(
        request,
        "phases/drafts/list.html",
        {"process": process, "drafts": drafts, "form": form, "problem": problem},
        status=status,
    )


@public_page
def draft_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@public_page
def draft_detail(request: HttpRequest, key: str) -> HttpResponse:
    process = selectors.default_process_or_404()
    draft = drafts_selectors.draft_or_404(process, key)
    language = get_language()
    parts = drafts_selectors.by_part(draft)
    return render(
        request,
        "phases/drafts/detail.html",
        {
            "process": process,
            "draft": draft,
            "parts": parts,
            # A note above the paragraphs where some fall back to the English.
            "paragraphs_in_english": language != SOURCE
            and any(
                shown_language(p, "text", language) == SOURCE
                for _part, _label, paragraphs in parts
                for p in paragraphs
            ),
            "pdf_key": f"draft:{draft.key}:{language}",
        },
    )


@public_page
def draft_compare(request: HttpRequest) -> HttpResponse:
    """``?from=<key>&to=<key>[&show=changes]``. Missing or equal keys answer 400 with the
    picker and the reason; a key that names no draft answers 404."""
    process = selectors.default_process_or_404()
    from_key, to_key = request.GET.get("from", ""), request.GET.get("to", "")
    if not from_key or not to_key:
        return _list(
            request,
            problem=_("Choose two drafts to compare: an earlier text and a later text."),
            status=400,
        )
    if from_key == to_key:
        return _list(request, problem=_("Choose two different drafts to compare."), status=400)
    old = drafts_selectors.draft_or_404(process, from_key)
    new = drafts_selectors.draft_or_404(process, to_key)
    only_changes = request.GET.get("show") == ONLY_CHANGES
    result = compare(old, new)
    parts = [
        (
            part,
            [row for row in part.rows if not (only_changes and row.kind == UNCHANGED)],
        )
        for part in result.parts
    ]
    counts = result.counts
    return render(
        request,
        "phases/drafts/compare.html",
        {
            "process": process,
            "old": old,
            "new": new,
            "parts": parts,
            "counts": [(kind, counts[kind]) for kind in KINDS],
            "total_changes": sum(n for kind, n in counts.items() if kind != UNCHANGED),
            "only_changes": only_changes,
            "pdf_key": f"draft-compare:{old.key}:{new.key}:{get_language()}",
        },
    )
