"""Reads for the public transparency pages. They expose only what the public may see:
organizations, outcomes and aggregate counts. Never an objecting State, a basis, a
person or anything of a list still being composed (MANDATE.md, "What went wrong
elsewhere": aggregate counts are public). The values are plain data, not model
instances, so that a template cannot reach past them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Sum

from phases.models import MemberState, Process
from stakeholders.enums import EntryOutcome, ListStatus, OrganizationKind
from stakeholders.models import InformationRequest, ListEntry, Objection, StakeholderList

PUBLISHED = (ListStatus.UNDER_REVIEW, ListStatus.CLOSED)
# Entries per page of the public list: a 3,000-entry list is 30 pages of a few tens of
# kilobytes, not one page of a megabyte (issue 14); the downloads hold the whole list.
PAGE_SIZE = 100


@dataclass
class Figures:
    proposed: int = 0
    approved: int = 0
    not_approved: int = 0
    objections_standing: int = 0
    objections_lodged: int = 0
    requests_made: int = 0
    requests_answered: int = 0


@dataclass
class PublicList:
    pk: int
    title: str
    purpose: str
    purpose_label: str
    status: str
    status_label: str
    review_deadline: datetime.datetime | None
    closed_at: datetime.datetime | None
    figures: Figures = field(default_factory=Figures)

    @property
    def is_closed(self) -> bool:
        return self.status == ListStatus.CLOSED


@dataclass
class PublicEntry:
    organization: str
    name_latin: str
    country: str
    kind: str
    kind_label: str
    outcome: str
    outcome_label: str
    objections_at_close: int

    @property
    def approved(self) -> bool:
        return self.outcome == EntryOutcome.APPROVED

    @property
    def not_approved(self) -> bool:
        return self.outcome == EntryOutcome.NOT_APPROVED


def _public_list(lst: StakeholderList) -> PublicList:
    return PublicList(
        pk=lst.pk,
        title=lst.title,
        purpose=lst.purpose,
        purpose_label=str(lst.get_purpose_display()),
        status=lst.status,
        status_label=str(lst.get_status_display()),
        review_deadline=lst.review_deadline,
        closed_at=lst.closed_at,
    )


def lists(process: Process | None) -> list[PublicList]:
    """Every published list of the process, with the transparency figures of the closed
    ones (four queries however many lists, entries and objections)."""
    if process is None:
        return []
    found = [
        _public_list(lst)
        for lst in StakeholderList.objects.filter(process=process, status__in=PUBLISHED).order_by(
            "id"
        )
    ]
    closed = {item.pk: item for item in found if item.is_closed}
    if not closed:
        return found
    for row in (
        ListEntry.objects.filter(stakeholder_list__in=closed)
        .values("stakeholder_list")
        .annotate(
            proposed=Count("id"),
            approved=Count("id", filter=Q(outcome=EntryOutcome.APPROVED)),
            not_approved=Count("id", filter=Q(outcome=EntryOutcome.NOT_APPROVED)),
            standing=Sum("standing_objections"),
        )
        .order_by()
    ):
        figures = closed[row["stakeholder_list"]].figures
        figures.proposed = row["proposed"]
        figures.approved = row["approved"]
        figures.not_approved = row["not_approved"]
        figures.objections_standing = row["standing"] or 0
    for list_id, n in (
        Objection.objects.filter(entry__stakeholder_list__in=closed)
        .values_list("entry__stakeholder_list")
        .annotate(n=Count("id"))
        .order_by()
    ):
        closed[list_id].figures.objections_lodged = n
    for row in (
        InformationRequest.objects.filter(entry__stakeholder_list__in=closed)
        .values("entry__stakeholder_list")
        .annotate(made=Count("id"), answered=Count("id", filter=Q(shared_at__isnull=False)))
        .order_by()
    ):
        figures = closed[row["entry__stakeholder_list"]].figures
        figures.requests_made = row["made"]
        figures.requests_answered = row["answered"]
    return found


def published_list(process: Process | None, list_id: int) -> PublicList | None:
    """One published list (under review or closed), with its figures if closed."""
    return next((item for item in lists(process) if item.pk == list_id), None)


def _rows(item: PublicList):
    return (
        ListEntry.objects.filter(stakeholder_list_id=item.pk)
        .order_by("application__organization__name", "id")
        .values_list(
            "application__organization__name",
            "application__organization__name_latin",
            "application__organization__country_id",
            "application__organization__kind",
            "outcome",
            "standing_objections",
        )
    )


def entries(item: PublicList) -> list[PublicEntry]:
    """Every proposed entry with its outcome and, once closed, the number of objections
    standing at the close (two queries): the downloads (CSV, PDF)."""
    return _public_entries(item, list(_rows(item)))


def entries_page(item: PublicList, number: str | int | None) -> Page:
    """One page of ``PAGE_SIZE`` entries, in the same order as ``entries`` (two queries,
    the page and its countries, and the count for a list under review). A page number
    past the end gives the last page, one that is not a number the first."""
    paginator = Paginator(_rows(item), PAGE_SIZE)
    if item.is_closed:  # counted with the figures already: no second COUNT
        paginator.count = item.figures.proposed
    page = paginator.get_page(number)
    page.object_list = _public_entries(item, list(page.object_list))
    return page


def _public_entries(item: PublicList, rows: list[tuple]) -> list[PublicEntry]:
    kinds = dict(OrganizationKind.choices)
    outcomes = dict(EntryOutcome.choices)
    # Country names in the page's language (translated fields): one more query.
    countries = {
        state.pk: state.name
        for state in MemberState.objects.filter(pk__in={row[2] for row in rows})
    }
    return [
        PublicEntry(
            organization=name,
            name_latin=latin,
            country=countries.get(country_id, ""),
            kind=kind,
            kind_label=str(kinds.get(kind, kind)),
            outcome=outcome,
            outcome_label=str(outcomes.get(outcome, outcome)),
            objections_at_close=standing if item.is_closed else 0,
        )
        for name, latin, country_id, kind, outcome, standing in rows
    ]
