"""Rolling-origin cross-validation and final fits through statsforecast, in batches.

Each series gets a :class:`Plan`: the models to try, the season length they may use and the
number of cross-validation windows its length allows. Series with the same plan are fitted
together, :data:`BATCH` at a time, and the statsforecast output is reshaped to arrays
``[series, window, step]``. Time is the integer period number (``freq=1``).

No warning is filtered: under ``-W error`` statsforecast 2.1.1 raised none on the four real data
sets and the synthetic series of the benchmark, and the test suite turns any new one into a
failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from tandem.planning.forecasting.classification import DemandClass
from tandem.planning.forecasting.models import Model, candidates
from tandem.planning.forecasting.table import DemandTable

__all__ = ["BATCH", "MIN_TRAIN", "Plan", "cross_validate", "fit_forecast", "plan"]

BATCH = 2000
MIN_TRAIN = 10
"""Fewest periods a model is fitted on in cross-validation (twice the season when seasonal):
statsforecast refuses a damped-trend ETS on 9 or fewer."""

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Plan:
    """How one series is cross-validated.

    Attributes
    ----------
    models : tuple of Model
        Candidates, simplest first.
    season_length : int
        ``m`` if every training window holds two full seasons, else 1.
    windows : int
        Cross-validation windows used for model selection (0: too short to select; naive).
    """

    models: tuple[Model, ...]
    season_length: int
    windows: int


def plan(
    length: int,
    demand_class: DemandClass,
    season_length: int,
    horizon: int,
    windows: int,
    held_out: int = 0,
) -> Plan:
    """The plan of one series of ``length`` periods, ``held_out`` windows kept for a backtest.

    Windows move by ``horizon`` periods; the earliest training set must keep
    ``max(2 m, MIN_TRAIN)`` periods for a seasonal plan, else ``MIN_TRAIN`` (with ``m = 1``).

    Examples
    --------
    >>> plan(51, DemandClass.SMOOTH, 12, 12, 3)
    Plan(models=(...), season_length=12, windows=2)
    >>> plan(30, DemandClass.SMOOTH, 12, 12, 3).season_length
    1
    """
    models = candidates(demand_class)
    if season_length > 1:
        fits = (length - max(2 * season_length, MIN_TRAIN)) // horizon - held_out
        if fits >= 1:
            return Plan(models, season_length, min(fits, windows))
    fits = (length - MIN_TRAIN) // horizon - held_out
    if fits >= 1:
        return Plan(models, 1, min(fits, windows))
    return Plan((Model.NAIVE,), 1, 0)


def _engine(models: Sequence[Model], season_length: int, n_jobs: int) -> object:
    from statsforecast import StatsForecast

    return StatsForecast(
        models=[m.build(season_length) for m in models], freq=1, n_jobs=n_jobs, verbose=False
    )


def _batches(rows: NDArray[np.int64]) -> Iterator[NDArray[np.int64]]:
    for at in range(0, len(rows), BATCH):
        yield rows[at : at + BATCH]


def _order(frame: pd.DataFrame, ids: Sequence[str], *keys: str) -> pd.DataFrame:
    position = {name: n for n, name in enumerate(ids)}
    codes = frame["unique_id"].map(position).to_numpy(dtype=np.int64)
    order = np.lexsort((*(frame[k].to_numpy() for k in reversed(keys)), codes))
    return frame.iloc[order]


@dataclass(frozen=True, eq=False)
class Windows:
    """Cross-validation output of series fitted together.

    ``actual`` and each ``forecasts[model]`` are ``[series, window, step]``, oldest window
    first; ``rows`` are the series' positions in the table.
    """

    rows: NDArray[np.int64]
    actual: NDArray[np.float64]
    forecasts: dict[Model, NDArray[np.float64]]


def cross_validate(
    table: DemandTable,
    rows: NDArray[np.int64],
    plan_: Plan,
    horizon: int,
    n_jobs: int = 1,
    progress: Progress | None = None,
) -> Windows:
    """Rolling-origin forecasts of every model of ``plan_``, windows ``horizon`` apart, refitted."""
    shape = (len(rows), plan_.windows, horizon)
    actual = np.empty(shape)
    forecasts = {m: np.empty(shape) for m in plan_.models}
    done = 0
    for batch in _batches(rows):
        engine = _engine(plan_.models, plan_.season_length, n_jobs)
        out = engine.cross_validation(  # type: ignore[attr-defined]
            df=table.frame(batch),
            h=horizon,
            n_windows=plan_.windows,
            step_size=horizon,
            refit=True,
        )
        out = _order(out, [table.ids[i] for i in batch], "cutoff", "ds")
        part = slice(done, done + len(batch))
        actual[part] = out["y"].to_numpy(dtype=np.float64).reshape(-1, *shape[1:])
        for m in plan_.models:
            forecasts[m][part] = out[m.value].to_numpy(dtype=np.float64).reshape(-1, *shape[1:])
        done += len(batch)
        if progress is not None:
            progress(len(batch))
    return Windows(rows, actual, forecasts)


@dataclass(frozen=True, eq=False)
class Fitted:
    """Forecasts of one model for some series: ``mean`` ``[series, step]`` and, for models with
    native intervals, ``bounds[(level, is_upper)]`` of the same shape."""

    rows: NDArray[np.int64]
    mean: NDArray[np.float64]
    bounds: dict[tuple[int, bool], NDArray[np.float64]]


def fit_forecast(
    table: DemandTable,
    rows: NDArray[np.int64],
    model: Model,
    season_length: int,
    horizon: int,
    levels: Sequence[int],
    n_jobs: int = 1,
    progress: Progress | None = None,
) -> Fitted:
    """Fit ``model`` on the whole of each series and forecast ``horizon`` periods."""
    mean = np.empty((len(rows), horizon))
    native = model.native_intervals and bool(levels)
    bounds = (
        {(lv, up): np.empty_like(mean) for lv in levels for up in (False, True)} if native else {}
    )
    done = 0
    for batch in _batches(rows):
        engine = _engine([model], season_length, n_jobs)
        extra = {"level": list(levels)} if native else {}
        out = engine.forecast(df=table.frame(batch), h=horizon, **extra)  # type: ignore[attr-defined]
        out = _order(out, [table.ids[i] for i in batch], "ds")
        part = slice(done, done + len(batch))
        mean[part] = out[model.value].to_numpy(dtype=np.float64).reshape(-1, horizon)
        for (lv, up), array in bounds.items():
            column = f"{model.value}-{'hi' if up else 'lo'}-{lv}"
            array[part] = out[column].to_numpy(dtype=np.float64).reshape(-1, horizon)
        done += len(batch)
        if progress is not None:
            progress(len(batch))
    return Fitted(rows, mean, bounds)
