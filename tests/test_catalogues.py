"""The translation catalogues: complete, valid, and compiled from their sources.

The compiled ``.mo`` files are committed, so that a machine without gettext serves the
translations; this test catches a ``.po`` edited without recompiling (``make messages``).
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["ar", "es", "fr", "ru", "zh_Hans"]


@pytest.fixture(scope="module")
def msgfmt() -> str:
    path = shutil.which("msgfmt")
    need(path is not None, "gettext's msgfmt is not installed (run 'sudo make system-deps')")
    return path


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_is_complete_and_valid(msgfmt, language, tmp_path):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    checked = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    # e.g. "59 translated messages." — and no "fuzzy" or "untranslated" count.
    assert "translated message" in checked.stderr
    assert "fuzzy" not in checked.stderr and "untranslated" not in checked.stderr, checked.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_compiled_from_the_po_file(msgfmt, language, tmp_path):
    folder = LOCALE / language / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(fresh), str(folder / "django.po")], check=True)
    with (folder / "django.mo").open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        ), f"locale/{language}: run 'make messages' and commit the .mo file"


def test_every_string_marked_in_the_source_is_translated(msgfmt, tmp_path):
    """The catalogues extracted again from today's source (templates, Python, e-mails,
    PDFs): a string marked for translation but not yet in a catalogue, or changed since it
    was translated, comes back untranslated or fuzzy, and fails here with its language.
    Runs makemessages in a copy of the source, so the checkout is never touched."""
    need(shutil.which("xgettext") is not None, "gettext's xgettext is not installed")
    root = LOCALE.parent
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "var", "node_modules", "__pycache__", "*.mo", "*.egg-info", "build"
        ),
    )
    languages = [arg for code in LANGUAGES for arg in ("-l", code)]
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", *languages],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    problems = []
    for language in LANGUAGES:
        po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        checked = subprocess.run(
            [msgfmt, "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True
        )
        if "fuzzy" in checked.stderr or "untranslated" in checked.stderr:
            problems.append(f"{language}: {checked.stderr.strip()}")
    assert not problems, (
        "Strings in the source are missing from the catalogues (run 'make messages', "
        "translate them, and commit the .po and .mo files):\n" + "\n".join(problems)
    )
