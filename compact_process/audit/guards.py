"""What lets the database's own guards (the triggers of audit 0006 and stakeholders
0006) tell a whole-database flush from a change.

The triggers refuse to rewrite the record: audit events, and the entries and objections
of a submitted list. One thing must still get through: emptying the *whole* database
between transactional tests (pytest-django flushes with TRUNCATE on PostgreSQL, DELETE
on SQLite). ``flushing()`` says so, for one transaction:

- PostgreSQL: ``SET LOCAL compact.flush_all = 'on'``. The trigger honours it only for a
  superuser, who could disable the triggers anyway; the application's role is not a
  superuser (docker-compose, README), so for it the setting changes nothing.
- SQLite: the triggers ask ``compact_flush_allowed()``, a function this module gives
  every connection Django opens; it answers yes only inside ``flushing()`` in this
  thread. Any other program (the sqlite3 shell) has no such function, so its UPDATE or
  DELETE on a guarded table fails: the guard holds there too. SQLite has no roles: its
  guards stop mistakes, not someone who can write the file.
"""

from __future__ import annotations

import contextlib
import threading

FLUSH_SETTING = "compact.flush_all"
SQLITE_FUNCTION = "compact_flush_allowed"

_state = threading.local()


def _allowed() -> int:
    return 1 if getattr(_state, "flushing", False) else 0


def install_sqlite_function(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver (AuditConfig.ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 0, _allowed)


@contextlib.contextmanager
def flushing():
    """Inside: the SQLite guards let a whole-database flush through (this thread)."""
    before = getattr(_state, "flushing", False)
    _state.flushing = True
    try:
        yield
    finally:
        _state.flushing = before


def flush_statements(connection) -> list[str]:
    """What to run first in the flush's transaction (PostgreSQL's side)."""
    if connection.vendor == "postgresql":
        return [f"SET LOCAL {FLUSH_SETTING} = 'on'"]
    return []
