"""Changes to one's own account: a password set through a reset link (audited in the
same transaction), the preferred language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from compact_process.audit.models import record

log = logging.getLogger(__name__)

# At most one recovery e-mail of a kind per account in this many seconds: someone typing
# another person's address again and again does not fill their mailbox.
MAIL_INTERVAL_SECONDS = 60


def may_send(kind: str, user) -> bool:
    """Claim this account's slot for one ``kind`` of recovery e-mail (``verification``,
    ``password-reset``); False while the last one is less than a minute old. The claim is
    an atomic ``add`` in the shared cache, so two processes never both send."""
    key = f"accounts:mail:{kind}:{user.pk}:{user.date_joined.timestamp()}"
    try:
        return bool(cache.add(key, 1, timeout=MAIL_INTERVAL_SECONDS))
    except Exception:  # the cache does not answer: recovery still works, unthrottled
        log.warning("The cache does not answer: %s mail sent unthrottled", kind, exc_info=True)
        return True


def reset_password(*, user, password: str):
    """The person followed a reset link and chose a new password. The link stops working
    (Django's token covers the password hash)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record("account.password_reset", actor=user, username=user.get_username())
    return user


def change_password(*, user, password: str):
    """The person, signed in, chose a new password (its old one typed first). Their other
    sessions end: Django's session hash covers the password."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record("account.password_changed", actor=user, username=user.get_username())
    return user


def set_preferred_language(*, user, language: str):
    """The language of what is sent to the person, and of the pages they land on when
    they sign in."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a language of the site: {language!r}")
    if user.preferred_language != language:
        # Not audited, as the profile page's change of it is not: it decides nothing.
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user
