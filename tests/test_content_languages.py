"""Content in the six languages (issue 7): a translated field shows in the page's
language; where it is not yet translated the English shows, marked as such, for the eye
and for a screen reader."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils import translation

from phases.models import Meeting


def meeting_page(key: str, language: str) -> str:
    with translation.override(language):
        url = reverse("phases:meeting", args=[key])
    return Client().get(url).content.decode()


def test_an_untranslated_title_shows_the_english_marked_in_english(gcm):
    Meeting.objects.filter(process=gcm, key="thematic-5").update(
        title_fr=None, theme_fr="Trafic illicite de migrants et traite des personnes"
    )
    english = Meeting.objects.get(process=gcm, key="thematic-5").title_en
    page = meeting_page("thematic-5", "fr")
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert f'<span lang="en" dir="ltr">{english}</span>' in heading
    assert 'class="fallback-note"' in heading
    # The theme is in French: shown as is, with no marker.
    theme = re.search(r'<p class="theme">(.*?)</p>', page, re.S).group(1)
    assert theme == "Trafic illicite de migrants et traite des personnes"


def test_a_translated_title_shows_without_a_marker(gcm):
    Meeting.objects.filter(process=gcm, key="thematic-5").update(
        title_fr="Session thématique informelle 5"
    )
    page = meeting_page("thematic-5", "fr")
    assert "<h1>Session thématique informelle 5</h1>" in page


def test_english_pages_carry_no_marker(gcm):
    page = meeting_page("thematic-5", "en")
    assert "fallback-note" not in page


def test_the_compliance_page_cites_the_paragraphs_as_each_language_does(gcm):
    from tests.pages import client_for

    client = client_for("secretariat")
    pages = {}
    for language in ("en", "fr", "zh-hans"):
        with translation.override(language):
            pages[language] = client.get(reverse("secretariat:compliance")).content.decode()
    assert '<span class="op">OP 14</span>' in pages["en"]
    assert '<span class="op">par. 14 du dispositif</span>' in pages["fr"]
    assert '<span class="op">执行部分第14段</span>' in pages["zh-hans"]


def _home(url: str) -> str:
    """The home before the process opened, when every meeting is listed with its days
    (read today, the meetings held are one line each)."""
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2017, 3, 15, 12, tzinfo=datetime.UTC), tick=False):
        return Client().get(url).content.decode()


def test_meeting_days_are_dated_as_each_language_writes_dates(gcm):
    pages = {}
    for language in ("en", "zh-hans", "fr", "ar"):
        with translation.override(language):
            pages[language] = _home(reverse("phases:public-home"))
    day = '<time datetime="2017-05-08">'
    assert day + "Monday 8 May 2017, 10:00–18:00 Geneva time" in pages["en"]
    # One sentence per language: its own order and punctuation (the Chinese weekday
    # after the date, the Arabic comma).
    assert day + "2017年5月8日（星期一），日内瓦时间10:00–18:00" in pages["zh-hans"]
    assert day + "lundi 8 mai 2017, 10:00–18:00, heure de Genève" in pages["fr"]
    assert day + "الاثنين 8 مايو 2017، 10:00–18:00 بتوقيت جنيف" in pages["ar"]


def test_a_moment_is_written_in_each_language_s_order_in_the_zone_in_force():
    import datetime

    from django.template import Context, Template

    at = datetime.datetime(2017, 5, 8, 8, 0, tzinfo=datetime.UTC)
    template = Template(
        '{% load tz instants %}{% timezone "Europe/Zurich" %}{{ at|day_time }}{% endtimezone %}'
        " | {{ at|utc|day_time }}"
    )
    shown = {}
    for language in ("en", "fr", "ru", "zh-hans"):
        with translation.override(language):
            shown[language] = template.render(Context({"at": at}))
    # Geneva in May is UTC+2; |utc keeps the UTC time.
    assert shown["en"] == "8 May 2017, 10:00 | 8 May 2017, 08:00"
    assert shown["fr"] == "8 mai 2017, 10:00 | 8 mai 2017, 08:00"
    assert shown["ru"].startswith("8 мая 2017, 10:00")
    assert shown["zh-hans"].startswith("2017年5月8日 10:00")


def test_meeting_days_give_the_offset_from_utc_not_a_zone_name_in_english(gcm):
    import datetime

    from compact_process.web.templatetags.instants import utc_offset

    page = _home("/zh-hans/")
    assert "Europe/Zurich" not in page and "America/New_York" not in page
    # Geneva in May 2017 (summer time), New York in May 2017 (summer time).
    assert "日内瓦时间10:00–18:00" in page and "UTC+2" in page and "UTC\u22124" in page
    assert utc_offset(datetime.date(2018, 1, 15), "Europe/Zurich") == "UTC+1"
    assert utc_offset(datetime.date(2018, 1, 15), "Asia/Kolkata") == "UTC+5:30"
    assert utc_offset(datetime.date(2018, 1, 15), "Europe/London") == "UTC"


def test_the_dashboard_lead_uses_the_language_s_own_brackets(gcm):
    from tests.pages import client_for

    client = client_for("secretariat")
    with translation.override("zh-hans"):
        page = client.get(reverse("secretariat:dashboard")).content.decode()
    assert '<p class="lead">安全、有序和正常移民全球契约（A/RES/71/280）</p>' in page
