"""manage.py check_mandate prints every rule with its OP, status and figures, and
exits 1 on any violation."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from phases.enums import DeliverableKind, ResponsibleRole
from phases.services import create_deliverable


def run(*args) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check_mandate", *args, stdout=out, no_color=True)
    except SystemExit as exit_:
        return int(exit_.code), out.getvalue()
    return 0, out.getvalue()


def test_seeded_process_passes_and_every_rule_is_printed(gcm):
    code, out = run()
    assert code == 0
    for op in (
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
    ):
        assert f"\n{op} " in out, op
    assert "12 of 12 working days" in out
    assert "hearings: 4 of 4 days used in 5 hearings" in out
    assert "0 violated" in out


def test_a_violation_exits_1_and_names_it(gcm):
    create_deliverable(
        process=gcm,
        key="missed",
        kind=DeliverableKind.SG_REPORT,
        title="A missed report",
        due_on=datetime.date(2018, 1, 1),
        responsible=ResponsibleRole.SECRETARY_GENERAL,
    )
    code, out = run()
    assert code == 1
    assert "violation: Deadline: A missed report was due on 1 January 2018 and is overdue." in out


def test_json_output_carries_the_figures(gcm):
    code, out = run("--json")
    assert code == 0
    rules = {r["rule"]: r for r in json.loads(out)}
    assert rules["thematic-sessions"]["figures"]["working_days"] == 12
    assert rules["hearings"]["op"] == "OP 30"


@pytest.mark.django_db
def test_unknown_process_is_a_clear_error():
    with pytest.raises(CommandError, match="No process 'nope'"):
        call_command("check_mandate", "--process", "nope")
