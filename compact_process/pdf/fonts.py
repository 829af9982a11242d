"""Which fonts a PDF needs, and whether this machine has them.

The PDF stylesheet names the Noto families explicitly for each script; when one is not
installed WeasyPrint would print empty boxes, so rendering is refused instead with a
message saying which Debian package to install."""

from __future__ import annotations

import re
import shutil
import subprocess

from django.utils.translation import gettext as _

from compact_process.errors import Refusal

SYSTEM_DEPS = "sudo make system-deps"

# script → the families the stylesheet names for it, and their Debian package.
FONTS: dict[str, tuple[tuple[str, ...], str]] = {
    "Latin": (("Noto Serif", "Noto Sans"), "fonts-noto-core"),
    "Cyrillic": (("Noto Serif", "Noto Sans"), "fonts-noto-core"),
    "Arabic": (("Noto Naskh Arabic",), "fonts-noto-core"),
    "Chinese": (("Noto Serif CJK SC", "Noto Sans CJK SC"), "fonts-noto-cjk"),
}

_SCRIPTS = {
    "Latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "Cyrillic": re.compile(r"[\u0400-\u052f]"),
    "Arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"),
    "Chinese": re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"),
}
_TAGS = re.compile(r"<(style|script)\b.*?</\1>|<[^>]*>", re.S | re.I)


class MissingFont(Refusal):
    """The PDF needs a font this machine does not have."""


def scripts_in(html: str) -> list[str]:
    """The scripts the text of the HTML uses (markup and the stylesheet left out)."""
    text = _TAGS.sub(" ", html)
    return [script for script, pattern in _SCRIPTS.items() if pattern.search(text)]


_found: frozenset[str] = frozenset()


def _ask_fontconfig() -> frozenset[str]:
    if not shutil.which("fc-list"):
        return frozenset()
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(
        name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()
    )


def installed_families() -> frozenset[str]:
    """The font families fontconfig knows. Remembered once every family the stylesheet
    names is there; until then asked again each time, so that fonts installed while the
    worker runs, or an ``fc-list`` that failed once, do not refuse PDFs until a restart."""
    global _found
    if not {family for family, _package in families()} <= _found:
        _found = _ask_fontconfig()
    return _found


def families() -> list[tuple[str, str]]:
    """Every (family, package) the stylesheet names, once each."""
    seen: dict[str, str] = {}
    for names, package in FONTS.values():
        for name in names:
            seen.setdefault(name, package)
    return list(seen.items())


def status() -> list[tuple[str, str, bool]]:
    """(family, Debian package, installed) for each family, for an operations page."""
    installed = installed_families()
    return [(family, package, family in installed) for family, package in families()]


def missing_message(script: str, family: str, package: str) -> str:
    return _(
        "This PDF contains %(script)s text but the font “%(family)s” is not installed on "
        "the server, so it cannot be printed without empty boxes. Install the Debian package "
        "%(package)s (run “%(fix)s”) and try again."
    ) % {"script": script, "family": family, "package": package, "fix": SYSTEM_DEPS}


def check_fonts(html: str) -> None:
    """Raise MissingFont when the text uses a script whose fonts are not installed."""
    installed = installed_families()
    for script in scripts_in(html):
        names, package = FONTS[script]
        for family in names:
            if family not in installed:
                raise MissingFont(missing_message(script, family, package))
