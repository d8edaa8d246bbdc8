"""In-memory twins of the storage ports, faithful enough for the service tests.

They honour the same unique keys as the SQL tables and roll back on ``__exit__`` unless
``commit()`` was called, so "nothing is half-written" can be tested without a database.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

from tandem.adapters.beer_game_tables import BEER_GAME_UNIQUE
from tandem.adapters.calendar_tables import CALENDAR_UNIQUE
from tandem.adapters.logistics_tables import LOGISTICS_UNIQUE
from tandem.adapters.planning_tables import PLANNING_OWNED_FIELDS, PLANNING_UNIQUE
from tandem.adapters.production_tables import PRODUCTION_UNIQUE
from tandem.adapters.risk_tables import RISK_UNIQUE
from tandem.adapters.twin_tables import TWIN_UNIQUE
from tandem.domain.errors import DuplicateCode
from tandem.domain.inventory import StockPosition
from tandem.domain.sharing import AccessScope
from tandem.services.ports import UnitOfWork

E = TypeVar("E")


class InMemoryRepository(Generic[E]):
    def __init__(self, unique: Sequence[tuple[str, ...]] = ()) -> None:
        self.rows: dict[int, E] = {}
        self.next_id = 1
        self.unique = tuple(unique)
        self._index: dict[tuple[str, ...], dict[tuple[Any, ...], int]] = {k: {} for k in unique}

    def reindex(self) -> None:
        """Rebuild the unique-key indexes (after a rollback restored ``rows``)."""
        self._index = {key: {} for key in self.unique}
        for entity_id, entity in self.rows.items():
            self._remember(entity_id, entity)

    def _remember(self, entity_id: int, entity: E) -> None:
        for key, index in self._index.items():
            index[tuple(getattr(entity, f) for f in key)] = entity_id

    def _forget(self, entity: E) -> None:
        for key, index in self._index.items():
            index.pop(tuple(getattr(entity, f) for f in key), None)

    def _check_unique(self, entity: E, ignore_id: int | None = None) -> None:
        for key, index in self._index.items():
            values = tuple(getattr(entity, f) for f in key)
            holder = index.get(values)
            if holder is not None and holder != ignore_id:
                raise DuplicateCode(f"{'/'.join(key)} {values} already exists")

    def add(self, entity: E) -> E:
        self._check_unique(entity)
        stored: E = dataclasses.replace(entity, id=self.next_id)  # type: ignore[type-var]
        self.rows[self.next_id] = stored
        self._remember(self.next_id, stored)
        self.next_id += 1
        return stored

    def add_many(self, entities: Sequence[E]) -> None:
        for entity in entities:
            self.add(entity)

    def get(self, entity_id: int) -> E | None:
        return self.rows.get(entity_id)

    def get_for_update(self, entity_id: int) -> E | None:
        return self.rows.get(entity_id)

    def update(self, entity: E) -> None:
        entity_id: int = getattr(entity, "id")  # noqa: B009
        self._check_unique(entity, ignore_id=entity_id)
        if entity_id in self.rows:
            self._forget(self.rows[entity_id])
        self.rows[entity_id] = entity
        self._remember(entity_id, entity)

    def update_many(self, entities: Sequence[E]) -> None:
        for entity in entities:
            self.update(entity)

    def delete(self, entity_id: int) -> None:
        removed = self.rows.pop(entity_id, None)
        if removed is not None:
            self._forget(removed)

    @staticmethod
    def _matches(entity: object, equals: dict[str, Any]) -> bool:
        return all(getattr(entity, k) == v for k, v in equals.items())

    def find(
        self,
        *,
        offset: int = 0,
        limit: int | None = None,
        descending: bool = False,
        **equals: Any,
    ) -> list[E]:
        ordered = sorted(self.rows.items(), reverse=descending)
        found = [e for _, e in ordered if self._matches(e, equals)]
        return found[offset : None if limit is None else offset + limit]

    def count(self, **equals: Any) -> int:
        return sum(1 for e in self.rows.values() if self._matches(e, equals))


class InMemoryOwnedRepository(InMemoryRepository[E]):
    def __init__(
        self, item_field: str, site_field: str, unique: Sequence[tuple[str, ...]] = ()
    ) -> None:
        super().__init__(unique)
        self.item_field = item_field
        self.site_field = site_field

    def _visible(self, entity: object, scope: AccessScope) -> bool:
        return scope.permits(
            getattr(entity, "owner_member_id"),  # noqa: B009
            getattr(entity, self.item_field),
            getattr(entity, self.site_field),
        )

    def find_scoped(
        self, scope: AccessScope, *, offset: int = 0, limit: int | None = None, **equals: Any
    ) -> list[E]:
        found = [e for e in self.find(**equals) if self._visible(e, scope)]
        return found[offset : None if limit is None else offset + limit]

    def count_scoped(self, scope: AccessScope, **equals: Any) -> int:
        return len(self.find_scoped(scope, **equals))


class InMemoryStockPositions(InMemoryOwnedRepository[Any]):
    """Stock positions; ``lock`` creates missing ones at zero, like the SQL adapter."""

    def __init__(self, sites: InMemoryRepository[Any]) -> None:
        super().__init__("item_id", "site_id", [("site_id", "item_id")])
        self.sites = sites

    def lock(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        found: dict[tuple[int, int], Any] = {}
        for site_id, item_id in sorted(set(keys)):
            existing = self.find(site_id=site_id, item_id=item_id)
            if existing:
                found[(site_id, item_id)] = existing[0]
                continue
            site = self.sites.get(site_id)
            if site is not None:
                position = StockPosition(0, site.network_id, site.member_id, site_id, item_id)
                found[(site_id, item_id)] = self.add(position)
        return found


class InMemoryDemand(InMemoryOwnedRepository[Any]):
    """Demand points; ``increment`` adds to a day or creates it, like the SQL upsert."""

    def __init__(self) -> None:
        super().__init__("item_id", "site_id", [("site_id", "item_id", "day")])

    def increment(self, points: Sequence[Any]) -> list[Any]:
        touched: dict[tuple[int, int, Any], Any] = {}
        for point in points:
            key = (point.site_id, point.item_id, point.day)
            existing = self.find(site_id=key[0], item_id=key[1], day=key[2])
            if existing:
                stored = dataclasses.replace(
                    existing[0], quantity=existing[0].quantity + point.quantity
                )
                self.update(stored)
            else:
                stored = self.add(dataclasses.replace(point, id=0))
            touched[key] = stored
        return [touched[key] for key in sorted(touched)]


class InMemorySignalRecords(InMemoryOwnedRepository[Any]):
    """Raw signal records; ``add_new`` skips a ``(sender, message_id)`` already stored."""

    def __init__(self) -> None:
        super().__init__("item_id", "site_id", [("sender", "message_id")])

    def _holder(self, sender: str, message_id: str) -> int | None:
        return self._index[("sender", "message_id")].get((sender, message_id))

    def find_messages(self, sender: str, message_ids: Sequence[str]) -> list[Any]:
        ids = {self._holder(sender, m) for m in message_ids} - {None}
        return [self.rows[i] for i in sorted(i for i in ids if i is not None)]

    def add_new(self, records: Sequence[Any]) -> list[Any]:
        return [self.add(r) for r in records if self._holder(r.sender, r.message_id) is None]


SIGNAL_REPOSITORIES = ("devices", "signal_records", "feedback")

# Unique keys of the coordination tables (the partial "one open per network" index is the
# service's check here).
COORDINATION_REPOSITORIES = {
    "inventory_proposals": (),
    "proposal_placements": (("proposal_id", "item_site_id"),),
    "proposal_shares": (("proposal_id", "member_id"),),
    "proposal_votes": (("proposal_id", "member_id"),),
    "proposal_events": (("proposal_id", "version"),),
}

FLOW_REPOSITORIES = (
    "stock_movements",
    "stock_positions",
    "allocations",
    "customers",
    "customer_orders",
    "customer_order_lines",
    "order_promises",
    "trade_terms",
    "agreements",
    "purchase_orders",
    "purchase_order_lines",
    "order_events",
    "change_requests",
    "shipments",
    "shipment_lines",
    "receipts",
    "receipt_lines",
    "epcis_events",
    "invoices",
    "invoice_lines",
    "payments",
    "credit_notes",
    "journal_entries",
    "postings",
    "dunning_notices",
)


class InMemoryStore:
    """The shared state behind every in-memory unit of work."""

    def __init__(self) -> None:
        self.networks: InMemoryRepository[Any] = InMemoryRepository([("code",)])
        self.members: InMemoryRepository[Any] = InMemoryRepository([("network_id", "code")])
        self.users: InMemoryRepository[Any] = InMemoryRepository([("email",)])
        self.api_keys: InMemoryRepository[Any] = InMemoryRepository([("prefix",)])
        self.session_tokens: InMemoryRepository[Any] = InMemoryRepository([("token_hash",)])
        self.sites: InMemoryRepository[Any] = InMemoryRepository([("network_id", "code")])
        self.items: InMemoryRepository[Any] = InMemoryRepository([("network_id", "sku")])
        self.lanes: InMemoryRepository[Any] = InMemoryRepository()
        self.item_sites: InMemoryOwnedRepository[Any] = InMemoryOwnedRepository(
            "item_id", "site_id", [("item_id", "site_id")]
        )
        self.bom_lines: InMemoryOwnedRepository[Any] = InMemoryOwnedRepository(
            "parent_item_id", "site_id", [("parent_item_id", "component_item_id", "site_id")]
        )
        self.demand = InMemoryDemand()
        self.forecasts: InMemoryOwnedRepository[Any] = InMemoryOwnedRepository(
            "item_id", "site_id", [("site_id", "item_id", "day")]
        )
        self.forecast_snapshots: InMemoryOwnedRepository[Any] = InMemoryOwnedRepository(
            "item_id", "site_id", [("site_id", "item_id", "origin", "day")]
        )
        self.grants: InMemoryRepository[Any] = InMemoryRepository()
        self.audit: InMemoryRepository[Any] = InMemoryRepository()
        self.idempotency: InMemoryRepository[Any] = InMemoryRepository([("principal", "key")])
        self.stock_movements: InMemoryOwnedRepository[Any] = InMemoryOwnedRepository(
            "item_id", "site_id"
        )
        self.stock_positions = InMemoryStockPositions(self.sites)
        self.allocations: InMemoryRepository[Any] = InMemoryRepository()
        self.customers: InMemoryRepository[Any] = InMemoryRepository([("member_id", "code")])
        self.customer_orders: InMemoryRepository[Any] = InMemoryRepository(
            [("member_id", "number")]
        )
        self.customer_order_lines: InMemoryRepository[Any] = InMemoryRepository(
            [("order_id", "line_no")]
        )
        self.order_promises: InMemoryRepository[Any] = InMemoryRepository()
        self.trade_terms: InMemoryRepository[Any] = InMemoryRepository(
            [("buyer_member_id", "seller_member_id")]
        )
        self.agreements: InMemoryRepository[Any] = InMemoryRepository([("network_id", "number")])
        self.purchase_orders: InMemoryRepository[Any] = InMemoryRepository(
            [("network_id", "number")]
        )
        self.purchase_order_lines: InMemoryRepository[Any] = InMemoryRepository(
            [("order_id", "line_no")]
        )
        self.order_events: InMemoryRepository[Any] = InMemoryRepository([("order_id", "version")])
        self.change_requests: InMemoryRepository[Any] = InMemoryRepository()
        self.shipments: InMemoryRepository[Any] = InMemoryRepository([("network_id", "number")])
        self.shipment_lines: InMemoryRepository[Any] = InMemoryRepository()
        self.receipts: InMemoryRepository[Any] = InMemoryRepository(
            [("network_id", "number"), ("shipment_id",)]
        )
        self.receipt_lines: InMemoryRepository[Any] = InMemoryRepository()
        self.epcis_events: InMemoryRepository[Any] = InMemoryRepository([("event_id",)])
        self.invoices: InMemoryRepository[Any] = InMemoryRepository([("network_id", "number")])
        self.invoice_lines: InMemoryRepository[Any] = InMemoryRepository()
        self.payments: InMemoryRepository[Any] = InMemoryRepository()
        self.credit_notes: InMemoryRepository[Any] = InMemoryRepository([("network_id", "number")])
        self.journal_entries: InMemoryRepository[Any] = InMemoryRepository()
        self.postings: InMemoryRepository[Any] = InMemoryRepository()
        self.dunning_notices: InMemoryRepository[Any] = InMemoryRepository()
        self.devices: InMemoryRepository[Any] = InMemoryRepository(
            [("network_id", "code"), ("api_key_id",)]
        )
        self.signal_records = InMemorySignalRecords()
        self.feedback: InMemoryOwnedRepository[Any] = InMemoryOwnedRepository("item_id", "site_id")
        for name, unique in COORDINATION_REPOSITORIES.items():
            setattr(self, name, InMemoryRepository(unique))
        for name, keys in PLANNING_UNIQUE.items():
            owned = PLANNING_OWNED_FIELDS.get(name)
            setattr(
                self,
                name,
                InMemoryOwnedRepository(*owned, keys) if owned else InMemoryRepository(keys),
            )
        for name, keys in {**RISK_UNIQUE, **TWIN_UNIQUE, **CALENDAR_UNIQUE}.items():
            setattr(self, name, InMemoryRepository(keys))
        for name, keys in {**PRODUCTION_UNIQUE, **BEER_GAME_UNIQUE, **LOGISTICS_UNIQUE}.items():
            setattr(self, name, InMemoryRepository(keys))

    REPOSITORIES = (
        "networks",
        "members",
        "users",
        "api_keys",
        "session_tokens",
        "sites",
        "items",
        "lanes",
        "item_sites",
        "bom_lines",
        "demand",
        "forecasts",
        "forecast_snapshots",
        "grants",
        "audit",
        "idempotency",
        *FLOW_REPOSITORIES,
        *SIGNAL_REPOSITORIES,
        *COORDINATION_REPOSITORIES,
        *PLANNING_UNIQUE,
        *CALENDAR_UNIQUE,
        *RISK_UNIQUE,
        *TWIN_UNIQUE,
        *PRODUCTION_UNIQUE,
        *BEER_GAME_UNIQUE,
        *LOGISTICS_UNIQUE,
    )


class InMemoryUnitOfWork:
    """Works on the store directly; a rollback restores the state saved on ``__enter__``."""

    def __init__(self, store: InMemoryStore) -> None:
        self.store = store
        for name in InMemoryStore.REPOSITORIES:
            setattr(self, name, getattr(store, name))
        self._saved: dict[str, tuple[dict[int, Any], int]] = {}
        self.commits = 0

    def __enter__(self) -> Self:
        self._saved = {
            name: (copy.copy(getattr(self.store, name).rows), getattr(self.store, name).next_id)
            for name in InMemoryStore.REPOSITORIES
        }
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        self.commits += 1
        self._saved = {
            name: (copy.copy(getattr(self.store, name).rows), getattr(self.store, name).next_id)
            for name in InMemoryStore.REPOSITORIES
        }

    def rollback(self) -> None:
        for name, (rows, next_id) in self._saved.items():
            repo = getattr(self.store, name)
            if repo.rows != rows:
                repo.rows = copy.copy(rows)
                repo.reindex()
            repo.next_id = next_id


def in_memory_uow_factory(store: InMemoryStore) -> Any:
    def factory() -> UnitOfWork:
        uow: UnitOfWork = InMemoryUnitOfWork(store)  # type: ignore[assignment]
        return uow

    return factory


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class PlainPasswordHasher:
    """Reversible stand-in for service tests only; production uses Argon2id."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password
