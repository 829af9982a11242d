"""The punctuation a template writes between translated pieces, in the page's language.

A sentence is translated whole (``blocktranslate``); but a label and its value ("Moderated
by: Morocco"), a place and its city, or items of a list are joined in the template, and
a Latin ", " or ": " there reads wrong in Chinese ("主持方: ") and Arabic. Each language's
own marks: full-width ，：；（） in Chinese, ، and ؛ in Arabic, the French space before
the colon and the semicolon."""

from __future__ import annotations

from django.utils.translation import get_language

_MARKS: dict[str, dict[str, str]] = {
    "comma": {"zh-hans": "，", "ar": "، "},
    "colon": {"zh-hans": "：", "fr": "\u00a0: "},
    "semicolon": {"zh-hans": "；", "ar": "؛ ", "fr": "\u00a0; "},
    "open": {"zh-hans": "（"},
    "close": {"zh-hans": "）"},
}
_DEFAULT = {"comma": ", ", "colon": ": ", "semicolon": "; ", "open": "(", "close": ")"}


def mark(name: str, language: str | None = None) -> str:
    """``comma``, ``colon``, ``semicolon`` (each with the space after it, where the
    language puts one), ``open`` or ``close`` (a parenthesis)."""
    language = (language or get_language() or "en").lower()
    return _MARKS[name].get(language, _DEFAULT[name])
