"""The seeded GCM process in the six official languages (issue 7): seed_gcm fills every
empty translation column of what it wrote, keeps what the secretariat has edited, and a
second run changes nothing; the public timeline shows it in Chinese and in Arabic."""

from __future__ import annotations

import datetime
import html
from pathlib import Path

import pytest
import time_machine
from django.core import serializers

from phases import seed_translations
from phases.enums import MeetingKind
from phases.models import (
    Deliverable,
    DraftParagraph,
    Meeting,
    MeetingDay,
    NegotiationDraft,
    Panel,
    Phase,
    Process,
    Venue,
)
from phases.seed import VENUES, seed_gcm

OTHERS = ("ar", "zh_hans", "fr", "ru", "es")
# Languages whose script differs from English: a translation there never equals it.
OTHER_SCRIPTS = ("ar", "zh_hans", "ru")
SEEDED_VENUES = [slug for slug, *_rest in VENUES]

# The official Chinese text of resolution 71/280 (the project's copy).
RESOLUTION_ZH = (
    Path(__file__).resolve().parent.parent / "phases" / "data" / "resolution-71-280.zh.txt"
)


def seeded_rows(process):
    """Every row the seed writes translated text into, with its translated fields."""
    yield process, ("title", "description")
    for phase in Phase.objects.filter(process=process):
        yield phase, ("title",)
    for venue in Venue.objects.filter(slug__in=SEEDED_VENUES):
        yield venue, ("name", "city")
    for meeting in Meeting.objects.filter(process=process):
        yield meeting, ("title", "theme") if meeting.theme_en else ("title",)
    for panel in Panel.objects.filter(meeting__process=process):
        yield panel, ("title",)
    for deliverable in Deliverable.objects.filter(process=process):
        yield deliverable, ("title",)
    for draft in NegotiationDraft.objects.filter(process=process):
        yield draft, ("title",)


def test_every_seeded_item_has_all_six_languages(gcm):
    missing, untranslated = [], []
    for obj, fields in seeded_rows(gcm):
        for name in fields:
            english = getattr(obj, f"{name}_en")
            assert english, (obj, name)
            for code in OTHERS:
                value = getattr(obj, f"{name}_{code}")
                if not value:
                    missing.append(f"{obj!r}.{name}_{code}")
                elif code in OTHER_SCRIPTS and value == english:
                    untranslated.append(f"{obj!r}.{name}_{code}")
    assert missing == []
    assert untranslated == []
    assert Meeting.objects.filter(process=gcm).count() == 6 + 6 + 1 + 6 + 5 + 1
    assert NegotiationDraft.objects.filter(process=gcm).count() == 2


def test_every_text_has_the_five_other_languages():
    texts = {**seed_translations.TEXTS, **seed_translations.NUMBERED}
    for english, by_language in texts.items():
        assert set(by_language) == set(OTHERS), english
        assert all(text.strip() for text in by_language.values()), english


def test_numbered_titles_are_translated_with_their_number():
    t = seed_translations.translations
    assert t("Informal thematic session 5")["zh_hans"] == "第五次非正式专题会议"
    assert t("Informal thematic session 5")["fr"] == "Cinquième session thématique informelle"
    assert t("Intergovernmental negotiations, round 6")["ru"] == (
        "Межправительственные переговоры, шестой раунд"
    )
    assert t("Multi-stakeholder hearing 2")["es"] == "Segunda audiencia de múltiples interesados"
    assert t("Issue brief for informal thematic session 1")["ar"] == (
        "موجز القضايا للجلسة المواضيعية غير الرسمية الأولى"
    )
    title = t(
        "Informal thematic session 3: International cooperation and governance of "
        "migration in all its dimensions"
    )
    assert title["zh_hans"] == "第三次非正式专题会议：国际合作和移民治理的所有层面"
    assert title["fr"].startswith("Troisième session thématique informelle : Coopération")
    # Not the seed's text (e.g. edited by the secretariat): nothing to fill.
    assert t("Informal thematic session 3: Something else") == {}
    assert t("Informal thematic session 99") == {}
    assert t("A meeting the secretariat added") == {}
    assert t("") == {}


def test_the_chinese_themes_are_the_resolutions(gcm):
    """The resolution's words; its commas written full-width, as Chinese writes them (the
    project's copy of the text has half-width commas in OP 15, which the pages would
    show as Latin commas between Chinese characters)."""
    resolution = RESOLUTION_ZH.read_text(encoding="utf-8").replace(",", "，")
    sessions = Meeting.objects.filter(process=gcm, kind=MeetingKind.THEMATIC_SESSION)
    assert sessions.count() == 6
    for session in sessions:
        assert "," not in session.theme_zh_hans, session.key
        assert session.theme_zh_hans in resolution, session.key
        # The session's name and its short title are the resolution's words too.
        assert "非正式专题会议" in session.title_zh_hans
        short = session.title_zh_hans.split("：", 1)[1]
        assert short in resolution, session.key
    for phase in Phase.objects.filter(process=gcm):
        number, name = phase.title_zh_hans.split("：")
        assert number in resolution and name in resolution, phase.title_zh_hans
    for hearing in Meeting.objects.filter(process=gcm, kind=MeetingKind.HEARING):
        assert "多利益攸关方听证会" in hearing.title_zh_hans
    assert "多利益攸关方听证会" in resolution
    assert gcm.title_zh_hans in resolution


SNAPSHOT = [Process, Phase, Venue, Meeting, MeetingDay, Panel, Deliverable, NegotiationDraft]


def snapshot() -> str:
    return "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in SNAPSHOT)


@pytest.mark.django_db
def test_running_the_seed_twice_changes_nothing():
    Process.objects.all().delete()
    seed_gcm()
    before = snapshot()
    _, created = seed_gcm()
    assert created == []
    assert snapshot() == before


def _forget_translations(process) -> None:
    """The database as an English-only seed left it (test set-up only)."""
    for obj, fields in seeded_rows(process):
        for name in fields:
            for code in OTHERS:
                setattr(obj, f"{name}_{code}", None)
        obj.save()


def test_seeding_an_english_only_database_adds_the_translations(gcm):
    _forget_translations(gcm)
    session = Meeting.objects.get(process=gcm, key="thematic-5")
    assert session.title_zh_hans is None
    _, created = seed_gcm()
    assert "translations of meeting thematic-5: title_ar, title_zh_hans, title_fr, " in (
        "\n".join(created)
    )
    session.refresh_from_db()
    assert session.title_zh_hans.startswith("第五次非正式专题会议：偷运移民")
    assert session.theme_ru.startswith("Незаконный ввоз мигрантов")
    assert Venue.objects.get(slug="vienna").city_fr == "Vienne"
    assert Phase.objects.get(process=gcm, number=2).title_es == "Fase II: balance"
    assert seed_gcm()[1] == []


def test_an_edited_translation_is_kept(gcm):
    session = Meeting.objects.get(process=gcm, key="thematic-1")
    session.title_fr = "Séance sur les droits de l'homme (titre revu par le secrétariat)"
    session.title_ar = ""
    session.save()
    phase = Phase.objects.get(process=gcm, number=1)
    phase.title_zh_hans = "第一阶段（协商）"
    phase.save()
    _, created = seed_gcm()
    assert created == ["translations of meeting thematic-1: title_ar"]
    session.refresh_from_db()
    phase.refresh_from_db()
    assert session.title_fr == "Séance sur les droits de l'homme (titre revu par le secrétariat)"
    assert session.title_ar.startswith("الجلسة المواضيعية غير الرسمية الأولى")
    assert phase.title_zh_hans == "第一阶段（协商）"


def test_an_edited_english_text_gets_no_seeded_translation(gcm):
    panel = Panel.objects.get(meeting__key="thematic-1", order=3)
    panel.title_en = "Combating racism and xenophobia"
    panel.title_ru = None
    panel.save()
    assert seed_gcm()[1] == []
    panel.refresh_from_db()
    assert panel.title_ru is None  # the English fallback shows, not a wrong translation


# Before the process opened, the home lists every meeting in full (themes, days); read
# today, the meetings held are one line each, folded.
BEFORE_THE_PROCESS = datetime.datetime(2017, 3, 15, 12, 0, tzinfo=datetime.UTC)


def _page(client, url: str, when: datetime.datetime | None = None) -> str:
    if when is None:
        response = client.get(url)
    else:
        with time_machine.travel(when, tick=False):
            response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_public_timeline_in_chinese(client, gcm):
    page = _page(client, "/zh-hans/", when=BEFORE_THE_PROCESS)
    assert '<html lang="zh-hans"' in page
    for name in ("第一阶段：协商", "第二阶段：评估", "第三阶段：政府间谈判"):
        assert name in page
    assert "安全、有序和正常移民全球契约" in page
    for session in Meeting.objects.filter(process=gcm, kind=MeetingKind.THEMATIC_SESSION):
        assert session.theme_zh_hans in page
        assert session.title_zh_hans in page
    assert "第一轮政府间谈判" in page
    assert "第五次多利益攸关方听证会" in page
    assert "日内瓦" in page and "维也纳" in page
    # The English seed texts are gone from the page (none shown as a fallback).
    assert "fallback-note" not in page
    assert "Phase I: Consultations" not in page
    assert "Informal thematic session" not in page
    assert "Human rights of all migrants" not in page


def test_the_public_timeline_in_arabic(client, gcm):
    page = _page(client, "/ar/", when=BEFORE_THE_PROCESS)
    assert '<html lang="ar" dir="rtl"' in page
    for name in (
        "المرحلة الأولى: المشاورات",
        "المرحلة الثانية: التقييم",
        "المرحلة الثالثة: المفاوضات الحكومية الدولية",
    ):
        assert name in page
    for session in Meeting.objects.filter(process=gcm, kind=MeetingKind.THEMATIC_SESSION):
        assert session.theme_ar in page
        assert session.title_ar in page
    assert "جنيف" in page
    assert "fallback-note" not in page
    assert "Phase III: Intergovernmental negotiations" not in page
    assert "Smuggling of migrants" not in page


def test_the_demonstration_drafts_keep_english_paragraphs(gcm):
    draft = NegotiationDraft.objects.get(process=gcm, key="zero-draft")
    assert draft.title_zh_hans == "预稿（演示文本）"
    paragraph = DraftParagraph.objects.filter(draft=draft).first()
    assert paragraph.text_en and not paragraph.text_zh_hans


def test_every_seeded_source_note_is_translated(gcm):
    """The "Sources" notes of the seeded meetings and drafts are in the five other
    languages (issue 17: they were English on the public pages in every language)."""
    notes = {m.source_note for m in Meeting.objects.filter(process=gcm) if m.source_note}
    notes |= {d.source_note for d in NegotiationDraft.objects.all() if d.source_note}
    assert len(notes) >= 8
    for note in notes:
        for language in OTHERS:
            assert seed_translations.source_note(note, language), (language, note)


def test_the_meeting_page_shows_its_source_note_in_the_page_s_language(gcm):
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    conference = Meeting.objects.get(process=gcm, key="conference")
    for language in ("fr", "zh-hans", "ar"):
        with translation.override(language):
            url = reverse("phases:meeting", args=["conference"])
        page = Client().get(url).content.decode()
        translated = seed_translations.source_note(conference.source_note, language)
        assert f'<p class="source-note">{html.escape(translated)}</p>' in page, language
        assert "Headquarters unless otherwise agreed" not in page
    # A note the seed does not know (the secretariat's) shows in English, marked as such.
    from tests.pages import reset_public_cache

    Meeting.objects.filter(pk=conference.pk).update(source_note="Moved to Marrakech.")
    reset_public_cache()  # update() bypasses what invalidates the cached page
    with translation.override("fr"):
        url = reverse("phases:meeting", args=["conference"])
    page = Client().get(url).content.decode()
    assert '<span lang="en" dir="ltr">Moved to Marrakech.</span>' in page
    assert 'class="fallback-note"' in page.split('class="source-note"')[1]
