"""The States' names in the six official languages (issue 7): the committed CSV made by
phases/data/make_member_state_names.py, migration 0004 that loads it with the observer
organizations' names, and a public page in Arabic."""

import csv
from pathlib import Path

import pytest
from django.utils import translation

from phases.models import MemberState, ObserverOrganization

DATA = Path(__file__).resolve().parent.parent / "phases" / "data"
COLUMNS = ["name_ar", "name_zh_hans", "name_fr", "name_ru", "name_es"]
LANGUAGES = ["en", *COLUMNS]


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


STATES = _read("member-states.csv")
NAMES = _read("member-state-names.csv")


def test_the_csv_has_one_row_per_state_in_the_same_order():
    assert len(NAMES) == 195
    assert [row["iso3"] for row in NAMES] == [row["iso3"] for row in STATES]
    with (DATA / "member-state-names.csv").open(encoding="utf-8") as f:
        assert f.readline().strip() == ",".join(["iso3", *COLUMNS])


def test_no_empty_cell_and_no_stray_spaces():
    for row in NAMES:
        for column in COLUMNS:
            name = row[column]
            assert name, (row["iso3"], column)
            assert name == name.strip() and "  " not in name, (row["iso3"], column)


def test_arabic_chinese_and_russian_names_are_not_the_english_ones():
    english = {row["iso3"]: row["name_en"] for row in STATES}
    for row in NAMES:
        for column in ("name_ar", "name_zh_hans", "name_ru"):
            assert row[column] != english[row["iso3"]], (row["iso3"], column)


def test_names_are_in_their_script():
    for row in NAMES:
        assert any("\u0600" <= c <= "\u06ff" for c in row["name_ar"]), row["iso3"]
        assert all("\u4e00" <= c <= "\u9fff" for c in row["name_zh_hans"]), row["iso3"]
        assert any("\u0400" <= c <= "\u04ff" for c in row["name_ru"]), row["iso3"]
        for column in ("name_fr", "name_es"):
            assert not any("\u0400" <= c <= "\u04ff" for c in row[column]), row["iso3"]


def test_each_language_names_every_state_differently():
    for column in COLUMNS:
        names = [row[column] for row in NAMES]
        assert len(set(names)) == len(names), column


def test_apostrophes_are_the_ascii_ones_as_in_the_english_names():
    for row in NAMES:
        for column in COLUMNS:
            assert "\u2019" not in row[column], (row["iso3"], column)


@pytest.mark.django_db
def test_after_the_migrations_every_state_has_its_six_names():
    expected = {row["iso3"]: row for row in NAMES}
    states = list(MemberState.objects.all())
    assert len(states) == 195
    for state in states:
        assert state.name_en
        for column in COLUMNS:
            assert getattr(state, column) == expected[state.iso3][column], (state.iso3, column)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("iso3", "names"),
    [
        (
            "BOL",
            {
                "fr": "Bolivie (État plurinational de)",
                "es": "Bolivia (Estado Plurinacional de)",
                "ru": "Боливия (Многонациональное Государство)",
                "zh-hans": "多民族玻利维亚国",
                "ar": "بوليفيا (دولة - المتعددة القوميات)",
            },
        ),
        (
            "GBR",
            {
                "fr": "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
                "es": "Reino Unido de Gran Bretaña e Irlanda del Norte",
                "ru": "Соединенное Королевство Великобритании и Северной Ирландии",
                "zh-hans": "大不列颠及北爱尔兰联合王国",
                "ar": "المملكة المتحدة لبريطانيا العظمى وآيرلندا الشمالية",
            },
        ),
        (
            "TUR",
            {
                "fr": "Türkiye",
                "es": "Türkiye",
                "ru": "Турция",
                "zh-hans": "土耳其",
                "ar": "تركيا",
            },
        ),
        (
            "VNM",
            {
                "fr": "Viet Nam",
                "es": "Viet Nam",
                "ru": "Вьетнам",
                "zh-hans": "越南",
                "ar": "فييت نام",
            },
        ),
        (
            "CIV",
            {
                "fr": "Côte d'Ivoire",
                "es": "Côte d'Ivoire",
                "ru": "Кот-д'Ивуар",
                "zh-hans": "科特迪瓦",
                "ar": "كوت ديفوار",
            },
        ),
        (
            "PSE",
            {
                "fr": "État de Palestine",
                "es": "Estado de Palestina",
                "ru": "Государство Палестина",
                "zh-hans": "巴勒斯坦国",
                "ar": "دولة فلسطين",
            },
        ),
        (
            "VAT",
            {
                "fr": "Saint-Siège",
                "es": "Santa Sede",
                "ru": "Святой Престол",
                "zh-hans": "教廷",
                "ar": "الكرسي الرسولي",
            },
        ),
    ],
)
def test_known_un_names(iso3, names):
    state = MemberState.objects.get(iso3=iso3)
    for language, name in names.items():
        with translation.override(language):
            assert state.name == name, language


@pytest.mark.django_db
def test_observer_organizations_have_their_names_in_the_six_languages():
    organizations = list(ObserverOrganization.objects.all())
    assert organizations
    for organization in organizations:
        for column in ["name_en", *COLUMNS]:
            assert getattr(organization, column), (organization.acronym, column)
    iom = ObserverOrganization.objects.get(acronym="IOM")
    assert iom.name_fr == "Organisation internationale pour les migrations"
    assert iom.name_es == "Organización Internacional para las Migraciones"
    assert iom.name_ru == "Международная организация по миграции"
    assert iom.name_zh_hans == "国际移民组织"
    assert iom.name_ar == "المنظمة الدولية للهجرة"


def test_the_meeting_page_shows_the_moderators_states_in_arabic(client, gcm):
    meeting = gcm.meetings.get(key="thematic-5")
    states = {
        m.member_state
        for panel in meeting.panels.all()
        for m in panel.moderators.select_related("member_state")
    }
    assert states
    arabic = client.get(f"/ar/meetings/{meeting.key}/").content.decode()
    english = client.get(f"/meetings/{meeting.key}/").content.decode()
    for state in states:
        assert state.name_ar in arabic, state.iso3
        assert state.name_ar not in english, state.iso3
    assert "النمسا" in arabic  # Austria moderated a panel in Vienna


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_reverses_to_empty_columns_and_back():
    from django.core.management import call_command

    try:
        call_command("migrate", "phases", "0003", verbosity=0)
        assert MemberState.objects.filter(name_ar__isnull=False).count() == 0
        assert MemberState.objects.get(iso3="GBR").name_en.startswith("United Kingdom")
        assert not ObserverOrganization.objects.filter(name_fr__isnull=False).exists()
    finally:
        call_command("migrate", verbosity=0)
    assert MemberState.objects.filter(name_ar__isnull=True).count() == 0
