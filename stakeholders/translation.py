"""Content fields kept in the six official languages (django-modeltranslation).

An organization describes itself in whichever of the six it writes; where a page's
language has no description, the page shows another one, marked with its language (see
``compact_process.web.templatetags.web.translated``)."""

from modeltranslation.translator import TranslationOptions, register

from stakeholders.models import Organization


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("description",)
