"""Reads about accounts that several pages share."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from compact_process.audit.models import AuditEvent


def awaiting_verification(user) -> bool:
    """Signed up and never confirmed the e-mail address: told so at sign-in and sent the
    link again on request. An account a person of the staff deactivated is not (it was
    verified, or never signed up itself), so that the link cannot bring it back."""
    if user.is_active:
        return False
    actions = set(
        AuditEvent.objects.filter(
            actor=user, action__in=["account.signed_up", "account.verified"]
        ).values_list("action", flat=True)
    )
    return actions == {"account.signed_up"}


def unverified_accounts(identifier: str) -> list:
    """The accounts awaiting verification whose user name or e-mail address is this."""
    identifier = identifier.strip()
    if not identifier:
        return []
    candidates = (
        get_user_model()
        .objects.filter(is_active=False)
        .filter(Q(username__iexact=identifier) | Q(email__iexact=identifier))[:10]
    )
    return [user for user in candidates if awaiting_verification(user)]
