"""Forecast runs on a real two-process Dask cluster equal the in-process run to the last bit."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from distributed import LocalCluster
from pandas.testing import assert_frame_equal
from sqlalchemy.engine import Engine

from tandem.adapters.dask_executor import DaskExecutor, dask_executor
from tandem.bootstrap import forecast_executor
from tandem.config import Settings
from tandem.planning.forecasting import (
    AUTO,
    AutoForecaster,
    DemandTable,
    ForecastResult,
    Model,
    SelectionScope,
    backtest,
    candidates,
    prepare_table,
)
from tandem.planning.forecasting.executor import ForecastExecutor, LocalExecutor
from tandem.services import demand, forecasts, identity, transfer
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.demand import DemandObservation
from tests.demand_samples import man_weekly_sample
from tests.support import PASSWORD, small_snapshot


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A running cluster of two worker processes, one thread each, as a deployment would have."""
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def dask(scheduler: str) -> Iterator[DaskExecutor]:
    with dask_executor(scheduler=scheduler) as executor:
        yield executor


@pytest.fixture(scope="module")
def man() -> DemandTable:
    return prepare_table(man_weekly_sample())


def _same(left: ForecastResult, right: ForecastResult) -> None:
    assert_frame_equal(left.forecasts, right.forecasts, check_exact=True)
    # repr prints every float to the last bit; nan != nan, so tuples holding nan scores that
    # crossed a process boundary never compare equal with ==.
    assert [repr(s) for s in left.selections] == [repr(s) for s in right.selections]
    assert len(left.errors) == len(right.errors)
    for mine, theirs in zip(left.errors, right.errors, strict=True):
        np.testing.assert_array_equal(mine, theirs, strict=True)


@dataclass(frozen=True)
class Runs:
    local: ForecastResult
    distributed: ForecastResult
    progress: list[tuple[int, int]]


@pytest.fixture(scope="module")
def group_runs(man: DemandTable, scheduler: str) -> Runs:
    """The default engine (one model per group) on the 60 MAN series, here and on the cluster."""
    engine = AutoForecaster(horizon=8, season_length=52)
    seen: list[tuple[int, int]] = []
    with dask_executor(scheduler=scheduler) as executor:
        distributed = engine.fit(man, lambda d, n: seen.append((d, n)), executor=executor)
    return Runs(engine.fit(man), distributed, seen)


def test_dask_run_of_real_series_equals_the_local_run_to_the_last_bit(group_runs: Runs) -> None:
    _same(group_runs.local, group_runs.distributed)
    forecasts = group_runs.distributed.forecasts
    assert len(forecasts) == 60 * 8
    assert forecasts["unique_id"].is_monotonic_increasing
    models = {(s.model, s.season_length, s.windows) for s in group_runs.distributed.selections}
    assert len(models) == 7  # 8 plans (two choose Naive), spread over 8 partitions


def test_group_choice_is_made_over_all_partitions_not_within_each(group_runs: Runs) -> None:
    # Each group's series are dealt over all 8 partitions; a choice made inside a partition
    # would differ from one partition to the next.
    by_plan: dict[tuple[tuple[Model, ...], int, int], set[Model]] = {}
    for s in group_runs.distributed.selections:
        plan = (candidates(s.profile.demand_class), s.season_length, s.windows)
        by_plan.setdefault(plan, set()).add(s.model)
    assert len(by_plan) == 8
    assert all(len(models) == 1 for models in by_plan.values()), by_plan


def test_progress_counts_every_series_twice_as_partitions_finish(group_runs: Runs) -> None:
    seen = group_runs.progress
    assert seen[0] == (0, 120)
    assert seen[-1] == (120, 120)
    assert len(seen) == 1 + 2 * 8  # the start, then each of 8 partitions after each pass
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_per_series_selection_on_dask_equals_the_local_run_to_the_last_bit(
    man: DemandTable, dask: DaskExecutor
) -> None:
    engine = AutoForecaster(horizon=8, season_length=52, scope=SelectionScope.SERIES)
    distributed = engine.fit(man, executor=dask)
    assert dask.workers == 2
    _same(engine.fit(man), distributed)
    assert len({s.model for s in distributed.selections}) >= 8


def test_backtest_on_dask_equals_the_local_backtest(man: DemandTable, dask: DaskExecutor) -> None:
    engine = AutoForecaster(horizon=8, season_length=52)
    distributed = backtest(engine, man, windows=1, executor=dask)
    assert repr(distributed) == repr(backtest(engine, man, windows=1))
    assert distributed.score(AUTO).accuracy.series == 58


def test_map_partitions_returns_results_in_partition_order(dask: DaskExecutor) -> None:
    finished: list[int] = []
    words = ["a", "bb", "ccc", "dddd", "eeeee"]
    assert dask.map_partitions(len, words, finished.append) == [1, 2, 3, 4, 5]
    assert sorted(finished) == [0, 1, 2, 3, 4]


def test_an_error_in_a_partition_reaches_the_caller(dask: DaskExecutor) -> None:
    with pytest.raises(ValueError, match="invalid literal for int"):
        dask.map_partitions(int, ["1", "b"])


def test_configured_scheduler_makes_dask_the_executor(scheduler: str) -> None:
    settings = Settings(dask_scheduler=scheduler)
    with forecast_executor(settings) as executor:
        assert isinstance(executor, DaskExecutor)
        assert executor.workers == 2
    with forecast_executor(settings, dask=False) as executor:
        assert isinstance(executor, LocalExecutor)
    with forecast_executor(Settings(dask_scheduler=None)) as executor:
        assert isinstance(executor, LocalExecutor)


def test_an_empty_table_gives_an_empty_result_on_dask(dask: DaskExecutor) -> None:
    frame = pd.DataFrame({"unique_id": ["a"] * 12, "ds": range(12), "y": [1.0] * 12})
    table = prepare_table(frame)
    empty = DemandTable(
        (), np.zeros(1, dtype=np.int64), table.y[:0], table.start[:0], table.calendar
    )
    result = AutoForecaster(horizon=3).fit(empty, executor=dask)
    assert (len(result.forecasts), result.selections, result.errors) == (0, (), ())


def test_platform_forecast_run_on_the_configured_cluster_stores_the_local_forecasts(
    ctx: ServiceContext, scheduler: str
) -> None:
    """``TANDEM_DASK_SCHEDULER`` reaches the platform's runs (API and web call this service):
    the run on the cluster stores exactly what the in-process run stores."""
    from tandem.bootstrap import bootstrap

    wired = bootstrap(Settings(dask_scheduler=scheduler), engine=_unused_engine())
    assert wired.services.forecast_executor is not None
    assert bootstrap(Settings(), engine=_unused_engine()).services.forecast_executor is None

    snapshot = transfer.import_snapshot(ctx, small_snapshot())
    cafe = identity.authenticate_token(ctx, identity.login(ctx, "cafe@example.com", PASSWORD).token)
    with ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=snapshot.network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=snapshot.network_id)}
    rng = np.random.default_rng(7)
    start = date(2026, 5, 1)
    demand.record_demand(
        ctx,
        cafe,
        [
            DemandObservation(sites[site], items["LATTE"], start + timedelta(days=n), float(q))
            for site, mean in (("CAFE-1", 30), ("CAFE-2", 3))
            for n, q in enumerate(rng.poisson(mean, 150))
        ],
    )

    def stored(context: ServiceContext) -> list[tuple[object, ...]]:
        forecasts.run_forecasts(context, cafe, 14)
        points = forecasts.read_forecasts(context, cafe, PageRequest(0, 1000)).items
        return [
            (p.site_id, p.item_id, p.day, p.forecast, p.lo_95, p.hi_95, p.model) for p in points
        ]

    opened: list[str] = []

    def on_the_cluster() -> AbstractContextManager[ForecastExecutor]:
        assert wired.services.forecast_executor is not None
        opened.append(scheduler)
        return wired.services.forecast_executor()

    local = stored(ctx)
    on_cluster = stored(replace(ctx, forecast_executor=on_the_cluster))
    assert opened == [scheduler]
    assert len(local) == 28
    assert on_cluster == local


def _unused_engine() -> Engine:
    """bootstrap needs an engine; this test only looks at the wiring, never at the database."""
    from sqlalchemy import create_engine

    return create_engine("sqlite://")
