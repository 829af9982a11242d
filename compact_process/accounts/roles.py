"""The roles of MANDATE.md, as Django groups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    PGA_OFFICE = "pga_office", _("Office of the President of the General Assembly")
    CO_FACILITATOR = "co_facilitator", _("Co-facilitator")
    DELEGATE = "delegate", _("Member State delegate")
    STAKEHOLDER = "stakeholder", _("Stakeholder")
