"""Supply planning: supplier offers, planning runs and their results, requisitions, the shared
plan. Quantities are floats in the item's unit; money in minor units (``_minor``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field

from tandem.api.schemas.common import Id, Line120, Note, RequestModel, ResponseModel
from tandem.domain.planning_runs import (
    MAX_HORIZON_BUCKETS,
    PlanBucket,
    RunKind,
    RunMode,
    RunStatus,
)
from tandem.domain.sourcing import PriceBreak, SupplierOffer

Quantity = Annotated[float, Field(ge=0, le=1e12)]


class PriceBreakIn(RequestModel):
    min_quantity: Quantity
    unit_price_minor: Annotated[int, Field(ge=0, le=10**12)]


class PriceBreakOut(ResponseModel):
    min_quantity: float
    unit_price_minor: int


class SupplierOfferIn(RequestModel):
    """A supplier's terms for one item to your member (the buyer)."""

    supplier_member_id: Id
    item_id: Id
    lead_time_days: Annotated[float, Field(ge=0, le=3650)]
    ship_from_site_id: Id | None = None
    min_order_quantity: Quantity = 0.0
    order_multiple: Annotated[float, Field(gt=0, le=1e12)] | None = None
    price_breaks: list[PriceBreakIn] = Field(default_factory=list, max_length=50)
    priority: Annotated[int, Field(ge=1, le=1000)] = 1
    valid_from: date | None = None
    valid_to: date | None = None

    def offer(self) -> SupplierOffer:
        breaks = tuple(PriceBreak(b.min_quantity, b.unit_price_minor) for b in self.price_breaks)
        return SupplierOffer(
            0, 0, 0, self.supplier_member_id, self.item_id, self.lead_time_days,
            self.ship_from_site_id, self.min_order_quantity, self.order_multiple, breaks,
            self.priority, self.valid_from, self.valid_to,
        )  # fmt: skip


class SupplierOfferOut(ResponseModel):
    id: int
    network_id: int
    buyer_member_id: int
    supplier_member_id: int
    item_id: int
    lead_time_days: float
    ship_from_site_id: int | None
    min_order_quantity: float
    order_multiple: float | None
    price_breaks: list[PriceBreakOut]
    priority: int
    valid_from: date | None
    valid_to: date | None


class PlanningRunIn(RequestModel):
    """A run of your member's MRP: ``live`` plans the data as it is; ``what_if`` applies the
    ``scenario`` deltas (``demand_scale``, ``lead_time``, ``safety_stock``) and never replaces
    the live plan."""

    kind: RunKind = RunKind.LIVE
    horizon_buckets: Annotated[int, Field(ge=1, le=MAX_HORIZON_BUCKETS)] = 12
    bucket: PlanBucket = PlanBucket.WEEK
    scenario: list[dict[str, Any]] = Field(default_factory=list, max_length=100)
    as_of: date | None = Field(default=None, description="First day planned; default today")
    request_key: Line120 | None = Field(
        default=None, description="A retried start with the same key returns the same run"
    )
    mode: RunMode = Field(
        default=RunMode.REGENERATION,
        description="net_change re-plans only the item-sites whose inputs changed since the live "
        "plan (and those below them); the plan is the same as a regeneration's",
    )


class PlanningRunOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    kind: RunKind
    status: RunStatus
    progress: float
    message: str
    as_of: date
    horizon_buckets: int
    bucket: PlanBucket
    scenario: list[dict[str, Any]]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    worker_pid: int | None
    request_key: str | None
    calendar: str = Field(description="The working calendar the run netted with")
    mode: RunMode
    replanned_item_sites: int | None = Field(
        description="Item-sites the run netted (all of them unless a net change)"
    )


class PlannedOrderOut(ResponseModel):
    id: int
    run_id: int
    ref: str
    item_id: int
    site_id: int
    kind: str
    release_date: date
    due_date: date
    quantity: float
    release_quantity: float
    release_past_due: bool
    supplier_member_id: int | None
    from_site_id: int | None
    purchase_order_id: int | None


class PlanningRecordOut(ResponseModel):
    """The time-phased record of one item-site: one value per bucket in each row."""

    id: int
    run_id: int
    item_id: int
    site_id: int
    supply_kind: str
    low_level_code: int
    record: dict[str, list[float]]
    past_due_release: float


class PlanningExceptionOut(ResponseModel):
    id: int
    run_id: int
    code: str
    item_id: int
    site_id: int
    day: date
    message: str
    supply_ref: str | None


class PegOut(ResponseModel):
    supply_ref: str
    quantity: float
    demand_ref: str | None
    parent_ref: str | None
    parent_quantity: float


class EndDemandOut(ResponseModel):
    demand_ref: str = Field(description="Empty: serves no demand (safety stock, lot remainder)")
    quantity: float


class PeggingOut(ResponseModel):
    order: PlannedOrderOut
    pegs: list[PegOut]
    end_demands: list[EndDemandOut]


class PlanDifferenceOut(ResponseModel):
    item_id: int
    site_id: int
    week_start: date
    quantity_a: float
    quantity_b: float
    difference: float


class ComparisonOut(ResponseModel):
    run_a: PlanningRunOut
    run_b: PlanningRunOut
    rows: list[PlanDifferenceOut]


class RequisitionLineOut(ResponseModel):
    planned_order_id: int
    ref: str
    item_id: int
    site_id: int
    need_date: date
    order_by_date: date
    planned_quantity: float
    quantity: float
    unit_price_minor: int
    amount_minor: int
    offer_id: int | None
    purchase_order_id: int | None


class RequisitionOut(ResponseModel):
    run_id: int
    supplier_member_id: int
    total_minor: int
    lines: list[RequisitionLineOut]


class ConvertIn(RequestModel):
    supplier_member_id: Id
    planned_order_ids: list[Id] | None = Field(
        default=None, max_length=1000, description="Omitted: every line of the supplier"
    )


class ConversionOut(ResponseModel):
    purchase_order_ids: list[int]
    lines: list[RequisitionLineOut]


class PlanWeekOut(ResponseModel):
    supplier_member_id: int
    item_id: int
    week_start: date
    planned_quantity: float
    committed_quantity: float | None
    note: str


class SharedPlanOut(ResponseModel):
    buyer_member_id: int
    run_id: int | None
    as_of: date | None
    weeks: list[PlanWeekOut]


class CommitmentIn(RequestModel):
    buyer_member_id: Id
    item_id: Id
    week_start: date = Field(description="The Monday of the week")
    quantity: Quantity
    note: Note = ""


class CommitmentOut(ResponseModel):
    id: int
    buyer_member_id: int
    supplier_member_id: int
    item_id: int
    week_start: date
    quantity: float
    committed_at: datetime
    note: str
