"""Content fields kept in the six official languages (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from phases.models import (
    Deliverable,
    Meeting,
    MemberState,
    ObserverOrganization,
    Panel,
    Phase,
    Process,
    Venue,
)


@register(Process)
class ProcessTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Venue)
class VenueTranslation(TranslationOptions):
    fields = ("name", "city")


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "theme")


@register(Panel)
class PanelTranslation(TranslationOptions):
    fields = ("title",)


@register(Deliverable)
class DeliverableTranslation(TranslationOptions):
    fields = ("title",)


@register(MemberState)
class MemberStateTranslation(TranslationOptions):
    fields = ("name",)


@register(ObserverOrganization)
class ObserverOrganizationTranslation(TranslationOptions):
    fields = ("name",)
