"""Forms that announce their errors to screen readers."""

from __future__ import annotations


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
            bound = self[name]  # type: ignore[index]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-help")
            if name in errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{bound.auto_id}-errors")
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
