"""Forms that announce their errors to screen readers, and the one way a view hands a
form's cleaned data to a service."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Generic, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from compact_process.errors import Refusal

T = TypeVar("T")


class AccessibleFormMixin:
    """Ties each field to its help and error text with aria-describedby and marks invalid
    fields with aria-invalid, so that assistive technology reads them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._describe()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._describe()

    def _describe(self) -> None:
        errors = self._errors or {}  # type: ignore[attr-defined]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            # Not self[name]: that caches the bound field, with the label as it is now,
            # and a subclass may still set labels after this (TranslatedFieldsMixin).
            bound = field.get_bound_field(self, name)
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-help")
            if name in errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{bound.auto_id}-errors")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


def add_model_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a model's ValidationError (raised by a service's full_clean) on the form's
    fields of the same name, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@dataclasses.dataclass(frozen=True)
class Outcome(Generic[T]):
    """What became of a service call: done (``ok``, with what the service returned), or
    refused as a whole (``refusal``, the messages for the top of the form), or invalid
    (not ok, no refusal: the errors are on the form)."""

    ok: bool
    value: T | None = None
    refusal: list[str] = dataclasses.field(default_factory=list)


def attempt(form: forms.BaseForm | None, action: Callable[[], T]) -> Outcome[T]:
    """Run ``action`` (a service call). A ``Refusal`` becomes the outcome's ``refusal``;
    any other ValidationError is put on ``form``'s fields (``add_model_errors``). A page
    without a form passes None: such an error is then not the user's to fix, and is
    raised."""
    try:
        value = action()
    except Refusal as refused:
        return Outcome(ok=False, refusal=list(refused.messages))
    except ValidationError as invalid:
        if form is None:
            raise
        add_model_errors(form, invalid)
        return Outcome(ok=False)
    return Outcome(ok=True, value=value)
