"""Reads for the Member State review pages (a delegate acting for its own State).

Every read here is scoped to the delegate's State: a delegate sees its own State's
objections and information requests, never another State's (MANDATE.md, "The
no-objection review, as a workflow", step 4). Counts of queries do not grow with the
list: entries are paginated and their State-scoped rows prefetched.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from compact_process.accounts.permissions import states_of
from phases.models import MemberState
from stakeholders import profiles
from stakeholders.enums import ListStatus
from stakeholders.models import InformationRequest, ListEntry, Objection, StakeholderList

PAGE_SIZE = 50
VISIBLE_STATUSES = (ListStatus.UNDER_REVIEW, ListStatus.CLOSED)


def delegate_states(user) -> list[MemberState]:
    """The States this user acts for, by name (most delegates have one)."""
    return list(states_of(user).order_by("name"))


def pick_state(states: list[MemberState], wanted: str | int | None) -> MemberState | None:
    """The State chosen among the user's own (by primary key), else the first of them.
    A State the user does not act for is never returned."""
    if not states:
        return None
    for state in states:
        if str(state.pk) == str(wanted):
            return state
    return states[0]


@dataclass
class Countdown:
    days: int
    hours: int
    passed: bool


def countdown(deadline: datetime.datetime, now: datetime.datetime | None = None) -> Countdown:
    now = now or timezone.now()
    left = deadline - now
    if left.total_seconds() <= 0:
        return Countdown(0, 0, True)
    return Countdown(left.days, left.seconds // 3600, False)


@dataclass
class ListSummary:
    stakeholder_list: StakeholderList
    entries: int
    own_objections: int
    countdown: Countdown | None


def lists_for(state: MemberState | None) -> dict[str, list[ListSummary]]:
    """Lists under review (awaiting every State) and closed lists, with the number of
    entries and of this State's standing objections (two queries however many lists)."""
    lists = list(
        StakeholderList.objects.filter(status__in=VISIBLE_STATUSES)
        .select_related("process")
        .annotate(n_entries=Count("entries"))
        .order_by("review_deadline", "id")
    )
    own: dict[int, int] = {}
    if state is not None and lists:
        own = dict(
            Objection.objects.filter(
                member_state=state,
                withdrawn_at__isnull=True,
                entry__stakeholder_list__in=[lst.pk for lst in lists],
            )
            .values_list("entry__stakeholder_list")
            .annotate(n=Count("id"))
            .order_by()
        )
    now = timezone.now()
    result: dict[str, list[ListSummary]] = {"under_review": [], "closed": []}
    for lst in lists:
        summary = ListSummary(
            stakeholder_list=lst,
            entries=lst.n_entries,
            own_objections=own.get(lst.pk, 0),
            countdown=countdown(lst.review_deadline, now)
            if lst.status == ListStatus.UNDER_REVIEW
            else None,
        )
        key = "under_review" if lst.status == ListStatus.UNDER_REVIEW else "closed"
        result[key].append(summary)
    return result


def review_list(list_id: int) -> StakeholderList | None:
    """A list Member States may see (under review or closed; never a draft)."""
    return (
        StakeholderList.objects.filter(pk=list_id, status__in=VISIBLE_STATUSES)
        .select_related("process")
        .first()
    )


def countries_on(stakeholder_list: StakeholderList) -> QuerySet[MemberState]:
    """The countries of the organizations on the list (for the country filter)."""
    return (
        MemberState.objects.filter(
            organizations__applications__entries__stakeholder_list=stakeholder_list
        )
        .distinct()
        .order_by("name")
    )


def entries(
    stakeholder_list: StakeholderList,
    state: MemberState,
    *,
    region: str = "",
    country: MemberState | None = None,
    kind: str = "",
    name: str = "",
) -> QuerySet[ListEntry]:
    """The list's entries, filtered, each with *this* State's standing objection
    (``own_objections``) and its information requests (``own_requests``) prefetched."""
    qs = ListEntry.objects.filter(stakeholder_list=stakeholder_list)
    if region:
        qs = qs.filter(application__organization__country__regional_group=region)
    if country is not None:
        qs = qs.filter(application__organization__country=country)
    if kind:
        qs = qs.filter(application__organization__kind=kind)
    if name:
        qs = qs.filter(
            Q(application__organization__name__icontains=name)
            | Q(application__organization__name_latin__icontains=name)
        )
    return (
        qs.select_related("application__organization__country")
        .prefetch_related(
            Prefetch(
                "objections",
                queryset=Objection.objects.filter(member_state=state, withdrawn_at__isnull=True),
                to_attr="own_objections",
            ),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.filter(requesting_state=state),
                to_attr="own_requests",
            ),
        )
        .order_by("application__organization__name", "id")
    )


def entry(stakeholder_list: StakeholderList, entry_id: int) -> ListEntry | None:
    return (
        ListEntry.objects.filter(pk=entry_id, stakeholder_list=stakeholder_list)
        .select_related("application__organization__country", "stakeholder_list")
        .first()
    )


def profile(entry: ListEntry) -> profiles.Profile:
    """The listed organization's profile as the Office saw it when screening (or, for an
    application screened before that was kept, as it stands now): never a person's
    contact details."""
    return profiles.read(entry.application, now=timezone.now())


def own_standing_objection(entry: ListEntry, state: MemberState) -> Objection | None:
    return Objection.objects.filter(
        entry=entry, member_state=state, withdrawn_at__isnull=True
    ).first()


def own_objection(user, objection_id: int) -> Objection | None:
    """An objection of one of the user's own States; None for any other State's (the
    page answers 404: it does not even confirm that the objection exists)."""
    return (
        Objection.objects.filter(
            pk=objection_id,
            member_state__in=states_of(user),
            entry__stakeholder_list__status__in=VISIBLE_STATUSES,
        )
        .select_related(
            "member_state", "entry__stakeholder_list", "entry__application__organization__country"
        )
        .first()
    )


def own_requests(entry: ListEntry, states: list[MemberState]) -> list[InformationRequest]:
    """The information requests the user's own States made on an entry, with what the
    Office shared in answer (a list of {basis, state or None})."""
    return list(
        InformationRequest.objects.filter(entry=entry, requesting_state__in=states)
        .select_related("requesting_state")
        .order_by("requested_at", "id")
    )
