"""An organization's profile as the Office saw it when it screened the application: what
Member States read when they review a list (issue 14).

The snapshot is written by ``services.screen_application`` in its transaction
(``Application.screened_profile``), so that a delegate reads the text the Office
screened, not what the organization wrote after it: an organization may edit its profile
at any time, and the entries of a submitted list are frozen. An application screened
before snapshots were kept has none; its profile is then read live and said to be so.

Only the organization's public facts are kept: never a person's contact details (the
contact e-mail, representatives, member users).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.utils.dateparse import parse_datetime

from compact_process.web.languages import CODES, column
from phases.models import MemberState
from stakeholders.enums import OrganizationKind
from stakeholders.models import Application, Organization

VERSION = 1


def snapshot(application: Application, at: datetime.datetime) -> dict[str, Any]:
    """The profile to keep on the application at a screening decision ``at``."""
    organization: Organization = application.organization
    return {
        "version": VERSION,
        "at": at.isoformat(),
        "name": organization.name,
        "name_latin": organization.name_latin,
        "kind": organization.kind,
        "country_id": organization.country_id,
        "website": organization.website,
        "description": {
            code: getattr(organization, column("description", code), None) or "" for code in CODES
        },
        "activities": application.activities,
        "answers": [
            {"text": answer.text, "answered_at": answer.answered_at.isoformat()}
            for answer in application.answers.order_by("answered_at", "id")
        ],
    }


@dataclass(frozen=True)
class Answer:
    text: str
    answered_at: datetime.datetime


@dataclass(frozen=True)
class Profile:
    """What the review's profile page shows; ``as_screened`` False: read live."""

    name: str
    name_latin: str
    kind_label: str
    country: MemberState | None
    website: str
    # Has ``description_<code>`` for each language, for the ``translated`` template tag.
    texts: Any
    activities: str
    answers: list[Answer] = field(default_factory=list)
    as_screened: bool = False
    as_of: datetime.datetime | None = None


def _texts(description: dict[str, str]) -> SimpleNamespace:
    return SimpleNamespace(
        description="",
        **{column("description", code): description.get(code) or "" for code in CODES},
    )


def _kind_label(kind: str) -> str:
    return str(dict(OrganizationKind.choices).get(kind, kind))


def read(application: Application, *, now: datetime.datetime) -> Profile:
    """The application's profile: the snapshot if it has one, else the live profile as it
    stands ``now``. ``application.organization.country`` is expected loaded."""
    kept = application.screened_profile or {}
    if kept.get("version") == VERSION:
        organization = application.organization
        country = (
            organization.country
            if kept["country_id"] == organization.country_id
            else MemberState.objects.filter(pk=kept["country_id"]).first()
        )
        return Profile(
            name=kept["name"],
            name_latin=kept["name_latin"],
            kind_label=_kind_label(kept["kind"]),
            country=country,
            website=kept["website"],
            texts=_texts(kept["description"]),
            activities=kept["activities"],
            answers=[Answer(a["text"], parse_datetime(a["answered_at"])) for a in kept["answers"]],
            as_screened=True,
            as_of=parse_datetime(kept["at"]),
        )
    organization = application.organization
    return Profile(
        name=organization.name,
        name_latin=organization.name_latin,
        kind_label=_kind_label(organization.kind),
        country=organization.country,
        website=organization.website,
        texts=_texts({code: getattr(organization, column("description", code)) for code in CODES}),
        activities=application.activities,
        answers=[
            Answer(a.text, a.answered_at) for a in application.answers.order_by("answered_at", "id")
        ],
        as_screened=False,
        as_of=now,
    )
