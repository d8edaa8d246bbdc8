"""Where planning runs execute: a pool of worker processes beside the web server.

The API queues a run (:func:`tandem.services.planning.start_run`) and hands its id to
:class:`PlanningWorkerPool`; a worker process (``spawn`` start method: a fresh interpreter, no
state inherited from the server) builds its own engine and service context from the database
URL and calls :func:`tandem.services.planning.execute_run`, recording its process id on the run.
Progress and results reach the API through the database only.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime

from tandem.adapters.database import create_engine
from tandem.adapters.passwords import Argon2PasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.services.context import ServiceContext
from tandem.services.planning import execute_run
from tandem.services.ports import UnitOfWork

__all__ = ["PlanningWorkerPool", "run_in_worker"]


class _SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def run_in_worker(database_url: str, run_id: int) -> str:
    """The task of a worker process: execute run ``run_id``; returns its final status."""
    engine = create_engine(database_url)

    def unit_of_work() -> UnitOfWork:
        uow: UnitOfWork = SqlUnitOfWork(engine)  # type: ignore[assignment]
        return uow

    ctx = ServiceContext(unit_of_work, _SystemClock(), Argon2PasswordHasher())
    try:
        return execute_run(ctx, run_id, worker_pid=os.getpid()).status.value
    finally:
        engine.dispose()


class PlanningWorkerPool:
    """A ``ProcessPoolExecutor`` of ``max_workers`` spawned processes, started lazily (the
    first run starts the processes) and shut down with the application."""

    def __init__(self, max_workers: int = 1) -> None:
        self.max_workers = max_workers
        self._executor: ProcessPoolExecutor | None = None

    def submit(self, database_url: str, run_id: int) -> Future[str]:
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(self.max_workers, mp_context=context)
        return self._executor.submit(run_in_worker, database_url, run_id)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=False)
            self._executor = None
