"""Goods between members: the seller ships what it has (now and then in two parts), the carrier
delivers on the expected day (sometimes a day late) and the buyer receives, now and then short
or with damaged goods."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tandem.domain.orders import OrderStatus
from tandem.domain.quantities import ZERO, money
from tandem.domain.shipments import open_to_ship
from tandem.services import receipts, shipments
from tandem.services.demo_flows.model import whole
from tandem.services.demo_flows.money import invoice
from tandem.services.demo_flows.state import Phase, Sim, Tracked

PARTIAL = 0.05  # chance that a shipment carries only part of what is open
LATE = 0.08  # chance that a delivery comes a day after the expected arrival
DISCREPANCY = 0.05  # chance that a receipt finds goods short or damaged
MAX_ATTEMPTS = 6  # shipping days without stock before the seller gives up on the rest
ONE = Decimal(1)
SHIPPABLE = (OrderStatus.ACKNOWLEDGED, OrderStatus.PARTIALLY_SHIPPED)


def ship(sim: Sim, order_id: int) -> None:
    """Ship what is open and in stock when it is due; try again for the rest."""
    tracked = sim.orders[order_id]
    if tracked.order.status not in SHIPPABLE:
        return
    due = tracked.due_to_ship()
    if sim.today < due:
        sim.at(due, Phase.SHIP, lambda: ship(sim, order_id))
        return
    lines = _to_ship(sim, tracked)
    if lines:
        _send(sim, tracked, lines)
    else:
        tracked.ship_attempts += 1
    if not tracked.fully_shipped() and tracked.ship_attempts < MAX_ATTEMPTS:
        sim.at(sim.today + timedelta(days=2), Phase.SHIP, lambda: ship(sim, order_id))


def _to_ship(sim: Sim, tracked: Tracked) -> list[shipments.ShipLine]:
    share = 0.6 if sim.chance(PARTIAL) else 1.0
    found = []
    for line in tracked.lines:
        wanted = open_to_ship(line)
        have = sim.available(tracked.link.from_site_id, line.item_id)
        if share < 1 or have < wanted:
            wanted = min(have, whole(float(wanted) * share))
        if wanted > ZERO:
            found.append(shipments.ShipLine(line.id, wanted))
    return found


def _send(sim: Sim, tracked: Tracked, lines: list[shipments.ShipLine]) -> None:
    link = tracked.link
    command = shipments.ShipGoods(
        tracked.order.id,
        tuple(lines),
        carrier=link.carrier,
        tracking_reference=f"{link.hub or 'DIRECT'}-{sim.rng.randrange(10**8):08d}",
        expected_arrival=sim.today + timedelta(days=link.lead_days),
    )
    detail = shipments.ship(sim.ctx, sim.party(link.seller).principal, command)
    sim.tally["shipments"] += 1
    for x in detail.lines:
        sim.take(link.from_site_id, x.item_id, x.quantity)
    tracked.book_shipped({x.order_line_id: x.quantity for x in detail.lines})
    arrival = detail.shipment.expected_arrival
    if sim.chance(LATE):
        arrival += timedelta(days=1)
    sim.at(arrival, Phase.RECEIVE, lambda: receive(sim, tracked, detail))


def receive(sim: Sim, tracked: Tracked, detail: shipments.ShipmentDetail) -> None:
    """The buyer receives the shipment; the seller invoices it the next day."""
    given, note = _findings(sim, detail)
    command = receipts.ReceiveShipment(detail.shipment.id, given, note)
    receipt = receipts.receive(sim.ctx, sim.party(tracked.link.buyer).principal, command)
    sim.tally["receipts"] += 1
    prices = {x.id: x.unit_price_minor for x in tracked.lines}
    accepted = {r.shipment_line_id: r.accepted_quantity for r in receipt.lines}
    shortfall = sum(
        money(x.quantity - accepted[x.id], prices[x.order_line_id]) for x in detail.lines
    )
    if given:
        sim.tally["discrepancies"] += 1
    sim.at(
        sim.today + timedelta(days=1),
        Phase.INVOICE,
        lambda: invoice(sim, tracked, detail, shortfall),
    )


def _findings(
    sim: Sim, detail: shipments.ShipmentDetail
) -> tuple[tuple[receipts.ReceiveLine, ...], str]:
    """Now and then one line arrives short or partly damaged; the rest as shipped."""
    if not sim.chance(DISCREPANCY):
        return (), ""
    line = max(detail.lines, key=lambda x: (x.quantity, -x.id))
    loss = max(ONE, whole(float(line.quantity) * 0.1))
    if line.quantity > loss and sim.chance(0.5):
        received = line.quantity - loss
        return (receipts.ReceiveLine(line.id, received),), f"{loss} missing on delivery"
    damaged = min(line.quantity, max(ONE, whole(float(line.quantity) * 0.05)))
    found = receipts.ReceiveLine(line.id, line.quantity, damaged)
    return (found,), f"{damaged} damaged in transit"
