"""Users. A custom user model from the first migration, as Django advises."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: secretariat, PGA office, co-facilitator, delegate, stakeholder.

    Roles are groups (see ``compact_process.accounts.roles``); a delegate's right to
    act for one Member State is an object permission granted through guardian.
    """

    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Used for e-mails, reminders and PDFs sent to this person."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
