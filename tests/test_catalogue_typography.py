"""The words of the catalogues and of the pages, as each language writes them (issue 17):
no doubled word or parenthetical ("under review under review", "(demonstration text)
(demonstration text)"), no Latin comma, semicolon or question mark between Arabic words,
no Latin comma, colon, semicolon, mark or parenthesis next to Chinese characters where
Chinese has its full-width form, and no doubled period.

The catalogues are read from the compiled ``.mo`` files (``test_catalogues`` checks that
they are compiled from the ``.po`` files), so every msgstr, plural forms included, is seen
as Django serves it. The seeded meetings' pages are then read in Arabic and Chinese: a
template that joins translated pieces with a Latin ", " or ": " fails here too."""

from __future__ import annotations

import gettext
import html
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from phases.models import Meeting

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["ar", "es", "fr", "ru", "zh_Hans"]

CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
ARABIC = "\u0600-\u06ff"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\{\s*\w+\s*\}\}")
# A word, or two or three words, said twice in a row.
DOUBLED_WORD = re.compile(r"(?<!\w)((?:\w+\s+){0,2}\w+)\s+\1(?!\w)", re.IGNORECASE)
DOUBLED_PARENTHETICAL = re.compile(r"(\([^()]+\))\s*\1")
# Two periods, not an ellipsis "..." and not the parent folder "../".
DOUBLED_PERIOD = re.compile(r"(?<!\.)\.\s?\.(?![./])")
LATIN_IN_ARABIC = re.compile(rf"[{ARABIC}]\s*[,;?]|[,;?]\s*[{ARABIC}]")
LATIN_NEXT_TO_CHINESE = re.compile(rf"[{CJK}]\s*[,:;?!]|[,:;?!]\s*[{CJK}]")
# A parenthesis around Chinese words is full-width; one around a letter or a number
# ("第6(b)段", as the resolution writes it) is not.
LATIN_PARENTHESES_AROUND_CHINESE = re.compile(rf"\([^()]*[{CJK}][^()]*\)")

# Legitimate repeats, each with its reason.
ALLOWED_REPEATS = {
    # French reflexive verbs: "vous vous connectez", "nous nous engageons".
    ("fr", "vous vous"),
    ("fr", "nous nous"),
}
# Legitimate Latin marks next to Chinese: syntax the reader types, not prose.
ALLOWED_LATIN_IN_CHINESE = {
    # Markdown's footnote syntax in the help of the text editor: "[^1]: 注释内容".
    "]: ",
}


def catalogue(language: str) -> dict[str, str]:
    """msgid (with its context, and its plural form's index) → msgstr."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        found = gettext.GNUTranslations(mo)._catalog
    return {str(key): value for key, value in found.items() if key and value}


def problems(language: str, text: str) -> list[str]:
    found = []
    words = PLACEHOLDER.sub(" \u2063 ", text)
    for match in DOUBLED_WORD.finditer(words):
        repeat = " ".join(match.group(0).lower().split())
        if (language, repeat) not in ALLOWED_REPEATS and not match.group(1).isdigit():
            found.append(f"doubled word {match.group(0)!r}")
    for match in DOUBLED_PARENTHETICAL.finditer(text):
        found.append(f"doubled parenthetical {match.group(0)!r}")
    for match in DOUBLED_PERIOD.finditer(text):
        found.append(f"doubled period {text[max(0, match.start() - 20) : match.end() + 5]!r}")
    if language == "ar":
        for match in LATIN_IN_ARABIC.finditer(text):
            around = text[max(0, match.start() - 15) : match.end() + 15]
            found.append(f"Latin punctuation in Arabic {around!r} (، ؛ ؟)")
    if language.lower().startswith("zh"):
        bare = text
        for allowed in ALLOWED_LATIN_IN_CHINESE:
            bare = bare.replace(allowed, "\u2063")
        for match in LATIN_NEXT_TO_CHINESE.finditer(bare):
            around = bare[max(0, match.start() - 10) : match.end() + 10]
            found.append(f"Latin punctuation next to Chinese {around!r} (，：；？！)")
        for match in LATIN_PARENTHESES_AROUND_CHINESE.finditer(bare):
            found.append(f"Latin parentheses around Chinese {match.group(0)!r} (（）)")
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_writes_each_language_s_punctuation_and_no_doubled_words(language):
    found = [
        f"{msgid[:60]!r}: {problem}"
        for msgid, msgstr in catalogue(language).items()
        for problem in problems(language, msgstr)
    ]
    assert found == [], "\n".join(found)


def test_the_checks_catch_what_they_are_for():
    """Each check fails on the mistake it is for (so that a passing run means something),
    and lets the legitimate forms through."""
    assert problems("en", "Under review under review until 2 May")
    assert problems("en", "Zero draft (demonstration text) (demonstration text)")
    assert problems("es", "Confirmada.. Gracias")
    assert problems("zh_Hans", "主持方: 摩洛哥")
    assert problems("zh_Hans", "歧视,包括")
    assert problems("zh_Hans", "(日期为约数)")
    assert problems("ar", "مقر الأمم المتحدة, نيويورك")
    assert problems("ar", "الموعد؛ ثم, بعد")
    assert not problems("zh_Hans", "主持方：摩洛哥（第6(b)段）")
    assert not problems("ar", "مقر الأمم المتحدة، نيويورك")
    assert not problems("fr", "Vous vous connectez")
    assert not problems("es", "como «../» o …")
    assert not problems("en", "%(n)s %(n)s")  # placeholders are not words


def visible_text(page: str) -> str:
    main = re.search(r"<main\b.*?</main>", page, re.S).group(0)
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.mark.parametrize("language", ["ar", "zh-hans", "es"])
def test_the_seeded_meetings_pages_write_the_language_s_punctuation(gcm, language):
    found = []
    for meeting in Meeting.objects.filter(process=gcm).order_by("pk"):
        with translation.override(language):
            url = reverse("phases:meeting", args=[meeting.key])
        text = visible_text(Client().get(url).content.decode())
        # Tags become spaces above; the only doubled words that matter are the catalogue's.
        for problem in problems(language.replace("-hans", "_Hans"), text):
            if not problem.startswith("doubled word"):
                found.append(f"{meeting.key}: {problem}")
    assert found == [], "\n".join(found)
