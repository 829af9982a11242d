"""Working days at a venue: weekdays that are neither public holidays of the duty
station (from the ``holidays`` library) nor closures the secretariat entered."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _calendar(country: str, subdivision: str, year: int) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays(country, subdiv=subdivision or None, years=year))


def _holidays(country: str, subdivision: str, year: int):
    return _calendar(country, subdivision, year).keys()


def holiday_name(country: str, subdivision: str, day: datetime.date) -> str | None:
    return _calendar(country, subdivision, day.year).get(day)


def is_working_day(
    day: datetime.date,
    *,
    country: str,
    subdivision: str = "",
    closures: Iterable[datetime.date] = (),
) -> bool:
    if day.weekday() >= 5:
        return False
    if day in _holidays(country, subdivision, day.year):
        return False
    return day not in set(closures)
