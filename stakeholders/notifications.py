"""Who is told what in the review (OP 6, footnote 5): written in the same transaction as
the change, sent by ``compact_process.notifications`` in each recipient's language.

- A list submitted for review: every delegate of every Member State.
- A review's deadline extended: every delegate, with the new deadline and the reason.
- An application screened: the organization's members, with the Office's reason.
- The review closed: each listed organization's members, with its outcome.
- Information on objections shared (footnote 5): the delegate who requested it, only.
"""

from __future__ import annotations

import datetime

from compact_process import labels
from compact_process.accounts.permissions import delegate_user_ids
from compact_process.notifications.services import Note, notify
from stakeholders.enums import EntryOutcome
from stakeholders.models import Application, InformationRequest, ListEntry, StakeholderList


def list_submitted(stakeholder_list: StakeholderList, *, entries: int) -> None:
    notify(
        Note(
            recipient_id=user_id,
            kind="list.submitted",
            key=f"list.submitted:{stakeholder_list.pk}",
            route="stakeholders-review:list",
            route_args=[stakeholder_list.pk],
            params={
                "title": stakeholder_list.title,
                "purpose": stakeholder_list.purpose,
                "entries": entries,
                "deadline": stakeholder_list.review_deadline,
            },
        )
        for user_id in delegate_user_ids()
    )


def review_extended(
    stakeholder_list: StakeholderList, *, previous: datetime.datetime, reason: str
) -> None:
    """A review's deadline extended: every delegate, as for the submission. One per new
    deadline: a second extension is news again."""
    deadline = stakeholder_list.review_deadline
    notify(
        Note(
            recipient_id=user_id,
            kind="review.extended",
            key=f"review.extended:{stakeholder_list.pk}:{deadline.isoformat()}",
            route="stakeholders-review:list",
            route_args=[stakeholder_list.pk],
            params={
                "title": stakeholder_list.title,
                "previous": previous,
                "deadline": deadline,
                "reason": reason,
            },
        )
        for user_id in delegate_user_ids()
    )


def application_screened(application: Application) -> None:
    organization = application.organization
    notify(
        Note(
            recipient_id=user_id,
            kind="application.screened",
            # One per decision: a later decision on the same application is news again.
            key=f"application.screened:{application.pk}:{application.decided_at.isoformat()}",
            route="stakeholders-registration:status",
            route_args=[organization.pk],
            params={
                "organization": organization.name,
                "state": application.state,
                "reason": application.reason,
            },
        )
        for user_id in organization.members.values_list("user_id", flat=True)
    )


def information_shared(request: InformationRequest) -> None:
    """The Office answered a request for the information on an entry's objections: the
    user who asked is told, not the other delegates of the State (they did not ask; the
    answer is on the entry's information page for all of them)."""
    entry = request.entry
    notify(
        [
            Note(
                recipient_id=request.requested_by_id,
                kind="information.shared",
                key=f"information.shared:{request.pk}",
                route="stakeholders-review:information",
                route_args=[entry.stakeholder_list_id, entry.pk],
                params={
                    "organization": entry.application.organization.name,
                    "title": entry.stakeholder_list.title,
                    "items": len(request.shared),
                },
            )
        ]
    )


def review_closed(stakeholder_list: StakeholderList) -> None:
    """One query for every member of every listed organization, whatever the list's size."""
    rows = (
        ListEntry.objects.filter(stakeholder_list=stakeholder_list)
        .exclude(outcome=EntryOutcome.PENDING)
        .filter(application__organization__members__isnull=False)
        .values_list(
            "pk",
            "outcome",
            "application__organization__name",
            "application__organization__members__user_id",
        )
        .order_by("pk")
    )
    notify(
        Note(
            recipient_id=user_id,
            kind="review.outcome",
            key=f"review.outcome:{entry_id}",
            route="stakeholders-public:compare",
            route_args=[stakeholder_list.pk],
            params={
                "title": stakeholder_list.title,
                "organization": organization,
                "outcome": outcome,
            },
        )
        for entry_id, outcome, organization, user_id in rows.iterator()
    )


def nomination_decided(nomination) -> None:
    """The secretariat confirmed or declined a representative: the organization's members
    are told (the person is theirs to know)."""
    notify(
        Note(
            recipient_id=user_id,
            kind="nomination.decided",
            key=f"nomination.decided:{nomination.pk}",
            route="stakeholders-participation:meeting",
            route_args=[nomination.organization_id, nomination.meeting_id],
            params={
                "name": nomination.name,
                # In each recipient's language, not the decider's (compact_process.labels).
                "meeting": labels.translations(nomination.meeting, "title"),
                "state": nomination.state,
                "reason": nomination.reason,
            },
        )
        for user_id in nomination.organization.members.values_list("user_id", flat=True)
    )
