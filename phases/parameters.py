"""The figures of a mandate that the checks apply, with resolution 71/280's as the default.

Stored on ``Process.parameters`` as JSON so that another process sets its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ThematicSlot:
    """One session the mandate names (OP 15): where, and on what."""

    key: str
    venue: str  # Venue.slug
    theme: str


# OP 15, in the resolution's order.
GCM_THEMATIC_SLOTS = [
    ThematicSlot(
        "geneva-1",
        "geneva",
        "Human rights of all migrants, social inclusion, cohesion, and all forms of "
        "discrimination, including racism, xenophobia and intolerance",
    ),
    ThematicSlot(
        "geneva-2",
        "geneva",
        "Irregular migration and regular pathways, including decent work, labour mobility, "
        "recognition of skills and qualifications and other relevant measures",
    ),
    ThematicSlot(
        "geneva-3",
        "geneva",
        "International cooperation and governance of migration in all its dimensions, "
        "including at borders, on transit, entry, return, readmission, integration and "
        "reintegration",
    ),
    ThematicSlot(
        "new-york-1",
        "new-york",
        "Contributions of migrants and diasporas to all dimensions of sustainable "
        "development, including remittances and portability of earned benefits",
    ),
    ThematicSlot(
        "new-york-2",
        "new-york",
        "Addressing drivers of migration, including adverse effects of climate change, "
        "natural disasters and human-made crises, through protection and assistance, "
        "sustainable development, poverty eradication, conflict prevention and resolution",
    ),
    ThematicSlot(
        "vienna-1",
        "vienna",
        "Smuggling of migrants, trafficking in persons and contemporary forms of slavery, "
        "including appropriate identification, protection and assistance to migrants and "
        "trafficking victims",
    ),
]


@dataclass(frozen=True)
class MandateParameters:
    thematic_slots: tuple[ThematicSlot, ...] = tuple(GCM_THEMATIC_SLOTS)
    thematic_max_working_days: float = 12  # OP 16
    panels_min: int = 2  # OP 16
    panels_max: int = 3  # OP 16
    moderators_per_panel_max: int = 2  # OP 17 (practice: one or two Member States)
    stocktaking_days: float = 3  # OP 23
    hearing_max_days: float = 4  # OP 30
    hearing_window: tuple[datetime.date, datetime.date] = (
        datetime.date(2017, 4, 1),
        datetime.date(2018, 6, 30),
    )
    zero_draft_by: datetime.date | None = datetime.date(2018, 2, 10)  # OP 27, "early February"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> MandateParameters:
        data = dict(data or {})
        kwargs: dict[str, Any] = {}
        if "thematic_slots" in data:
            kwargs["thematic_slots"] = tuple(ThematicSlot(**s) for s in data.pop("thematic_slots"))
        if "hearing_window" in data:
            start, end = data.pop("hearing_window")
            kwargs["hearing_window"] = (
                datetime.date.fromisoformat(start),
                datetime.date.fromisoformat(end),
            )
        if "zero_draft_by" in data:
            raw = data.pop("zero_draft_by")
            kwargs["zero_draft_by"] = datetime.date.fromisoformat(raw) if raw else None
        for name in (
            "thematic_max_working_days",
            "panels_min",
            "panels_max",
            "moderators_per_panel_max",
            "stocktaking_days",
            "hearing_max_days",
        ):
            if name in data:
                kwargs[name] = data.pop(name)
        return cls(**kwargs, extra=data)

    def to_json(self) -> dict[str, Any]:
        return {
            "thematic_slots": [s.__dict__ for s in self.thematic_slots],
            "thematic_max_working_days": self.thematic_max_working_days,
            "panels_min": self.panels_min,
            "panels_max": self.panels_max,
            "moderators_per_panel_max": self.moderators_per_panel_max,
            "stocktaking_days": self.stocktaking_days,
            "hearing_max_days": self.hearing_max_days,
            "hearing_window": [d.isoformat() for d in self.hearing_window],
            "zero_draft_by": self.zero_draft_by.isoformat() if self.zero_draft_by else None,
            **self.extra,
        }


def default_parameters() -> dict[str, Any]:
    """Resolution 71/280's figures, as stored JSON."""
    return MandateParameters().to_json()
