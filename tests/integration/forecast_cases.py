"""Round-trip cases of the forecast archive (``forecast_snapshots``), run by
``test_repositories``: three snapshots with edge values (a leap day, a zero forecast, a
non-UTC creation time, one origin with two days)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.forecasts import ForecastSnapshot
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed


def _snapshots(_uow: SqlUnitOfWork, seed: Seed) -> list[ForecastSnapshot]:
    (i1, i2, _), (_, s2, _) = seed.items, seed.sites
    owner = s2.member_id
    origin = date(2025, 12, 31)
    return [
        ForecastSnapshot(0, owner, s2.id, i1.id, origin, date(2026, 1, 1), 12.5, "AutoETS", NOW),
        ForecastSnapshot(0, owner, s2.id, i1.id, origin, date(2026, 1, 2), 0.0, "Naive", NOW),
        ForecastSnapshot(
            0,
            owner,
            s2.id,
            i2.id,
            date(2024, 2, 28),
            date(2024, 2, 29),
            7.25,
            "TSB",
            NOW.astimezone(CEST),
        ),
    ]


FORECAST_CASES = [
    Case(
        "forecast_snapshots",
        _snapshots,
        lambda e, _seed: replace(e, forecast=e.forecast + 0.5, model="Theta"),
        (("origin",), ("site_id", "item_id"), ("item_id", "day"), ("model",)),
    ),
]
