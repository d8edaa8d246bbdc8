"""Tables of supply planning: supplier offers, planning runs with their stored results (records,
planned orders, exceptions, pegs) and suppliers' capacity commitments against a shared plan.

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so the
metadata is always complete. The result tables keep ``item_id``/``site_id`` without foreign keys
on purpose: a run is a record of what was planned, and deleting an item or a site must not
rewrite (or be blocked by) old plans.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec, enum_codec
from tandem.adapters.tables import UtcDateTime, metadata
from tandem.domain.planning_runs import (
    CapacityCommitment,
    PlanBucket,
    PlannedOrderRow,
    PlanningException,
    PlanningItemSite,
    PlanningPeg,
    PlanningRun,
    PlanningRunInput,
    RunKind,
    RunMode,
    RunStatus,
)
from tandem.domain.sourcing import PriceBreak, SupplierOffer


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, nullable: bool = False, index: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey(target), nullable=nullable, index=index)


def _plain(name: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, nullable=nullable)


supplier_offer = sa.Table(
    "supplier_offer",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("buyer_member_id", "member.id", index=True),
    _fk("supplier_member_id", "member.id"),
    _fk("item_id", "item.id"),
    sa.Column("lead_time_days", sa.Float, nullable=False),
    _fk("ship_from_site_id", "site.id", nullable=True),
    sa.Column("min_order_quantity", sa.Float, nullable=False),
    sa.Column("order_multiple", sa.Float, nullable=True),
    sa.Column("price_breaks", sa.JSON, nullable=False),
    sa.Column("priority", sa.Integer, nullable=False),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_to", sa.Date, nullable=True),
)

planning_run = sa.Table(
    "planning_run",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("member_id", "member.id", index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("horizon_buckets", sa.Integer, nullable=False),
    sa.Column("bucket", sa.String(8), nullable=False),
    sa.Column("scenario", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("progress", sa.Float, nullable=False),
    sa.Column("message", sa.String(200), nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=True),
    sa.Column("finished_at", UtcDateTime, nullable=True),
    sa.Column("error", sa.String(2000), nullable=False),
    sa.Column("worker_pid", sa.Integer, nullable=True),
    sa.Column("request_key", sa.String(120), nullable=True),
    _fk("created_by_user_id", "app_user.id", nullable=True),
    sa.Column("calendar", sa.String(200), nullable=False, server_default=""),
    sa.Column("mode", sa.String(16), nullable=False, server_default="regeneration"),
    sa.Column("replanned_item_sites", sa.Integer, nullable=True),
    # A retried start (same client key) finds the run instead of queueing a second one.
    sa.UniqueConstraint("member_id", "request_key"),
)

# The engine input of a succeeded run, kept apart so that listing runs never loads it.
planning_run_input = sa.Table(
    "planning_run_input",
    metadata,
    _id(),
    _fk("run_id", "planning_run.id"),
    sa.Column("problem", sa.LargeBinary, nullable=False),
    sa.UniqueConstraint("run_id"),
)

planning_item_site = sa.Table(
    "planning_item_site",
    metadata,
    _id(),
    _fk("run_id", "planning_run.id", index=True),
    _fk("owner_member_id", "member.id"),
    _plain("item_id"),
    _plain("site_id"),
    sa.Column("supply_kind", sa.String(16), nullable=False),
    sa.Column("low_level_code", sa.Integer, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("past_due_release", sa.Float, nullable=False),
)

planned_order = sa.Table(
    "planned_order",
    metadata,
    _id(),
    _fk("run_id", "planning_run.id", index=True),
    _fk("owner_member_id", "member.id"),
    sa.Column("ref", sa.String(200), nullable=False),
    _plain("item_id"),
    _plain("site_id"),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("release_date", sa.Date, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("release_quantity", sa.Float, nullable=False),
    sa.Column("release_past_due", sa.Boolean, nullable=False),
    _fk("supplier_member_id", "member.id", nullable=True),
    _plain("from_site_id", nullable=True),
    _fk("purchase_order_id", "purchase_order.id", nullable=True),
    sa.UniqueConstraint("run_id", "ref"),
)

planning_exception = sa.Table(
    "planning_exception",
    metadata,
    _id(),
    _fk("run_id", "planning_run.id", index=True),
    _fk("owner_member_id", "member.id"),
    sa.Column("code", sa.String(32), nullable=False),
    _plain("item_id"),
    _plain("site_id"),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("message", sa.String(2000), nullable=False),
    sa.Column("supply_ref", sa.String(200), nullable=True),
)

planning_peg = sa.Table(
    "planning_peg",
    metadata,
    _id(),
    _fk("run_id", "planning_run.id", index=True),
    sa.Column("supply_ref", sa.String(200), nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("demand_ref", sa.String(200), nullable=True),
    sa.Column("parent_ref", sa.String(200), nullable=True),
    sa.Column("parent_quantity", sa.Float, nullable=False),
)

capacity_commitment = sa.Table(
    "capacity_commitment",
    metadata,
    _id(),
    _fk("network_id", "network.id"),
    _fk("buyer_member_id", "member.id", index=True),
    _fk("supplier_member_id", "member.id"),
    _fk("item_id", "item.id"),
    sa.Column("week_start", sa.Date, nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("committed_at", UtcDateTime, nullable=False),
    sa.Column("note", sa.String(2000), nullable=False),
    _fk("committed_by_user_id", "app_user.id", nullable=True),
    sa.UniqueConstraint(
        "buyer_member_id",
        "supplier_member_id",
        "item_id",
        "week_start",
        name="uq_capacity_commitment_supplier_item_week",  # the default passes 63 characters
    ),
)


def _breaks_out(value: tuple[PriceBreak, ...]) -> list[list[float]]:
    return [[b.min_quantity, b.unit_price_minor] for b in value]


def _breaks_in(value: list[list[float]]) -> tuple[PriceBreak, ...]:
    return tuple(PriceBreak(float(q), int(p)) for q, p in value)


PLANNING_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "supplier_offers": (
        supplier_offer,
        Codec(SupplierOffer, {"price_breaks": _breaks_out}, {"price_breaks": _breaks_in}),
    ),
    "planning_runs": (
        planning_run,
        enum_codec(PlanningRun, kind=RunKind, status=RunStatus, bucket=PlanBucket, mode=RunMode),
    ),
    "planning_run_inputs": (planning_run_input, Codec(PlanningRunInput)),
    "planning_item_sites": (planning_item_site, Codec(PlanningItemSite)),
    "planned_orders": (planned_order, Codec(PlannedOrderRow)),
    "planning_exceptions": (planning_exception, Codec(PlanningException)),
    "planning_pegs": (planning_peg, Codec(PlanningPeg)),
    "capacity_commitments": (capacity_commitment, Codec(CapacityCommitment)),
}

PLANNING_OWNED_FIELDS: dict[str, tuple[str, str]] = {"planned_orders": ("item_id", "site_id")}

# Unique keys the in-memory twins honour like the tables above.
PLANNING_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "supplier_offers": (),
    "planning_runs": (),  # (member_id, request_key): NULL keys are distinct; the service checks
    "planning_run_inputs": (("run_id",),),
    "planning_item_sites": (),
    "planned_orders": (("run_id", "ref"),),
    "planning_exceptions": (),
    "planning_pegs": (),
    "capacity_commitments": (("buyer_member_id", "supplier_member_id", "item_id", "week_start"),),
}
