"""Forms of the draft pages, and reading a pasted draft: part headings on their own line
(in any of the six languages, or "#"-prefixed) and numbered paragraphs ("1. …")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact_process.formats import written
from compact_process.web.forms import AccessibleFormMixin
from phases.drafts.services import ParagraphSpec, numbering_errors
from phases.enums import DraftPart, DraftStage

# The parts' names in the six official languages, as the drafts head them; the
# translations in locale/ (whatever they say) are accepted too.
PART_NAMES: dict[str, tuple[str, ...]] = {
    DraftPart.PREAMBLE: ("Preamble", "Préambule", "Preámbulo", "Преамбула", "序言", "الديباجة"),
    DraftPart.COMMITMENTS: (
        "Commitments",
        "Engagements",
        "Compromisos",
        "Обязательства",
        "承诺",
        "الالتزامات",
    ),
    DraftPart.IMPLEMENTATION: (
        "Means of implementation",
        "Implementation",
        "Moyens de mise en œuvre",
        "Moyens de mise en oeuvre",
        "Medios de implementación",
        "Medios de aplicación",
        "Средства осуществления",
        "执行手段",
        "وسائل التنفيذ",
    ),
    DraftPart.FOLLOW_UP: (
        "Follow-up and review",
        "Suivi et examen",
        "Seguimiento y examen",
        "Последующая деятельность и обзор",
        "后续行动和审查",
        "المتابعة والاستعراض",
    ),
}

_PARAGRAPH = re.compile(r"^\s*(\d{1,4})\s*[.)]\s+(\S.*)$")
# "I. Preamble", "A. Commitments", "# Follow-up and review:", "Part II - Commitments".
_HEADING_PREFIX = re.compile(
    r"^(#+\s*)?((part|partie|parte)\s+)?([ivxlc]+|[a-z]|\d+)?[.):\s-]*\s*", re.IGNORECASE
)


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").strip(" :.#").split())


def _part_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for part, own in PART_NAMES.items():
        for name in own:
            names[_key(name)] = part
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for part, label in DraftPart.choices:
                names.setdefault(_key(str(label)), part)
    return names


def heading_part(line: str, names: dict[str, str] | None = None) -> str | None:
    """The part a heading line names, or None when the line is no part heading."""
    names = names if names is not None else _part_names()
    whole = _key(line)
    if whole in names:
        return names[whole]
    rest = _key(_HEADING_PREFIX.sub("", line.strip(), count=1))
    return names.get(rest)


@dataclass
class ParsedDraft:
    paragraphs: list[ParagraphSpec] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)

    def parts(self) -> list[tuple[str, str, list[ParagraphSpec]]]:
        """(part, label, paragraphs) in the order the text gives them, for the preview."""
        out: list[tuple[str, str, list[ParagraphSpec]]] = []
        labels = dict(DraftPart.choices)
        for p in self.paragraphs:
            if not out or out[-1][0] != p.part:
                out.append((p.part, labels[p.part], []))
            out[-1][2].append(p)
        return out


def parse_draft(text: str) -> ParsedDraft:
    """Read a pasted draft. A line that is not a heading and not numbered continues the
    paragraph above it (wrapped text, sub-paragraphs (a), (b)…). Every problem is reported
    with its line number; the text itself is never changed."""
    parsed = ParsedDraft()
    part: str | None = None
    seen_parts: dict[str, int] = {}
    current: dict | None = None
    names = _part_names()

    def close() -> None:
        nonlocal current
        if current is not None:
            parsed.paragraphs.append(
                ParagraphSpec(
                    part=current["part"],
                    number=current["number"],
                    text="\n".join(current["lines"]),
                    line=current["line"],
                )
            )
        current = None

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _PARAGRAPH.match(line)
        named = None if match else heading_part(line, names)
        if named is None and line.startswith("#"):
            close()
            parsed.errors.append(
                (n, _("“%(heading)s” is not a part of the text.") % {"heading": line[:80]})
            )
            continue
        if named is not None:
            close()
            if named in seen_parts:
                parsed.errors.append(
                    (
                        n,
                        _("the part %(part)s was already begun on line %(first)s.")
                        % {"part": DraftPart(named).label, "first": seen_parts[named]},
                    )
                )
            seen_parts.setdefault(named, n)
            part = named
            continue
        if match:
            close()
            if part is None:
                parsed.errors.append(
                    (
                        n,
                        _("paragraph %(n)s comes before any part heading.") % {"n": match.group(1)},
                    )
                )
                continue
            current = {
                "part": part,
                "number": int(match.group(1)),
                "lines": [match.group(2).strip()],
                "line": n,
            }
            continue
        if current is None:
            parsed.errors.append(
                (n, _("this line is neither a part heading nor a numbered paragraph."))
            )
            continue
        current["lines"].append(line)
    close()
    parsed.errors += numbering_errors(parsed.paragraphs)
    if not parsed.paragraphs and not parsed.errors:
        parsed.errors.append((None, _("The text has no numbered paragraphs.")))
    parsed.errors.sort(key=lambda e: e[0] or 0)
    return parsed


class DraftForm(AccessibleFormMixin, forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), choices=DraftStage.choices)
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        help_text=gettext_lazy("For example: Revision 2."),
    )
    issued_on = forms.DateField(
        label=gettext_lazy("Issued on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The date on the draft, as YYYY-MM-DD."),
    )
    key = forms.SlugField(
        label=gettext_lazy("Short key"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Letters, digits and hyphens, used in the page's address (rev-2). Left empty, "
            "it is made from the title."
        ),
    )
    text = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Paste the text: each part heading on its own line (Preamble, Commitments, "
            "Means of implementation, Follow-up and review, in any official language, or "
            "after a #), then the numbered paragraphs (“1. We …”). Lines that follow a "
            "paragraph without a number continue it."
        ),
    )
    source_note = forms.CharField(
        label=gettext_lazy("Source note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Where the text comes from, if it is worth saying."),
    )


class CompareForm(forms.Form):
    """Pick two drafts to compare (GET, the compare page's parameters)."""

    def __init__(self, *args, drafts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(d.key, f"{d.title} ({written.day_words(d.issued_on)})") for d in drafts]
        self.fields["from"] = forms.ChoiceField(label=gettext_lazy("Earlier text"), choices=choices)
        self.fields["to"] = forms.ChoiceField(label=gettext_lazy("Later text"), choices=choices)
