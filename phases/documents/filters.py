"""Filters of the document lists (django-filter): the secretariat's list and the public
library. Both work as plain GET forms, without JavaScript."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact_process.web.forms import AccessibleFormMixin
from phases.documents.selectors import title_search
from phases.enums import DocumentKind, DocumentStatus
from phases.models import Document, DocumentVersion, Meeting, Process


class FilterForm(AccessibleFormMixin, forms.Form):
    pass


def _meetings(process: Process):
    return Meeting.objects.filter(process=process).order_by("id")


class StaffDocumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=DocumentKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=DocumentStatus.choices, empty_label=_("All statuses")
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"), queryset=Meeting.objects.none(), empty_label=_("All meetings")
    )

    class Meta:
        model = Document
        fields = ["kind", "status", "meeting"]
        form = FilterForm

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["meeting"].queryset = _meetings(process)


def _has_version(language: str):
    return Exists(
        DocumentVersion.objects.filter(document=OuterRef("pk"), language=language).filter(
            ~Q(file="") | ~Q(body_html="")
        )
    )


class LibraryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        help_text=_("Words of the title, or the document symbol (e.g. A/72/643)."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=DocumentKind.choices, empty_label=_("All kinds")
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"), queryset=Meeting.objects.none(), empty_label=_("All meetings")
    )
    year = django_filters.ChoiceFilter(
        label=pgettext_lazy("calendar year", "Year"),
        field_name="issued_on",
        lookup_expr="year",
        choices=[],
        empty_label=_("All years"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Available in"),
        choices=settings.LANGUAGES,
        method="available_in",
        empty_label=_("Any language"),
    )

    class Meta:
        model = Document
        fields = ["q", "kind", "meeting", "year", "language"]
        form = FilterForm

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["meeting"].queryset = _meetings(process)
        base = self.queryset if self.queryset is not None else Document.objects.none()
        years = sorted(
            {d.year for d in base.order_by().values_list("issued_on", flat=True).distinct()},
            reverse=True,
        )
        self.filters["year"].extra["choices"] = [(str(y), str(y)) for y in years]

    def search(self, queryset, name: str, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(title_search(value))

    def available_in(self, queryset, name: str, value: str):
        if not value:
            return queryset
        return queryset.filter(_has_version(value))
