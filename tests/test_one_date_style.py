"""One way of writing a date (issue 17): every page of the six-language page test
(tests/test_every_page.py, its world and its readers) and every e-mail the world's
services wrote, rendered in each language, write their dates the one way of
compact_process/formats/written.py — never in a second style:

- no ISO date ("2018-03-01") in the text a person reads (attributes, ``<code>``,
  ``<pre>``, scripts and form fields aside: those are for machines or typed);
- no American order ("December 2, 2026", "ديسمبر 9, 2026");
- no 12-hour clock ("4:56 PM", "4:56 م", "a.m.");
- no all-numeric day ("02/12/2026", "02.12.2026");
- every ``<time datetime>`` a valid HTML date or a UTC instant to the second, never
  microseconds or an offset written another way;
- no period doubled by a date that ends with one at the end of a sentence (Django's
  Russian "6 декабря 2026 г." before the sentence's own period).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.test_every_page import (
    EVERYONE,
    LANGUAGES,
    _client,
    _no_wait_for_pdfs,  # noqa: F401 (an autouse fixture, used here too)
    build_world,
    in_language,
)

ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/])")
# A word, then a day and a comma and a year: "December 2, 2026", "ديسمبر 9, 2026".
MONTH_FIRST = re.compile(r"[^\W\d_]{3,} \d{1,2}, \d{4}")
TWELVE_HOUR = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?\s?(?:AM|PM|am|pm|a\.m\.|p\.m\.|ص|م)(?!\w)")
NUMERIC_DAY = re.compile(r"(?<![\w/.])\d{1,2}[/.]\d{1,2}[/.]\d{4}(?![\w/])")
VALID_DATETIME = re.compile(r"\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}Z)?)?")
# An instant as the server writes it in each language: a 24-hour time (then "UTC", or
# its name in the language: "协调世界时").
AN_INSTANT = re.compile(r"\d{2}:\d{2}")
# Two periods, not an ellipsis ("…", "...") nor a relative path ("../").
DOUBLED_PERIOD = re.compile(r"(?<![.\s])\.\.(?![.\w/])")

SECOND_STYLES = {
    "an ISO date": ISO_DATE,
    "a month before the day": MONTH_FIRST,
    "a 12-hour clock": TWELVE_HOUR,
    "an all-numeric day": NUMERIC_DAY,
    "a doubled period": DOUBLED_PERIOD,
}


class _Reader(HTMLParser):
    """The text a person reads, and the ``datetime`` attributes."""

    MACHINE = {"code", "pre", "script", "style", "textarea", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.text: list[str] = []
        self.datetimes: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "datetime":
                self.datetimes.append(value or "")
        if tag in self.MACHINE:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.MACHINE and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.text.append(data)


def second_styles(text: str) -> list[str]:
    """What in a text is a date in a second style, each with its kind."""
    found = []
    for kind, pattern in SECOND_STYLES.items():
        for match in pattern.finditer(text):
            start = max(match.start() - 40, 0)
            found.append(f"{kind}: …{text[start : match.end() + 20]!r}…")
    return found


def page_problems(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    text = " ".join(" ".join(reader.text).split())
    problems = second_styles(text)
    problems += [
        f"an invalid <time datetime={value!r}>"
        for value in reader.datetimes
        if not VALID_DATETIME.fullmatch(value)
    ]
    return problems


def test_the_checks_see_each_second_style():
    """The checks cannot pass by seeing nothing."""
    assert second_styles("Done: 2018-03-01 is added")
    assert second_styles("(2018-02-01 to 2018-07-31)")
    assert second_styles("December 2, 2026 at 11:55 AM EST")
    assert second_styles("ديسمبر 9, 2026, 4:56 م")
    assert second_styles("le 02/12/2026")
    assert second_styles("Процесс завершился 11 декабря 2018 г..")
    assert page_problems('<time datetime="2026-12-02T16:55:00.123456+00:00">x</time>')
    assert page_problems('<time datetime="2026-12-02 16:55">x</time>')
    for fine in (
        "2 December 2026, 16:55 UTC",
        "2 décembre 2026, 11:55 UTC−5",
        "2026年12月2日 16:55 UTC",
        "9 ديسمبر 2026، 16:56 UTC",
        "2 de diciembre de 2026, 16:55 UTC",
        "2 декабря 2026, 16:55 UTC",
        "A/RES/71/280, OP 6(b)",
        "Wait… or wait... then ../up",
    ):
        assert not second_styles(fine), fine
    assert not page_problems(
        '<time datetime="2026-12-02">2 December 2026</time>'
        '<time datetime="2026-12-02T16:55:00Z">2 December 2026, 16:55 UTC</time>'
        "<code>2018-03-01</code><a href='/x?from=2018-03-01'>x</a>"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_writes_its_dates_one_way(gcm, language):
    world = build_world(gcm)
    clients: dict = {}
    failures: list[str] = []
    instants = 0
    for fetch in world.fetches:
        if not fetch.html:
            continue
        path = in_language(fetch.path, language)
        for role in EVERYONE:
            if role not in fetch.readers:
                continue
            response = _client(role, clients).get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            instants += html.count("data-instant=")
            failures += [
                f"{fetch.name} ({role or 'anonymous'}) {path}: {p}" for p in page_problems(html)
            ]
    for reader in world.readers.values():
        client = Client()
        client.force_login(reader)
        from django.urls import reverse

        path = in_language(reverse("notifications:inbox"), language)
        failures += [f"inbox {path}: {p}" for p in page_problems(client.get(path).content.decode())]
    assert instants > 50, "the pages showed almost no instant: the walk saw nothing"
    assert not failures, f"{len(failures)} date(s) in a second style:\n" + "\n".join(
        sorted(set(failures))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_e_mail_writes_its_dates_one_way(gcm, language):
    """Each notification the world's services wrote, rendered as its recipient would get
    it in each language (text and HTML), writes its instants as the pages do."""
    from compact_process.notifications.models import Notification
    from compact_process.notifications.services import render_email

    build_world(gcm)
    failures: list[str] = []
    dated = 0
    for notification in Notification.objects.select_related("recipient").order_by("kind", "id"):
        notification.recipient.preferred_language = language  # not saved
        message = render_email(notification)
        html = next(body for body, kind in message.alternatives if kind == "text/html")
        for part, text in (("subject", message.subject), ("text", message.body)):
            failures += [f"{notification.kind} {part}: {p}" for p in second_styles(text)]
        failures += [f"{notification.kind} html: {p}" for p in page_problems(html)]
        dated += bool(AN_INSTANT.search(message.body))
    assert dated, "no e-mail of the world carries an instant: the check saw nothing"
    assert not failures, f"{len(failures)} date(s) in a second style:\n" + "\n".join(
        sorted(set(failures))
    )
