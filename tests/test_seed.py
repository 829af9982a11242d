"""seed_gcm loads the real process, and running it again changes nothing."""

import datetime

import pytest
from django.core import serializers
from django.core.management import call_command

from phases.enums import MeetingKind
from phases.models import Appointment, Deliverable, Meeting, MeetingDay, Panel, Phase, Process

MODELS = [Process, Phase, Meeting, MeetingDay, Panel, Appointment, Deliverable]


def snapshot() -> str:
    return "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in MODELS)


@pytest.mark.django_db
def test_running_the_seed_twice_changes_nothing(capsys):
    Process.objects.all().delete()
    call_command("seed_gcm")
    assert "items created" in capsys.readouterr().out
    before = snapshot()
    call_command("seed_gcm")
    assert "nothing changed" in capsys.readouterr().out
    assert snapshot() == before


def test_seed_has_the_real_process(gcm):
    assert [p.title for p in gcm.phases.order_by("number")] == [
        "Phase I: Consultations",
        "Phase II: Stocktaking",
        "Phase III: Intergovernmental negotiations",
    ]
    sessions = Meeting.objects.filter(process=gcm, kind=MeetingKind.THEMATIC_SESSION)
    cities = [m.venue.city for m in sessions.order_by("number")]
    assert cities == ["Geneva", "New York", "Geneva", "New York", "Vienna", "Geneva"]
    firsts = [m.days.first().date for m in sessions.order_by("number")]
    assert firsts[0] == datetime.date(2017, 5, 8)
    assert firsts[-1] == datetime.date(2017, 10, 12)
    assert Meeting.objects.filter(process=gcm, kind=MeetingKind.NEGOTIATION_ROUND).count() == 6
    assert Meeting.objects.get(process=gcm, key="conference").venue.city == "Marrakech"
    cofacilitators = Appointment.objects.filter(process=gcm, role="co_facilitator")
    assert {a.member_state.iso3 for a in cofacilitators} == {"MEX", "CHE"}


def test_seed_marks_what_is_not_on_record_as_approximate(gcm):
    summary_5 = Deliverable.objects.get(process=gcm, key="summary-5")
    assert summary_5.delivered_on == datetime.date(2017, 10, 5)
    assert not summary_5.delivered_approximate
    assert summary_5.transmitted_by.delivered_on == datetime.date(2017, 10, 9)
    summary_1 = Deliverable.objects.get(process=gcm, key="summary-1")
    assert summary_1.delivered_approximate
    assert "not recorded" in summary_1.source_note


def test_seed_opens_the_real_special_accreditation_window(gcm):
    from stakeholders.models_registry import ApplicationWindow

    window = ApplicationWindow.objects.get(process=gcm)
    assert window.opens_at.date().isoformat() == "2017-03-14"
    assert window.closes_at.date().isoformat() == "2017-04-18"  # the end of 17 April, New York
