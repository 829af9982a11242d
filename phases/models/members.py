"""Participants (OP 3–4): Member States, observer States, observer organizations."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from phases.enums import ObserverCategory, RegionalGroup, StateStatus


class MemberState(models.Model):
    """A UN Member State or non-member observer State (shipped by migration 0002)."""

    name = models.CharField(_("name"), max_length=100)
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    m49 = models.CharField(_("M49 code"), max_length=3, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=StateStatus.choices)
    un_member_since = models.DateField(_("member since"), null=True, blank=True)
    regional_group = models.CharField(
        _("regional group"), max_length=20, choices=RegionalGroup.choices, blank=True
    )
    regional_group_note = models.TextField(_("regional group note"), blank=True)
    ldc_from = models.DateField(_("least developed country from"), null=True, blank=True)
    ldc_until = models.DateField(_("least developed country until"), null=True, blank=True)
    developing = models.BooleanField(_("developing country"), default=False)

    class Meta:
        ordering = ["status", "name"]
        verbose_name = pgettext_lazy("country", "State")
        verbose_name_plural = pgettext_lazy("country", "States")
        permissions = [("act_for_state", _("Act as a delegate of this State"))]

    def __str__(self) -> str:
        return self.name

    @property
    def is_member(self) -> bool:
        return self.status == StateStatus.MEMBER

    def is_ldc(self, on: datetime.date) -> bool:
        """Whether the State was on the LDC list on a given day (the trust fund, OP 31)."""
        if self.ldc_from is None or self.ldc_from > on:
            return False
        return self.ldc_until is None or self.ldc_until > on


# Direct foreign-key permission tables from the first migration (STACK-NOTES:
# guardian's generic tables store ids as text, do not cascade, and are slower).
class MemberStateUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(MemberState, on_delete=models.CASCADE)


class MemberStateGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(MemberState, on_delete=models.CASCADE)


class ObserverOrganization(models.Model):
    """A UN system entity or intergovernmental organization taking part as observer."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    category = models.CharField(_("category"), max_length=30, choices=ObserverCategory.choices)

    class Meta:
        ordering = ["category", "acronym"]
        verbose_name = _("observer organization")
        verbose_name_plural = _("observer organizations")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})"
