"""Reads for the Office of the PGA's pages (OP 6, footnote 5). Each returns data in a
fixed number of queries, whatever the number of applications, entries or events:
balances are counted in SQL (aggregate/annotate), related rows are joined or prefetched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from compact_process.audit.models import AuditEvent
from phases.enums import RegionalGroup
from phases.models import Process
from stakeholders.enums import ApplicationState, Channel, Gender, ListStatus
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


def entries(stakeholder_list: StakeholderList) -> QuerySet[ListEntry]:
    """The list's entries with organization and country; on a closed list, each entry's
    objections (the Office receives them, footnote 5) come prefetched in one query."""
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
    if stakeholder_list.status == ListStatus.CLOSED:
        qs = qs.prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.select_related("member_state").order_by(
                    "lodged_at", "id"
                ),
            )
        )
    return qs


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
    """Screened-in special-channel applications of the list's process not yet on it."""
    qs = (
        Application.objects.filter(
            process_id=stakeholder_list.process_id,
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
