"""What every use case is given: the unit-of-work factory, the clock, the password hasher and
where forecast runs compute."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from tandem.services.ports import Clock, PasswordHasher, UnitOfWorkFactory

if TYPE_CHECKING:
    from tandem.planning.forecasting.executor import ForecastExecutor

ExecutorFactory = Callable[[], AbstractContextManager["ForecastExecutor"]]

T = TypeVar("T")

MAX_PAGE = 1000


@dataclass(frozen=True)
class ServiceContext:
    uow: UnitOfWorkFactory
    clock: Clock
    passwords: PasswordHasher
    session_hours: float = 12.0
    forecast_executor: ExecutorFactory | None = None
    """Opens the executor of one platform forecast run (a Dask cluster when the settings name a
    scheduler); ``None`` computes in this process."""
    replication_executor: ExecutorFactory | None = None
    """Opens the executor the digital twin runs its replication batches on (the same Dask
    cluster when the settings name a scheduler); ``None`` runs them in this process."""


@dataclass(frozen=True)
class PageRequest:
    offset: int = 0
    limit: int = 100

    def __post_init__(self) -> None:
        if self.offset < 0:
            raise ValueError("offset must not be negative")
        if not 1 <= self.limit <= MAX_PAGE:
            raise ValueError(f"limit must lie in [1, {MAX_PAGE}]")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    total: int
    offset: int
    limit: int
