"""The engine's plan as stored rows of one run: records, planned orders, exceptions, pegs.

Buckets become dates: a planned order's release and due buckets the bucket's first working day
(:attr:`PlanningInput.order_days`), an exception's its first day; a planned order released
before the horizon gets the first bucket's and ``release_past_due``. Pegs are stored one level
deep, as the engine gives them (full pegging grows with the end demands per component order,
see docs/engines/mrp.md); :func:`tandem.domain.planning_runs.end_pegging` follows them to the
end demands on read.
"""

from __future__ import annotations

from dataclasses import dataclass

from tandem.domain.planning_runs import (
    PlannedOrderRow,
    PlanningException,
    PlanningItemSite,
    PlanningPeg,
)
from tandem.planning import mrp
from tandem.services.planning.problem import PlanningInput

__all__ = ["PlanRows", "plan_rows"]

_DIGITS = 6


@dataclass(frozen=True)
class PlanRows:
    item_sites: list[PlanningItemSite]
    orders: list[PlannedOrderRow]
    exceptions: list[PlanningException]
    pegs: list[PlanningPeg]


def _values(array: object) -> list[float]:
    return [round(float(v), _DIGITS) + 0.0 for v in array]  # type: ignore[attr-defined]


def _record(plan: mrp.ItemSitePlan) -> dict[str, list[float]]:
    record = plan.record
    return {
        "gross_requirements": _values(record.gross_requirements),
        "scheduled_receipts": _values(record.scheduled_receipts),
        "projected_available": _values(record.projected_available),
        "net_requirements": _values(record.net_requirements),
        "planned_receipts": _values(record.planned_receipts),
        "planned_releases": _values(record.planned_releases),
        "safety_stock": _values(record.safety_stock),
    }


def _order(
    run_id: int, member_id: int, order: mrp.PlannedOrder, data: PlanningInput
) -> PlannedOrderRow:
    starts = data.order_days or data.problem.calendar.starts
    _, item_id, site_id = data.ids[order.item_site]
    purchase = order.kind is mrp.SupplyKind.PURCHASE
    transfer = order.kind is mrp.SupplyKind.TRANSFER
    return PlannedOrderRow(
        0, run_id, member_id, order.id, item_id, site_id, order.kind.value,
        starts[max(order.release_bucket, 0)], starts[order.due_bucket],
        round(order.quantity, _DIGITS), round(order.release_quantity, _DIGITS),
        release_past_due=order.release_bucket < 0,
        supplier_member_id=data.suppliers.get(order.item_site) if purchase else None,
        from_site_id=data.sources.get(order.item_site) if transfer else None,
    )  # fmt: skip


def _pegs(run_id: int, supply: str, pegs: tuple[mrp.Peg, ...]) -> list[PlanningPeg]:
    return [
        PlanningPeg(
            0, run_id, supply, round(p.quantity, _DIGITS), p.demand_id, p.parent_order,
            round(p.parent_quantity, _DIGITS),
        )
        for p in pegs
    ]  # fmt: skip


def plan_rows(run_id: int, member_id: int, plan: mrp.MRPPlan, data: PlanningInput) -> PlanRows:
    """Every row of ``plan`` for run ``run_id``, in netting order."""
    starts = plan.calendar.starts
    rows = PlanRows([], [], [], [])  # filled in place: one pass over the plan
    for site_plan in plan.item_sites:
        _, item_id, site_id = data.ids[site_plan.key]
        rows.item_sites.append(
            PlanningItemSite(
                0, run_id, member_id, item_id, site_id, site_plan.supply_kind.value,
                site_plan.low_level_code, _record(site_plan),
                round(site_plan.record.past_due_release, _DIGITS),
            )
        )  # fmt: skip
        for order in site_plan.planned_orders:
            rows.orders.append(_order(run_id, member_id, order, data))
            rows.pegs.extend(_pegs(run_id, order.id, order.pegging))
        for supply in site_plan.supply_pegging:
            rows.pegs.extend(_pegs(run_id, supply.supply_id, supply.pegging))
        rows.exceptions.extend(
            PlanningException(
                0, run_id, member_id, e.code.value, item_id, site_id,
                starts[min(max(e.bucket, 0), len(starts) - 1)], e.message, e.supply_id,
            )
            for e in site_plan.exceptions
        )  # fmt: skip
    return rows
