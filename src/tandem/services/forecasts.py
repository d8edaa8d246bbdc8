"""Collaborative forecasts: a member forecasts its own demand history and shares the result
with partners only through ``forecasts`` grants.

:func:`run_forecasts` shows the three steps of every engine use case: load the caller's own
daily demand, call the forecasting engine (:mod:`tandem.planning.forecasting`) and reconcile the
item-site forecasts with item and family totals (:mod:`tandem.services.forecast_hierarchy`), and
replace the stored forecasts of those item-sites in one transaction, archiving them by origin
(``forecast_snapshot``) for accuracy tracking (:mod:`tandem.services.forecast_accuracy`).
:func:`read_forecasts` reads them through :func:`tandem.services.sharing.read_scoped`, so
partner reads are scoped and audited.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.forecasts import ForecastPoint, ForecastSnapshot
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import DemandPoint
from tandem.domain.sharing import DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.forecast_hierarchy import build_hierarchy, reconcile_run
from tandem.services.sharing import read_scoped

FIELDS = ("item_id", "site_id")
MAX_HORIZON_DAYS = 365
SEASON_LENGTH_DAYS = 7

if TYPE_CHECKING:
    from tandem.planning.forecasting import ForecastResult
    from tandem.planning.forecasting.executor import ForecastExecutor

SeriesKey = tuple[int, int]  # (site_id, item_id)


@dataclass(frozen=True)
class ForecastRunSummary:
    """What one forecast run stored: series forecast, points written, models chosen, and how
    item-site forecasts were reconciled with item and family totals (``none``, ``mint_shrink``
    or ``wls_structural``)."""

    horizon_days: int
    series: int
    points: int
    models: tuple[str, ...]
    reconciliation: str = "none"


@dataclass(frozen=True)
class EngineForecast:
    """One forecast day of one series as the engine returned it (``nan`` bounds → ``None``)."""

    site_id: int
    item_id: int
    day: date
    forecast: float
    lo_80: float | None
    hi_80: float | None
    lo_95: float | None
    hi_95: float | None
    model: str


def series_key(site_id: int, item_id: int) -> str:
    """The engine's ``unique_id`` of one item-site."""
    return f"{site_id}:{item_id}"


def _parse_key(unique_id: str) -> SeriesKey:
    site, item = unique_id.split(":")
    return int(site), int(item)


def _bound(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


def _fit(
    history: Mapping[str, Mapping[date, float]],
    horizon_days: int,
    executor: ForecastExecutor | None = None,
) -> ForecastResult:
    """The engine's :class:`~tandem.planning.forecasting.ForecastResult` of daily series."""
    import pandas as pd

    from tandem.planning.forecasting import AutoForecaster, Frequency, prepare_table

    rows = [
        (unique_id, day, quantity)
        for unique_id, days in sorted(history.items())
        for day, quantity in sorted(days.items())
    ]
    frame = pd.DataFrame(rows, columns=["unique_id", "ds", "y"])
    table = prepare_table(frame, Frequency.DAILY, fill_gaps=True)
    forecaster = AutoForecaster(horizon_days, season_length=SEASON_LENGTH_DAYS)
    return forecaster.fit(table, executor=executor)


def forecast_history(
    history: Mapping[SeriesKey, Mapping[date, float]],
    horizon_days: int,
    families: Mapping[int, str] | None = None,
    executor: ForecastExecutor | None = None,
) -> tuple[list[EngineForecast], str]:
    """Daily forecasts of every series (season length 7; a missing day is zero demand).

    With ``families`` (item id → family, ``""`` for none) the item-site forecasts are
    reconciled with item and family totals (:mod:`tandem.services.forecast_hierarchy`).
    Returns the forecasts and the reconciliation method (``"none"`` when nothing was).
    ``executor`` is where the engine computes (in this process when ``None``); the results are
    the same either way.
    """
    if not history:
        return [], "none"
    import pandas as pd

    bottom = {series_key(*key): days for key, days in history.items()}
    result = _fit(bottom, horizon_days, executor)
    frame, method = result.forecasts, "none"
    if families is not None:
        item_of = {series_key(*key): key[1] for key in history}
        tree = build_hierarchy(bottom, item_of, families)
        if tree.parents:
            totals = _fit(tree.history, horizon_days, executor)
            errors = {
                s.unique_id: e
                for r in (result, totals)
                for s, e in zip(r.selections, r.errors, strict=True)
            }
            both = pd.concat([result.forecasts, totals.forecasts], ignore_index=True)
            frame, method = reconcile_run(both, errors, tree)
    out: list[EngineForecast] = []
    for row in frame.itertuples(index=False):
        site_id, item_id = _parse_key(str(row.unique_id))
        out.append(
            EngineForecast(
                site_id,
                item_id,
                pd.Timestamp(row.ds).date(),
                float(row.forecast),
                _bound(row.lo_80),
                _bound(row.hi_80),
                _bound(row.lo_95),
                _bound(row.hi_95),
                str(row.model),
            )
        )
    return out, method


def _history(points: Iterable[DemandPoint]) -> dict[SeriesKey, dict[date, float]]:
    history: dict[SeriesKey, dict[date, float]] = defaultdict(dict)
    for point in points:
        history[(point.site_id, point.item_id)][point.day] = point.quantity
    return dict(history)


def _stored(
    owner_member_id: int, forecasts: Sequence[EngineForecast], now: datetime
) -> list[ForecastPoint]:
    return [
        ForecastPoint(
            0,
            owner_member_id,
            f.site_id,
            f.item_id,
            f.day,
            f.forecast,
            f.lo_80,
            f.hi_80,
            f.lo_95,
            f.hi_95,
            f.model,
            now,
        )
        for f in forecasts
    ]


def _archived(
    owner_member_id: int, forecasts: Sequence[EngineForecast], now: datetime
) -> list[ForecastSnapshot]:
    """Snapshots of a run; a series' origin is the day before its first forecast day."""
    first: dict[SeriesKey, date] = {}
    for f in forecasts:
        key = (f.site_id, f.item_id)
        first[key] = min(first.get(key, f.day), f.day)
    return [
        ForecastSnapshot(
            0,
            owner_member_id,
            f.site_id,
            f.item_id,
            first[(f.site_id, f.item_id)] - timedelta(days=1),
            f.day,
            f.forecast,
            f.model,
            now,
        )
        for f in forecasts
    ]


def run_forecasts(
    ctx: ServiceContext,
    principal: Principal,
    horizon_days: int,
    site_id: int | None = None,
    item_id: int | None = None,
) -> ForecastRunSummary:
    """Forecast the caller's own daily demand ``horizon_days`` ahead and store the result.

    Only the caller's own demand history is used, at its own sites (``site_id`` must be one of
    them). Item-site forecasts are reconciled with item and family totals
    (:mod:`tandem.services.forecast_hierarchy`). The stored forecasts of every item-site
    forecast are replaced in one transaction; item-sites without history keep what they had.
    Every forecast is also archived by origin (the day before its first forecast day): a run
    from the same origin replaces that origin's archive, other origins' archives stay.
    """
    principal.require(Scope.DATA_WRITE)
    found: list[Violation] = []
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        found.append(Violation("run", f"must lie in [1, {MAX_HORIZON_DAYS}] days", "horizon_days"))
    filters: dict[str, Any] = {"owner_member_id": principal.member_id}
    with ctx.uow() as uow:
        if site_id is not None:
            site = uow.sites.get(site_id)
            if site is None or site.member_id != principal.member_id:
                found.append(Violation("run", f"site {site_id} is not one of yours", "site_id"))
            filters["site_id"] = site_id
        if item_id is not None:
            item = uow.items.get(item_id)
            if item is None or item.network_id != principal.network_id:
                found.append(Violation("run", f"item {item_id} does not exist", "item_id"))
            filters["item_id"] = item_id
        if found:
            raise ValidationFailed("; ".join(str(v) for v in found), violations=found)
        history = _history(uow.demand.find(**filters))
        families = {i.id: i.family for i in uow.items.find(network_id=principal.network_id)}

    if ctx.forecast_executor is None:
        forecasts, method = forecast_history(history, horizon_days, families)
    else:
        with ctx.forecast_executor() as executor:
            forecasts, method = forecast_history(history, horizon_days, families, executor)
    now = ctx.clock.now()
    archive = _archived(principal.member_id, forecasts, now)
    with ctx.uow() as uow:
        for series_site, series_item in sorted(history):
            for old in uow.forecasts.find(
                owner_member_id=principal.member_id, site_id=series_site, item_id=series_item
            ):
                uow.forecasts.delete(old.id)
        for key in sorted({(s.site_id, s.item_id, s.origin) for s in archive}):
            for old_snapshot in uow.forecast_snapshots.find(
                owner_member_id=principal.member_id,
                site_id=key[0],
                item_id=key[1],
                origin=key[2],
            ):
                uow.forecast_snapshots.delete(old_snapshot.id)
        uow.forecasts.add_many(_stored(principal.member_id, forecasts, now))
        uow.forecast_snapshots.add_many(archive)
        uow.commit()
    return ForecastRunSummary(
        horizon_days,
        len(history),
        len(forecasts),
        tuple(sorted({f.model for f in forecasts})),
        method,
    )


def read_forecasts(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    item_id: int | None = None,
    site_id: int | None = None,
) -> Page[ForecastPoint]:
    """The caller's forecasts and what partners granted it; partner reads are audited."""
    filters = {k: v for k, v in (("item_id", item_id), ("site_id", site_id)) if v is not None}
    resource = "forecasts " + " ".join(f"{k}={v}" for k, v in filters.items())
    return read_scoped(
        ctx,
        principal,
        DataCategory.FORECASTS,
        lambda u: u.forecasts,
        FIELDS,
        page,
        resource.strip(),
        **filters,
    )
