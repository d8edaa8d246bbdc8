"""The composition root: the one place that picks concrete adapters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from tandem.adapters.database import create_engine
from tandem.adapters.passwords import Argon2PasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.config import Settings
from tandem.services.context import ServiceContext
from tandem.services.ports import Clock, PasswordHasher, UnitOfWork

if TYPE_CHECKING:
    from tandem.planning.forecasting.executor import ForecastExecutor


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Container:
    settings: Settings
    engine: Engine
    services: ServiceContext


def bootstrap(
    settings: Settings | None = None,
    engine: Engine | None = None,
    clock: Clock | None = None,
    passwords: PasswordHasher | None = None,
) -> Container:
    """Wire the application. Tests may pass an engine, a clock or a (faster) password hasher."""
    settings = settings or Settings()
    engine = engine or create_engine(settings.database_url)

    def unit_of_work() -> UnitOfWork:
        uow: UnitOfWork = SqlUnitOfWork(engine)  # type: ignore[assignment]
        return uow

    services = ServiceContext(
        uow=unit_of_work,
        clock=clock or SystemClock(),
        passwords=passwords
        or Argon2PasswordHasher(settings.argon2_time_cost, settings.argon2_memory_kib),
        session_hours=settings.session_hours,
        forecast_executor=(
            (lambda: forecast_executor(settings)) if settings.dask_scheduler else None
        ),
        replication_executor=(
            (lambda: forecast_executor(settings)) if settings.dask_scheduler else None
        ),
    )
    return Container(settings, engine, services)


@contextmanager
def forecast_executor(
    settings: Settings, dask: bool | None = None, workers: int | None = None
) -> Iterator[ForecastExecutor]:
    """Where forecast runs compute their partitions, for the length of one run.

    ``dask=None`` uses Dask exactly when ``settings.dask_scheduler`` names a scheduler. With
    Dask: that scheduler's cluster, or else a cluster of ``workers`` local processes (default one
    per CPU) started now and closed after. Without: in this process. Dask and the forecasting
    engine are imported only here, when a run needs them.
    """
    scheduler = settings.dask_scheduler or None
    if not (scheduler is not None if dask is None else dask):
        from tandem.planning.forecasting.executor import LocalExecutor

        yield LocalExecutor()
        return
    from tandem.adapters.dask_executor import dask_executor

    with dask_executor(workers, scheduler) as executor:
        yield executor
