"""Demo organizations for trying the review locally (debug only): the demo NGO's own
organization and a few others, applied and screened in, so that the Office can compose
and submit a list at once (the real application window closed in April 2017)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from stakeholders.enums import ApplicationState, Channel, Gender

# (name, kind, country, representatives)
DEMO_ORGANIZATIONS = [
    ("Réseau des migrants du Sahel", "migrant_organization", "SEN", [("Awa Ndiaye", Gender.WOMAN)]),
    (
        "Kituo cha Wahamiaji",
        "ngo",
        "KEN",
        [("Grace Wanjiku", Gender.WOMAN), ("Peter Otieno", Gender.MAN)],
    ),
    ("Instituto de Estudios Migratorios", "academia", "MEX", [("Lucía Hernández", Gender.WOMAN)]),
    ("Diaspora Development Forum", "diaspora", "PHL", [("Jose Santos", Gender.MAN)]),
]


def create_demo_organizations(*, ngo_user, office_user) -> int:
    """Idempotent: organizations that exist already are left as they are. The first one
    belongs to the demo NGO account. Returns how many were created."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo data is for local use only (DEBUG=1).")
    from phases.models import MemberState
    from phases.selectors import default_process
    from stakeholders import deadlines, services
    from stakeholders.models import Organization
    from stakeholders.models_registry import OrganizationMember

    process = default_process()
    if process is None:
        return 0
    created = 0
    for index, (name, kind, iso3, people) in enumerate(DEMO_ORGANIZATIONS):
        if Organization.objects.filter(name=name).exists():
            continue
        organization = Organization.objects.create(
            name=name,
            kind=kind,
            country=MemberState.objects.get(iso3=iso3),
            email=f"contact-{index}@example.org",
            description="A demo organization.",
        )
        if index == 0 and not OrganizationMember.objects.filter(user=ngo_user).exists():
            OrganizationMember.objects.create(user=ngo_user, organization=organization)
            deadlines.sync_windows_everywhere()  # reminded to apply (flow 3)
        application = services.submit_application(
            process=process,
            organization=organization,
            channel=Channel.SPECIAL,
            activities="Assistance to migrants and research on migration governance.",
            representatives=people,
        )
        services.screen_application(
            application=application, state=ApplicationState.SCREENED_IN, actor=office_user
        )
        created += 1
    return created
