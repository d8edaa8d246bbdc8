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


@dataclass(frozen=True)
class ForecastSnapshot:
    """An archived forecast: what a run forecast for ``day`` from ``origin``, the last day of
    history it saw. Kept after later runs replace the live :class:`ForecastPoint`, so accuracy
    can be measured once the actual demand of ``day`` is known. One per (site, item, origin,
    day): a run from the same origin replaces the archived forecasts of that origin.
    """

    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    origin: date
    day: date
    forecast: float
    model: str
    created_at: datetime
