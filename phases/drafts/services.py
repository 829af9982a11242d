"""Saving a negotiation draft: every new draft goes through ``create_draft``, which checks
the numbering of its paragraphs and its date before anything is written."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from compact_process.formats import written
from phases.enums import DraftPart, DraftStage
from phases.models import DraftParagraph, NegotiationDraft, Process


@dataclass(frozen=True)
class ParagraphSpec:
    part: str
    number: int
    text: str
    line: int | None = None  # where it began in a pasted text, for error messages


def numbering_errors(paragraphs: list[ParagraphSpec]) -> list[tuple[int | None, str]]:
    """(line, message) for each paragraph whose number repeats or does not increase.
    Revisions renumber, but within one text the numbers run upwards and never repeat."""
    errors: list[tuple[int | None, str]] = []
    seen: dict[int, int | None] = {}
    previous: int | None = None
    for p in paragraphs:
        if p.number in seen:
            first = seen[p.number]
            if first is not None:
                message = _("paragraph %(n)s appears again (first on line %(first)s).") % {
                    "n": p.number,
                    "first": first,
                }
            else:
                message = _("paragraph %(n)s appears twice.") % {"n": p.number}
            errors.append((p.line, message))
        elif previous is not None and p.number < previous:
            errors.append(
                (
                    p.line,
                    _("paragraph %(n)s comes after paragraph %(prev)s; numbers must increase.")
                    % {"n": p.number, "prev": previous},
                )
            )
        seen.setdefault(p.number, p.line)
        previous = p.number if previous is None else max(previous, p.number)
    return errors


def _line_message(line: int | None, message: str) -> str:
    if line is None:
        return message[:1].upper() + message[1:]
    return _("Line %(line)s: %(message)s") % {"line": line, "message": message}


def _free_key(process: Process, title: str) -> str:
    base = slugify(title)[:34] or "draft"
    key, n = base, 2
    while NegotiationDraft.objects.filter(process=process, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def _check(
    process: Process,
    *,
    key: str,
    stage: str,
    issued_on: datetime.date,
    paragraphs: list[ParagraphSpec],
) -> None:
    errors: dict[str, list[str]] = {}
    others = list(NegotiationDraft.objects.filter(process=process))
    if any(d.key == key for d in others):
        errors.setdefault("key", []).append(_("Another draft already has this key."))
    if stage not in DraftStage.values:
        errors.setdefault("stage", []).append(_("Unknown stage."))
    today = timezone.localdate()
    if issued_on > today:
        errors.setdefault("issued_on", []).append(_("A draft cannot be dated in the future."))
    if process.mandate_adopted_on and issued_on < process.mandate_adopted_on:
        errors.setdefault("issued_on", []).append(
            _("A draft cannot be dated before the process began (%(date)s).")
            % {"date": written.day_words(process.mandate_adopted_on)}
        )
    zero = next((d for d in others if d.stage == DraftStage.ZERO), None)
    if stage == DraftStage.ZERO and zero is not None:
        errors.setdefault("stage", []).append(_("The process already has a zero draft."))
    if zero is not None and stage != DraftStage.ZERO and issued_on <= zero.issued_on:
        errors.setdefault("issued_on", []).append(
            _("A revision must be dated after the zero draft (%(date)s).")
            % {"date": written.day_words(zero.issued_on)}
        )
    if stage == DraftStage.ZERO and any(d.issued_on <= issued_on for d in others):
        errors.setdefault("issued_on", []).append(
            _("The zero draft must be dated before every other draft.")
        )
    agreed = next((d for d in others if d.stage == DraftStage.AGREED), None)
    if stage == DraftStage.AGREED and agreed is not None:
        errors.setdefault("stage", []).append(_("The process already has an agreed text."))
    if agreed is not None and issued_on > agreed.issued_on:
        errors.setdefault("issued_on", []).append(
            _("No draft can follow the agreed text (%(date)s).")
            % {"date": written.day_words(agreed.issued_on)}
        )
    text_errors = []
    if not paragraphs:
        text_errors.append(_("The text has no numbered paragraphs."))
    for p in paragraphs:
        if p.part not in DraftPart.values:
            text_errors.append(
                _line_message(p.line, _("unknown part %(part)s.") % {"part": p.part})
            )
        if not p.text.strip():
            text_errors.append(
                _line_message(p.line, _("paragraph %(n)s has no text.") % {"n": p.number})
            )
        if p.number < 1:
            text_errors.append(_line_message(p.line, _("paragraph numbers start at 1.")))
    text_errors += [_line_message(line, message) for line, message in numbering_errors(paragraphs)]
    if text_errors:
        errors["text"] = text_errors
    if errors:
        raise ValidationError(errors)


def _place(process: Process, issued_on: datetime.date) -> int:
    """The order of a new draft among the others by date; later drafts move down one
    place when there is no gap (zero draft plus entered after Rev.1, say)."""
    drafts = list(NegotiationDraft.objects.filter(process=process).order_by("sequence"))
    earlier = [d for d in drafts if d.issued_on <= issued_on]
    sequence = earlier[-1].sequence + 1 if earlier else 0
    if any(d.sequence == sequence for d in drafts):
        # Highest first, so that the unique (process, sequence) holds at every step.
        for d in sorted((d for d in drafts if d.sequence >= sequence), key=lambda d: -d.sequence):
            d.sequence += 1
            d.save(update_fields=["sequence"])
    return sequence


@transaction.atomic
def create_draft(
    *,
    process: Process,
    stage: str,
    title: str,
    issued_on: datetime.date,
    paragraphs: list[ParagraphSpec],
    key: str = "",
    sequence: int | None = None,
    is_demonstration: bool = False,
    source_note: str = "",
    language: str | None = None,
) -> NegotiationDraft:
    """A new draft with its numbered paragraphs, in ``language`` (the default language
    unless said otherwise). Raises ValidationError (by field: key, stage, issued_on,
    text) and writes nothing when the numbering or the date is wrong."""
    key = key or _free_key(process, title)
    _check(process, key=key, stage=stage, issued_on=issued_on, paragraphs=paragraphs)
    if sequence is None:
        sequence = _place(process, issued_on)
    elif NegotiationDraft.objects.filter(process=process, sequence=sequence).exists():
        raise ValidationError({"sequence": _("Another draft has this place in the order.")})
    language = language or settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    draft = NegotiationDraft(
        process=process,
        key=key,
        stage=stage,
        sequence=sequence,
        issued_on=issued_on,
        is_demonstration=is_demonstration,
        source_note=source_note,
    )
    setattr(draft, build_localized_fieldname("title", language), title)
    draft.full_clean(exclude=["title"])
    draft.save()
    text_field = build_localized_fieldname("text", language)
    DraftParagraph.objects.bulk_create(
        [
            DraftParagraph(draft=draft, part=p.part, number=p.number, **{text_field: p.text})
            for p in paragraphs
        ]
    )
    return draft
