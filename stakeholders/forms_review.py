"""Forms of the Member State review pages. None saves anything: the views hand the
cleaned data to ``stakeholders.services``.

A form never takes a State the user does not act for: the State is the delegate's own;
a user acting for several States picks one in a select limited to those States."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from compact_process.web.forms import AccessibleFormMixin
from phases.enums import RegionalGroup
from phases.models import MemberState
from stakeholders.enums import OrganizationKind


class StateChoiceMixin:
    """Adds a ``state`` select, limited to the user's own States, only when there is a
    choice to make; otherwise the State is the delegate's one State."""

    def _add_state(self, states: list[MemberState], initial: MemberState | None) -> None:
        self.states = states
        if len(states) > 1:
            self.fields["state"] = forms.ModelChoiceField(  # type: ignore[attr-defined]
                label=_("For which State"),
                queryset=MemberState.objects.filter(pk__in=[s.pk for s in states]),
                initial=initial.pk if initial else None,
                empty_label=None,
            )
            self.order_fields(["state"])  # type: ignore[attr-defined]

    def chosen_state(self, fallback: MemberState) -> MemberState:
        if "state" in self.fields:  # type: ignore[attr-defined]
            return self.cleaned_data["state"]  # type: ignore[attr-defined]
        return fallback


class ReviewFilterForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name contains"), required=False, max_length=200, strip=True)
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ModelChoiceField(
        label=_("Country"),
        required=False,
        queryset=MemberState.objects.order_by("name"),
        empty_label=_("Any country"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(
        self,
        *args,
        states: list[MemberState] | None = None,
        countries: QuerySet[MemberState] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if countries is not None:
            self.fields["country"].queryset = countries
        self.fields["region"].choices = [("", _("Any region"))] + [
            (value, label) for value, label in RegionalGroup.choices if value
        ]
        self.fields["kind"].choices = [("", _("Any kind")), *OrganizationKind.choices]
        if states and len(states) > 1:
            self.fields["state"] = forms.ModelChoiceField(
                label=_("Acting for"),
                queryset=MemberState.objects.filter(pk__in=[s.pk for s in states]),
                empty_label=None,
                required=False,
            )
            self.order_fields(["state"])

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "name": data.get("name") or "",
            "region": data.get("region") or "",
            "country": data.get("country"),
            "kind": data.get("kind") or "",
        }


class ObjectionForm(StateChoiceMixin, AccessibleFormMixin, forms.Form):
    basis = forms.CharField(
        label=_("General basis (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The Office of the President of the General Assembly may share it with a "
            "Member State that requests the information (footnote 5 of resolution 71/280)."
        ),
    )
    disclose_identity = forms.BooleanField(
        label=_("My State's identity may be disclosed on request"),
        required=False,
        help_text=_(
            "If left unticked, a Member State that requests the information receives the "
            "general basis without the name of your State."
        ),
    )

    def __init__(
        self, *args, states: list[MemberState], initial_state: MemberState | None = None, **kw
    ) -> None:
        super().__init__(*args, **kw)
        self._add_state(states, initial_state)
        self._describe()


class StateOnlyForm(StateChoiceMixin, AccessibleFormMixin, forms.Form):
    """A confirmation (request information) that only needs the State, if any choice."""

    def __init__(
        self, *args, states: list[MemberState], initial_state: MemberState | None = None, **kw
    ) -> None:
        super().__init__(*args, **kw)
        self._add_state(states, initial_state)
        self._describe()
