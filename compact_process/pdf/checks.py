"""A start-up warning for each font family the PDF stylesheet names that is missing."""

from __future__ import annotations

from django.core.checks import Warning, register

from . import fonts


@register()
def fonts_installed(app_configs=None, **kwargs):
    return [
        Warning(
            f"The font family {family!r} used in PDFs is not installed: "
            "PDFs with its script are refused.",
            hint=f"Install the Debian package {package} ({fonts.SYSTEM_DEPS}).",
            id="pdf.W001",
        )
        for family, package, installed in fonts.status()
        if not installed
    ]
