"""The hash chain of the audit trail: what an event's hash covers, how an event is
appended, and how the chain is verified.

Each event carries its ``sequence`` (1, 2, 3... with no gap), ``prev_hash`` (the hash of
the event before it; ``GENESIS`` for the first) and ``hash``: the SHA-256 of its canonical
content, which includes the sequence and the previous hash, so that changing, removing or
re-ordering any event breaks every link after it. Canonical content is JSON with sorted
keys and no whitespace, ASCII only; the instant in ISO 8601, UTC, with microseconds; the
event's ``data`` as the database returns it (JSON), so what is hashed is what is stored.

Appending takes the one-row chain head (``AuditChainHead``) with an UPDATE first, which
locks the row on PostgreSQL and takes SQLite's write lock, in the transaction of the
change being recorded: concurrent writers line up there, and each reads the last event
only once it holds the lock. The head then records the new end of the chain, which lets
verification notice events removed from the end. The lock is held until the change's
transaction commits: record() is best called last in a service, as the services do.

This definition is the chain's contract: a stored hash stays verifiable only while it is
unchanged. Never change it; a new definition would need a version field.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import F

GENESIS = "0" * 64
# Events read per query while verifying: the walk's memory stays flat at any size.
CHUNK = 2000

# A broken link, by what is wrong (a code: the command prints it, the page translates it).
CONTENT_CHANGED = "content_changed"
MISSING = "missing"
ORDER_CHANGED = "order_changed"
HEAD_MISMATCH = "head_mismatch"


def _instant(at: datetime.datetime) -> str:
    if at.tzinfo is None:  # USE_TZ is on; a naive instant here is UTC
        at = at.replace(tzinfo=datetime.UTC)
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(value: Any) -> str:
    # Through JSON first, as the database stores it: tuples become lists, keys strings.
    value = json.loads(json.dumps(value))
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def content_hash(
    *,
    sequence: int,
    prev_hash: str,
    action: str,
    at: datetime.datetime,
    actor_id: int | None,
    actor_label: str,
    list_id: int | None,
    entry_id: int | None,
    data: Any,
) -> str:
    content = {
        "sequence": sequence,
        "prev": prev_hash,
        "action": action,
        "at": _instant(at),
        "actor": actor_id,
        "actor_label": actor_label,
        "list_id": list_id,
        "entry_id": entry_id,
        "data": data,
    }
    return hashlib.sha256(canonical(content).encode("ascii")).hexdigest()


def hash_of(event) -> str:
    """The hash an event's stored fields give (compared with its stored ``hash``)."""
    return content_hash(
        sequence=event.sequence,
        prev_hash=event.prev_hash,
        action=event.action,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        list_id=event.list_id,
        entry_id=event.entry_id,
        data=event.data,
    )


# --- Appending ----------------------------------------------------------------------------


def _lock(using: str) -> None:
    """Take the chain head for this transaction (the caller is inside one): a no-op
    UPDATE, which is the row lock on PostgreSQL and the write lock on SQLite, before
    anything is read."""
    from compact_process.audit.models import AuditChainHead

    heads = AuditChainHead.objects.using(using)
    if not heads.filter(pk=1).update(sequence=F("sequence")):
        # No head (a database emptied by a test's flush): make it, then lock it.
        with transaction.atomic(using=using):
            heads.get_or_create(pk=1)
        heads.filter(pk=1).update(sequence=F("sequence"))


def link(events: Iterable, *, using: str) -> tuple[int, str]:
    """Give each new event its place in the chain (sequence, previous hash, hash), with
    the chain locked for this transaction; returns the new end of the chain. Inside the
    caller's transaction, which then inserts the events and calls ``advance``.

    The predecessor is read from the events themselves (the unique sequence's index),
    not from the head: the head is the lock, and the end the verification expects."""
    from compact_process.audit.models import AuditEvent

    _lock(using)
    last = (
        AuditEvent.objects.using(using)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, prev = last or (0, GENESIS)
    for event in events:
        sequence += 1
        event.sequence, event.prev_hash = sequence, prev
        event.hash = prev = hash_of(event)
    return sequence, prev


def advance(head: tuple[int, str], *, using: str) -> None:
    from compact_process.audit.models import AuditChainHead

    sequence, last_hash = head
    AuditChainHead.objects.using(using).filter(pk=1).update(sequence=sequence, hash=last_hash)


# --- Verifying ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """The first broken link: which event, and what is wrong."""

    problem: str
    event_id: int | None
    sequence: int | None
    action: str
    detail: str

    def __str__(self) -> str:
        return (
            f"event #{self.event_id} (sequence {self.sequence}, {self.action}): "
            f"{self.problem.replace('_', ' ')}: {self.detail}"
        )


@dataclass(frozen=True)
class Result:
    ok: bool
    # Events in the chain up to where it was verified (all of them when it is intact).
    events: int
    # Events read by this run (fewer than ``events`` when incremental).
    checked: int
    last_sequence: int
    last_hash: str
    broken: Broken | None = None


FIELDS = (
    "id",
    "sequence",
    "prev_hash",
    "hash",
    "action",
    "at",
    "actor_id",
    "actor_label",
    "list_id",
    "entry_id",
    "data",
)


@dataclass
class _Row:
    id: int
    sequence: int
    prev_hash: str
    hash: str
    action: str
    at: datetime.datetime
    actor_id: int | None
    actor_label: str
    list_id: int | None
    entry_id: int | None
    data: Any


def _rows(using: str, after: int) -> Iterator[_Row]:
    """Events after sequence ``after``, in sequence order, a chunk per query (keyset
    pagination on the unique sequence: no server-side cursor held across the walk)."""
    from compact_process.audit.models import AuditEvent

    events = AuditEvent.objects.using(using).order_by("sequence")
    while True:
        chunk = list(events.filter(sequence__gt=after).values_list(*FIELDS)[:CHUNK])
        if not chunk:
            return
        for values in chunk:
            yield _Row(*values)
        after = chunk[-1][1]


@contextlib.contextmanager
def _snapshot(using: str):
    """One consistent view of the events and the head for the whole walk: otherwise an
    event committed between reading the last events and reading the head would look
    like events removed from the end. PostgreSQL: a REPEATABLE READ transaction (the
    caller is not inside one: verify() checks); SQLite:
    a read transaction is one snapshot already."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def verify(*, using: str = "default", start_sequence: int = 0, start_hash: str = GENESIS):
    """Walk the chain from the event after ``start_sequence`` (whose hash was
    ``start_hash``) and return the first broken link, if any. ``start_sequence=0``: the
    whole chain."""
    if connections[using].in_atomic_block:
        return _verify(using, start_sequence, start_hash)
    with _snapshot(using):
        return _verify(using, start_sequence, start_hash)


def _verify(using: str, start_sequence: int, start_hash: str) -> Result:
    from compact_process.audit.models import AuditChainHead, AuditEvent

    expected, prev_hash, prev_row, checked = start_sequence + 1, start_hash, None, 0

    def broken(problem, row, detail):
        return Result(
            False,
            expected - 1,
            checked,
            expected - 1,
            prev_hash,
            Broken(
                problem,
                row.id if row else None,
                row.sequence if row else None,
                row.action if row else "",
                detail,
            ),
        )

    if start_sequence:
        # The event an incremental run starts after must still be the one verified.
        anchor = AuditEvent.objects.using(using).filter(sequence=start_sequence).first()
        if anchor is None or anchor.hash != start_hash or hash_of(anchor) != start_hash:
            return _verify(using, 0, GENESIS)  # something changed behind us: walk it all
    for row in _rows(using, start_sequence):
        if row.sequence != expected:
            if row.sequence > expected:
                gap = (
                    f"the event with sequence {expected} is"
                    if row.sequence == expected + 1
                    else f"the events with sequence {expected} to {row.sequence - 1} are"
                )
                return broken(MISSING, row, f"{gap} missing before it")
            return broken(ORDER_CHANGED, row, f"sequence {row.sequence} appears twice")
        if row.prev_hash != prev_hash:
            later = (
                AuditEvent.objects.using(using)
                .filter(hash=row.prev_hash)
                .values_list("id", "sequence")
                .first()
            )
            if later is not None:
                return broken(
                    ORDER_CHANGED,
                    row,
                    f"it was written after event #{later[0]}, which now "
                    f"comes at sequence {later[1]}",
                )
            return broken(
                MISSING,
                row,
                "the event written before it is missing or was replaced"
                + (f" (after event #{prev_row.id})" if prev_row else ""),
            )
        if hash_of(row) != row.hash:
            return broken(CONTENT_CHANGED, row, "its content no longer matches its hash")
        prev_hash, prev_row = row.hash, row
        expected += 1
        checked += 1
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    last = expected - 1
    if head is not None and (head.sequence, head.hash) != (last, prev_hash):
        if head.sequence > last:
            detail = (
                f"the chain ends at sequence {last}, but {head.sequence} events were "
                "written: the last ones were removed"
            )
        else:
            detail = f"the chain head says sequence {head.sequence}, the events go to {last}"
        return Result(
            False,
            last,
            checked,
            last,
            prev_hash,
            Broken(
                HEAD_MISMATCH,
                prev_row.id if prev_row else None,
                last or None,
                prev_row.action if prev_row else "",
                detail,
            ),
        )
    return Result(True, last, checked, last, prev_hash)
