"""Forms of the text pages: the editor and the summary's creation."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from compact_process.web.forms import AccessibleFormMixin
from compact_process.web.languages import direction
from phases.documents.pdfs import language_label


class TextForm(AccessibleFormMixin, forms.Form):
    source = forms.CharField(
        label=_("Text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "cols": 80, "spellcheck": "true"}),
        error_messages={"required": _("Write the text before saving it.")},
        help_text=_(
            "Formatting: a line starting with # is a heading (## a subheading); lines "
            "starting with - or 1. make a list; *italic*, **bold**; a footnote is [^1] in "
            "the text and, on a line of its own, [^1]: the note. A line "
            '<hr class="page-break"> starts a new page in the PDF.'
        ),
    )

    def __init__(self, *args, language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        field.label = _("Text in %(language)s") % {"language": language_label(language)}
        field.widget.attrs.update({"lang": language, "dir": direction(language)})
        self["source"].label = field.label  # the bound field was made (and cached) earlier


class WriteSummaryForm(AccessibleFormMixin, forms.Form):
    original_language = forms.ChoiceField(
        label=_("Original language"),
        choices=settings.LANGUAGES,
        initial="en",
        help_text=_(
            "The language the summary is written in first; it must be written "
            "before the summary can be published."
        ),
    )
