"""A small hand-checkable freight network for load planning and delivery routing tests (L3).

SHIP (the shipper) sells bags to BUY from its PLANT to BUY's DC over two lanes: road (full
truckload, 2 days, 0.50 a bag) and air (0.5 days, 3.00 a bag, no vehicle type: tariff).
A bag weighs 10 kg and takes 0.02 m³ and is worth 100. Vehicle types: TRUCK (10,000 kg,
40 m³, 400 a load) and VAN (1,000 kg, 10 m³, 150 a load), at ``cost_per_km`` (0 by default, so
every load cost is round). SHIP also runs a DEPOT at (0°, 0°) delivering to three shops on a
0.1° grid: SHOP-A (0, 0.1), SHOP-B (0, 0.2), SHOP-C (0.1, 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tests.support import PASSWORD

from tandem.domain.identity import Principal
from tandem.domain.network import MemberRole, SiteKind, TransportMode
from tandem.domain.snapshot import ItemRow, LaneRow, MemberRow, NetworkSnapshot, SiteRow, UserRow
from tandem.services import identity, purchase_orders, transfer
from tandem.services.context import ServiceContext
from tandem.services.logistics.vehicles import VehicleTypeFields, add_vehicle_type

MONDAY = date(2026, 11, 23)


def email(who: str, tag: str = "") -> str:
    return f"{who}-{tag}@example.com" if tag else f"{who}@example.com"


def freight_snapshot(tag: str = "") -> NetworkSnapshot:
    """The network; ``tag`` makes its code and e-mails unique in a shared database."""
    return NetworkSnapshot(
        f"freight-{tag}" if tag else "freight",
        "Freight test network",
        members=(
            MemberRow("SHIP", "Shipper", frozenset({MemberRole.MANUFACTURER})),
            MemberRow("BUY", "Buyer", frozenset({MemberRole.RETAILER})),
        ),
        users=(
            UserRow(email("ship", tag), "SHIP", "Sam Shipper", PASSWORD, True),
            UserRow(email("buy", tag), "BUY", "Bo Buyer", PASSWORD),
        ),
        sites=(
            SiteRow("PLANT", "SHIP", "Plant", SiteKind.PLANT, 52.0, 5.0),
            SiteRow("DC", "BUY", "Buyer DC", SiteKind.DISTRIBUTION_CENTRE, 52.0, 6.0),
            SiteRow("DEPOT", "SHIP", "Depot", SiteKind.DISTRIBUTION_CENTRE, 0.0, 0.0),
            SiteRow("SHOP-A", "BUY", "Shop A", SiteKind.STORE, 0.0, 0.1),
            SiteRow("SHOP-B", "BUY", "Shop B", SiteKind.STORE, 0.0, 0.2),
            SiteRow("SHOP-C", "BUY", "Shop C", SiteKind.STORE, 0.1, 0.0),
        ),
        items=(
            ItemRow("BAG", "SHIP", "Bag of beans", "bag", 100.0, weight_kg=10.0, volume_m3=0.02),
            ItemRow("MUG", "SHIP", "Mug (no shipping data)", "pc", 5.0),
        ),
        lanes=(
            LaneRow("PLANT", "DC", TransportMode.FULL_TRUCKLOAD, 2.0, 0.0, 0.5),
            LaneRow("PLANT", "DC", TransportMode.AIR, 0.5, 0.0, 3.0),
            LaneRow("DEPOT", "SHOP-A", TransportMode.VAN, 0.0, 0.0, 0.1),
            LaneRow("DEPOT", "SHOP-B", TransportMode.VAN, 0.0, 0.0, 0.1),
            LaneRow("DEPOT", "SHOP-C", TransportMode.VAN, 0.0, 0.0, 0.1),
        ),
    )


@dataclass(frozen=True)
class FreightWorld:
    ctx: ServiceContext
    shipper: Principal
    buyer: Principal
    sites: dict[str, int]
    items: dict[str, int]


def freight_world(ctx: ServiceContext, cost_per_km: float = 0.0, tag: str = "") -> FreightWorld:
    network_id = transfer.import_snapshot(ctx, freight_snapshot(tag)).network_id

    def sign_in(email: str) -> Principal:
        return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)

    shipper, buyer = sign_in(email("ship", tag)), sign_in(email("buy", tag))
    with ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
    fleet = [
        ("TRUCK", TransportMode.FULL_TRUCKLOAD, 10_000.0, 40.0, 400.0),
        ("VAN", TransportMode.VAN, 1_000.0, 10.0, 150.0),
    ]
    for code, mode, kg, m3, fixed in fleet:
        fields = VehicleTypeFields(code, code.title(), mode, kg, m3, cost_per_km, fixed)
        add_vehicle_type(ctx, shipper, fields)
    return FreightWorld(ctx, shipper, buyer, sites, items)


def order(
    world: FreightWorld,
    to_site: str,
    lines: list[tuple[str, int, date]],
    from_site: str = "PLANT",
) -> int:
    """BUY orders from SHIP; SHIP acknowledges shipping from ``from_site`` on the dates asked."""
    po = purchase_orders
    created = po.create_order(
        world.ctx,
        world.buyer,
        po.CreatePurchaseOrder(
            world.shipper.member_id,
            world.sites[to_site],
            tuple(
                po.OrderLineInput(world.items[sku], Decimal(quantity), 1000, due)
                for sku, quantity, due in lines
            ),
        ),
    )
    order_id = created.order.id
    po.submit_order(world.ctx, world.buyer, order_id)
    po.acknowledge_order(
        world.ctx,
        world.shipper,
        order_id,
        po.AcknowledgeOrder(ship_from_site_id=world.sites[from_site]),
    )
    return order_id
