"""Choices of the accreditation and the no-objection review (OP 6, 8, 9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganizationKind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organization")
    CIVIL_SOCIETY = "civil_society", _("Civil society organization")
    ACADEMIA = "academia", _("Academic institution")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    DIASPORA = "diaspora", _("Diaspora community")
    MIGRANT_ORGANIZATION = "migrant_organization", _("Migrant organization")
    PARLIAMENT = "parliament", _("Parliament")
    NHRI = "nhri", _("National human rights institution")


class Channel(models.TextChoices):
    """How an organization takes part (OP 6(a), 6(b)–(c), 9)."""

    ECOSOC = "ecosoc", _("Consultative status with ECOSOC")
    NHRI = "nhri", _("National human rights institution (Paris Principles, status A)")
    SPECIAL = "special", _("Special accreditation (list reviewed by Member States)")


class ApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_INFORMATION = "needs_information", _("Needs information")
    SCREENED_IN = "screened_in", _("Screened in")
    SCREENED_OUT = "screened_out", _("Screened out")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Another gender")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class ListPurpose(models.TextChoices):
    PREPARATORY = "preparatory", _("The preparatory process (OP 6(b))")
    CONFERENCE = "conference", _("The conference (OP 6(c))")


class ListStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("list status", "Being composed")
    UNDER_REVIEW = "under_review", _("Under review by Member States")
    CLOSED = "closed", pgettext_lazy("list status", "Review closed")


class EntryOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")
