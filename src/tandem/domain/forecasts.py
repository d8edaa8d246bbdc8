"""Collaborative forecasts: the stored daily forecast of one item at one site.

A forecast point is owned by the member whose demand history it was computed from, and is
shared with partners only through ``forecasts`` grants (see :mod:`tandem.domain.sharing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ForecastPoint:
    """The forecast of one item at one site for one day, with 80 % and 95 % intervals.

    The interval bounds are ``None`` where the history was too short for an interval.
    """

    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    day: date
    forecast: float
    lo_80: float | None
    hi_80: float | None
    lo_95: float | None
    hi_95: float | None
    model: str
    created_at: datetime
