"""``attempt``: the one way a view hands a form's data to a service. A refusal comes back
as messages for the top of the form, a model's error lands on the form's fields, and
success carries what the service returned (or None)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from compact_process.errors import Refusal
from compact_process.web.forms import attempt
from phases import mandate
from phases.services import MandateViolation
from stakeholders.services import ReviewError


class TitleForm(forms.Form):
    title = forms.CharField()


def valid_form() -> TitleForm:
    form = TitleForm({"title": "Panel 1"})
    assert form.is_valid()
    return form


def refuse(error: Exception):
    def action():
        raise error

    return action


def test_services_refusals_are_refusals_and_validation_errors():
    assert issubclass(MandateViolation, Refusal)
    assert issubclass(ReviewError, Refusal)
    assert issubclass(Refusal, ValidationError)


def test_a_refusal_comes_back_as_messages_and_leaves_the_form_alone():
    form = valid_form()
    outcome = attempt(form, refuse(ReviewError("This list was already submitted.")))
    assert not outcome.ok
    assert outcome.value is None
    assert outcome.refusal == ["This list was already submitted."]
    assert not form.errors


def test_a_mandate_violation_comes_back_as_its_findings_words():
    findings = [
        mandate.Finding(status=mandate.VIOLATION, message="OP 16: at most 12 days.", limit=True),
        mandate.Finding(status=mandate.VIOLATION, message="OP 15: six sessions.", limit=True),
    ]
    outcome = attempt(valid_form(), refuse(MandateViolation(findings)))
    assert outcome.refusal == ["OP 16: at most 12 days.", "OP 15: six sessions."]


def test_a_model_error_is_put_on_the_form_field_of_the_same_name():
    form = valid_form()
    error = ValidationError({"title": ["Too long."], "process": ["Not this process."]})
    outcome = attempt(form, refuse(error))
    assert not outcome.ok
    assert outcome.refusal == []
    assert form.errors["title"] == ["Too long."]
    # A field the form does not have goes to the top of the form.
    assert form.non_field_errors() == ["Not this process."]


def test_a_page_without_a_form_raises_a_model_error():
    with pytest.raises(ValidationError, match="Too long"):
        attempt(None, refuse(ValidationError("Too long.")))


def test_success_carries_what_the_service_returned():
    outcome = attempt(valid_form(), lambda: 42)
    assert outcome.ok
    assert outcome.value == 42
    assert outcome.refusal == []


def test_success_of_a_service_that_returns_nothing():
    outcome = attempt(valid_form(), lambda: None)
    assert outcome.ok
    assert outcome.value is None
