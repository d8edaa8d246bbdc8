"""A :class:`~tandem.planning.forecasting.executor.ForecastExecutor` on a Dask cluster.

:func:`dask_executor` either starts a ``LocalCluster`` of worker processes (one thread each:
statsforecast's numba code holds the GIL between calls) for the length of one run and closes it
afterwards, or connects to a running scheduler (``TANDEM_DASK_SCHEDULER``, e.g.
``tcp://10.0.0.5:8786``), whose workers must have the same versions of ``tandem`` and
``statsforecast`` installed.

Partitions are scattered to the workers; in :meth:`DaskExecutor.map_reduce_map` the first pass's
results stay on the worker that computed them (Dask futures) and the second pass is scheduled
next to them, so only the small summaries and the final results cross the network.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from distributed import Client, Future, LocalCluster, as_completed

from tandem.planning.forecasting.executor import Done

__all__ = ["DaskExecutor", "dask_executor"]

P = TypeVar("P")
K = TypeVar("K")
S = TypeVar("S")
D = TypeVar("D")
R = TypeVar("R")


class DaskExecutor:
    """Runs the partitions of a forecast run as Dask tasks on ``client``'s cluster."""

    def __init__(self, client: Client) -> None:
        self.client: Any = client  # distributed's API is only partly annotated

    @property
    def workers(self) -> int:
        """Worker threads of the cluster (at least 1)."""
        info: dict[str, Any] = self.client.scheduler_info(n_workers=-1)
        return max(1, sum(int(w["nthreads"]) for w in info["workers"].values()))

    def map_partitions(
        self, fn: Callable[[P], R], partitions: Sequence[P], done: Done | None = None
    ) -> list[R]:
        futures = self._map(fn, self._scatter(partitions))
        self._wait(futures, done)
        results: list[R] = self.client.gather(futures)
        return results

    def map_reduce_map(
        self,
        first: Callable[[P], K],
        summary: Callable[[K], S],
        decide: Callable[[list[S]], list[D]],
        second: Callable[[K, D], R],
        partitions: Sequence[P],
        done: Done | None = None,
    ) -> list[R]:
        kept = self._map(first, self._scatter(partitions))
        self._wait(kept, done)
        summaries: list[S] = self.client.gather(self._map(summary, kept))
        decisions = decide(summaries)
        futures = self._map(second, kept, decisions)
        self._wait(futures, done)
        results: list[R] = self.client.gather(futures)
        return results

    def _scatter(self, partitions: Sequence[Any]) -> list[Future[Any]]:
        scattered: list[Future[Any]] = self.client.scatter(list(partitions), hash=False)
        return scattered

    def _map(self, fn: Callable[..., Any], *columns: Sequence[Any]) -> list[Future[Any]]:
        futures: list[Future[Any]] = self.client.map(fn, *columns, pure=False)
        return futures

    @staticmethod
    def _wait(futures: list[Future[Any]], done: Done | None) -> None:
        index = {f.key: n for n, f in enumerate(futures)}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            if future.status == "error":
                future.result()  # raises the task's exception here
            if done is not None:
                done(index[future.key])


@contextmanager
def dask_executor(
    workers: int | None = None, scheduler: str | None = None
) -> Iterator[DaskExecutor]:
    """A :class:`DaskExecutor` for one run.

    With ``scheduler`` (an address such as ``tcp://host:8786``) it connects to that cluster and
    leaves it running; otherwise it starts ``workers`` worker processes on this machine (default:
    one per CPU), one thread each, no dashboard, and shuts them down when the block ends.
    """
    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield DaskExecutor(client)
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port: never clash with another cluster
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield DaskExecutor(client)
