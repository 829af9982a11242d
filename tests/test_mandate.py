"""The mandate checks on the seeded process, and the hard rules refused in the service
layer whatever the entry point, with the OP's words, leaving saved data unchanged."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from phases import mandate, selectors, services
from phases.enums import DeliverableKind, MeetingKind, ResponsibleRole
from phases.models import Meeting, MeetingDay, MemberState, Panel, Phase, Venue
from phases.services import DaySpec, MandateViolation

D = datetime.date


def results_by_code(process):
    return {r.code: r for r in selectors.compliance_report(process)}


def test_seeded_process_passes_every_rule(gcm):
    results = selectors.compliance_report(gcm)
    assert len(results) == 10
    assert all(r.status != mandate.VIOLATION for r in results), [
        f.message for r in results for f in r.findings if f.status == mandate.VIOLATION
    ]


def test_seeded_thematic_sessions_use_12_of_12_working_days(gcm):
    thematic = results_by_code(gcm)["thematic-sessions"]
    assert thematic.figures["working_days"] == 12
    assert thematic.figures["working_days_cap"] == 12
    assert "12 of 12 working days" in thematic.summary


def test_seeded_hearings_use_four_of_four_days_with_half_days(gcm):
    hearings = results_by_code(gcm)["hearings"]
    assert hearings.figures == {"days_used": 4.0, "days_allowed": 4.0, "hearings": 5}


def test_thirteenth_working_day_is_refused_with_op_16_and_nothing_changes(gcm):
    session = Meeting.objects.get(process=gcm, key="thematic-1")
    with pytest.raises(MandateViolation) as refused:
        services.add_meeting_day(meeting=session, day=DaySpec(D(2017, 5, 10)))  # a Wednesday
    assert "OP 16" in refused.value.messages[0]
    assert "at most 12 working days" in refused.value.messages[0]
    assert list(session.days.values_list("date", flat=True)) == [D(2017, 5, 8), D(2017, 5, 9)]
    assert results_by_code(gcm)["thematic-sessions"].figures["working_days"] == 12


def test_going_further_over_an_already_exceeded_cap_is_still_refused(gcm):
    session = Meeting.objects.get(process=gcm, key="thematic-1")
    # Data that bypassed the services (an import, the shell) already exceeds the cap.
    MeetingDay.objects.create(meeting=session, date=D(2017, 5, 10))
    with pytest.raises(MandateViolation, match="OP 16"):
        services.add_meeting_day(meeting=session, day=DaySpec(D(2017, 5, 11)))
    # Coming back under the cap is allowed.
    services.remove_meeting_day(meeting=session, date=D(2017, 5, 10))
    assert results_by_code(gcm)["thematic-sessions"].figures["working_days"] == 12


def test_a_holiday_or_weekend_day_does_not_count_and_is_flagged(gcm):
    session = Meeting.objects.get(process=gcm, key="thematic-3")
    services.add_meeting_day(meeting=session, day=DaySpec(D(2017, 5, 25)))  # Ascension, Geneva
    services.add_meeting_day(meeting=session, day=DaySpec(D(2017, 6, 17)))  # a Saturday
    thematic = results_by_code(gcm)["thematic-sessions"]
    assert thematic.figures["working_days"] == 12
    warnings = [f.message for f in thematic.findings if f.status == mandate.WARNING]
    assert any("25 May 2017" in w and "Ascension" in w for w in warnings)
    assert any("17 June 2017" in w and "weekend" in w for w in warnings)


def test_a_closure_entered_by_the_secretariat_frees_a_working_day(gcm):
    geneva = Venue.objects.get(slug="geneva")
    services.add_closure(venue=geneva, date=D(2017, 5, 8), reason="Building closed")
    assert results_by_code(gcm)["thematic-sessions"].figures["working_days"] == 11
    session = Meeting.objects.get(process=gcm, key="thematic-1")
    services.add_meeting_day(meeting=session, day=DaySpec(D(2017, 5, 10)))
    assert results_by_code(gcm)["thematic-sessions"].figures["working_days"] == 12


def test_third_moderator_on_a_panel_is_refused_with_op_17(gcm):
    panel = Panel.objects.get(meeting__key="thematic-5", order=2)  # Austria and Australia
    assert panel.moderators.count() == 2
    with pytest.raises(MandateViolation) as refused:
        services.appoint_moderator(panel=panel, member_state=MemberState.objects.get(iso3="KEN"))
    assert "OP 17" in refused.value.messages[0]
    assert panel.moderators.count() == 2


def test_an_observer_state_cannot_moderate_a_panel(gcm):
    panel = Panel.objects.get(meeting__key="thematic-1", order=2)
    with pytest.raises(MandateViolation, match=r"OP 17.*not a Member State"):
        services.appoint_moderator(panel=panel, member_state=MemberState.objects.get(iso3="VAT"))
    assert panel.moderators.count() == 0


def test_fourth_panel_is_refused_with_op_16(gcm):
    session = Meeting.objects.get(process=gcm, key="thematic-2")
    with pytest.raises(MandateViolation, match="OP 16: each thematic session has two or three"):
        services.add_panel(meeting=session, title="A fourth panel")
    assert session.panels.count() == 3


def test_seventh_thematic_session_is_refused_with_op_15(gcm):
    with pytest.raises(MandateViolation, match="OP 15"):
        services.create_meeting(
            process=gcm,
            key="thematic-7",
            kind=MeetingKind.THEMATIC_SESSION,
            title="Seventh",
            venue=Venue.objects.get(slug="geneva"),
            phase=Phase.objects.get(number=1),
            mandate_slot="geneva-1",
            days=[DaySpec(D(2017, 11, 6))],
        )
    assert not Meeting.objects.filter(key="thematic-7").exists()


def test_a_meeting_outside_its_phase_window_is_refused_with_op_14(gcm):
    round_1 = Meeting.objects.get(process=gcm, key="round-1")
    with pytest.raises(MandateViolation, match="OP 14"):
        services.add_meeting_day(meeting=round_1, day=DaySpec(D(2018, 1, 30)))
    assert round_1.days.count() == 3


def test_a_negotiation_round_keeps_its_non_consecutive_mandated_days(gcm):
    round_1 = Meeting.objects.get(process=gcm, key="round-1")
    assert [d.date for d in round_1.days.all()] == [D(2018, 2, 20), D(2018, 2, 22), D(2018, 2, 23)]
    with pytest.raises(MandateViolation, match="OP 28"):
        services.add_meeting_day(meeting=round_1, day=DaySpec(D(2018, 2, 21)))


def test_hearings_beyond_four_days_or_outside_the_window_are_refused_with_op_30(gcm):
    hearing = Meeting.objects.get(process=gcm, key="hearing-5")
    with pytest.raises(MandateViolation, match="OP 30: the multi-stakeholder hearings total"):
        services.add_meeting_day(meeting=hearing, day=DaySpec(D(2018, 5, 22)))
    with pytest.raises(MandateViolation, match="OP 30: hearings are held between"):
        services.create_meeting(
            process=gcm,
            key="hearing-late",
            kind=MeetingKind.HEARING,
            title="Late hearing",
            venue=Venue.objects.get(slug="new-york"),
            days=[DaySpec(D(2018, 7, 2), portion=Decimal("0.5"))],
        )
    assert results_by_code(gcm)["hearings"].figures["days_used"] == 4.0


def test_stocktaking_meeting_cannot_exceed_three_days(gcm):
    stocktaking = Meeting.objects.get(process=gcm, key="stocktaking")
    with pytest.raises(MandateViolation, match="OP 23"):
        services.add_meeting_day(meeting=stocktaking, day=DaySpec(D(2017, 12, 7)))


def test_unbalanced_moderators_warn_with_the_distribution_but_save(gcm):
    moderators = results_by_code(gcm)["panel-moderators"]
    vienna = moderators.figures["distribution_by_session"]["thematic-5"]
    # Every regional group, 0 as 0 (issue 17), and "no group" for the United States.
    assert list(vienna.items()) == [
        ("African States", 0),
        ("Asia-Pacific States", 0),
        ("Eastern European States", 0),
        ("Latin American and Caribbean States", 1),
        ("Western European and other States", 3),
        ("No regional group", 1),
    ]
    balance = [f for f in moderators.findings if f.subject == "meeting:thematic-5:balance"]
    assert balance and balance[0].status == mandate.WARNING
    assert moderators.status == mandate.WARNING  # soft: never a violation


def test_a_deliverable_becomes_overdue_after_its_due_date(gcm):
    services.create_deliverable(
        process=gcm,
        key="late-note",
        kind=DeliverableKind.ORGANIZATIONAL_NOTE,
        title="A note",
        due_on=D(2030, 1, 10),
        responsible=ResponsibleRole.SECRETARIAT,
    )
    with time_machine.travel(datetime.datetime(2030, 1, 10, 12, tzinfo=datetime.UTC)):
        deadlines = results_by_code(gcm)["deliverable-deadlines"]
        assert deadlines.status == mandate.OK
        assert deadlines.figures["on_track"] == 1
    with time_machine.travel(datetime.datetime(2030, 1, 11, 12, tzinfo=datetime.UTC)):
        deadlines = results_by_code(gcm)["deliverable-deadlines"]
        assert deadlines.status == mandate.VIOLATION
        assert any(
            "A note was due on 10 January 2030 and is overdue" in f.message
            for f in deadlines.findings
        )


def test_another_process_with_its_own_parameters_fits_the_same_checks(db):
    from phases.parameters import MandateParameters, ThematicSlot

    params = MandateParameters(
        thematic_slots=(ThematicSlot("nairobi-1", "nairobi", "Oceans"),),
        thematic_max_working_days=1,
    ).to_json()
    process = services.create_process(
        slug="other", title="Another process", mandate_ref="A/RES/99/1", parameters=params
    )
    nairobi = services.create_venue(
        slug="nairobi", name="UNON", city="Nairobi", country_code="KE", timezone="Africa/Nairobi"
    )
    with pytest.raises(MandateViolation, match="at most 1 working days"):
        services.create_meeting(
            process=process,
            key="t1",
            kind=MeetingKind.THEMATIC_SESSION,
            title="Oceans",
            venue=nairobi,
            mandate_slot="nairobi-1",
            days=[DaySpec(D(2031, 3, 3)), DaySpec(D(2031, 3, 4))],
        )
    services.create_meeting(
        process=process,
        key="t1",
        kind=MeetingKind.THEMATIC_SESSION,
        title="Oceans",
        venue=nairobi,
        mandate_slot="nairobi-1",
        days=[DaySpec(D(2031, 3, 3))],
    )
    thematic = results_by_code(process)["thematic-sessions"]
    assert "1 of 1 scheduled; 1 of 1 working days" in thematic.summary
