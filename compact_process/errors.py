"""Errors that the services raise for people to read."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Refusal(ValidationError):
    """A change refused as a whole by a service, not one field's error: the rules of the
    process do not allow it (a hard rule of the mandate, a step of the review out of
    turn). Its ``messages`` are what the person sees, at the top of the form; nothing was
    changed.

    It is a ValidationError so that code which only knows Django's error still catches
    it; code that tells the two apart must catch ``Refusal`` first."""
