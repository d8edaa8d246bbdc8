"""Forecast accuracy over time: archived forecasts scored against the demand that arrived.

Every forecast run archives what it forecast from its origin (``forecast_snapshot``, see
:func:`tandem.services.forecasts.run_forecasts`). :func:`forecast_accuracy` scores those
forecasts once the actual demand of their day is known, per item-site and over all of them:

* a forecast counts when its day lies inside the series' observed demand span (first to last
  recorded day; a day without a record in it is zero demand) and inside ``since``..``until``;
  forecasts from every origin count, so one day can be scored several times (once per run
  that forecast it);
* ``e = forecast − actual``; mean error ``Σe / n`` (units per day), relative bias ``Σe / Σy``
  and WAPE ``Σ|e| / Σy`` (:func:`~tandem.planning.forecasting.accuracy.bias`,
  :func:`~tandem.planning.forecasting.accuracy.wape`);
* MASE (Hyndman & Koehler 2006): each error is scaled by the in-sample naive (lag-1) mean
  absolute error of the history up to its forecast's origin — the benchmark the forecaster
  could have known (:func:`~tandem.planning.forecasting.accuracy.mase` per origin, weighted by
  the forecasts of each origin). Origins whose history has no scale (fewer than two days, or
  constant) are left out of MASE only;
* over all series, mean error, bias and WAPE pool every forecast (volume-weighted); MASE is
  the mean of the series' MASE values, like
  :func:`~tandem.planning.forecasting.accuracy.pooled_accuracy`.

Both reads (archive: ``forecasts``; actuals: ``demand_history``) are scoped and audited: a
partner sees scores only for series whose forecasts and demand are both granted. The engine
package (it loads pandas) is imported on first use, so loading the web app does not pay for it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.forecasts import ForecastSnapshot
from tandem.domain.identity import Principal
from tandem.domain.network import DemandPoint
from tandem.domain.sharing import DataCategory
from tandem.services.context import ServiceContext
from tandem.services.sharing import read_all_scoped

T = TypeVar("T")
SeriesKey = tuple[int, int, int]  # (owner_member_id, site_id, item_id)


@dataclass(frozen=True)
class AccuracyScore:
    """Accuracy of some forecasts; a measure is ``None`` where it is undefined."""

    points: int
    forecast_total: float
    actual_total: float
    mean_error: float | None
    bias: float | None
    wape: float | None
    mase: float | None


@dataclass(frozen=True)
class SeriesAccuracy:
    """Accuracy of the archived forecasts of one item-site."""

    owner_member_id: int
    site_id: int
    item_id: int
    origins: int
    first_day: date | None
    last_day: date | None
    models: tuple[str, ...]
    score: AccuracyScore


@dataclass(frozen=True)
class AccuracyReport:
    """Per item-site and overall; ``evaluated`` counts the series with a scored forecast."""

    series: tuple[SeriesAccuracy, ...]
    evaluated: int
    overall: AccuracyScore


def _defined(value: float) -> float | None:
    return None if math.isnan(value) else value


def _history(days: dict[date, float], first: date, origin: date) -> list[float]:
    count = (origin - first).days + 1
    return [days.get(first + timedelta(days=n), 0.0) for n in range(max(count, 0))]


def _score(
    actual: Sequence[float], forecast: Sequence[float], scaled: Sequence[tuple[int, float]]
) -> AccuracyScore:
    """``scaled``: (forecasts, MASE) of each origin with a defined MASE."""
    from tandem.planning.forecasting.accuracy import bias, wape

    n = len(actual)
    weight = sum(count for count, _ in scaled)
    return AccuracyScore(
        n,
        math.fsum(forecast),
        math.fsum(actual),
        math.fsum(f - y for f, y in zip(forecast, actual, strict=True)) / n if n else None,
        _defined(bias(actual, forecast)) if n else None,
        _defined(wape(actual, forecast)) if n else None,
        math.fsum(c * m for c, m in scaled) / weight if weight else None,
    )


def _series(
    key: SeriesKey,
    snapshots: list[ForecastSnapshot],
    days: dict[date, float],
    since: date | None,
    until: date | None,
) -> tuple[SeriesAccuracy, list[float], list[float]]:
    from tandem.planning.forecasting.accuracy import mase

    by_origin: dict[date, list[ForecastSnapshot]] = defaultdict(list)
    first, last = (min(days), max(days)) if days else (date.max, date.min)
    for s in snapshots:
        wanted = (since is None or s.day >= since) and (until is None or s.day <= until)
        if wanted and first <= s.day <= last:
            by_origin[s.origin].append(s)
    actual: list[float] = []
    forecast: list[float] = []
    scaled: list[tuple[int, float]] = []
    for origin, rows in sorted(by_origin.items()):
        y = [days.get(s.day, 0.0) for s in rows]
        f = [s.forecast for s in rows]
        actual += y
        forecast += f
        value = mase(y, f, _history(days, first, origin))
        if not math.isnan(value):
            scaled.append((len(rows), value))
    scored = [s for rows in by_origin.values() for s in rows]
    owner, site_id, item_id = key
    series = SeriesAccuracy(
        owner,
        site_id,
        item_id,
        len(by_origin),
        min((s.day for s in scored), default=None),
        max((s.day for s in scored), default=None),
        tuple(sorted({s.model for s in scored})),
        _score(actual, forecast, scaled),
    )
    return series, actual, forecast


def forecast_accuracy(
    ctx: ServiceContext,
    principal: Principal,
    site_id: int | None = None,
    item_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> AccuracyReport:
    """Bias, WAPE and MASE of the archived forecasts whose actual demand is known, per
    item-site (sorted by owner, site, item) and over all of them."""
    if since is not None and until is not None and since > until:
        raise ValidationFailed(
            f"since ({since}) is after until ({until})",
            violations=[Violation("query", "must not be after until", "since")],
        )
    filters = {k: v for k, v in (("site_id", site_id), ("item_id", item_id)) if v is not None}
    where = " ".join(f"{k}={v}" for k, v in filters.items())
    snapshots: list[ForecastSnapshot] = read_all_scoped(
        ctx,
        principal,
        DataCategory.FORECASTS,
        lambda u: u.forecast_snapshots,
        ("item_id", "site_id"),
        f"forecast accuracy {where}".strip(),
        **filters,
    )
    archive: dict[SeriesKey, list[ForecastSnapshot]] = defaultdict(list)
    for s in snapshots:
        archive[(s.owner_member_id, s.site_id, s.item_id)].append(s)
    demand: dict[SeriesKey, dict[date, float]] = defaultdict(dict)
    if archive:
        points: list[DemandPoint] = read_all_scoped(
            ctx,
            principal,
            DataCategory.DEMAND_HISTORY,
            lambda u: u.demand,
            ("item_id", "site_id"),
            f"forecast accuracy actuals {where}".strip(),
            **filters,
        )
        for p in points:
            if (p.owner_member_id, p.site_id, p.item_id) in archive:
                demand[(p.owner_member_id, p.site_id, p.item_id)][p.day] = p.quantity
    results: list[SeriesAccuracy] = []
    actual: list[float] = []
    forecast: list[float] = []
    for key in sorted(archive):
        found, y, f = _series(key, archive[key], demand.get(key, {}), since, until)
        results.append(found)
        actual += y
        forecast += f
    scores = [r.score.mase for r in results if r.score.mase is not None]
    overall = _score(actual, forecast, [(1, m) for m in scores])
    return AccuracyReport(tuple(results), sum(1 for r in results if r.score.points), overall)
