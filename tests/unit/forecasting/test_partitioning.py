"""Partitioning a forecast run by series, and results that do not depend on the partitions."""

from __future__ import annotations

import doctest
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from tandem.planning.forecasting import (
    AUTO,
    AutoForecaster,
    DemandTable,
    ForecastResult,
    SelectionMetric,
    SelectionScope,
    backtest,
    prepare_table,
)
from tandem.planning.forecasting import executor as executor_module
from tandem.planning.forecasting.executor import (
    LocalExecutor,
    partition,
    partition_count,
    subset,
)


class PretendWorkers(LocalExecutor):
    """In-process, but sized as ``workers`` workers: 4 partitions per worker."""

    def __init__(self, workers: int) -> None:
        self._workers = workers

    @property
    def workers(self) -> int:
        return self._workers


@given(st.integers(0, 500), st.integers(1, 64))
def test_partitions_hold_every_series_once_ascending_and_balanced(series: int, parts: int) -> None:
    pieces = partition(series, parts)
    assert len(pieces) == max(1, min(parts, series))
    assert sorted(np.concatenate(pieces).tolist()) == list(range(series))
    assert all(np.all(np.diff(p) > 0) for p in pieces)
    sizes = [len(p) for p in pieces]
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)


def test_partitions_deal_series_round_robin() -> None:
    assert [p.tolist() for p in partition(10, 4)] == [[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]]
    assert [p.tolist() for p in partition(2, 5)] == [[0], [1]]
    with pytest.raises(ValueError, match="parts must be at least 1, not 0"):
        partition(3, 0)


@pytest.mark.parametrize(
    ("series", "workers", "parts"),
    [
        (0, 1, 1),
        (1, 1, 1),
        (2000, 1, 1),
        (2001, 1, 2),
        (10_000, 1, 5),
        (10_000, 2, 8),
        (60, 2, 8),
        (5, 2, 5),
        (100_000, 4, 50),
        (100_000, 32, 128),
    ],
)
def test_partition_count_caps_size_and_gives_each_worker_several(
    series: int, workers: int, parts: int
) -> None:
    assert partition_count(series, workers) == parts


def _frame(seed: int = 11) -> pd.DataFrame:
    """Smooth seasonal, trending, intermittent, short and one-value series, dates weekly."""
    rng = np.random.default_rng(seed)
    series: dict[str, np.ndarray] = {}
    for n in range(3):
        series[f"smooth{n}"] = 50 + 10 * np.sin(np.arange(40) * np.pi / 2) + rng.normal(0, 3, 40)
        series[f"trend{n}"] = 20 + 0.5 * np.arange(18) + rng.normal(0, 2, 18)
    for n in range(6):
        series[f"sparse{n}"] = (rng.random(40) < 0.25) * (1 + rng.poisson(3, 40))
    series["short"] = np.array([3.0, 0.0, 5.0, 2.0])
    series["one"] = np.array([7.0])
    rows = [
        (name, np.datetime64("2021-01-04") + np.timedelta64(7 * t, "D"), float(v))
        for name, ys in series.items()
        for t, v in enumerate(ys)
    ]
    return pd.DataFrame(rows, columns=["unique_id", "ds", "y"])


def _same(left: ForecastResult, right: ForecastResult) -> None:
    assert_frame_equal(left.forecasts, right.forecasts, check_exact=True)
    assert left.selections == right.selections
    for mine, theirs in zip(left.errors, right.errors, strict=True):
        np.testing.assert_array_equal(mine, theirs, strict=True)


@pytest.fixture(scope="module")
def table() -> DemandTable:
    return prepare_table(_frame())


@pytest.mark.parametrize(
    ("scope", "metric", "tolerance"),
    [
        (SelectionScope.GROUP, SelectionMetric.RMSSE, 0.0),
        (SelectionScope.SERIES, SelectionMetric.RMSSE, 0.0),
        (SelectionScope.GROUP, SelectionMetric.MASE, 0.02),
    ],
)
def test_results_are_identical_for_any_number_of_partitions(
    table: DemandTable, scope: SelectionScope, metric: SelectionMetric, tolerance: float
) -> None:
    engine = AutoForecaster(3, 4, scope=scope, metric=metric, tolerance=tolerance)
    whole = engine.fit(table)
    _same(whole, engine.fit(table, executor=PretendWorkers(2)))
    assert len(whole.forecasts) == 14 * 3
    assert len({(s.model, s.season_length, s.windows) for s in whole.selections}) >= 4


@pytest.mark.parametrize("scope", list(SelectionScope))
def test_backtest_is_identical_for_any_number_of_partitions(
    table: DemandTable, scope: SelectionScope
) -> None:
    engine = AutoForecaster(3, 4, windows=2, scope=scope)
    whole = backtest(engine, table, windows=1)
    split = backtest(engine, table, windows=1, executor=PretendWorkers(3))
    assert split == whole
    assert whole.score(AUTO).accuracy.series == 12


def test_subset_keeps_each_series_its_start_and_the_calendar(table: DemandTable) -> None:
    rows = np.array([1, 4, 13], dtype=np.int64)
    part = subset(table, rows)
    assert part.ids == tuple(table.ids[r] for r in rows)
    assert part.start.tolist() == table.start[rows].tolist()
    assert part.calendar == table.calendar
    for n, r in enumerate(rows):
        np.testing.assert_array_equal(part.series(n), table.series(int(r)), strict=True)
    assert len(subset(table, np.zeros(0, dtype=np.int64)).ids) == 0


class Recorder:
    def __init__(self) -> None:
        self.done: list[int] = []
        self.summaries: list[Any] = []


def test_local_two_pass_map_decides_once_between_the_passes() -> None:
    seen = Recorder()

    def decide(summaries: list[int]) -> list[str]:
        seen.summaries.append(list(summaries))
        return [f"d{s}" for s in summaries]

    first: Callable[[str], tuple[str, int]] = lambda word: (word, len(word))  # noqa: E731
    summary: Callable[[tuple[str, int]], int] = lambda kept: kept[1]  # noqa: E731
    second: Callable[[tuple[str, int], str], str] = lambda kept, d: f"{kept[0]}:{d}"  # noqa: E731
    words: Sequence[str] = ["ab", "c", "def"]
    out = LocalExecutor().map_reduce_map(first, summary, decide, second, words, seen.done.append)
    assert out == ["ab:d2", "c:d1", "def:d3"]
    assert seen.summaries == [[2, 1, 3]]
    assert seen.done == [0, 1, 2, 0, 1, 2]


def test_executor_docstring_examples_pass() -> None:
    outcome = doctest.testmod(executor_module, optionflags=doctest.ELLIPSIS)
    assert outcome.attempted == 10
    assert outcome.failed == 0
