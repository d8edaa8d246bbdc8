"""A small network with a carrier, for the tender and tracking tests.

The café chain (CAFE) ordered 100 kg of house blend (1 kg, 0.0025 m³ per kg) from the roaster
(ROAST), confirmed at 80 kg, to CAFE-1; the roaster holds 200 kg at PLANT. HAUL is a carrier
member. The lane PLANT > CAFE-1 is a van lane of mean 1 day, standard deviation 0.2 day. The
clock stands at Saturday 2026-11-21 09:00 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from tests.support import PASSWORD, small_snapshot

from tandem.domain.identity import Principal
from tandem.domain.inventory import MovementKind
from tandem.domain.logistics import TrackingStatus
from tandem.domain.network import MemberRole, TransportMode
from tandem.domain.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from tandem.domain.snapshot import MemberRow, NetworkSnapshot, UserRow
from tandem.services import identity, inventory, transfer
from tandem.services.context import ServiceContext
from tandem.services.logistics import loads, tenders, tracking

Q = Decimal


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in November 2026, UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def carrier_snapshot() -> NetworkSnapshot:
    base = small_snapshot()
    items = tuple(
        replace(i, weight_kg=1.0, volume_m3=0.0025) if i.sku == "BLEND" else i for i in base.items
    )
    return replace(
        base,
        members=(
            *base.members,
            MemberRow("HAUL", "Hanse Haulage", frozenset({MemberRole.CARRIER})),
        ),
        users=(*base.users, UserRow("haul@example.com", "HAUL", "Hal Haul", PASSWORD)),
        items=items,
    )


@dataclass(frozen=True)
class Haul:
    """The signed-in members and the ids the tests name."""

    ctx: ServiceContext
    roaster: Principal
    cafe: Principal
    beans: Principal
    carrier: Principal
    ids: dict[str, int]
    order_line: PurchaseOrderLine


def _order(ctx: ServiceContext, ids: dict[str, int], buyer: int, seller: int) -> PurchaseOrderLine:
    with ctx.uow() as uow:
        order = uow.purchase_orders.add(
            PurchaseOrder(
                0, uow.members.get(buyer).network_id, "PO-000001", buyer, seller, ids["CAFE-1"],  # type: ignore[union-attr]
                OrderStatus.ACKNOWLEDGED, 3, ctx.clock.now(), ship_from_site_id=ids["PLANT"],
            )
        )  # fmt: skip
        line = uow.purchase_order_lines.add(
            PurchaseOrderLine(
                0, order.id, 1, ids["BLEND"], Q("100.000"), 1250, date(2026, 11, 24), Q("80.000")
            )
        )
        uow.commit()
    return line


def build(ctx: ServiceContext) -> Haul:
    summary = transfer.import_snapshot(ctx, carrier_snapshot())

    def sign_in(email: str) -> Principal:
        return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)

    with ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=summary.network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=summary.network_id)}
    ids = {**sites, **items}
    roaster, cafe = sign_in("roaster@example.com"), sign_in("cafe@example.com")
    line = _order(ctx, ids, cafe.member_id, roaster.member_id)
    movement = inventory.RecordMovement(ids["PLANT"], ids["BLEND"], MovementKind.RECEIPT, Q(200))
    inventory.record_movement(ctx, roaster, movement)
    return Haul(
        ctx, roaster, cafe, sign_in("beans@example.com"), sign_in("haul@example.com"), ids, line
    )


def new_load(haul: Haul, quantity: str = "80") -> loads.LoadDetail:
    """80 kg of the order from PLANT by van: pick-up Mon 23rd 08:00-12:00, delivery Tue 24th
    08:00-16:00."""
    command = loads.CreateLoad(
        haul.ids["PLANT"], TransportMode.VAN, at(23, 8), at(23, 12), at(24, 8), at(24, 16),
        (loads.PlanLine(Q(quantity), order_line_id=haul.order_line.id),),
        planned_cost_minor=30_000,
    )  # fmt: skip
    return loads.create_load(haul.ctx, haul.roaster, command)


def offer(haul: Haul, load_id: int, respond_by: datetime | None = None) -> tenders.TenderView:
    command = tenders.TenderLoad(load_id, haul.carrier.member_id, 25_000, respond_by or at(22, 9))
    return tenders.tender_load(haul.ctx, haul.roaster, command)


def accepted_load(haul: Haul, quantity: str = "80") -> int:
    load = new_load(haul, quantity).load
    view = offer(haul, load.id)
    tenders.accept_tender(haul.ctx, haul.carrier, view.tender.id)
    return load.id


def report(
    haul: Haul,
    load_id: int,
    message_id: str,
    status: TrackingStatus,
    when: datetime,
    delay_hours: float | None = None,
) -> tracking.Recorded:
    command = tracking.ReportStatus(load_id, message_id, status, when, delay_hours=delay_hours)
    return tracking.record_event(haul.ctx, haul.carrier, command)
