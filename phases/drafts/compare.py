"""Comparing two negotiation drafts paragraph by paragraph: added, removed, unchanged,
and changed with a word-level difference.

Revisions renumber, so paragraphs are aligned by their content, never by number: within
each part, ``difflib.SequenceMatcher`` aligns the two lists of paragraphs; inside a block
it could not match exactly, paragraphs are paired in order with the most similar one
ahead (word-level ratio at least ``PAIR_RATIO``, looking at most ``WINDOW`` paragraphs
ahead, which keeps the work linear in the length of the text); what stays unpaired is
added or removed. A paragraph that moves to another part (or elsewhere in its part)
shows as removed where it was and added where it went, each row naming the other
paragraph (``moved``). Pure Python: nothing is written.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from phases.enums import DraftPart

UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"
KINDS = (CHANGED, ADDED, REMOVED, UNCHANGED)
EQUAL, DELETE, INSERT = "equal", "delete", "insert"
PAIR_RATIO = 0.5
WINDOW = 8

_WORDS = re.compile(r"\w+", re.UNICODE)
# Words, runs of punctuation and runs of space: joined back they give the text exactly.
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]+", re.UNICODE)


@dataclass(frozen=True)
class Para:
    """A paragraph as compare sees it (a DraftParagraph, or a crafted one in tests)."""

    part: str
    number: int
    text: str


@dataclass(frozen=True)
class Row:
    kind: str
    old: Para | None = None
    new: Para | None = None
    # For a changed paragraph: (op, text) with op equal / delete / insert.
    tokens: tuple[tuple[str, str], ...] = ()
    # For a removed or added paragraph found unchanged elsewhere: the other one.
    moved: Para | None = None

    @property
    def old_tokens(self) -> list[tuple[str, str]]:
        return [(op, t) for op, t in self.tokens if op != INSERT]

    @property
    def new_tokens(self) -> list[tuple[str, str]]:
        return [(op, t) for op, t in self.tokens if op != DELETE]


@dataclass
class PartComparison:
    part: str
    label: str
    rows: list[Row] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(r.kind for r in self.rows)

    @property
    def has_changes(self) -> bool:
        return any(r.kind != UNCHANGED for r in self.rows)


@dataclass
class Comparison:
    a: object
    b: object
    parts: list[PartComparison]

    @property
    def rows(self) -> list[Row]:
        return [row for part in self.parts for row in part.rows]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(r.kind for r in self.rows)
        return {kind: found.get(kind, 0) for kind in KINDS}

    def of_kind(self, kind: str) -> list[Row]:
        return [r for r in self.rows if r.kind == kind]


def _normal(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORDS.findall(text)]


def word_ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def word_diff(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """The word-level difference of two texts as (op, text) tokens; joining the equal and
    delete tokens gives ``a``, the equal and insert tokens ``b``."""
    ta, tb = _TOKENS.findall(a), _TOKENS.findall(b)
    out: list[tuple[str, str]] = []

    def emit(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if tag == "equal":
            emit(EQUAL, "".join(ta[i1:i2]))
        else:
            emit(DELETE, "".join(ta[i1:i2]))
            emit(INSERT, "".join(tb[j1:j2]))
    return tuple(out)


def _pair_block(old: list[Para], new: list[Para]) -> list[Row]:
    """Rows for a block the alignment could not match exactly: each old paragraph, in
    order, is paired with the most similar new one at most WINDOW ahead (monotonic)."""
    rows: list[Row] = []
    j = 0
    for p in old:
        best, best_ratio = None, PAIR_RATIO
        words_p = _words(p.text)
        for k in range(j, min(j + WINDOW, len(new))):
            matcher = SequenceMatcher(None, words_p, _words(new[k].text), autojunk=False)
            # The cheap upper bounds first: most candidates stop there.
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio and (best is None or ratio > best_ratio):
                best, best_ratio = k, ratio
        if best is None:
            rows.append(Row(REMOVED, old=p))
            continue
        rows.extend(Row(ADDED, new=q) for q in new[j:best])
        q = new[best]
        if _normal(p.text) == _normal(q.text):
            rows.append(Row(UNCHANGED, old=p, new=q))
        else:
            rows.append(Row(CHANGED, old=p, new=q, tokens=word_diff(p.text, q.text)))
        j = best + 1
    rows.extend(Row(ADDED, new=q) for q in new[j:])
    return rows


def _compare_part(old: list[Para], new: list[Para]) -> list[Row]:
    matcher = SequenceMatcher(
        None, [_normal(p.text) for p in old], [_normal(p.text) for p in new], autojunk=False
    )
    rows: list[Row] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(
                Row(UNCHANGED, old=p, new=q) for p, q in zip(old[i1:i2], new[j1:j2], strict=True)
            )
        else:
            rows.extend(_pair_block(old[i1:i2], new[j1:j2]))
    return rows


def _mark_moves(rows: list[Row]) -> list[Row]:
    """A removed paragraph whose text is added elsewhere (in another part, or another
    place in its part) is a move: each of the two rows names the other paragraph."""
    added = {}
    for r in rows:
        if r.kind == ADDED:
            added.setdefault(_normal(r.new.text), r.new)
    removed = {}
    for r in rows:
        if r.kind == REMOVED:
            removed.setdefault(_normal(r.old.text), r.old)
    out = []
    for r in rows:
        if r.kind == REMOVED and _normal(r.old.text) in added:
            r = Row(REMOVED, old=r.old, moved=added[_normal(r.old.text)])
        elif r.kind == ADDED and _normal(r.new.text) in removed:
            r = Row(ADDED, new=r.new, moved=removed[_normal(r.new.text)])
        out.append(r)
    return out


def compare_paragraphs(old: list[Para], new: list[Para], *, a=None, b=None) -> Comparison:
    """The comparison of two lists of paragraphs, part by part in the order of OP 2."""
    parts = []
    by_part_old: dict[str, list[Para]] = {}
    by_part_new: dict[str, list[Para]] = {}
    for p in sorted(old, key=lambda p: p.number):
        by_part_old.setdefault(p.part, []).append(p)
    for p in sorted(new, key=lambda p: p.number):
        by_part_new.setdefault(p.part, []).append(p)
    for part, label in DraftPart.choices:
        rows = _compare_part(by_part_old.get(part, []), by_part_new.get(part, []))
        if rows:
            parts.append(PartComparison(part=part, label=label, rows=rows))
    flat = _mark_moves([r for pc in parts for r in pc.rows])
    it = iter(flat)
    for pc in parts:
        pc.rows = [next(it) for _ in pc.rows]
    return Comparison(a=a, b=b, parts=parts)


def paragraphs_of(draft) -> list[Para]:
    """The paragraphs of a saved draft, in the active language (with fallback)."""
    return [Para(part=p.part, number=p.number, text=p.text) for p in draft.paragraphs.all()]


def compare(a, b) -> Comparison:
    """Compare draft ``a`` (the earlier, usually) with draft ``b``."""
    return compare_paragraphs(paragraphs_of(a), paragraphs_of(b), a=a, b=b)
