"""The translation catalogues: complete, valid, and compiled from their sources.

The compiled ``.mo`` files are committed, so that a machine without gettext serves the
translations; this test catches a ``.po`` edited without recompiling (``make messages``).
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
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
