"""Ports the services depend on. Each has an in-memory twin (``tandem.adapters.memory``) used by
the service tests, and a concrete adapter wired in ``tandem.bootstrap``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from tandem.domain.forecasts import ForecastPoint
from tandem.domain.idempotency import IdempotencyRecord
from tandem.domain.identity import ApiKey, SessionToken, User
from tandem.domain.network import BomLine, DemandPoint, Item, ItemSite, Lane, Member, Network, Site
from tandem.domain.sharing import AccessScope, AuditEntry, Grant

E = TypeVar("E")


class Repository(Protocol[E]):
    """Storage of one kind of entity. ``add`` returns the entity with its new ``id``."""

    def add(self, entity: E) -> E: ...

    def add_many(self, entities: Sequence[E]) -> None: ...

    def get(self, entity_id: int) -> E | None: ...

    def update(self, entity: E) -> None: ...

    def update_many(self, entities: Sequence[E]) -> None:
        """``update`` of each entity (by ``id``), in one round trip where the store allows."""
        ...

    def delete(self, entity_id: int) -> None: ...

    def find(
        self,
        *,
        offset: int = 0,
        limit: int | None = None,
        descending: bool = False,
        **equals: Any,
    ) -> list[E]:
        """Rows matching every ``field=value`` (``None`` matches NULL), in id order."""
        ...

    def count(self, **equals: Any) -> int: ...


class OwnedRepository(Repository[E], Protocol[E]):
    """Member-owned data of one category: reads only exist through an :class:`AccessScope`."""

    def find_scoped(
        self, scope: AccessScope, *, offset: int = 0, limit: int | None = None, **equals: Any
    ) -> list[E]: ...

    def count_scoped(self, scope: AccessScope, **equals: Any) -> int: ...


class UnitOfWork(Protocol):
    networks: Repository[Network]
    members: Repository[Member]
    users: Repository[User]
    api_keys: Repository[ApiKey]
    session_tokens: Repository[SessionToken]
    sites: Repository[Site]
    items: Repository[Item]
    lanes: Repository[Lane]
    item_sites: OwnedRepository[ItemSite]
    bom_lines: OwnedRepository[BomLine]
    demand: OwnedRepository[DemandPoint]
    forecasts: OwnedRepository[ForecastPoint]
    grants: Repository[Grant]
    audit: Repository[AuditEntry]
    idempotency: Repository[IdempotencyRecord]

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...
