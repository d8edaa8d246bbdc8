"""The shared production plan: a supplier sees a buyer's planned purchases from it, by week.

With an active ``production_plans`` grant from the buyer (optionally narrowed to items or
sites), the supplier reads the planned purchase orders naming it in the buyer's live plan,
through :func:`tandem.services.sharing.read_scoped` (every read is audited for the buyer), and
records per item and week the quantity it commits to supply, with a note. The buyer sees the
commitments against its plan. Without a grant the plan is ``not_found``, as if it did not exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.planning_runs import CapacityCommitment, PlannedOrderRow, PlanningRun
from tandem.domain.sharing import DataCategory
from tandem.services.context import MAX_PAGE, PageRequest, ServiceContext
from tandem.services.planning.reads import week_of
from tandem.services.planning.runs import live_run
from tandem.services.sharing import read_scoped, scope_for

__all__ = [
    "CommitCapacity",
    "PlanWeek",
    "SharedPlan",
    "commit_capacity",
    "commitments_against_plan",
    "shared_plan",
]


@dataclass(frozen=True)
class PlanWeek:
    """Planned receipts of one item from one supplier in one week, and what it committed."""

    supplier_member_id: int
    item_id: int
    week_start: date
    planned_quantity: float
    committed_quantity: float | None = None
    note: str = ""


@dataclass(frozen=True)
class SharedPlan:
    buyer_member_id: int
    run_id: int | None
    as_of: date | None
    weeks: tuple[PlanWeek, ...]


@dataclass(frozen=True)
class CommitCapacity:
    buyer_member_id: int
    item_id: int
    week_start: date
    quantity: float
    note: str = ""


def _require_grant(ctx: ServiceContext, principal: Principal, buyer_member_id: int) -> None:
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, DataCategory.PRODUCTION_PLANS, ctx.clock.now())
    if not any(rule.owner_member_id == buyer_member_id for rule in scope.partner_rules):
        raise NotFound(f"member {buyer_member_id} shares no production plan with you")


def _weeks(
    orders: list[PlannedOrderRow], commitments: list[CapacityCommitment]
) -> tuple[PlanWeek, ...]:
    planned: dict[tuple[int, int, date], float] = defaultdict(float)
    for order in orders:
        assert order.supplier_member_id is not None
        planned[(order.supplier_member_id, order.item_id, week_of(order.due_date))] += (
            order.quantity
        )
    committed = {(c.supplier_member_id, c.item_id, c.week_start): c for c in commitments}
    weeks = []
    for key in sorted(set(planned) | set(committed)):
        commitment = committed.get(key)
        weeks.append(
            PlanWeek(
                *key, round(planned.get(key, 0.0), 6),
                commitment.quantity if commitment else None, commitment.note if commitment else "",
            )
        )  # fmt: skip
    return tuple(weeks)


def _scoped_orders(
    ctx: ServiceContext, principal: Principal, run: PlanningRun
) -> list[PlannedOrderRow]:
    rows: list[PlannedOrderRow] = []
    offset = 0
    while True:
        page = read_scoped(
            ctx, principal, DataCategory.PRODUCTION_PLANS, lambda u: u.planned_orders,
            ("item_id", "site_id"), PageRequest(offset, MAX_PAGE),
            f"shared plan of run {run.id}", run_id=run.id, kind="purchase",
            supplier_member_id=principal.member_id,
        )  # fmt: skip
        rows += page.items
        offset += MAX_PAGE
        if offset >= page.total:
            return rows


def shared_plan(ctx: ServiceContext, principal: Principal, buyer_member_id: int) -> SharedPlan:
    """The buyer's live-plan purchases from the caller's member, by item and week."""
    principal.require(Scope.DATA_READ)
    _require_grant(ctx, principal, buyer_member_id)
    with ctx.uow() as uow:
        run = live_run(uow, buyer_member_id)
        commitments = uow.capacity_commitments.find(
            buyer_member_id=buyer_member_id, supplier_member_id=principal.member_id
        )
    if run is None or run.network_id != principal.network_id:
        return SharedPlan(buyer_member_id, None, None, _weeks([], commitments))
    orders = _scoped_orders(ctx, principal, run)
    return SharedPlan(buyer_member_id, run.id, run.as_of, _weeks(orders, commitments))


def _commit_violations(command: CommitCapacity) -> list[Violation]:
    found = []
    if command.week_start.weekday() != 0:
        found.append(Violation("commitment", "must be a Monday", "week_start"))
    if not command.quantity >= 0:
        found.append(Violation("commitment", "must be a number >= 0", "quantity"))
    if len(command.note) > 2000:
        found.append(Violation("commitment", "at most 2000 characters", "note"))
    return found


def commit_capacity(
    ctx: ServiceContext, principal: Principal, command: CommitCapacity
) -> CapacityCommitment:
    """Record (or replace) what the caller's member commits for the buyer in one week."""
    principal.require(Scope.DATA_WRITE)
    found = _commit_violations(command)
    if found:
        raise ValidationFailed(
            "invalid commitment: " + "; ".join(map(str, found)), violations=found
        )
    _require_grant(ctx, principal, command.buyer_member_id)
    key: dict[str, Any] = {
        "buyer_member_id": command.buyer_member_id,
        "supplier_member_id": principal.member_id,
        "item_id": command.item_id,
        "week_start": command.week_start,
    }
    with ctx.uow() as uow:
        item = uow.items.get(command.item_id)
        if item is None or item.network_id != principal.network_id:
            raise NotFound(f"item {command.item_id} not found")
        existing = uow.capacity_commitments.find(**key)
        now, user = ctx.clock.now(), principal.user_id
        if existing:
            stored = replace(
                existing[0], quantity=command.quantity, note=command.note, committed_at=now,
                committed_by_user_id=user,
            )  # fmt: skip
            uow.capacity_commitments.update(stored)
        else:
            stored = uow.capacity_commitments.add(
                CapacityCommitment(
                    0, principal.network_id, command.buyer_member_id, principal.member_id,
                    command.item_id, command.week_start, command.quantity, now, command.note,
                    user,
                )
            )  # fmt: skip
        uow.commit()
    return stored


def commitments_against_plan(
    ctx: ServiceContext, principal: Principal, supplier_member_id: int | None = None
) -> SharedPlan:
    """The buyer's own view: its live plan's purchases by supplier, item and week, beside
    what each supplier committed."""
    principal.require(Scope.DATA_READ)
    equals: dict[str, Any] = {}
    if supplier_member_id is not None:
        equals["supplier_member_id"] = supplier_member_id
    with ctx.uow() as uow:
        run = live_run(uow, principal.member_id)
        commitments = uow.capacity_commitments.find(buyer_member_id=principal.member_id, **equals)
        orders = [] if run is None else uow.planned_orders.find(
            run_id=run.id, kind="purchase", **equals
        )  # fmt: skip
    orders = [o for o in orders if o.supplier_member_id is not None]
    as_of = run.as_of if run else None
    return SharedPlan(
        principal.member_id, run.id if run else None, as_of, _weeks(orders, commitments)
    )
