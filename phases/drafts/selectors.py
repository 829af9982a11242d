"""Reads the draft pages share. Drafts are published texts: everyone may read them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from phases.enums import DraftPart
from phases.models import DraftParagraph, NegotiationDraft, Process


def drafts(process: Process) -> QuerySet[NegotiationDraft]:
    """The process's drafts in the order issued, with their number of paragraphs."""
    return (
        NegotiationDraft.objects.filter(process=process)
        .annotate(paragraph_count=Count("paragraphs"))
        .order_by("sequence")
    )


def draft(process: Process, key: str) -> NegotiationDraft | None:
    return (
        NegotiationDraft.objects.filter(process=process, key=key)
        .prefetch_related(
            Prefetch("paragraphs", queryset=DraftParagraph.objects.order_by("number"))
        )
        .first()
    )


def draft_or_404(process: Process, key: str) -> NegotiationDraft:
    found = draft(process, key)
    if found is None:
        raise Http404(_("There is no draft %(key)s.") % {"key": key})
    return found


def by_part(draft: NegotiationDraft) -> list[tuple[str, str, list[DraftParagraph]]]:
    """(part, label, paragraphs) for each part that has paragraphs, in the order of OP 2."""
    grouped: dict[str, list[DraftParagraph]] = {}
    for p in draft.paragraphs.all():
        grouped.setdefault(p.part, []).append(p)
    return [(part, label, grouped[part]) for part, label in DraftPart.choices if part in grouped]
