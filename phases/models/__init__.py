"""The process and everything dated in it. Models stay slim: state changes go through
``phases.services``, rules live in ``phases.mandate``."""

from phases.models.deliverables import Deliverable
from phases.models.documents import Document, DocumentVersion
from phases.models.drafts import DraftParagraph, NegotiationDraft
from phases.models.meetings import Appointment, Meeting, MeetingDay, Panel
from phases.models.members import (
    MemberState,
    MemberStateGroupObjectPermission,
    MemberStateUserObjectPermission,
    ObserverOrganization,
)
from phases.models.process import Closure, Phase, Process, Venue

__all__ = [
    "Appointment",
    "Closure",
    "Deliverable",
    "Document",
    "DocumentVersion",
    "DraftParagraph",
    "Meeting",
    "MeetingDay",
    "MemberState",
    "MemberStateGroupObjectPermission",
    "MemberStateUserObjectPermission",
    "NegotiationDraft",
    "ObserverOrganization",
    "Panel",
    "Phase",
    "Process",
    "Venue",
]
