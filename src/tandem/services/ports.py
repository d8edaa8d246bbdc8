"""Ports the services depend on. Each has an in-memory twin (``tandem.adapters.memory``) used by
the service tests, and a concrete adapter wired in ``tandem.bootstrap``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from tandem.domain.beer_games import Game, GameOrder
from tandem.domain.calendars import WorkingCalendar
from tandem.domain.coordination import MemberShare, Placement, Proposal, ProposalEvent, Vote
from tandem.domain.customers import Customer, CustomerOrder, CustomerOrderLine, OrderPromise
from tandem.domain.finance import (
    CreditNote,
    DunningNotice,
    Invoice,
    InvoiceLine,
    JournalEntry,
    Payment,
    Posting,
)
from tandem.domain.forecasts import ForecastPoint, ForecastSnapshot
from tandem.domain.idempotency import IdempotencyRecord
from tandem.domain.identity import ApiKey, SessionToken, User
from tandem.domain.inventory import Allocation, StockMovement, StockPosition
from tandem.domain.logistics import (
    Load,
    LoadEta,
    LoadLine,
    LoadStop,
    Tender,
    TrackingEvent,
    VehicleType,
)
from tandem.domain.network import BomLine, DemandPoint, Item, ItemSite, Lane, Member, Network, Site
from tandem.domain.orders import (
    Agreement,
    ChangeRequest,
    OrderEvent,
    PurchaseOrder,
    PurchaseOrderLine,
    TradeTerms,
)
from tandem.domain.planning_runs import (
    CapacityCommitment,
    PlannedOrderRow,
    PlanningException,
    PlanningItemSite,
    PlanningPeg,
    PlanningRun,
    PlanningRunInput,
)
from tandem.domain.production import (
    ProductionOrder,
    ProductionSchedule,
    Resource,
    Routing,
    ScheduledOperation,
)
from tandem.domain.risks import Risk, RiskEvent
from tandem.domain.scenarios import Scenario
from tandem.domain.sharing import AccessScope, AuditEntry, Grant
from tandem.domain.shipments import EpcisEvent, Receipt, ReceiptLine, Shipment, ShipmentLine
from tandem.domain.signals import Device, Feedback, SignalRecord
from tandem.domain.sourcing import SupplierOffer

E = TypeVar("E")


class Repository(Protocol[E]):
    """Storage of one kind of entity. ``add`` returns the entity with its new ``id``."""

    def add(self, entity: E) -> E: ...

    def add_many(self, entities: Sequence[E]) -> None: ...

    def get(self, entity_id: int) -> E | None: ...

    def get_for_update(self, entity_id: int) -> E | None:
        """``get``, locking the row against concurrent writers until the unit of work ends:
        use it for every read-check-write of a document (versions, open quantities, amounts)."""
        ...

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


class StockPositionRepository(OwnedRepository[StockPosition], Protocol):
    def lock(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], StockPosition]:
        """Positions of ``(site_id, item_id)`` keys, created at zero where missing and locked
        against concurrent writers until the unit of work ends."""
        ...


class DemandRepository(OwnedRepository[DemandPoint], Protocol):
    def increment(self, points: Sequence[DemandPoint]) -> list[DemandPoint]:
        """Add each point's quantity to its stored ``(site_id, item_id, day)``, created where
        missing (owned by ``owner_member_id``), as one increment in SQL: concurrent writers
        never lose each other's demand. Returns the stored points after the increment."""
        ...


class SignalRecordRepository(OwnedRepository[SignalRecord], Protocol):
    def find_messages(self, sender: str, message_ids: Sequence[str]) -> list[SignalRecord]:
        """The stored records of ``sender`` with any of ``message_ids``."""
        ...

    def add_new(self, records: Sequence[SignalRecord]) -> list[SignalRecord]:
        """Insert the records whose ``(sender, message_id)`` is not stored yet, skipping the
        others without error (a concurrent writer may have stored one a moment ago). Returns
        the records inserted, with their ids."""
        ...


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
    demand: DemandRepository
    forecasts: OwnedRepository[ForecastPoint]
    forecast_snapshots: OwnedRepository[ForecastSnapshot]
    grants: Repository[Grant]
    audit: Repository[AuditEntry]
    idempotency: Repository[IdempotencyRecord]
    stock_movements: OwnedRepository[StockMovement]
    stock_positions: StockPositionRepository
    allocations: Repository[Allocation]
    customers: Repository[Customer]
    customer_orders: Repository[CustomerOrder]
    customer_order_lines: Repository[CustomerOrderLine]
    order_promises: Repository[OrderPromise]
    trade_terms: Repository[TradeTerms]
    agreements: Repository[Agreement]
    purchase_orders: Repository[PurchaseOrder]
    purchase_order_lines: Repository[PurchaseOrderLine]
    order_events: Repository[OrderEvent]
    change_requests: Repository[ChangeRequest]
    shipments: Repository[Shipment]
    shipment_lines: Repository[ShipmentLine]
    receipts: Repository[Receipt]
    receipt_lines: Repository[ReceiptLine]
    epcis_events: Repository[EpcisEvent]
    invoices: Repository[Invoice]
    invoice_lines: Repository[InvoiceLine]
    payments: Repository[Payment]
    credit_notes: Repository[CreditNote]
    journal_entries: Repository[JournalEntry]
    postings: Repository[Posting]
    dunning_notices: Repository[DunningNotice]
    devices: Repository[Device]
    signal_records: SignalRecordRepository
    feedback: OwnedRepository[Feedback]
    inventory_proposals: Repository[Proposal]
    proposal_placements: Repository[Placement]
    proposal_shares: Repository[MemberShare]
    proposal_votes: Repository[Vote]
    proposal_events: Repository[ProposalEvent]
    supplier_offers: Repository[SupplierOffer]
    planning_runs: Repository[PlanningRun]
    planning_run_inputs: Repository[PlanningRunInput]
    planning_item_sites: Repository[PlanningItemSite]
    planned_orders: OwnedRepository[PlannedOrderRow]
    planning_exceptions: Repository[PlanningException]
    planning_pegs: Repository[PlanningPeg]
    capacity_commitments: Repository[CapacityCommitment]
    working_calendars: Repository[WorkingCalendar]
    risks: Repository[Risk]
    risk_events: Repository[RiskEvent]
    twin_scenarios: Repository[Scenario]
    resources: Repository[Resource]
    routings: Repository[Routing]
    production_orders: Repository[ProductionOrder]
    production_schedules: Repository[ProductionSchedule]
    scheduled_operations: Repository[ScheduledOperation]
    beer_games: Repository[Game]
    beer_game_orders: Repository[GameOrder]
    vehicle_types: Repository[VehicleType]
    loads: Repository[Load]
    load_stops: Repository[LoadStop]
    load_lines: Repository[LoadLine]
    tenders: Repository[Tender]
    tracking_events: Repository[TrackingEvent]
    load_etas: Repository[LoadEta]

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
