"""Backtest: out-of-sample accuracy of every candidate and of the automatic selection.

The last ``windows`` blocks of ``horizon`` periods of each series are held out. One rolling-origin
cross-validation of ``windows + k`` windows (``k`` the selection windows, fewer for short series)
produces every model's forecasts from every origin, each model refitted on the data before its
origin. The automatic selection for held-out window ``w`` is the model with the lowest error over
the ``k`` windows just before ``w``: exactly what :meth:`AutoForecaster.fit` would choose if run
at ``w``'s origin (nested, no look-ahead), at the cost of one cross-validation.

Scaled errors use the history before the first held-out window. Each model is scored on the
series it is a candidate for (the Croston family only on sporadic demand); every row also gives
the automatic selection's accuracy on the same series, so rows compare like with like. Naive and
seasonal naive run on every evaluated series.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tandem.planning.forecasting.accuracy import Accuracy, pooled_accuracy, scales
from tandem.planning.forecasting.classification import DemandClass, classify
from tandem.planning.forecasting.crossval import Windows, plan
from tandem.planning.forecasting.engine import (
    AutoForecaster,
    ProgressCallback,
    SelectionMetric,
    _grouped,
    _ticker,
    choose,
)
from tandem.planning.forecasting.executor import ForecastExecutor, cross_validate_groups
from tandem.planning.forecasting.models import Model
from tandem.planning.forecasting.table import DemandTable, prepare_table

__all__ = ["AUTO", "BacktestReport", "ModelScore", "backtest"]

AUTO = "auto"
"""The name of the automatic selection in reports."""


@dataclass(frozen=True)
class ModelScore:
    """Held-out accuracy of one model (or :data:`AUTO`) and of the selection on its series."""

    model: str
    accuracy: Accuracy
    auto: Accuracy


@dataclass(frozen=True)
class BacktestReport:
    """Result of :func:`backtest`.

    Attributes
    ----------
    horizon, windows : int
        Held-out windows of ``horizon`` periods per series.
    scores : tuple of ModelScore
        :data:`AUTO` first, then every model in :class:`Model` order.
    chosen : mapping of Model to int
        How often the selection picked each model (series × windows).
    classes : mapping of DemandClass to int
        Evaluated series per demand class (classified on the history before the hold-out).
    excluded : tuple of str
        Series too short to hold out ``windows`` windows and still select a model.
    """

    horizon: int
    windows: int
    scores: tuple[ModelScore, ...]
    chosen: Mapping[Model, int]
    classes: Mapping[DemandClass, int]
    excluded: tuple[str, ...]

    def score(self, model: Model | str) -> ModelScore:
        """The row of ``model`` (a :class:`Model` or :data:`AUTO`)."""
        name = model.value if isinstance(model, Model) else model
        return next(s for s in self.scores if s.model == name)


@dataclass
class _Pool:
    actual: list[NDArray[np.float64]]
    forecast: list[NDArray[np.float64]]
    auto: list[NDArray[np.float64]]
    mae_scale: list[float]
    rmse_scale: list[float]


def backtest(
    forecaster: AutoForecaster,
    data: DemandTable | pd.DataFrame,
    windows: int = 1,
    progress: ProgressCallback | None = None,
    *,
    executor: ForecastExecutor | None = None,
) -> BacktestReport:
    """Hold out the last ``windows × horizon`` periods and score every model and the selection.

    ``executor`` runs the cross-validation, partitioned by series (default: in this process);
    the report does not depend on it.

    Examples
    --------
    A quarterly pattern with a bump every fifth period:

    >>> import numpy as np, pandas as pd
    >>> y = np.tile([5.0, 9.0, 14.0, 9.0], 8)
    >>> y[::5] += 3
    >>> frame = pd.DataFrame({"unique_id": "a", "ds": range(32), "y": y})
    >>> report = backtest(AutoForecaster(horizon=4, season_length=4, windows=2), frame)
    >>> report.score("Naive").accuracy.mase, report.score("SeasonalNaive").accuracy.mase
    (2.4, 1.2)
    >>> [m.value for m in report.chosen], round(report.score("auto").accuracy.mase, 3)
    (['AutoETS'], 0.943)
    """
    table = data if isinstance(data, DemandTable) else prepare_table(data)
    h, m = forecaster.horizon, forecaster.season_length
    held = windows * h
    plans, excluded, rows_ok = [], [], []
    for row in range(len(table.ids)):
        history = table.series(row)[:-held] if len(table.series(row)) > held else table.y[:0]
        p = plan(
            len(table.series(row)),
            classify(history).demand_class,
            m,
            h,
            forecaster.windows,
            held_out=windows,
        )
        if p.windows == 0:
            excluded.append(table.ids[row])
            continue
        plans.append(p)
        rows_ok.append(row)
    pools: dict[str, _Pool] = defaultdict(lambda: _Pool([], [], [], [], []))
    chosen: Counter[Model] = Counter()
    classes: Counter[DemandClass] = Counter()
    tick = _ticker(progress, len(rows_ok))
    grouped = _grouped(plans)
    jobs = [
        (np.asarray(rows_ok, dtype=np.int64)[local], replace(p, windows=p.windows + windows))
        for p, local in grouped.items()
    ]
    runs = cross_validate_groups(table, jobs, h, forecaster.n_jobs, executor, tick)
    for p, (rows, _), cv in zip(grouped, jobs, runs, strict=True):
        histories = [table.series(row)[:-held] for row in rows]
        both = np.array([scales(hist, p.season_length) for hist in histories])
        scale = both[:, 1 if forecaster.metric is SelectionMetric.RMSSE else 0]
        auto = _select(cv, p.models, p.windows, windows, forecaster, scale, chosen)
        for n, history in enumerate(histories):
            classes[classify(history).demand_class] += 1
            for name in (AUTO, *[md.value for md in p.models]):
                pool = pools[name]
                pool.actual.append(cv.actual[n, p.windows :].ravel())
                pool.auto.append(auto[n])
                pool.forecast.append(
                    auto[n] if name == AUTO else cv.forecasts[Model(name)][n, p.windows :].ravel()
                )
                pool.mae_scale.append(float(both[n, 0]))
                pool.rmse_scale.append(float(both[n, 1]))
    scores = tuple(
        _score(name, pools[name]) for name in (AUTO, *[md.value for md in Model]) if name in pools
    )
    return BacktestReport(h, windows, scores, dict(chosen), dict(classes), tuple(excluded))


def _select(
    cv: Windows,
    models: tuple[Model, ...],
    inner: int,
    outer: int,
    forecaster: AutoForecaster,
    scale: NDArray[np.float64],
    chosen: Counter[Model],
) -> NDArray[np.float64]:
    """Forecasts ``[series, outer × h]`` of the model chosen on the ``inner`` windows before each
    held-out window."""
    count, _, h = cv.actual.shape
    out = np.empty((count, outer, h))
    for w in range(outer):
        span = slice(w, w + inner)
        past = Windows(
            cv.rows, cv.actual[:, span], {md: f[:, span] for md, f in cv.forecasts.items()}
        )
        best, _ = choose(
            past, models, forecaster.metric, forecaster.tolerance, forecaster.scope, scale
        )
        for n in range(count):
            model = models[best[n]]
            chosen[model] += 1
            out[n, w] = cv.forecasts[model][n, inner + w]
    return out.reshape(count, -1)


def _score(name: str, pool: _Pool) -> ModelScore:
    actual = np.vstack(pool.actual)
    mae, rmse = np.asarray(pool.mae_scale), np.asarray(pool.rmse_scale)
    forecast = np.maximum(np.vstack(pool.forecast), 0.0)
    auto = np.maximum(np.vstack(pool.auto), 0.0)
    return ModelScore(
        name, pooled_accuracy(actual, forecast, mae, rmse), pooled_accuracy(actual, auto, mae, rmse)
    )
