"""Reads of the registration pages, in a fixed number of queries."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch

from compact_process.audit.models import AuditEvent
from stakeholders.enums import ListStatus
from stakeholders.models import Application, ListEntry, Organization
from stakeholders.models_registry import (
    AccreditedBody,
    ApplicationWindow,
    DirectRegistration,
    OrganizationMember,
    RegistrationState,
)

PAGE_SIZE = 25


def organization_of(user) -> Organization | None:
    """The organization a user acts for, if any."""
    if not user.is_authenticated:
        return None
    member = (
        OrganizationMember.objects.filter(user=user).select_related("organization__country").first()
    )
    return member.organization if member else None


def own_organization(user, pk: int) -> Organization | None:
    """The organization ``pk`` if the user acts for it, else None (the page answers 404)."""
    if not user.is_authenticated:
        return None
    return Organization.objects.filter(pk=pk, members__user=user).select_related("country").first()


def status(organization: Organization) -> dict:
    """Everything the organization applied for: each application with its state, the
    Office's reason, its answers, and the submitted lists it is on with their outcome."""
    entries = ListEntry.objects.exclude(stakeholder_list__status=ListStatus.DRAFT).select_related(
        "stakeholder_list"
    )
    applications = (
        Application.objects.filter(organization=organization)
        .select_related("process")
        .prefetch_related("representatives", "answers", Prefetch("entries", queryset=entries))
    )
    registrations = (
        DirectRegistration.objects.filter(organization=organization)
        .exclude(state=RegistrationState.CONFIRMED)
        .select_related("process")
    )
    return {"applications": list(applications), "registrations": list(registrations)}


def application_of(organization: Organization, pk: int) -> Application | None:
    return (
        Application.objects.filter(organization=organization, pk=pk)
        .select_related("process")
        .first()
    )


def windows(process) -> list[ApplicationWindow]:
    return list(ApplicationWindow.objects.filter(process=process))


def accredited_counts() -> dict[str, int]:
    return dict(
        AccreditedBody.objects.order_by()
        .values_list("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )


def import_event(pk) -> AuditEvent | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return AuditEvent.objects.filter(pk=pk, action="accredited.imported").first()


def pending_registrations(page_number) -> object:
    """Near matches awaiting the secretariat, a page at a time."""
    pending = (
        DirectRegistration.objects.filter(state=RegistrationState.PENDING)
        .select_related("organization__country", "body__country", "process")
        .order_by("requested_at", "id")
    )
    return Paginator(pending, PAGE_SIZE).get_page(page_number)


def pending_registration(pk: int) -> DirectRegistration | None:
    return (
        DirectRegistration.objects.filter(pk=pk, state=RegistrationState.PENDING)
        .select_related("organization__country", "body__country", "process")
        .first()
    )
