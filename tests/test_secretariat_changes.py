"""The secretariat changes what it planned: a deliverable created, edited and its due date
moved (its deadline and its reminders follow, through the real sweep and ledger); a
meeting day and a panel edited; the soft rules (a weekend day, a third moderator) warned
at save time with their OP; the compliance page's names, not keys; a new document's
author chosen, not assumed."""

from __future__ import annotations

import datetime
import html
import re

import time_machine
from django.urls import reverse
from django.utils import translation

from compact_process.audit.models import AuditEvent
from compact_process.deadlines import services as deadlines
from compact_process.deadlines.models import Deadline
from compact_process.notifications.models import Notification
from phases import deadlines as deliverable_deadlines
from phases import services
from phases.enums import DeliverableKind, MeetingKind, ResponsibleRole
from phases.models import Deliverable, Document, Meeting, MemberState, Venue
from phases.services import DaySpec
from stakeholders import trail
from tests.people import person

D = datetime.date
UTC = datetime.UTC
NOW = datetime.datetime(2030, 1, 7, 12, 0, tzinfo=UTC)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def signed_in(client, role: str = "secretariat"):
    user = person(f"{role}-user", role)
    client.force_login(user)
    return user


def messages_of(response, level: str) -> list[str]:
    return [str(m.message) for m in response.context["messages"] if m.level_tag == level]


def sentence(event) -> str:
    text = trail.SENTENCES[event.action](event, trail.Names([event]))
    return re.sub(r"<[^>]+>", "", str(text))


# --- Deliverables --------------------------------------------------------------------------


def test_the_secretariat_adds_a_deliverable_and_its_deadline_is_planned(gcm, client):
    user = signed_in(client)
    page = client.get(reverse("secretariat:deliverables")).content.decode()
    assert f'href="{reverse("secretariat:deliverable-create")}"' in page
    response = client.post(
        reverse("secretariat:deliverable-create"),
        {
            "kind": DeliverableKind.ORGANIZATIONAL_NOTE,
            "title_en": "Note on the arrangements of the second round",
            "title_fr": "Note sur l'organisation de la deuxième série",
            "meeting": "",
            "responsible": ResponsibleRole.SECRETARIAT,
            "due_on": "2030-03-02",
            "symbol": "",
            "source_note": "",
        },
        follow=True,
    )
    created = Deliverable.objects.get(process=gcm, title_en__startswith="Note on the arr")
    assert response.redirect_chain[-1][0].endswith(f"#deliverable-{created.key}")
    assert created.title_fr == "Note sur l'organisation de la deuxième série"
    assert created.due_on == D(2030, 3, 2)
    assert "is added, due on 2 March 2030" in messages_of(response, "success")[0]
    row = Deadline.objects.get(key=deliverable_deadlines.key(created))
    assert row.due_at.date() == D(2030, 3, 3)  # the end of 2 March in New York, in UTC
    (event,) = AuditEvent.objects.filter(action="deliverable.created")
    assert event.actor == user
    assert sentence(event) == (
        "The deliverable Note on the arrangements of the second round was added, "
        "due on 2 March 2030."
    )


def test_a_new_deliverable_without_a_title_is_refused_and_nothing_is_added(gcm, client):
    signed_in(client)
    before = Deliverable.objects.count()
    response = client.post(
        reverse("secretariat:deliverable-create"),
        {"kind": DeliverableKind.WORK_PLAN, "responsible": "secretariat", "due_on": "2030-03-02"},
    )
    assert response.status_code == 422
    assert Deliverable.objects.count() == before


def test_editing_a_deliverable_keeps_its_due_date_and_moves_its_audience(gcm, client):
    user = signed_in(client)
    brief = Deliverable.objects.filter(process=gcm, kind=DeliverableKind.ISSUE_BRIEF).first()
    due = brief.due_on
    form = client.get(reverse("secretariat:deliverable-edit", args=[brief.pk])).content.decode()
    assert f'value="{brief.title_en}"' in form  # prefilled
    response = client.post(
        reverse("secretariat:deliverable-edit", args=[brief.pk]),
        {
            "kind": brief.kind,
            "title_en": "Issue brief, revised",
            "meeting": brief.meeting_id,
            "responsible": ResponsibleRole.PGA_OFFICE,
            "symbol": "A/BRIEF/1",
            "source_note": "",
        },
    )
    assert response.status_code == 302
    brief.refresh_from_db()
    assert (brief.title_en, brief.symbol, brief.due_on) == (
        "Issue brief, revised",
        "A/BRIEF/1",
        due,
    )
    row = Deadline.objects.get(key=deliverable_deadlines.key(brief))
    assert list(row.audience.values_list("type", "value")) == [("role", "pga_office")]
    (event,) = AuditEvent.objects.filter(action="deliverable.updated")
    assert event.actor == user
    assert sentence(event) == "The details of the deliverable Issue brief, revised were changed."


def test_moving_the_due_date_moves_the_reminders_that_are_still_to_come(gcm, client):
    """The done-when of issue 17: a reminder sent for the old date stays sent; the next
    ones go out relative to the new date, never the old."""
    secretariat = person("reminded", "secretariat")
    old_due = D(2030, 2, 1)
    deliverable = services.create_deliverable(
        process=gcm,
        key="moved-note",
        kind=DeliverableKind.ORGANIZATIONAL_NOTE,
        title="A note whose date moves",
        due_on=old_due,
        responsible=ResponsibleRole.SECRETARIAT,
    )
    row = Deadline.objects.get(key=deliverable_deadlines.key(deliverable))
    old_at = row.due_at

    def notes():
        return Notification.objects.filter(
            recipient=secretariat, key__startswith=f"reminder:deliverable:{deliverable.pk}:"
        )

    # Fourteen days before the old date, the sweep sends the first reminder.
    assert deadlines.scan(now=old_at - days(14) + days(0.1)) >= 1
    assert notes().count() == 1
    sent = notes().get()
    assert f":{old_at:%Y%m%dT%H%M%S}:before-{14 * 24 * 60}" in sent.key

    # The secretariat moves the date thirty days later, through the page.
    signed_in(client)
    form = client.get(reverse("secretariat:deliverable-move", args=[deliverable.pk]))
    assert 'value="2030-02-01"' in form.content.decode()  # the present date, prefilled
    with time_machine.travel(old_at - days(14) + days(0.2), tick=False):
        response = client.post(
            reverse("secretariat:deliverable-move", args=[deliverable.pk]),
            {"due_on": "2030-03-03"},
            follow=True,
        )
    assert response.status_code == 200
    assert messages_of(response, "success") == [
        "The due date of A note whose date moves is moved from 1 February 2030 to "
        "3 March 2030; 3 reminders are planned from the new date."
    ]
    deliverable.refresh_from_db()
    assert deliverable.due_on == D(2030, 3, 3)
    row.refresh_from_db()
    new_at = row.due_at
    assert new_at - old_at == days(30)

    # The reminder already sent stays sent; none goes out at the old date's steps.
    assert list(notes().values_list("pk", flat=True)) == [sent.pk]
    assert deadlines.scan(now=old_at - days(3) + days(0.1)) == 0
    assert deadlines.scan(now=old_at - days(1) + days(0.1)) == 0
    assert deadlines.scan(now=old_at + days(1)) == 0  # nor "overdue" on the old date
    assert notes().count() == 1
    # The new date's steps: 14, 3 and 1 day before it.
    for step in (14, 3, 1):
        assert deadlines.scan(now=new_at - days(step) + days(0.1)) >= 1
        latest = notes().order_by("-pk").first()
        assert latest.key.endswith(f":{new_at:%Y%m%dT%H%M%S}:before-{step * 24 * 60}")
    assert notes().count() == 4

    (event,) = AuditEvent.objects.filter(action="deliverable.moved")
    assert event.data["reminders"] == 3
    assert sentence(event) == (
        "The due date of A note whose date moves was moved from 1 February 2030 to "
        "3 March 2030; 3 reminders were planned from the new date."
    )


def test_a_move_close_to_the_new_date_counts_only_the_reminders_left(gcm, client):
    deliverable = services.create_deliverable(
        process=gcm,
        key="soon-note",
        kind=DeliverableKind.ORGANIZATIONAL_NOTE,
        title="A note due soon",
        due_on=D(2030, 2, 1),
        responsible=ResponsibleRole.SECRETARIAT,
    )
    signed_in(client)
    with time_machine.travel(NOW, tick=False):  # 7 January 2030
        response = client.post(
            reverse("secretariat:deliverable-move", args=[deliverable.pk]),
            {"due_on": "2030-01-09"},  # two days on: the 3-day step is due now, then 1 day
            follow=True,
        )
    assert "; 2 reminders are planned from the new date." in messages_of(response, "success")[0]


def test_the_same_due_date_is_not_a_move(gcm, client):
    signed_in(client)
    deliverable = Deliverable.objects.filter(process=gcm).first()
    response = client.post(
        reverse("secretariat:deliverable-move", args=[deliverable.pk]),
        {"due_on": deliverable.due_on.isoformat(), "due_approximate": ""}
        if not deliverable.due_approximate
        else {"due_on": deliverable.due_on.isoformat(), "due_approximate": "on"},
    )
    assert response.status_code == 422
    assert "This is already the due date." in response.content.decode()
    assert not AuditEvent.objects.filter(action="deliverable.moved").exists()


# --- Days and panels -----------------------------------------------------------------------


def test_a_meeting_day_is_edited_from_a_prefilled_form(gcm, client):
    user = signed_in(client)
    dialogue = Meeting.objects.get(process=gcm, key="dialogue-2")
    day = dialogue.days.first()
    url = reverse("secretariat:day-edit", args=[dialogue.pk, day.pk])
    meeting_page = client.get(reverse("secretariat:meeting", args=[dialogue.pk])).content.decode()
    assert f'href="{url}"' in meeting_page
    form = client.get(url).content.decode()
    assert f'value="{day.date.isoformat()}"' in form
    assert f'value="{day.starts_at:%H:%M}"' in form
    new_date = day.date + days(1)
    response = client.post(
        url,
        {"date": new_date.isoformat(), "starts_at": "15:00", "ends_at": "18:00", "portion": "0.5"},
        follow=True,
    )
    assert response.status_code == 200
    day.refresh_from_db()
    assert (day.date, day.starts_at, str(day.portion)) == (
        new_date,
        datetime.time(15, 0),
        "0.5",
    )
    assert "is saved" in messages_of(response, "success")[0]
    (event,) = AuditEvent.objects.filter(action="meeting_day.updated")
    assert event.actor == user and event.data["meeting_id"] == dialogue.pk
    assert "15:00–18:00" in sentence(event) and dialogue.title in sentence(event)


def test_a_day_cannot_be_moved_onto_another_day_of_its_meeting(gcm, client):
    signed_in(client)
    session = Meeting.objects.get(process=gcm, key="thematic-1")
    first, second = list(session.days.order_by("date"))[:2]
    response = client.post(
        reverse("secretariat:day-edit", args=[session.pk, second.pk]),
        {"date": first.date.isoformat(), "starts_at": "10:00", "ends_at": "18:00", "portion": "1"},
    )
    assert response.status_code == 422
    assert "already meets on that day" in response.content.decode()
    second.refresh_from_db()
    assert second.date != first.date


def test_a_panel_is_renamed_from_a_prefilled_form(gcm, client):
    user = signed_in(client)
    session = Meeting.objects.get(process=gcm, key="thematic-2")
    panel = session.panels.get(order=1)
    url = reverse("secretariat:panel-edit", args=[session.pk, panel.pk])
    assert (
        f'href="{url}"'
        in client.get(reverse("secretariat:meeting", args=[session.pk])).content.decode()
    )
    form = client.get(url).content.decode()
    assert f'value="{panel.title_en}"' in form
    fields = {f"title_{code}": "" for code in ("ar", "zh_hans", "fr", "ru", "es")}
    response = client.post(url, {**fields, "title_en": "A renamed panel", "title_fr": "Un groupe"})
    assert response.status_code == 302
    panel.refresh_from_db()
    assert (panel.title_en, panel.title_fr) == ("A renamed panel", "Un groupe")
    (event,) = AuditEvent.objects.filter(action="panel.updated")
    assert event.actor == user
    assert sentence(event) == f"The panel A renamed panel of {session.title} was renamed."


def test_the_co_facilitators_cannot_edit_days_panels_or_deliverables(gcm, client):
    signed_in(client, "co_facilitator")
    session = Meeting.objects.get(process=gcm, key="thematic-2")
    deliverable = Deliverable.objects.filter(process=gcm).first()
    for url in [
        reverse("secretariat:day-edit", args=[session.pk, session.days.first().pk]),
        reverse("secretariat:panel-edit", args=[session.pk, session.panels.first().pk]),
        reverse("secretariat:deliverable-create"),
        reverse("secretariat:deliverable-edit", args=[deliverable.pk]),
        reverse("secretariat:deliverable-move", args=[deliverable.pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title_en": "x", "due_on": "2030-01-01"}).status_code == 403


# --- The soft rules at save time -----------------------------------------------------------


def test_a_weekend_day_of_a_thematic_session_is_saved_with_the_op_16_warning(gcm, client):
    signed_in(client)
    session = Meeting.objects.get(process=gcm, key="thematic-1")
    first = session.days.order_by("date").first().date
    saturday = first + days((5 - first.weekday()) % 7)
    assert saturday.weekday() == 5
    response = client.post(
        reverse("secretariat:day-add", args=[session.pk]),
        {"date": saturday.isoformat(), "starts_at": "10:00", "ends_at": "13:00", "portion": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert session.days.filter(date=saturday).exists()  # saved: a warning, not a refusal
    (warning,) = messages_of(response, "warning")
    assert warning.startswith("OP 16:") and "a weekend" in warning
    assert "The change is saved; this is a warning, not a refusal." in warning
    # The compliance page shows the same finding: one rule, not two.
    compliance = client.get(reverse("secretariat:compliance")).content.decode()
    assert warning.split(" The change is saved")[0] in compliance


def test_a_working_day_brings_no_warning(gcm, client):
    signed_in(client)
    dialogue = Meeting.objects.get(process=gcm, key="dialogue-2")
    last = dialogue.days.order_by("date").last().date
    weekday = last - days(1) if last.weekday() in (1, 2, 3, 4) else last + days(3)
    assert not dialogue.days.filter(date=weekday).exists()
    response = client.post(
        reverse("secretariat:day-add", args=[dialogue.pk]),
        {"date": weekday.isoformat(), "starts_at": "10:00", "ends_at": "13:00", "portion": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response, "warning") == []


def test_a_third_moderator_of_an_informal_consultation_panel_is_saved_with_op_17(gcm, client):
    consultation = services.create_meeting(
        process=gcm,
        key="consultation",
        kind=MeetingKind.INFORMAL_CONSULTATION,
        title="An informal consultation",
        venue=Venue.objects.get(slug="new-york"),
        days=[DaySpec(D(2030, 3, 4))],
    )
    panel = services.add_panel(meeting=consultation, title="The consultation's panel")
    for iso3 in ("FRA", "KEN"):
        services.appoint_moderator(panel=panel, member_state=MemberState.objects.get(iso3=iso3))
    signed_in(client)
    url = reverse("secretariat:moderator-add", args=[consultation.pk, panel.pk])
    response = client.post(
        url, {"member_state": MemberState.objects.get(iso3="BRA").pk}, follow=True
    )
    assert response.status_code == 200
    assert panel.moderators.count() == 3
    (warning,) = messages_of(response, "warning")
    assert warning.startswith("OP 17:") and "The consultation's panel" in warning
    assert "has 3" in warning
    compliance = client.get(reverse("secretariat:compliance")).content.decode()
    assert html.escape(warning.split(" The change is saved")[0]) in compliance


# --- Names, not keys -----------------------------------------------------------------------


def test_the_compliance_figures_name_meetings_and_every_regional_group(gcm, client):
    signed_in(client)
    page = client.get(reverse("secretariat:compliance")).content.decode()
    figures = page.split('id="rule-thematic-sessions"')[1].split("</details>")[0]
    assert "Thematic-1" not in figures
    assert Meeting.objects.get(process=gcm, key="thematic-1").title in figures
    moderators = page.split('id="rule-panel-moderators"')[1].split("</details>")[0]
    assert "Asia-pacific states" not in moderators
    assert "Asia-Pacific States" in moderators
    # A group without a moderator of a session is shown, as 0.
    pairs = re.findall(r"<dt>([^<]*)</dt>\s*<dd>([^<]*)</dd>", moderators)
    assert ("Eastern European States", "0") in pairs


def test_the_compliance_figures_are_in_the_readers_language(gcm, client):
    signed_in(client)
    with translation.override("fr"):
        url = reverse("secretariat:compliance")
    assert url.startswith("/fr/")
    text = client.get(url).content.decode()
    moderators = text.split('id="rule-panel-moderators"')[1].split("</details>")[0]
    assert "États d’Asie et du Pacifique" in moderators
    assert "Asia-Pacific States" not in moderators


# --- A new document's author -----------------------------------------------------------------


def test_a_new_document_names_its_author_by_choice(gcm, client):
    signed_in(client)
    page = client.get(reverse("documents-secretariat:create")).content.decode()
    select = re.search(r'<select name="author_role".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>Choose the author</option>' in select
    assert '<option value="co_facilitators" selected' not in select
    response = client.post(
        reverse("documents-secretariat:create"),
        {"kind": "issue_brief", "title_en": "A brief", "issued_on": "2030-01-07"},
    )
    assert response.status_code == 422
    assert not Document.objects.filter(title_en="A brief").exists()


def test_a_co_facilitator_writes_for_the_co_facilitators_without_choosing(gcm, client):
    signed_in(client, "co_facilitator")
    page = client.get(reverse("documents-secretariat:create"))
    assert page.status_code == 200
    select = re.search(r'<select name="author_role".*?</select>', page.content.decode(), re.S)
    assert "Choose the author" not in select.group(0)
    assert 'value="co_facilitators"' in select.group(0)
