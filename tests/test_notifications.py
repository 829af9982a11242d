"""Notifications of the review (OP 6): delegates when a list is submitted, applicants
when they are screened and when the review closes, each once, by e-mail in the
recipient's language and in the application."""

from __future__ import annotations

import datetime
import smtplib

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse

from compact_process.notifications import services as notifications
from compact_process.notifications.models import EmailStatus, Notification
from phases.models import MemberState
from stakeholders import services
from stakeholders import tasks as stakeholder_tasks
from stakeholders.enums import ApplicationState, Channel, Gender
from stakeholders.models import Organization
from stakeholders.models_registry import OrganizationMember
from tests.people import delegate, person

User = get_user_model()
UTC = datetime.UTC
OPENED = datetime.datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
DEADLINE = datetime.datetime(2030, 4, 20, 23, 59, 59, tzinfo=UTC)
AFTER = DEADLINE + datetime.timedelta(minutes=1)


def organization(name: str, member=None) -> Organization:
    org = Organization.objects.create(
        name=name, kind="ngo", country=MemberState.objects.get(iso3="KEN"), email="o@example.org"
    )
    if member is not None:
        OrganizationMember.objects.create(user=member, organization=org)
    return org


def screened_in(process, org, office):
    application = services.submit_application(
        process=process,
        organization=org,
        channel=Channel.SPECIAL,
        activities="Support to migrants",
        representatives=[("A. Person", Gender.WOMAN)],
    )
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_IN, actor=office
    )
    return application


def submitted_list(process, office, applications):
    with time_machine.travel(OPENED, tick=False):
        lst = services.create_list(
            process=process, purpose="preparatory", title="Preparatory list", actor=office
        )
        for application in applications:
            services.add_entry(stakeholder_list=lst, application=application, actor=office)
        services.submit_list(stakeholder_list=lst, deadline=DEADLINE, actor=office)
    return lst


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.fixture
def office(gcm):
    return person("office", role="pga_office")


def test_submitting_a_list_notifies_every_delegate_once(gcm, office):
    mexico, germany = delegate("mx", "MEX"), delegate("de", "DEU")
    ngo_member = person("ngo")
    application = screened_in(gcm, organization("Red de Migrantes", ngo_member), office)
    lst = submitted_list(gcm, office, [application])

    notified = Notification.objects.filter(kind="list.submitted")
    assert sorted(notified.values_list("recipient__username", flat=True)) == ["de", "mx"]
    mail.outbox.clear()
    soon = OPENED + datetime.timedelta(minutes=1)
    assert notifications.send_due(now=soon) == {"sent": 3}  # and the NGO's screening
    assert notifications.send_due(now=soon) == {}  # nothing is sent twice
    (message,) = sent_to(mexico.email)
    assert "Preparatory list" in message.subject
    assert "non-objection basis" in message.body
    assert f"http://127.0.0.1:8000/review/{lst.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="http://127.0.0.1:8000/review/{lst.pk}/"' in html
    assert len(sent_to(germany.email)) == 1
    # Organizations are not asked to review: the NGO was told only of its screening.
    # The organization's name isolated (FSI … PDI, issue 15): it reads the same on a
    # subject line in any direction.
    assert [m.subject for m in sent_to(ngo_member.email)] == [
        "\u2068Red de Migrantes\u2069: your application is screened in"
    ]


def test_the_screening_outcome_and_reason_reach_the_applicant(gcm, office):
    member = person("applicant")
    org = organization("Migrant Voices", member)
    application = services.submit_application(
        process=gcm, organization=org, channel=Channel.SPECIAL, activities="x"
    )
    services.screen_application(
        application=application,
        state=ApplicationState.NEEDS_INFORMATION,
        reason="Please describe your work on migration since 2015.",
        actor=office,
    )
    notifications.send_due()
    (message,) = sent_to(member.email)
    assert "more information" in message.subject
    assert "Please describe your work on migration since 2015." in message.body
    assert reverse("stakeholders-registration:status", args=[org.pk]) in message.body


def test_the_close_tells_each_organization_its_outcome_once(gcm, office):
    kept_member, removed_member = person("kept"), person("removed")
    kept = screened_in(gcm, organization("Kept", kept_member), office)
    removed = screened_in(gcm, organization("Removed", removed_member), office)
    lst = submitted_list(gcm, office, [kept, removed])
    entry = lst.entries.get(application=removed)
    with time_machine.travel(DEADLINE - datetime.timedelta(hours=1)):
        services.lodge_objection(
            entry=entry,
            member_state=MemberState.objects.get(iso3="MEX"),
            user=delegate("mx", "MEX"),
        )
    notifications.send_due(now=DEADLINE)  # the earlier screening and submission e-mails
    mail.outbox.clear()
    with time_machine.travel(AFTER):
        assert services.close_review(list_id=lst.pk) is True
        assert services.close_review(list_id=lst.pk) is False
        # The close's derived work, as the worker runs it after commit (and once more, as
        # beat's sweep might): each organization is still told once.
        stakeholder_tasks.after_close(lst.pk)
        stakeholder_tasks.after_close(lst.pk)
        notifications.send_due()
        notifications.send_due()

    (approved,) = sent_to(kept_member.email)
    (not_approved,) = sent_to(removed_member.email)
    assert approved.subject == "\u2068Kept\u2069 is approved"
    assert not_approved.subject == "\u2068Removed\u2069 is not approved"
    assert "non-objection basis" in not_approved.body
    # The objecting State is never named to the applicant.
    assert "Mexico" not in not_approved.body


class FlakyBackend(LocmemBackend):
    """A mail server that refuses the first ``failures`` hand-overs."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_mail_server_failure_is_retried_later_and_sent_once(gcm, office, settings):
    settings.EMAIL_BACKEND = "tests.test_notifications.FlakyBackend"
    FlakyBackend.failures = 2
    member = person("applicant")
    org = organization("Migrant Voices", member)
    application = services.submit_application(
        process=gcm, organization=org, channel=Channel.SPECIAL, activities="x"
    )
    start = datetime.datetime(2030, 1, 1, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        services.screen_application(
            application=application, state=ApplicationState.SCREENED_IN, actor=office
        )
        assert notifications.send_due() == {"retry": 1}
        row = Notification.objects.get(recipient=member)
        assert row.email_status == EmailStatus.PENDING
        assert "SMTPServerDisconnected" in row.email_error
        assert notifications.send_due() == {}  # not due again until the backoff passes
    with time_machine.travel(start + notifications.backoff(1), tick=False):
        assert notifications.send_due() == {"retry": 1}
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        assert notifications.send_due() == {"sent": 1}
        assert notifications.send_due() == {}
    assert len(sent_to(member.email)) == 1
    row.refresh_from_db()
    assert (row.email_status, row.email_attempts, row.email_error) == (EmailStatus.SENT, 3, "")


def test_a_hand_over_cut_off_midway_is_never_resent_silently(gcm, office):
    member = person("applicant")
    application = services.submit_application(
        process=gcm,
        organization=organization("Org", member),
        channel=Channel.SPECIAL,
        activities="x",
    )
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_IN, actor=office
    )
    # A worker claimed it and died before marking it sent.
    Notification.objects.filter(recipient=member).update(email_status=EmailStatus.SENDING)
    assert notifications.send_due() == {}
    assert mail.outbox == []


def test_without_an_address_nothing_is_sent_and_the_inbox_still_shows_it(gcm, office):
    member = person("applicant")
    User.objects.filter(pk=member.pk).update(email="")
    application = services.submit_application(
        process=gcm,
        organization=organization("Org", member),
        channel=Channel.SPECIAL,
        activities="x",
    )
    services.screen_application(
        application=application, state=ApplicationState.SCREENED_OUT, actor=office
    )
    assert notifications.send_due() == {"no_address": 1}
    assert mail.outbox == []


def test_the_inbox_shows_one_users_notifications_and_marks_them_read(gcm, office, client):
    member, other = person("applicant"), person("other")
    application = screened_in(gcm, organization("Migrant Voices", member), office)
    other_application = screened_in(gcm, organization("Someone Else", other), office)
    del application, other_application
    client.force_login(member)
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "\u2068Migrant Voices\u2069: your application is screened in" in text
    assert "Someone Else" not in text
    assert '<span class="count" aria-hidden="true">1</span>' in text

    mine = Notification.objects.get(recipient=member)
    theirs = Notification.objects.get(recipient=other)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None

    opened = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})
    assert opened.status_code == 302
    assert opened.url == reverse("stakeholders-registration:status", args=[mine.route_args[0]])
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert '<span class="count"' not in client.get(reverse("notifications:inbox")).content.decode()


def test_the_inbox_needs_a_signed_in_user(client, db):
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 302 and reverse("accounts:login") in page.url
    assert client.get(reverse("notifications:inbox"), HTTP_ACCEPT="text/html").status_code == 302


def test_each_recipient_reads_the_e_mail_in_their_own_language(gcm, office):
    spanish = delegate("es", "MEX", language="es")
    arabic = delegate("ar", "EGY", language="ar")
    french_member = person("fr", language="fr")
    application = screened_in(gcm, organization("Voix des migrants", french_member), office)
    submitted_list(gcm, office, [application])
    notifications.send_due(now=OPENED + datetime.timedelta(minutes=1))

    (to_spain,) = sent_to(spanish.email)
    assert to_spain.subject == "Para examen por su Estado: “\u2068Preparatory list\u2069”"
    assert "no objeción" in to_spain.body
    assert to_spain.extra_headers["Content-Language"] == "es"
    (to_egypt,) = sent_to(arabic.email)
    html = to_egypt.alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html
    assert "الدول الأعضاء" in to_egypt.body
    # The link opens the page in the reader's language.
    assert "http://127.0.0.1:8000/ar/review/" in to_egypt.body
    (to_ngo,) = sent_to(french_member.email)
    assert to_ngo.subject.startswith("\u2068Voix des migrants\u2069")
    assert "retenue" in to_ngo.subject


def test_an_e_mail_that_cannot_be_written_is_failed_not_uncertain(gcm, office, monkeypatch):
    member = person("applicant")
    application = screened_in(gcm, organization("Org", member), office)
    del application

    def broken(notification):
        raise KeyError("a template variable")

    monkeypatch.setattr(notifications, "render_email", broken)
    assert notifications.send_due() == {"failed": 1}
    row = Notification.objects.get(recipient=member)
    assert row.email_status == EmailStatus.FAILED
    assert "could not be written: KeyError" in row.email_error
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "unread", "said"),
    [
        ("en", 1, "1 unread notification."),
        ("fr", 2, "2 notifications non lues."),
        ("ru", 2, "2 непрочитанных уведомления."),
        ("ru", 5, "5 непрочитанных уведомлений."),
        ("es", 21, "21 notificaciones no leídas."),
        ("ar", 3, "3 إشعارات غير مقروءة."),
    ],
)
def test_the_bell_says_how_many_are_unread_as_the_reader_s_language_counts(
    gcm, client, language, unread, said
):
    """The bell on every page: the count, and for a screen reader a sentence in the
    plural form of the reader's language (a count given to a plural as a lazy object
    made the Russian, Spanish and Arabic pages answer 500)."""
    reader = delegate("reader", "MEX")
    Notification.objects.bulk_create(
        Notification(
            recipient=reader, kind="list.submitted", key=f"bell:{i}", route="notifications:inbox"
        )
        for i in range(unread)
    )
    client.force_login(reader)
    prefix = "" if language == "en" else f"/{language.replace('_', '-').lower()}"
    response = client.get(f"{prefix}/review/")
    assert response.status_code == 200
    bell = response.content.decode().split('class="bell"')[1].split("</a>")[0]
    assert f'<span class="count" aria-hidden="true">{unread}</span>' in bell
    assert said in bell
