"""Buying between members: trade terms, a blanket agreement, periodic order-up-to reviews that
place purchase orders, the seller's acknowledgement, change requests and cancellations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tandem.domain.network import MemberRole
from tandem.domain.orders import (
    ChangeKind,
    LineChange,
    OrderStatus,
    PurchaseOrderLine,
)
from tandem.domain.quantities import ZERO
from tandem.services import agreements, purchase_orders
from tandem.services.demo_flows.model import Link, Party, World, round_up, whole
from tandem.services.demo_flows.shipping import ship
from tandem.services.demo_flows.state import Blanket, Phase, Sim, Tracked

PRICE_FACTOR = {MemberRole.MANUFACTURER: 0.55, MemberRole.DISTRIBUTOR: 0.72}
REDUCED, LATER = 0.10, 0.20  # cumulative chances of an acknowledgement that differs
BUYER_CHANGE, SELLER_CHANGE = 0.05, 0.07  # cumulative chances of a change request
ACCEPTED = 0.65


def unit_price(world: World, seller: Party, item_id: int) -> int:
    """Price in minor units: the item's value, less a trade discount for finished goods."""
    factor = min((PRICE_FACTOR.get(role, 1.0) for role in seller.roles), default=1.0)
    return max(1, round(world.items[item_id].unit_value * 100 * factor))


# ---------------------------------------------------------------- agreed once


def agree_terms(sim: Sim) -> None:
    """Each buying pair's terms: a fortnight to pay a distributor, a month otherwise; a little
    tolerance on perishable goods."""
    pairs = sorted({(link.buyer, link.seller) for link in sim.world.links})
    for buyer_code, seller_code in pairs:
        buyer, seller = sim.party(buyer_code), sim.party(seller_code)
        carried = {
            sim.world.items[i].family
            for link in sim.world.links
            if (link.buyer, link.seller) == (buyer_code, seller_code)
            for i in link.item_ids
        }
        fields = agreements.TermsFields(
            buyer.member_id,
            seller.member_id,
            payment_terms_days=14 if MemberRole.DISTRIBUTOR in seller.roles else 30,
            quantity_tolerance_pct=2.0 if "milk" in carried else 0.0,
        )
        agreements.set_trade_terms(sim.ctx, buyer.principal, fields)


def agree_blanket(sim: Sim) -> None:
    """The manufacturer's blanket agreement for the raw material it buys most of (by value),
    sized to the whole period with a tenth to spare, at a small discount."""
    world = sim.world
    candidates = [
        (world.need.total((link.to_site_id, i), sim.start, sim.end), link, i)
        for link in world.links
        if MemberRole.MANUFACTURER in sim.party(link.buyer).roles
        for i in link.item_ids
    ]
    if not candidates:
        return
    total, link, item_id = max(
        candidates,
        key=lambda c: (c[0] * unit_price(world, sim.party(c[1].seller), c[2]), -c[2]),
    )
    buyer, seller = sim.party(link.buyer), sim.party(link.seller)
    price = round(unit_price(world, seller, item_id) * 0.96)
    quantity = round_up(total * 1.1, world.multiple((link.to_site_id, item_id)))
    fields = agreements.AgreementFields(
        seller.member_id, item_id, price, quantity, sim.start, sim.end + timedelta(days=90)
    )
    agreement = agreements.create_agreement(sim.ctx, buyer.principal, fields)
    sim.blankets.append(Blanket(agreement.id, link.buyer, link.seller, item_id, price, quantity))


# ---------------------------------------------------------------- reviews and orders


def review(sim: Sim, day: date) -> None:
    """Each buyer reviews the links due today."""
    for link in sim.world.links:
        if link.reviews_on(day):
            _review(sim, link, day)


def _review(sim: Sim, link: Link, day: date) -> None:
    """Order up to the forecast need over the review interval, the lead time and a few safety
    days, plus a lot of each buyer downstream; the inventory position is what is available, in
    transit and on order, less what the site still owes on its own sales orders."""
    stock = sim.stock(link.to_site_id)
    inbound = [
        t
        for t in sim.orders.values()
        if t.order.ship_to_site_id == link.to_site_id and t.link.seller == link.seller
    ]
    wanted: list[tuple[int, Decimal]] = []
    for item_id in link.item_ids:
        key = (link.to_site_id, item_id)
        need = sim.world.need.forecast(key, day, sim.world.cover_days(key))
        target = need + sim.world.lot_size(key)
        position = stock.get(key)
        held = position.available + position.in_transit if position is not None else ZERO
        on_order = sum((t.unshipped(item_id) for t in inbound), ZERO)
        owed = sim.backlog(link.to_site_id, item_id)
        short = target - float(held + on_order - owed)
        if need > 0 and short > 0:
            wanted.append((item_id, round_up(short, sim.world.multiple(key))))
    if wanted:
        _place(sim, link, wanted, day)


def _place(sim: Sim, link: Link, wanted: list[tuple[int, Decimal]], day: date) -> None:
    requested = day + timedelta(days=2 + link.lead_days)
    blanket = next(
        (b for b in sim.blankets if (b.buyer, b.seller) == (link.buyer, link.seller)), None
    )
    regular = []
    for item_id, quantity in wanted:
        if blanket is not None and item_id == blanket.item_id and blanket.left >= quantity:
            line = purchase_orders.OrderLineInput(
                item_id, quantity, blanket.unit_price_minor, requested
            )
            _order(sim, link, [line], blanket)
            blanket.left -= quantity
        else:
            price = unit_price(sim.world, sim.party(link.seller), item_id)
            regular.append(purchase_orders.OrderLineInput(item_id, quantity, price, requested))
    if regular:
        _order(sim, link, regular, None)


def _order(
    sim: Sim,
    link: Link,
    lines: list[purchase_orders.OrderLineInput],
    blanket: Blanket | None,
) -> None:
    buyer = sim.party(link.buyer).principal
    site = sim.world.sites[link.to_site_id].code
    command = purchase_orders.CreatePurchaseOrder(
        sim.party(link.seller).member_id,
        link.to_site_id,
        tuple(lines),
        buyer_reference=f"{site} replenishment {sim.today.isoformat()}",
        agreement_id=blanket.agreement_id if blanket is not None else None,
    )
    draft = purchase_orders.create_order(sim.ctx, buyer, command)
    view = purchase_orders.submit_order(sim.ctx, buyer, draft.order.id)
    order_id = view.order.id
    sim.orders[order_id] = Tracked(link, view.order, view.lines)
    sim.tally["purchase_orders"] += 1
    if sim.first_time("cancelled before acknowledgement", 0.25):
        sim.at(sim.today + timedelta(days=1), Phase.DECIDE, lambda: _cancel(sim, order_id))
    sim.at(sim.today + timedelta(days=1), Phase.ACKNOWLEDGE, lambda: acknowledge(sim, order_id))


def _cancel(sim: Sim, order_id: int) -> None:
    tracked = sim.orders[order_id]
    buyer = sim.party(tracked.link.buyer).principal
    reason = "ordered twice by mistake"
    tracked.seen(purchase_orders.cancel_order(sim.ctx, buyer, order_id, reason))
    _cancelled(sim, tracked)


def _cancelled(sim: Sim, tracked: Tracked) -> None:
    """Count a cancelled order; its buyer reviews the link again the next day."""
    sim.tally["cancelled"] += 1
    again = sim.today + timedelta(days=1)
    sim.at(again, Phase.REVIEW, lambda: _review(sim, tracked.link, again))


# ---------------------------------------------------------------- the seller's answer


def acknowledge(sim: Sim, order_id: int) -> None:
    """Confirm as ordered, mostly; now and then less than asked or a later date."""
    tracked = sim.orders[order_id]
    if tracked.order.status is not OrderStatus.SUBMITTED:
        return
    seller = sim.party(tracked.link.seller).principal
    command = purchase_orders.AcknowledgeOrder(
        _confirmations(sim, tracked), ship_from_site_id=tracked.link.from_site_id
    )
    tracked.seen(purchase_orders.acknowledge_order(sim.ctx, seller, order_id, command))
    sim.tally["acknowledged"] += 1
    first = max(sim.today + timedelta(days=1), tracked.due_to_ship())
    sim.at(first, Phase.SHIP, lambda: ship(sim, order_id))
    asked = _change_to_ask(sim)
    if asked is not None:
        sim.at(sim.today, Phase.REQUEST, lambda: request(sim, order_id, asked))


def _confirmations(sim: Sim, tracked: Tracked) -> tuple[purchase_orders.LineConfirmation, ...]:
    draw = sim.rng.random()
    lines = tracked.lines
    if draw < REDUCED:
        line = lines[sim.rng.randrange(len(lines))]
        multiple = sim.world.multiple((tracked.link.to_site_id, line.item_id))
        share = sim.rng.uniform(0.5, 0.85)
        reduced = whole(float(line.quantity) * share / multiple) * Decimal(str(multiple))
        if ZERO < reduced < line.quantity:
            return (purchase_orders.LineConfirmation(line.line_no, reduced, line.requested_date),)
    elif draw < LATER:
        later = timedelta(days=sim.rng.randint(1, 3))
        return tuple(
            purchase_orders.LineConfirmation(x.line_no, x.quantity, x.requested_date + later)
            for x in lines
        )
    return ()


# ---------------------------------------------------------------- changes after acknowledgement

_REASONS = {
    "quantity": "more guests expected: please add a case",
    "buyer_date": "our receiving dock is closed for the stock count",
    "seller_date": "line maintenance: we can ship three days later",
    "cancel": "the site closes for refurbishment",
}
_REJECTIONS = {
    True: "cannot change this order any more: it is already picked",  # the seller refuses
    False: "we need the goods on the confirmed date",  # the buyer refuses
}


@dataclass(frozen=True)
class Asked:
    """A change request to make after an acknowledgement, and how the other party decides."""

    kind: ChangeKind
    by_buyer: bool
    accept: bool


def _change_to_ask(sim: Sim) -> Asked | None:
    """Now and then a change (by either side); once in a period a change the seller rejects,
    and once the buyer's cancellation of an acknowledged order."""
    if sim.first_time("cancellation requested", 0.5):
        return Asked(ChangeKind.CANCEL, by_buyer=True, accept=True)
    if sim.first_time("change rejected", 0.3):
        return Asked(ChangeKind.CHANGE, by_buyer=True, accept=False)
    draw = sim.rng.random()
    if draw >= SELLER_CHANGE:
        return None
    return Asked(ChangeKind.CHANGE, by_buyer=draw < BUYER_CHANGE, accept=sim.chance(ACCEPTED))


def request(sim: Sim, order_id: int, asked: Asked) -> None:
    """One party asks for the change; the other decides the next morning."""
    tracked = sim.orders[order_id]
    if tracked.order.status not in (OrderStatus.ACKNOWLEDGED, OrderStatus.PARTIALLY_SHIPPED):
        return
    if asked.kind is ChangeKind.CANCEL:
        lines: tuple[LineChange, ...] = ()
        reason = _REASONS["cancel"]
    else:
        lines, reason = _proposal(sim, tracked, asked.by_buyer)
    side, other = tracked.link.buyer, tracked.link.seller
    if not asked.by_buyer:
        side, other = other, side
    command = purchase_orders.RequestChange(asked.kind, lines, reason)
    outcome = purchase_orders.request_change(sim.ctx, sim.party(side).principal, order_id, command)
    tracked.seen(outcome.view)
    sim.tally["change_requests"] += 1
    change_id = outcome.change.id
    sim.at(
        sim.today + timedelta(days=1),
        Phase.DECIDE,
        lambda: _decide(sim, order_id, change_id, sim.party(other), asked),
    )


def _proposal(sim: Sim, tracked: Tracked, by_buyer: bool) -> tuple[tuple[LineChange, ...], str]:
    if not by_buyer:
        later = [_later(x, 3) for x in tracked.lines]
        return tuple(later), _REASONS["seller_date"]
    line = tracked.lines[sim.rng.randrange(len(tracked.lines))]
    if sim.chance(0.5):
        multiple = sim.world.multiple((tracked.link.to_site_id, line.item_id))
        more = line.quantity + Decimal(str(multiple))
        return (LineChange(line.line_no, quantity=more),), _REASONS["quantity"]
    return (_later(line, 2),), _REASONS["buyer_date"]


def _later(line: PurchaseOrderLine, days: int) -> LineChange:
    current = line.confirmed_date or line.requested_date
    return LineChange(line.line_no, requested_date=current + timedelta(days=days))


def _decide(sim: Sim, order_id: int, change_id: int, decider: Party, asked: Asked) -> None:
    tracked = sim.orders[order_id]
    if asked.accept:
        outcome = purchase_orders.accept_change(sim.ctx, decider.principal, order_id, change_id)
        sim.tally["changes_accepted"] += 1
    else:
        note = _REJECTIONS[asked.by_buyer]
        outcome = purchase_orders.reject_change(
            sim.ctx, decider.principal, order_id, change_id, note
        )
        sim.tally["changes_rejected"] += 1
    tracked.seen(outcome.view)
    if tracked.order.status is OrderStatus.CANCELLED:
        _cancelled(sim, tracked)
