"""The shipped reference data (migration 0002): counts that the trust fund and the
balance checks rely on, as documented in shared/data/SOURCES.md."""

import datetime

import pytest

from phases.enums import ObserverCategory, RegionalGroup, StateStatus
from phases.models import MemberState, ObserverOrganization

pytestmark = pytest.mark.django_db


def test_193_member_states_and_two_observer_states():
    assert MemberState.objects.filter(status=StateStatus.MEMBER).count() == 193
    observers = set(
        MemberState.objects.filter(status=StateStatus.OBSERVER).values_list("iso3", flat=True)
    )
    assert observers == {"VAT", "PSE"}


@pytest.mark.parametrize(
    ("group", "count"),
    [
        (RegionalGroup.AFRICAN, 54),
        (RegionalGroup.ASIA_PACIFIC, 54),  # Kiribati in; Türkiye counted with WEOG
        (RegionalGroup.EASTERN_EUROPEAN, 23),
        (RegionalGroup.LATIN_AMERICAN_CARIBBEAN, 33),
        (RegionalGroup.WESTERN_EUROPEAN_OTHERS, 28),  # Israel and Türkiye in; not the US
    ],
)
def test_member_states_per_regional_group(group, count):
    members = MemberState.objects.filter(status=StateStatus.MEMBER, regional_group=group)
    assert members.count() == count


def test_special_cases_of_the_regional_groups():
    by_iso = {s.iso3: s for s in MemberState.objects.filter(iso3__in=["USA", "TUR", "ISR", "KIR"])}
    assert by_iso["USA"].regional_group == RegionalGroup.NONE
    assert by_iso["TUR"].regional_group == RegionalGroup.WESTERN_EUROPEAN_OTHERS
    assert by_iso["ISR"].regional_group == RegionalGroup.WESTERN_EUROPEAN_OTHERS
    assert by_iso["KIR"].regional_group == RegionalGroup.ASIA_PACIFIC
    assert by_iso["TUR"].name == "Türkiye"


def test_least_developed_countries_during_the_negotiations_and_graduations():
    on = datetime.date(2018, 7, 1)
    ldcs = [s for s in MemberState.objects.all() if s.is_ldc(on)]
    assert len(ldcs) == 47
    equatorial_guinea = MemberState.objects.get(iso3="GNQ")
    assert equatorial_guinea.is_ldc(datetime.date(2017, 6, 3))
    assert not equatorial_guinea.is_ldc(datetime.date(2017, 6, 4))  # graduated that day
    assert MemberState.objects.get(iso3="VUT").is_ldc(on)  # graduated only in December 2020


def test_developing_flag_among_member_states():
    members = MemberState.objects.filter(status=StateStatus.MEMBER)
    assert members.filter(developing=True).count() == 143
    assert members.filter(developing=False).count() == 50


def test_observer_organizations_cover_every_category_of_op_3_4():
    categories = set(ObserverOrganization.objects.values_list("category", flat=True))
    assert categories == set(ObserverCategory.values)
    assert ObserverOrganization.objects.get(acronym="IOM").category == "related_organization"
