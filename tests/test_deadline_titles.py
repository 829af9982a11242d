"""Deadline titles are kept as labels (a key and its parameters), not as text in the
language active when the deadline was synced (issue 17): a deadline synced while a
Spanish page was being served reads in English to an English reader and in Spanish to a
Spanish one, on the "due for me" page, in the calendar feed and in the reminder e-mail."""

from __future__ import annotations

import datetime
import importlib

import time_machine
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Deadline, DeadlineKind
from compact_process.notifications import services as notifications
from phases import deadlines as phase_deadlines
from phases.models import Deliverable, MemberState
from stakeholders.enums import ListPurpose
from stakeholders.models import Organization
from stakeholders.models_registry import ApplicationWindow, OrganizationMember
from tests.people import person


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def in_language(code: str, text) -> str:
    with translation.override(code):
        return str(text)


def waiting_member(username: str, language: str):
    """A member of an organization that has not applied yet: the window is theirs."""
    member = person(username, language=language)
    org = Organization.objects.create(
        name=f"Organization of {username}",
        kind="ngo",
        country=MemberState.objects.get(iso3="KEN"),
        email=f"{username}-org@example.org",
    )
    OrganizationMember.objects.create(user=member, organization=org)
    return member


def window_synced_in_spanish(gcm, closes_at):
    from stakeholders import services_participation

    window = ApplicationWindow.objects.get(process=gcm)
    with translation.override("es"):
        services_participation.set_application_window(
            process=gcm,
            purpose=window.purpose,
            opens_at=window.opens_at,
            closes_at=closes_at,
            actor=person("secretary", "secretariat"),
        )
    window.refresh_from_db()
    return window


def test_a_window_synced_under_spanish_reads_in_each_reader_s_language(gcm):
    english_reader = waiting_member("reader-en", "en")
    spanish_reader = waiting_member("reader-es", "es")
    now = timezone.now()
    window = window_synced_in_spanish(gcm, now + days(10))
    purpose = ListPurpose(window.purpose).label
    english, spanish = in_language("en", purpose), in_language("es", purpose)
    assert english != spanish

    # The row keeps the key, not the Spanish words; its plain title is the English.
    (row,) = deadlines.for_user(english_reader).filter(kind=DeadlineKind.APPLICATION_WINDOW)
    assert (row.title_key, row.title_params) == ("list_purpose", {"value": window.purpose})
    assert row.title == english

    # The "due for me" page, in the page's language.
    client = Client()
    client.force_login(english_reader)
    with translation.override("en"):
        english_page = client.get(reverse("deadlines:due")).content.decode()
    with translation.override("es"):
        spanish_page = client.get(reverse("deadlines:due")).content.decode()
    assert f'<h3 class="due-title">{english}</h3>' in english_page
    assert spanish not in english_page
    assert f'<h3 class="due-title">{spanish}</h3>' in spanish_page

    # The calendar feed, in its owner's language.
    token = deadlines.create_feed_token(user=english_reader).token
    feed = Calendar.from_ical(client.get(reverse("deadlines-feed:feed", args=[token])).content)
    summaries = [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]
    assert english in summaries and spanish not in summaries

    # The reminder e-mail, in each recipient's language, whoever's language was active
    # when the reminder was written.
    with translation.override("fr"):
        deadlines.scan(now=now + days(9))
    mail.outbox.clear()
    notifications.send_due(now=now + days(9))
    to_english = [m for m in mail.outbox if english_reader.email in m.to]
    to_spanish = [m for m in mail.outbox if spanish_reader.email in m.to]
    assert to_english and to_spanish
    assert english in to_english[0].subject + to_english[0].body
    assert spanish not in to_english[0].body
    assert spanish in to_spanish[0].subject + to_spanish[0].body
    assert english not in to_spanish[0].body


def test_a_deliverable_synced_under_spanish_keeps_its_title_in_every_language(gcm):
    deliverable = Deliverable.objects.get(process=gcm, key="zero-draft")
    assert deliverable.title_es and deliverable.title_es != deliverable.title_en
    with translation.override("es"):
        phase_deadlines.sync(deliverable)
    row = Deadline.objects.get(key=phase_deadlines.key(deliverable))
    assert row.title == deliverable.title_en
    for code in ("en", "es", "ar"):
        with translation.override(code):
            assert row.label.text == getattr(deliverable, f"title_{code}")
            assert row.label.lang == ""


def test_a_title_missing_in_the_reader_s_language_shows_the_english_marked_as_such(gcm):
    deliverable = Deliverable.objects.get(process=gcm, key="zero-draft")
    deliverable.title_ru = None
    phase_deadlines.sync(deliverable)
    row = Deadline.objects.get(key=phase_deadlines.key(deliverable))
    with translation.override("ru"):
        assert (row.label.text, row.label.lang) == (deliverable.title_en, "en")


def test_the_migration_turns_rows_written_as_spanish_text_into_labels(gcm):
    migration = importlib.import_module("stakeholders.migrations.0009_deadline_title_labels")
    deliverable = Deliverable.objects.get(process=gcm, key="zero-draft")
    window = ApplicationWindow.objects.get(process=gcm)
    with translation.override("es"):
        spanish_purpose = str(window.get_purpose_display())
    for key, title in [
        (f"deliverable:{deliverable.pk}", deliverable.title_es),
        (f"application-window:{window.pk}", spanish_purpose),
        ("something-else:1", "Algo"),
    ]:
        Deadline.objects.update_or_create(
            key=key,
            defaults={
                "kind": DeadlineKind.DELIVERABLE,
                "title": title,
                "title_key": "",
                "title_params": {},
                "due_at": timezone.now() + days(3),
            },
        )
    migration.forwards(apps, None)
    with translation.override("en"):
        got = {d.key: d.label.text for d in Deadline.objects.all()}
    assert got[f"deliverable:{deliverable.pk}"] == deliverable.title_en
    assert got[f"application-window:{window.pk}"] == in_language(
        "en", ListPurpose(window.purpose).label
    )
    assert got["something-else:1"] == "Algo"  # no source: kept as it was
    with translation.override("es"):
        row = Deadline.objects.get(key=f"application-window:{window.pk}")
        assert row.label.text == spanish_purpose


def test_a_reminder_written_before_the_labels_still_reads(gcm):
    """Notifications written with the title as text (before this change) keep working."""
    reader = person("old-reader", "secretariat", language="es")
    with time_machine.travel(timezone.now(), tick=False):
        notifications.notify(
            [
                notifications.Note(
                    recipient_id=reader.pk,
                    kind="reminder",
                    key="reminder:old:1",
                    params={
                        "title": "Old title",
                        "kind": "deliverable",
                        "due_at": timezone.now() + days(1),
                        "overdue": False,
                    },
                )
            ]
        )
    from compact_process.notifications.models import Notification

    with translation.override("es"):
        assert "Old title" in notifications.subject(Notification.objects.get(key="reminder:old:1"))


def test_a_nomination_e_mail_names_the_meeting_in_the_recipient_s_language(gcm):
    """A label in any notification's parameters is rendered when the e-mail is written,
    in the recipient's language (the nomination's meeting, decided by an English-reading
    secretariat, reaches a Spanish-reading organization in Spanish)."""
    from compact_process import labels
    from compact_process.notifications.models import Notification
    from phases.models import Meeting

    meeting = Meeting.objects.get(process=gcm, key="thematic-1")
    assert meeting.title_es != meeting.title_en
    spanish, english = person("nominee-es", language="es"), person("nominee-en")
    with translation.override("en"):
        notifications.notify(
            notifications.Note(
                recipient_id=reader.pk,
                kind="nomination.decided",
                key="nomination.decided:test",
                params={
                    "name": "A. Person",
                    "meeting": labels.translations(meeting, "title"),
                    "state": "confirmed",
                    "reason": "",
                },
            )
            for reader in (spanish, english)
        )
    for reader, title in ((spanish, meeting.title_es), (english, meeting.title_en)):
        email = notifications.render_email(Notification.objects.get(recipient=reader))
        assert title in email.subject and title in email.body, reader.preferred_language
