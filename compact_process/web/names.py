"""Names that read the same to everyone (issue 15).

A name is written by one person and read by others: an organization's name by Member
States, a representative's by the Office. An invisible or direction-changing character
in it (U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, ...) makes two readers see
two names, or one name look like another; so ``validate_name`` refuses them where a
name is written, and what is shown is isolated from the text around it (``<bdi>`` in
HTML, FSI … PDI in plain text), so that a Latin name on an Arabic page keeps its final
period at its end, and a name written before this rule cannot turn the sentence around
it.

What is refused: every character of the Unicode category Cf (format: the bidi
embeddings, overrides, isolates and marks, U+061C, the zero-width space, the word
joiner, U+FEFF, the soft hyphen, the invisible operators, tags), the controls (Cc: tab,
line feed, ...), the line and paragraph separators, and the blank Hangul fillers that
render as nothing. The two joiners are kept where a script needs them: U+200C ZERO
WIDTH NON-JOINER is part of Persian, Urdu or Pashto spelling (an organization writes its
name "in its own language", not only in the six UN languages), and both joiners are
part of Devanagari, Bengali and other Indic spellings. Where a joiner is legitimate is
the rule of RFC 5892 (IDNA, appendix A.1 and A.2: after a virama, or a non-joiner
between two joining letters of the Arabic script), taken from the ``idna`` library
rather than written again; anywhere else (in a Latin, Cyrillic, Chinese or Arabic name
with no joining letter around it) a joiner is refused like the rest.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from idna.core import valid_contextj

ZWNJ, ZWJ = "\u200c", "\u200d"
FSI, PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE, POP DIRECTIONAL ISOLATE
# Letters (category Lo) that render as blank space: the Hangul fillers.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# U+034F COMBINING GRAPHEME JOINER: a mark that shows nothing.
BLANK_MARKS = frozenset("\u034f")
REFUSED_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp"})


def hidden_characters(value: str) -> list[str]:
    """The invisible or direction-changing characters in ``value``, each once, in
    order, as "U+202E"."""
    found: list[str] = []
    for position, char in enumerate(value):
        if char in (ZWNJ, ZWJ) and valid_contextj(value, position):
            continue
        if (
            unicodedata.category(char) in REFUSED_CATEGORIES
            or char in BLANK_LETTERS
            or char in BLANK_MARKS
        ):
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def validate_name(value: str) -> None:
    """Refuse a name (of an organization, a person, a list) holding an invisible or
    direction-changing character, naming it so that the writer can find it."""
    found = hidden_characters(str(value))
    if found:
        raise ValidationError(
            _(
                "The name contains an invisible or direction-changing character (%(codes)s); "
                "please remove it."
            ),
            code="hidden_character",
            params={"codes": ", ".join(found)},
        )


def isolate_text(value: object) -> str:
    """A name in plain text (a text e-mail), isolated from the sentence around it: its
    direction is its own first strong letter's, and nothing in it reaches outside."""
    text = "" if value is None else str(value)
    return f"{FSI}{text}{PDI}" if text else text


def isolate_html(value: object) -> str:
    """A name in HTML, escaped and isolated in ``<bdi>``."""
    text = "" if value is None else str(value)
    return format_html("<bdi>{}</bdi>", text) if text else text
