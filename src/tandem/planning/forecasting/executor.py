"""Where the partitions of a forecast run are computed: the executor port and series partitioning.

A forecast run is partitioned by series (:func:`partition`, :func:`subset`); every partition
goes through the same engine code. :class:`ForecastExecutor` is the port the engine is written
against: :class:`LocalExecutor` runs the partitions one after the other in this process (the
default); ``tandem.adapters.dask_executor`` runs them on a Dask cluster. The engine never
imports Dask.

Model selection may compare series across partitions (one model per group of like series), so
a run makes two passes with a decision between them (:meth:`ForecastExecutor.map_reduce_map`):
cross-validate every partition where it lies, bring back only the errors per series and
candidate, choose on the caller from all of them in the original series order, then refit and
forecast each partition where its cross-validation output already is. Nothing depends on where
the partitions are cut, so the result is the same to the last bit for any executor and any
number of partitions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from tandem.planning.forecasting.crossval import Plan, Windows, cross_validate
from tandem.planning.forecasting.table import DemandTable

__all__ = [
    "MAX_PARTITION",
    "PARTITIONS_PER_WORKER",
    "Done",
    "ForecastExecutor",
    "LocalExecutor",
    "cross_validate_groups",
    "partition",
    "partition_count",
    "subset",
]

P = TypeVar("P")
K = TypeVar("K")
S = TypeVar("S")
D = TypeVar("D")
R = TypeVar("R")

Done = Callable[[int], None]
"""Called on the caller's side with a partition's index when one of its passes has finished."""

MAX_PARTITION = 2000
"""Most series in one partition (statsforecast is called on at most that many at a time)."""
PARTITIONS_PER_WORKER = 4
"""Partitions per worker when there are several: small enough pieces that a worker that
finishes early takes another instead of waiting for the slowest."""


class ForecastExecutor(Protocol):
    """Runs functions over the partitions of a forecast run.

    ``fn``, ``first``, ``summary`` and ``second`` may run in other processes or on other
    machines: they must be picklable (module-level functions or methods of picklable objects)
    and must not rely on state outside their arguments. Results come back in partition order
    whatever order the partitions finish in.
    """

    @property
    def workers(self) -> int:
        """How many partitions can run at the same time."""
        ...

    def map_partitions(
        self, fn: Callable[[P], R], partitions: Sequence[P], done: Done | None = None
    ) -> list[R]:
        """``[fn(p) for p in partitions]``; ``done(i)`` when partition ``i`` is finished."""
        ...

    def map_reduce_map(
        self,
        first: Callable[[P], K],
        summary: Callable[[K], S],
        decide: Callable[[list[S]], list[D]],
        second: Callable[[K, D], R],
        partitions: Sequence[P],
        done: Done | None = None,
    ) -> list[R]:
        """Two passes over ``partitions`` with a decision on the caller in between.

        ``kept_i = first(p_i)`` stays where it was computed; only ``summary(kept_i)`` comes
        back. ``decide`` receives every summary in partition order and returns one decision per
        partition; then ``second(kept_i, decision_i)`` runs where ``kept_i`` is. ``done(i)``
        is called after each pass of partition ``i`` (twice per partition).
        """
        ...


class LocalExecutor:
    """In this process, one partition after the other (the default executor).

    Examples
    --------
    >>> LocalExecutor().map_partitions(len, ["ab", "c"])
    [2, 1]
    """

    @property
    def workers(self) -> int:
        return 1

    def map_partitions(
        self, fn: Callable[[P], R], partitions: Sequence[P], done: Done | None = None
    ) -> list[R]:
        out: list[R] = []
        for index, part in enumerate(partitions):
            out.append(fn(part))
            if done is not None:
                done(index)
        return out

    def map_reduce_map(
        self,
        first: Callable[[P], K],
        summary: Callable[[K], S],
        decide: Callable[[list[S]], list[D]],
        second: Callable[[K, D], R],
        partitions: Sequence[P],
        done: Done | None = None,
    ) -> list[R]:
        kept = self.map_partitions(first, partitions, done)
        decisions = decide([summary(k) for k in kept])
        out: list[R] = []
        for index, (part, decision) in enumerate(zip(kept, decisions, strict=True)):
            out.append(second(part, decision))
            if done is not None:
                done(index)
        return out


def partition_count(series: int, workers: int) -> int:
    """How many partitions ``series`` series are split into for ``workers`` workers.

    At most :data:`MAX_PARTITION` series each; with several workers, at least
    :data:`PARTITIONS_PER_WORKER` per worker; never more partitions than series (one empty
    partition for no series).

    Examples
    --------
    >>> partition_count(10_000, 1), partition_count(10_000, 2), partition_count(60, 2)
    (5, 8, 8)
    >>> partition_count(3, 2), partition_count(0, 4)
    (3, 1)
    """
    count = math.ceil(series / MAX_PARTITION)
    if workers > 1:
        count = max(count, workers * PARTITIONS_PER_WORKER)
    return max(1, min(count, series))


def partition(series: int, parts: int) -> list[NDArray[np.int64]]:
    """Deal the rows ``0 .. series - 1`` round-robin into ``parts`` partitions.

    Row ``r`` goes to partition ``r % parts``, so sizes differ by at most one, rows stay in
    ascending order within a partition, and series that sit together in the table (often alike:
    one item family, one demand class, the same length) are spread over all partitions rather
    than loading one worker with all the expensive ones. ``parts`` is capped at ``series``
    (at least one, possibly empty, partition).

    Examples
    --------
    >>> [p.tolist() for p in partition(7, 3)]
    [[0, 3, 6], [1, 4], [2, 5]]
    >>> [p.tolist() for p in partition(0, 3)]
    [[]]
    """
    if parts < 1:
        raise ValueError(f"parts must be at least 1, not {parts}")
    parts = max(1, min(parts, series))
    rows = np.arange(series, dtype=np.int64)
    return [rows[start::parts] for start in range(parts)]


def subset(table: DemandTable, rows: NDArray[np.int64]) -> DemandTable:
    """The series ``rows`` (ascending positions in ``table``) as a table of their own.

    Examples
    --------
    >>> import pandas as pd
    >>> from tandem.planning.forecasting.table import prepare_table
    >>> frame = pd.DataFrame({"unique_id": ["a", "a", "b", "c", "c"], "ds": [1, 2, 1, 1, 2],
    ...                       "y": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> part = subset(prepare_table(frame), np.array([0, 2]))
    >>> part.ids, part.offsets.tolist(), part.y.tolist()
    (('a', 'c'), [0, 2, 4], [1.0, 2.0, 4.0, 5.0])
    """
    lengths = table.lengths[rows]
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    take = np.repeat(table.offsets[rows] - offsets[:-1], lengths) + np.arange(
        offsets[-1], dtype=np.int64
    )
    return DemandTable(
        tuple(table.ids[i] for i in rows),
        offsets,
        table.y[take],
        table.start[rows],
        table.calendar,
    )


def _cross_validated(job: tuple[DemandTable, Plan, int, int]) -> Windows:
    table, plan_, horizon, n_jobs = job
    return cross_validate(table, np.arange(len(table.ids), dtype=np.int64), plan_, horizon, n_jobs)


def cross_validate_groups(
    table: DemandTable,
    groups: Sequence[tuple[NDArray[np.int64], Plan]],
    horizon: int,
    n_jobs: int = 1,
    executor: ForecastExecutor | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Windows]:
    """:func:`~.crossval.cross_validate` of every group ``(rows, plan)`` on ``executor``.

    Each group's rows are dealt into partitions, one task per group and partition, and the
    windows come back whole, in the group's row order: each series' windows depend on that
    series alone, so they equal one ``cross_validate`` per group. ``progress`` receives the
    number of series of each finished task.
    """
    runner: ForecastExecutor = executor or LocalExecutor()
    jobs: list[tuple[DemandTable, Plan, int, int]] = []
    owners: list[tuple[int, NDArray[np.int64]]] = []
    for index, (rows, plan_) in enumerate(groups):
        for piece in partition(len(rows), partition_count(len(rows), runner.workers)):
            jobs.append((subset(table, rows[piece]), plan_, horizon, n_jobs))
            owners.append((index, piece))

    def done(task: int) -> None:
        if progress is not None:
            progress(len(owners[task][1]))

    parts = runner.map_partitions(_cross_validated, jobs, done)
    out: list[Windows] = []
    for index, (rows, plan_) in enumerate(groups):
        shape = (len(rows), plan_.windows, horizon)
        actual = np.empty(shape)
        forecasts = {m: np.empty(shape) for m in plan_.models}
        for (owner, piece), cv in zip(owners, parts, strict=True):
            if owner == index:
                actual[piece] = cv.actual
                for m in plan_.models:
                    forecasts[m][piece] = cv.forecasts[m]
        out.append(Windows(rows, actual, forecasts))
    return out
