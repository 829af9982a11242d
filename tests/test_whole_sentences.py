"""Interface sentences are translated whole: no sentence glued from fragments ("Object" +
"to" + a name, "2 days" + "and 3 hours left", "Answered by X" + ": " + a time), which a
translator can neither reorder nor inflect; and the words that mean two things ("State":
a status or a country) carry a context, so that each language may translate them apart."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from stakeholders import services
from stakeholders.selectors.review import Countdown
from tests.people import delegate
from tests.test_review_pages import DURING, build_list, signed_in, state

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NBSP = "\u00a0"


def countdown_text(language: str, days: int, hours: int, passed: bool = False) -> str:
    with translation.override(language):
        html = render_to_string(
            "stakeholders/review/_countdown.html",
            {"countdown": Countdown(days, hours, passed)},
        )
    return re.sub(r"</?span[^>]*>", "", html)


@pytest.mark.parametrize(
    ("days", "hours", "text"),
    [
        (2, 3, "2 days and 3 hours left"),
        (1, 1, "1 day and 1 hour left"),
        (5, 0, "5 days left"),
        (1, 0, "1 day left"),
        (0, 4, "4 hours left"),
        (0, 1, "1 hour left"),
        (0, 0, "Less than an hour left"),
    ],
)
def test_the_countdown_in_english(days, hours, text):
    assert countdown_text("en", days, hours) == text


@pytest.mark.parametrize(
    ("language", "days", "hours", "text"),
    [
        ("fr", 2, 3, "Il reste 2 jours et 3 heures"),
        ("fr", 1, 1, "Il reste 1 jour et 1 heure"),
        # The plural of the days, and separately of the hours: 1 день, 3 дня, 5 часов.
        ("ru", 1, 5, "Осталось: 1 день и 5 часов"),
        ("ru", 3, 21, "Осталось: 3 дня и 21 час"),
        ("ar", 2, 2, "المتبقي: يومان وساعتان"),
        ("zh-hans", 2, 3, "剩余2天3小时"),
    ],
)
def test_the_countdown_is_one_sentence_in_other_languages(language, days, hours, text):
    assert countdown_text(language, days, hours) == text


def test_the_passed_countdown():
    assert countdown_text("en", 0, 0, passed=True) == (
        "The deadline has passed; the review is closing."
    )


@pytest.fixture
def review_page(gcm):
    """The list page of a delegate of Kenya who objects to the first organization and
    has requested information on the second."""
    lst, _, entries = build_list(gcm, 3)
    user = delegate("ke", "KEN")
    with time_machine.travel(DURING, tick=False):
        services.lodge_objection(entry=entries[0], member_state=state("KEN"), user=user)
        services.request_information(entry=entries[1], member_state=state("KEN"), user=user)

    def fetch(language: str) -> str:
        with translation.override(language):
            url = reverse("stakeholders-review:list", args=[lst.pk])
        with time_machine.travel(DURING, tick=False):
            return signed_in(user).get(url).content.decode()

    return fetch


def test_the_review_buttons_read_as_whole_sentences(review_page):
    html = review_page("en")
    # The organization's name is isolated (<bdi>) inside the sentence.
    hidden = [
        re.sub(r"</?bdi>", "", sentence)
        for sentence in re.findall(r'<span class="visually-hidden">(.*?)</span>', html)
    ]
    assert "Withdraw the objection to Preparatory Organisation 000" in hidden
    assert "Information requested on Preparatory Organisation 001" in hidden
    assert "Object to Preparatory Organisation 002" in hidden
    assert "Request information on Preparatory Organisation 002" in hidden
    # The visible text is as before; screen readers skip it and read the sentence.
    for visible in ("Withdraw the objection", "Object", "Request information"):
        assert f'<span aria-hidden="true">{visible}</span>' in html


def test_the_review_buttons_in_french(review_page):
    html = review_page("fr")
    assert (
        '<span class="visually-hidden">Formuler une objection à l’égard de '
        "<bdi>Preparatory Organisation 002</bdi></span>"
    ) in html
    assert (
        '<span class="visually-hidden">Retirer l’objection à l’égard de '
        "<bdi>Preparatory Organisation 000</bdi></span>"
    ) in html


def request_row(language: str) -> str:
    moment = datetime.datetime(2030, 4, 2, 9, 30, tzinfo=datetime.UTC)
    r = SimpleNamespace(
        pk=7,
        requesting_state="Kenya",
        entry=SimpleNamespace(
            application=SimpleNamespace(organization="An organization"),
            stakeholder_list_id=3,
            stakeholder_list=SimpleNamespace(title="A list"),
        ),
        requested_at=moment,
        shared_at=moment,
        shared_by=SimpleNamespace(get_full_name="Ana Officer", username="ana"),
    )
    with translation.override(language):
        return render_to_string("stakeholders/office/_request_row.html", {"r": r, "can_act": True})


def test_answered_by_whom_and_when_is_one_sentence():
    row = request_row("en")
    assert 'Answered by <bdi>Ana Officer</bdi>: <time datetime="2030-04-02T09:30:00Z"' in row
    assert (
        f'Réponse donnée par <bdi>Ana Officer</bdi>{NBSP}: <time datetime="2030-04-02T09:30:00Z"'
    ) in request_row("fr")


def test_a_city_time_is_translated():
    at = datetime.datetime(2030, 4, 2, 9, 30, tzinfo=datetime.UTC)
    context = {"at": at, "zone": "Europe/Zurich", "city": "Genève"}
    with translation.override("en"):
        assert "Genève time" in render_to_string(
            "stakeholders/participation/_deadline.html", context
        )
    with translation.override("fr"):
        assert "heure de Genève" in render_to_string(
            "stakeholders/participation/_deadline.html", context
        )


def test_no_template_translates_a_lone_connecting_word():
    """ "to", "on", "was", "and"... translated alone are the sign of a glued sentence."""
    lone = re.compile(
        r"\{% *(?:translate|trans) +[\"'](?:to|on|was|and|by|at|of|in|for|from|with|until)"
        r"[\"']"
    )
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in lone.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_show_more_findings_says_the_same_in_the_singular_and_the_plural():
    with translation.override("en"):
        one = translation.ngettext("Show %(n)s more finding", "Show %(n)s more findings", 1)
        five = translation.ngettext("Show %(n)s more finding", "Show %(n)s more findings", 5)
    assert (one % {"n": 1}, five % {"n": 5}) == ("Show 1 more finding", "Show 5 more findings")
    with translation.override("fr"):
        five = translation.ngettext("Show %(n)s more finding", "Show %(n)s more findings", 5)
    assert five % {"n": 5} == "Afficher 5 autres constats"


def test_state_as_a_status_and_as_a_country_are_translated_apart(db):
    from phases.models import MemberState
    from stakeholders.forms_office import ApplicationFilterForm
    from stakeholders.models_participation import Nomination

    with translation.override("zh-hans"):
        assert str(ApplicationFilterForm().fields["state"].label) == "状态"
        assert str(Nomination._meta.get_field("state").verbose_name) == "状态"
        assert str(MemberState._meta.verbose_name) == "国家"
    with translation.override("ar"):
        assert translation.pgettext("status", "State") == "الوضع"
        assert translation.pgettext("country", "State") == "دولة"
        assert translation.pgettext("proportion", "Share") == "النسبة"
