"""Choices shared by models, services and the mandate checks."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionalGroup(models.TextChoices):
    AFRICAN = "african", _("African States")
    ASIA_PACIFIC = "asia_pacific", _("Asia-Pacific States")
    EASTERN_EUROPEAN = "eastern_european", _("Eastern European States")
    LATIN_AMERICAN_CARIBBEAN = "grulac", _("Latin American and Caribbean States")
    WESTERN_EUROPEAN_OTHERS = "weog", _("Western European and other States")
    # The United States belongs to no group (it attends WEOG as an observer).
    NONE = "", _("No regional group")


class StateStatus(models.TextChoices):
    MEMBER = "member", _("Member State")
    OBSERVER = "observer", _("Non-member observer State")


class ObserverCategory(models.TextChoices):
    """OP 3–4: who takes part as an observer."""

    UN_SYSTEM = "un_system", _("United Nations system entity")
    SPECIALIZED_AGENCY = "specialized_agency", _("Specialized agency")
    RELATED_ORGANIZATION = "related_organization", _("Related organization")
    IGO_STANDING_INVITATION = "igo", _("Intergovernmental organization with a standing invitation")


class MeetingKind(models.TextChoices):
    THEMATIC_SESSION = "thematic_session", _("Informal thematic session")
    STAKEHOLDER_DIALOGUE = "stakeholder_dialogue", _("Informal dialogue with stakeholders")
    STOCKTAKING = "stocktaking", _("Stocktaking meeting")
    NEGOTIATION_ROUND = "negotiation_round", _("Intergovernmental negotiation round")
    HEARING = "hearing", _("Multi-stakeholder hearing")
    INFORMAL_CONSULTATION = "informal_consultation", _("Informal consultation")
    CONFERENCE = "conference", _("Intergovernmental conference")


class AppointmentRole(models.TextChoices):
    CO_FACILITATOR = "co_facilitator", _("Co-facilitator")  # OP 5
    SG_OF_CONFERENCE = "sg_conference", _("Secretary-General of the Conference")  # OP 10
    PANEL_MODERATOR = "panel_moderator", _("Panel moderator")  # OP 17


class Appointer(models.TextChoices):
    PGA = "pga", _("President of the General Assembly")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-General")


class DeliverableKind(models.TextChoices):
    WORK_PLAN = "work_plan", _("Work plan")  # OP 22
    ISSUE_BRIEF = "issue_brief", _("Issue brief")  # OP 18
    COFACILITATORS_SUMMARY = "cofacilitators_summary", _("Co-facilitators' summary")  # OP 21
    CHAIRS_SUMMARY = "chairs_summary", _("Chair's summary")  # OP 25
    ORGANIZATIONAL_NOTE = "organizational_note", _("Note on organizational arrangements")  # OP 13
    SG_REPORT = "sg_report", _("Report of the Secretary-General")  # OP 26
    ZERO_DRAFT = "zero_draft", _("Zero draft")  # OP 27
    HEARING_SUMMARY = "hearing_summary", _("Summary of the hearing")  # OP 30
    TRANSMITTAL_LETTER = "transmittal_letter", _("Transmittal letter")
    STAKEHOLDER_LIST = (
        "stakeholder_list",
        pgettext_lazy("list of names", "Proposed stakeholder list"),
    )  # OP 6


class ResponsibleRole(models.TextChoices):
    CO_FACILITATORS = "co_facilitators", _("Co-facilitators")
    PGA_OFFICE = "pga_office", _("Office of the President of the General Assembly")
    SECRETARY_GENERAL = "secretary_general", _("Secretary-General")
    SECRETARIAT = "secretariat", _("Secretariat")
    UN_SYSTEM = "un_system", _("United Nations system (inter-agency)")
    MEMBER_STATES = "member_states", _("Member States")


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PREPARATION = "in_preparation", _("In preparation")
    DELIVERED = "delivered", _("Delivered")


class Timeliness(models.TextChoices):
    """Derived from the dates, never stored."""

    ON_TRACK = "on_track", _("On track")
    OVERDUE = "overdue", _("Overdue")
    DELIVERED_ON_TIME = "on_time", _("Delivered on time")
    DELIVERED_LATE = "late", _("Delivered late")


def timeliness(
    due_on: datetime.date, delivered_on: datetime.date | None, today: datetime.date
) -> Timeliness:
    """Whether something owed by ``due_on`` is on track, overdue, or was delivered on time
    or late. The one definition used by models, the mandate checks and pages."""
    if delivered_on is not None:
        return Timeliness.DELIVERED_ON_TIME if delivered_on <= due_on else Timeliness.DELIVERED_LATE
    return Timeliness.OVERDUE if today > due_on else Timeliness.ON_TRACK


class DocumentKind(models.TextChoices):
    ISSUE_BRIEF = "issue_brief", _("Issue brief")  # OP 18
    COFACILITATORS_SUMMARY = "cofacilitators_summary", _("Co-facilitators' summary")  # OP 21
    CHAIRS_SUMMARY = "chairs_summary", _("Chair's summary")  # OP 25
    SG_REPORT = "sg_report", _("Report of the Secretary-General")  # OP 26
    NEGOTIATION_TEXT = "negotiation_text", _("Negotiation text")  # OP 27
    HEARING_SUMMARY = "hearing_summary", _("Summary of the hearing")  # OP 30
    TRANSMITTAL_LETTER = "transmittal_letter", _("Transmittal letter")
    STAKEHOLDER_LIST = "stakeholder_list", _("Stakeholder list")  # footnote 5
    WORK_PLAN = "work_plan", _("Work plan")  # OP 22
    ORGANIZATIONAL_NOTE = "organizational_note", _("Note on organizational arrangements")
    CONFERENCE_REPORT = "conference_report", _("Report of the Conference")  # OP 1
    OTHER = "other", _("Other document")


# Summaries and reports: what the process book binds, in date order.
BOOK_KINDS = (
    DocumentKind.ISSUE_BRIEF,
    DocumentKind.COFACILITATORS_SUMMARY,
    DocumentKind.HEARING_SUMMARY,
    DocumentKind.CHAIRS_SUMMARY,
    DocumentKind.SG_REPORT,
    DocumentKind.CONFERENCE_REPORT,
)


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")
    PUBLISHED = "published", _("Published")


class Distribution(models.TextChoices):
    GENERAL = "general", pgettext_lazy("document distribution", "General")
    LIMITED = "limited", pgettext_lazy("document distribution", "Limited")


class DraftStage(models.TextChoices):
    ZERO = "zero", _("Zero draft")
    ZERO_PLUS = "zero_plus", _("Zero draft plus")
    REVISION = "revision", _("Revision")
    FINAL = "final", _("Final draft")
    AGREED = "agreed", _("Agreed text")


class DraftPart(models.TextChoices):
    """The parts of the text; OP 2 names commitments, means of implementation, and
    follow-up and review, and the drafts open with a preamble."""

    PREAMBLE = "preamble", _("Preamble")
    COMMITMENTS = "commitments", _("Commitments")
    IMPLEMENTATION = "implementation", _("Means of implementation")
    FOLLOW_UP = "follow_up", _("Follow-up and review")
