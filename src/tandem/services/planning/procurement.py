"""Procurement: a run's planned purchase orders as purchase requisitions, and their conversion
into draft purchase orders of the flows (:mod:`tandem.services.purchase_orders`).

Requisitions group the planned purchases of a run by supplier. Each line takes the best valid
offer of that supplier for the item (priority, then price): its quantity is the planned one
raised to the MOQ and rounded up to the order multiple, its unit price that of the highest
price break the quantity reaches (all-units discount, Silver, Pyke & Thomas 2017, section 4.6),
its order-by date the need date less the offer's lead time — in working days of the member's
working calendar, as the run offset it (Vollmann et al. 2005, ch. 6: the shop calendar), or in
calendar days when the member has none. Without an offer, the line keeps the planned quantity
and release date, at the item's unit value.

Converting is idempotent: each set of planned orders converted becomes one draft purchase order
per ship-to site whose buyer reference names the run and the set, so a retry (even one after a
crash between the two transactions) finds that order instead of placing a second one.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from tandem.domain.calendars import WorkingCalendar
from tandem.domain.errors import Conflict, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.planning_runs import PlannedOrderRow, PlanningRun, RunKind, RunStatus
from tandem.domain.sourcing import SupplierOffer, best_offer, round_to_offer
from tandem.services import purchase_orders
from tandem.services.context import ServiceContext
from tandem.services.planning.calendars import member_calendar
from tandem.services.planning.runs import own_run
from tandem.services.ports import UnitOfWork

__all__ = [
    "Conversion",
    "Requisition",
    "RequisitionLine",
    "convert_requisitions",
    "order_by_date",
    "requisitions",
]


@dataclass(frozen=True)
class RequisitionLine:
    planned_order_id: int
    ref: str
    item_id: int
    site_id: int
    need_date: date
    order_by_date: date
    planned_quantity: float
    quantity: float
    unit_price_minor: int
    offer_id: int | None = None
    purchase_order_id: int | None = None

    @property
    def amount_minor(self) -> int:
        return round(self.quantity * self.unit_price_minor)


@dataclass(frozen=True)
class Requisition:
    """The planned purchases of one run from one supplier."""

    run_id: int
    supplier_member_id: int
    lines: tuple[RequisitionLine, ...]

    @property
    def total_minor(self) -> int:
        return sum(line.amount_minor for line in self.lines)


def order_by_date(need: date, lead_days: int, calendar: WorkingCalendar | None) -> date:
    """The last day to order for ``need``: ``lead_days`` before it, counting only the working
    days of ``calendar`` (every day without one). The day found is itself a working day, and
    the working days from it up to the need date number ``lead_days``.

    >>> from tandem.domain.calendars import WorkingCalendar
    >>> order_by_date(date(2026, 11, 30), 7, WorkingCalendar(0, 1, 2, "Mon-Fri"))
    datetime.date(2026, 11, 19)
    """
    if calendar is None or not calendar.working_weekdays:
        return need - timedelta(days=lead_days)
    day, left = need, lead_days
    while left > 0:
        day -= timedelta(days=1)
        left -= calendar.is_working(day)
    return day


def _line(
    uow: UnitOfWork,
    order: PlannedOrderRow,
    offer: SupplierOffer | None,
    calendar: WorkingCalendar | None,
) -> RequisitionLine:
    if offer is None:
        item = uow.items.get(order.item_id)
        price = round(item.unit_value * 100) if item is not None else 0
        quantity, order_by = order.quantity, order.release_date
    else:
        quantity = round_to_offer(order.quantity, offer)
        fallback = offer.list_price_minor or 0
        price = offer.unit_price_minor(quantity) or fallback
        lead = math.ceil(offer.lead_time_days - 1e-9)
        order_by = order_by_date(order.due_date, lead, calendar)
    return RequisitionLine(
        order.id, order.ref, order.item_id, order.site_id, order.due_date, order_by,
        order.quantity, quantity, price, offer.id if offer else None, order.purchase_order_id,
    )  # fmt: skip


def _requisitions(uow: UnitOfWork, run: PlanningRun) -> tuple[Requisition, ...]:
    offers = uow.supplier_offers.find(buyer_member_id=run.member_id)
    calendar = member_calendar(uow, run.member_id)
    grouped: dict[int, list[RequisitionLine]] = defaultdict(list)
    for order in uow.planned_orders.find(run_id=run.id, kind="purchase"):
        supplier = order.supplier_member_id
        if supplier is None:
            continue
        mine = [o for o in offers if o.supplier_member_id == supplier]
        grouped[supplier].append(
            _line(uow, order, best_offer(mine, order.item_id, run.as_of), calendar)
        )
    return tuple(
        Requisition(run.id, supplier, tuple(sorted(lines, key=lambda x: (x.need_date, x.ref))))
        for supplier, lines in sorted(grouped.items())
    )


def requisitions(ctx: ServiceContext, principal: Principal, run_id: int) -> tuple[Requisition, ...]:
    """The run's planned purchases as requisitions, one per supplier (by supplier id)."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return _requisitions(uow, own_run(uow, principal, run_id))


@dataclass(frozen=True)
class Conversion:
    """The purchase orders that hold the converted lines (new or found again)."""

    purchase_order_ids: tuple[int, ...]
    lines: tuple[RequisitionLine, ...]


def _chosen(
    lines: Sequence[RequisitionLine], planned_order_ids: Sequence[int] | None
) -> list[RequisitionLine]:
    if planned_order_ids is None:
        return list(lines)
    by_id = {line.planned_order_id: line for line in lines}
    unknown = sorted(set(planned_order_ids) - set(by_id))
    if unknown:
        violations = [
            Violation("requisition", f"planned order {i} is not on this requisition", "lines")
            for i in unknown
        ]
        raise ValidationFailed("unknown requisition lines", violations=violations)
    return [by_id[i] for i in sorted(set(planned_order_ids))]


def _reference(run_id: int, lines: Sequence[RequisitionLine]) -> str:
    ids = ",".join(str(line.planned_order_id) for line in lines)
    return f"MRP run {run_id} lines {hashlib.sha256(ids.encode()).hexdigest()[:12]}"


def _convertible(uow: UnitOfWork, principal: Principal, run_id: int) -> PlanningRun:
    run = own_run(uow, principal, run_id)
    if run.kind is not RunKind.LIVE or run.status is not RunStatus.SUCCEEDED:
        raise Conflict(
            f"planning run {run_id} is a {run.kind.value} run, {run.status.value}: only a "
            "succeeded live run converts into purchase orders"
        )
    return run


def _place(
    ctx: ServiceContext, principal: Principal, supplier: int, site_id: int,
    lines: list[RequisitionLine], reference: str,
) -> int:  # fmt: skip
    with ctx.uow() as uow:
        found = uow.purchase_orders.find(
            buyer_member_id=principal.member_id, buyer_reference=reference
        )
    if found:
        return found[0].id
    command = purchase_orders.CreatePurchaseOrder(
        supplier,
        site_id,
        tuple(
            purchase_orders.OrderLineInput(
                x.item_id, Decimal(str(round(x.quantity, 3))), x.unit_price_minor, x.need_date
            )
            for x in lines
        ),
        buyer_reference=reference,
    )
    return purchase_orders.create_order(ctx, principal, command).order.id


def convert_requisitions(
    ctx: ServiceContext,
    principal: Principal,
    run_id: int,
    supplier_member_id: int,
    planned_order_ids: Sequence[int] | None = None,
) -> Conversion:
    """Turn the supplier's requisition lines (all, or those of ``planned_order_ids``) into
    draft purchase orders, one per ship-to site, and mark the planned orders converted."""
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        run = _convertible(uow, principal, run_id)
        found = [r for r in _requisitions(uow, run) if r.supplier_member_id == supplier_member_id]
    chosen = _chosen(found[0].lines if found else (), planned_order_ids)
    if not chosen:
        raise ValidationFailed(
            f"run {run_id} has no planned purchases from member {supplier_member_id}",
            violations=[Violation("requisition", "nothing to convert", "supplier_member_id")],
        )
    order_of = {x.planned_order_id: x.purchase_order_id for x in chosen if x.purchase_order_id}
    by_site: dict[int, list[RequisitionLine]] = defaultdict(list)
    for line in chosen:
        if line.purchase_order_id is None:
            by_site[line.site_id].append(line)
    for site_id, lines in sorted(by_site.items()):
        order_id = _place(
            ctx, principal, supplier_member_id, site_id, lines, _reference(run_id, lines)
        )
        order_of.update((x.planned_order_id, order_id) for x in lines)
    _mark(ctx, run_id, order_of)
    converted = tuple(replace(x, purchase_order_id=order_of[x.planned_order_id]) for x in chosen)
    return Conversion(tuple(sorted(set(order_of.values()))), converted)


def _mark(ctx: ServiceContext, run_id: int, order_of: dict[int, int]) -> None:
    with ctx.uow() as uow:
        rows = [uow.planned_orders.get(i) for i in sorted(order_of)]
        changed = [
            replace(row, purchase_order_id=order_of[row.id])
            for row in rows
            if row is not None and row.run_id == run_id and row.purchase_order_id is None
        ]
        uow.planned_orders.update_many(changed)
        uow.commit()
