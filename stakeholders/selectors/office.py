"""Reads for the Office of the PGA's pages (OP 6, footnote 5). Each returns data in a
fixed number of queries, whatever the number of applications, entries or events:
balances are counted in SQL (aggregate/annotate), related rows are joined or prefetched.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from compact_process.audit.models import AuditEvent
from phases.enums import RegionalGroup
from phases.models import Process
from stakeholders.enums import ApplicationState, Channel, EntryOutcome, Gender, ListStatus
from stakeholders.models import (
    Application,
    InformationRequest,
    ListEntry,
    Objection,
    Representative,
    StakeholderList,
)

# How many candidates the "add an entry" select offers at once (the search narrows it).
CANDIDATES_SHOWN = 100


@dataclass(frozen=True)
class Share:
    """One line of a balance: a label, a count and its percentage of the total."""

    key: str
    label: str
    count: int
    percent: float


def _shares(counts: dict[str, int], labels: dict[str, str]) -> tuple[list[Share], int]:
    total = sum(counts.values())
    rows = [
        Share(key, labels.get(key, key), n, round(100 * n / total, 1) if total else 0.0)
        for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(labels.get(kv[0]))))
        if n
    ]
    return rows, total


def _name_contains(q: str) -> Q:
    return Q(organization__name__icontains=q) | Q(organization__name_latin__icontains=q)


# --- Overview -------------------------------------------------------------------------


def application_counts(process: Process) -> list[tuple[str, str, int]]:
    """(state, label, count) for every application state, zeros included (one query)."""
    counts = dict(
        Application.objects.filter(process=process)
        .order_by()
        .values_list("state")
        .annotate(n=Count("id"))
    )
    return [(s.value, s.label, counts.get(s.value, 0)) for s in ApplicationState]


def lists(process: Process, status: str | None = None) -> QuerySet[StakeholderList]:
    qs = StakeholderList.objects.filter(process=process).annotate(entry_count=Count("entries"))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def lists_by_status(process: Process) -> list[tuple[str, str, list[StakeholderList]]]:
    """(status, label, lists) in workflow order (one query)."""
    grouped: dict[str, list[StakeholderList]] = {s.value: [] for s in ListStatus}
    for item in lists(process):
        grouped.setdefault(item.status, []).append(item)
    return [(s.value, s.label, grouped[s.value]) for s in ListStatus]


def pending_request_count(process: Process) -> int:
    return InformationRequest.objects.filter(
        entry__stakeholder_list__process=process, shared_at__isnull=True
    ).count()


# --- Applications ---------------------------------------------------------------------


def applications(
    process: Process, *, state: str = "", channel: str = "", q: str = ""
) -> QuerySet[Application]:
    qs = (
        Application.objects.filter(process=process)
        .select_related("organization__country")
        .annotate(representative_count=Count("representatives"))
        .order_by("submitted_at", "id")
    )
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(_name_contains(q))
    return qs


def application(process: Process, pk: int) -> Application | None:
    return (
        Application.objects.filter(process=process, pk=pk)
        .select_related("organization__country")
        .prefetch_related("representatives")
        .first()
    )


# --- Lists ----------------------------------------------------------------------------


def stakeholder_list(process: Process, pk: int) -> StakeholderList | None:
    return lists(process).filter(pk=pk).first()


# The objection filter of a submitted list's entries.
WITH_OBJECTIONS, WITHOUT_OBJECTIONS = "with", "without"


def entries(stakeholder_list: StakeholderList, *, objections: str = "") -> QuerySet[ListEntry]:
    """The list's entries with organization and country. Once submitted, each entry
    carries ``objection_count`` (standing objections: live during the review, counted by
    one subquery per row; fixed at the close afterwards); ``received`` adds what the
    objections say to the entries of the page shown. ``objections``: ``"with"`` or
    ``"without"`` keeps the entries with at least one standing objection, or with none."""
    qs = (
        ListEntry.objects.filter(stakeholder_list=stakeholder_list)
        .select_related("application__organization__country")
        .annotate(
            women=Count(
                "application__representatives",
                filter=Q(application__representatives__gender=Gender.WOMAN),
            ),
            representative_count=Count("application__representatives"),
        )
        .order_by("id")
    )
    if stakeholder_list.status == ListStatus.DRAFT:
        return qs
    if stakeholder_list.status == ListStatus.UNDER_REVIEW:
        standing = (
            Objection.objects.filter(entry=OuterRef("pk"), withdrawn_at__isnull=True)
            .order_by()
            .values("entry")
            .annotate(n=Count("id"))
            .values("n")
        )
        qs = qs.annotate(objection_count=Coalesce(Subquery(standing), Value(0)))
    else:
        qs = qs.annotate(objection_count=F("standing_objections"))
    if objections == WITH_OBJECTIONS:
        qs = qs.filter(objection_count__gt=0)
    elif objections == WITHOUT_OBJECTIONS:
        qs = qs.filter(objection_count=0)
    return qs


@dataclass(frozen=True)
class Basis:
    state: str
    basis: str
    disclose_identity: bool


@dataclass
class ReceivedObjections:
    """An entry's objections as the Office's page shows them: each basis received with its
    State, and the States of the others by group, as names joined once here: an entry
    may draw an objection from most of the 193 States, and a template loop over each of
    them, on every entry of the page, would cost more than the rest of the page."""

    bases: list[Basis]
    no_basis_may_share: str
    no_basis_not_to_share: str
    withdrawn: str


def received(entries: Iterable[ListEntry]) -> None:
    """Set ``entry.received`` on each entry of a page: its objections (the Office
    receives them, footnote 5), standing ones first, read as plain rows in one query and
    the States' names (in the reader's language) in another. A page can hold thousands
    of objections (most States objecting to the most contested entries): rows, not model
    instances, keep that cheap."""
    from phases.models import MemberState

    entries = list(entries)
    rows = (
        Objection.objects.filter(entry_id__in=[e.pk for e in entries])
        .order_by(F("withdrawn_at").asc(nulls_first=True), "lodged_at", "id")
        .values_list("entry_id", "member_state_id", "basis", "disclose_identity", "withdrawn_at")
    )
    by_entry: dict[int, list[tuple]] = {}
    for row in rows:
        by_entry.setdefault(row[0], []).append(row)
    state_ids = {row[1] for found in by_entry.values() for row in found}
    names = {}
    if state_ids:
        names = {s.pk: s.name for s in MemberState.objects.filter(pk__in=state_ids)}
    for entry in entries:
        bases, may_share, not_to_share, withdrawn = [], [], [], []
        for _entry, state_id, basis, disclose, withdrawn_at in by_entry.get(entry.pk, []):
            name = names.get(state_id, "")
            if withdrawn_at is not None:
                withdrawn.append(name)
            elif basis:
                bases.append(Basis(name, basis, disclose))
            elif disclose:
                may_share.append(name)
            else:
                not_to_share.append(name)
        entry.received = ReceivedObjections(
            bases, ", ".join(may_share), ", ".join(not_to_share), ", ".join(withdrawn)
        )


@dataclass(frozen=True)
class ObjectionTotals:
    standing: int
    entries: int


def objection_totals(stakeholder_list: StakeholderList) -> ObjectionTotals:
    """Standing objections now, and the entries they are on (one query)."""
    found = Objection.objects.filter(
        entry__stakeholder_list=stakeholder_list, withdrawn_at__isnull=True
    ).aggregate(standing=Count("id"), entries=Count("entry", distinct=True))
    return ObjectionTotals(found["standing"], found["entries"])


@dataclass(frozen=True)
class EarlierOutcome:
    """An organization not approved on an earlier list of the same purpose."""

    list_id: int
    title: str
    closed_at: datetime.datetime | None
    objections: int


def earlier_not_approved(
    stakeholder_list: StakeholderList, organization_ids
) -> dict[int, list[EarlierOutcome]]:
    """For each of these organizations, the closed lists of the same process and purpose
    on which it was not approved, latest first (one query)."""
    ids = set(organization_ids)
    if not ids:
        return {}
    rows = (
        ListEntry.objects.filter(
            application__organization_id__in=ids,
            outcome=EntryOutcome.NOT_APPROVED,
            stakeholder_list__process_id=stakeholder_list.process_id,
            stakeholder_list__purpose=stakeholder_list.purpose,
            stakeholder_list__status=ListStatus.CLOSED,
        )
        .exclude(stakeholder_list_id=stakeholder_list.pk)
        .order_by("-stakeholder_list__closed_at", "-stakeholder_list_id")
        .values_list(
            "application__organization_id",
            "stakeholder_list_id",
            "stakeholder_list__title",
            "stakeholder_list__closed_at",
            "standing_objections",
        )
    )
    found: dict[int, list[EarlierOutcome]] = {}
    for organization_id, list_id, title, closed_at, objections in rows:
        found.setdefault(organization_id, []).append(
            EarlierOutcome(list_id, title, closed_at, objections)
        )
    return found


def balance_by_region(stakeholder_list: StakeholderList) -> tuple[list[Share], int]:
    """Entries by the regional group of each organization's country (one query)."""
    counts = dict(
        ListEntry.objects.filter(stakeholder_list=stakeholder_list)
        .order_by()
        .values_list("application__organization__country__regional_group")
        .annotate(n=Count("id"))
    )
    labels = {g.value: str(g.label) for g in RegionalGroup}
    return _shares(counts, labels)


def balance_by_gender(stakeholder_list: StakeholderList) -> tuple[list[Share], int]:
    """The entries' representatives by gender (one query; OP 6: women's full
    participation)."""
    counts = dict(
        Representative.objects.filter(application__entries__stakeholder_list=stakeholder_list)
        .order_by()
        .values_list("gender")
        .annotate(n=Count("id"))
    )
    labels = {g.value: str(g.label) for g in Gender}
    return _shares(counts, labels)


def candidates(stakeholder_list: StakeholderList, q: str = "") -> QuerySet[Application]:
    """Screened-in special-channel applications of the list's process and purpose not yet
    on it."""
    qs = (
        Application.objects.filter(
            process_id=stakeholder_list.process_id,
            purpose=stakeholder_list.purpose,
            channel=Channel.SPECIAL,
            state=ApplicationState.SCREENED_IN,
        )
        .exclude(entries__stakeholder_list=stakeholder_list)
        .select_related("organization__country")
        .order_by("organization__name", "id")
    )
    if q:
        qs = qs.filter(_name_contains(q))
    return qs


def candidate(stakeholder_list: StakeholderList, pk: int) -> Application | None:
    return candidates(stakeholder_list).filter(pk=pk).first()


# --- Information requests (footnote 5) ------------------------------------------------


def information_requests(
    process: Process, *, pending: bool | None = None
) -> QuerySet[InformationRequest]:
    qs = InformationRequest.objects.filter(entry__stakeholder_list__process=process)
    if pending is not None:
        qs = qs.filter(shared_at__isnull=pending)
    return qs.select_related(
        "entry__application__organization",
        "entry__stakeholder_list",
        "requesting_state",
        "requested_by",
        "shared_by",
    ).order_by("requested_at", "id")


def information_request(process: Process, pk: int) -> InformationRequest | None:
    return information_requests(process).filter(pk=pk).first()


def to_be_shared(request: InformationRequest) -> list[dict]:
    """Exactly what ``services.share_information`` would share now: each standing
    objection's general basis, and the State only where it allowed disclosure."""
    objections = Objection.objects.filter(
        entry_id=request.entry_id, withdrawn_at__isnull=True
    ).select_related("member_state")
    return [
        {"basis": o.basis, "state": o.member_state.name if o.disclose_identity else None}
        for o in objections
    ]


# --- Audit trail ----------------------------------------------------------------------


def audit_events(*, list_id: int | None = None, entry_id: int | None = None):
    """Newest first; read-only (the model refuses changes)."""
    qs = AuditEvent.objects.all()
    if list_id:
        qs = qs.for_list(list_id)
    if entry_id:
        qs = qs.filter(entry_id=entry_id)
    return qs.order_by("-at", "-id")
