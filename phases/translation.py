"""Content fields kept in the six official languages (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from phases.models import (
    Deliverable,
    Document,
    DraftParagraph,
    Meeting,
    MemberState,
    NegotiationDraft,
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


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("title",)


@register(NegotiationDraft)
class NegotiationDraftTranslation(TranslationOptions):
    fields = ("title",)


@register(DraftParagraph)
class DraftParagraphTranslation(TranslationOptions):
    fields = ("text",)
