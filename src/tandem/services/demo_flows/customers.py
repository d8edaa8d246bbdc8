"""B2B customers of the distribution centres: a hotel and an office park near each centre,
ordering in turn, so that each centre takes a customer order every week (each customer orders
every other week, its share of the centre's wholesale demand). Orders are promised from
available-to-promise and shipped on the requested day, as far as stock goes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tandem.domain.customers import CustomerOrderStatus, PromiseSource, ServiceClass
from tandem.domain.quantities import ZERO
from tandem.services import customer_orders, customers
from tandem.services.demo_flows.model import Party, whole
from tandem.services.demo_flows.state import Phase, Sim

# code suffix, name pattern, segment, service class, share of the centre's wholesale demand
KINDS = (
    ("HOTEL", "Grand Hotel {city}", "hotel", ServiceClass.PREMIUM, 0.55),
    ("OFFICE", "{city} Business Park", "office", ServiceClass.STANDARD, 0.45),
)
PRICE_FACTOR = 0.8
LEAD_DAYS = 2
INTERVAL_DAYS = 14
MAX_ATTEMPTS = 4
SHIPPABLE = (
    CustomerOrderStatus.OPEN,
    CustomerOrderStatus.PROMISED,
    CustomerOrderStatus.PARTIALLY_SHIPPED,
)


def sign_up(sim: Sim) -> None:
    """Two customers per centre, in the cities of the first sites it serves; each orders every
    other week, on its own weekday."""
    for index, site_id in enumerate(sim.world.customer_sites):
        party = sim.world.owner(site_id)
        cities = _cities(sim, site_id)
        for number, (suffix, name, segment, service, share) in enumerate(KINDS):
            city = cities[number % len(cities)]
            fields = customers.CustomerFields(
                f"{sim.world.sites[site_id].code}-{suffix}",
                name.format(city=city),
                segment,
                service,
                city=city,
                country=sim.world.sites[site_id].country,
            )
            customer = customers.add_customer(sim.ctx, party.principal, fields)
            weekday = (2 * index + 3 * number) % 5
            first = sim.start + timedelta(days=(weekday - sim.start.weekday()) % 7 + 7 * number)
            _schedule(sim, first, _Buyer(customer.id, site_id, share))


def _cities(sim: Sim, site_id: int) -> list[str]:
    served = [
        sim.world.sites[x.to_site_id].city for x in sim.world.links if x.from_site_id == site_id
    ]
    found = list(dict.fromkeys(c for c in served if c))
    return found or [sim.world.sites[site_id].city or sim.world.sites[site_id].code]


@dataclass(frozen=True)
class _Buyer:
    customer_id: int
    site_id: int
    share: float


def _schedule(sim: Sim, day: date, buyer: _Buyer) -> None:
    sim.at(day, Phase.CUSTOMERS, lambda: _order(sim, day, buyer))


def _order(sim: Sim, day: date, buyer: _Buyer) -> None:
    """The customer's order for the next two weeks, delivered in two days."""
    _schedule(sim, day + timedelta(days=INTERVAL_DAYS), buyer)
    party = sim.world.owner(buyer.site_id)
    requested = day + timedelta(days=LEAD_DAYS)
    lines = _lines(sim, buyer, requested)
    if not lines:
        return
    reference = f"order for week {requested.isocalendar()[1]:02d}"
    command = customer_orders.CreateCustomerOrder(
        buyer.customer_id, buyer.site_id, lines, reference
    )
    order = customer_orders.create_order(sim.ctx, party.principal, command).order
    customer_orders.promise_order(sim.ctx, party.principal, order.id)
    sim.forget_stock(buyer.site_id)
    sim.tally["customer_orders"] += 1
    if sim.first_time("customer order cancelled", 1 / 3):
        tomorrow = day + timedelta(days=1)
        sim.at(tomorrow, Phase.CUSTOMERS, lambda: _cancel(sim, party, order.id))
    else:
        sim.at(requested, Phase.CUSTOMERS, lambda: _ship(sim, party, order.id, 1))


def _lines(sim: Sim, buyer: _Buyer, requested: date) -> tuple[customer_orders.OrderLineInput, ...]:
    """The customer's share of the centre's wholesale demand over the two weeks."""
    lines = []
    for key in sorted(k for k in sim.world.wholesale.series if k[0] == buyer.site_id):
        until = requested + timedelta(days=INTERVAL_DAYS)
        quantity = whole(sim.world.wholesale.total(key, requested, until) * buyer.share)
        if quantity > 0:
            price = max(1, round(sim.world.items[key[1]].unit_value * 100 * PRICE_FACTOR))
            lines.append(customer_orders.OrderLineInput(key[1], quantity, requested, price))
    return tuple(lines)


def _cancel(sim: Sim, party: Party, order_id: int) -> None:
    customer_orders.cancel_order(sim.ctx, party.principal, order_id)
    sim.tally["customer_orders_cancelled"] += 1


def _ship(sim: Sim, party: Party, order_id: int, attempt: int) -> None:
    """Ship what is promised from stock and whatever else is available; the rest follows."""
    view = customer_orders.get_order(sim.ctx, party.principal, order_id)
    if view.order.status not in SHIPPABLE:
        return
    site_id = view.order.ship_from_site_id
    lines = []
    for line in view.lines:
        held = sum((p.quantity for p in line.promises if p.source is PromiseSource.ON_HAND), ZERO)
        quantity = min(line.open_quantity, held + sim.available(site_id, line.line.item_id))
        if quantity > ZERO:
            lines.append(customer_orders.ShipLine(line.line.id, quantity))
            sim.take(site_id, line.line.item_id, quantity - min(held, quantity))
    if lines:
        shipped = customer_orders.ship_order(sim.ctx, party.principal, order_id, lines)
        sim.tally["customer_shipments"] += 1
        if shipped.order.status is CustomerOrderStatus.SHIPPED:
            return
    if attempt < MAX_ATTEMPTS:
        tomorrow = sim.today + timedelta(days=1)
        sim.at(tomorrow, Phase.CUSTOMERS, lambda: _ship(sim, party, order_id, attempt + 1))
