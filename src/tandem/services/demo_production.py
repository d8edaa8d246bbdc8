"""The demo roaster's shop floor: a roasting line and a packing line at its Harburg plant, and a
routing for every blend it roasts and every bag it packs.

The roasting line runs two shifts (16 h) Monday to Friday, roasting 120 kg an hour after half an
hour of setup per batch; changing to the decaf blend takes 1.5 h (cleaning out caffeinated
chaff), back from it 0.5 h, and between two other blends 0.25 h. The packing line, also 16 h,
fills 600 bags an hour after a quarter-hour setup; changing bag size takes 0.5 h. Overtime: up
to 4 h a day at 55 and 45 an hour.
"""

from __future__ import annotations

from tandem.domain.errors import NotFound
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.production import Changeover, ResourceKind, RoutingOperation
from tandem.services import production
from tandem.services.context import ServiceContext
from tandem.services.demo_catalogue import BLENDS, PACKS

__all__ = ["PRODUCTION_SITE", "seed_demo_production"]

PRODUCTION_MEMBER = "ELBE"
PRODUCTION_SITE = "ELB-HARBURG"
ROAST_KG_PER_HOUR = 120.0
BAGS_PER_HOUR = 600.0


def _bag_family(kg: float) -> str:
    return f"{round(kg * 1000)}g"


def seed_demo_production(ctx: ServiceContext, network_code: str) -> int:
    """Store the roaster's two lines and its routings; returns how many routings."""
    with ctx.uow() as uow:
        networks = uow.networks.find(code=network_code)
        if not networks:
            raise NotFound(f"network {network_code} not found")
        network = networks[0]
        member = uow.members.find(network_id=network.id, code=PRODUCTION_MEMBER)[0]
        plant = uow.sites.find(network_id=network.id, code=PRODUCTION_SITE)[0]
        items = {i.sku: i.id for i in uow.items.find(network_id=network.id)}
    principal = Principal(member.id, network.id, "demo planner", ALL_SCOPES)
    blends = [sku for sku, *_ in BLENDS]
    to_decaf = [Changeover(b, "RB-DECAF", 1.5) for b in blends if b != "RB-DECAF"]
    from_decaf = [Changeover("RB-DECAF", b, 0.5) for b in blends if b != "RB-DECAF"]
    roasting = production.create_resource(ctx, principal, production.ResourceSpec(
        plant.id, "ROAST-LINE", "Roasting line", ResourceKind.LINE, 16.0,
        max_overtime_hours_per_day=4.0, overtime_cost_per_hour=55.0,
        changeovers=(*to_decaf, *from_decaf), default_changeover_hours=0.25,
    ))  # fmt: skip
    packing = production.create_resource(ctx, principal, production.ResourceSpec(
        plant.id, "PACK-LINE", "Packing line", ResourceKind.LINE, 16.0,
        max_overtime_hours_per_day=4.0, overtime_cost_per_hour=45.0, default_changeover_hours=0.5,
    ))  # fmt: skip
    specs = [
        production.RoutingSpec(items[sku], plant.id, (
            RoutingOperation(roasting.id, 0.5, 1 / ROAST_KG_PER_HOUR),), sku)
        for sku in blends
    ] + [
        production.RoutingSpec(items[sku], plant.id, (
            RoutingOperation(packing.id, 0.25, 1 / BAGS_PER_HOUR),), _bag_family(kg))
        for sku, _, _, kg, _, _ in PACKS
    ]  # fmt: skip
    for spec in specs:
        production.create_routing(ctx, principal, spec)
    return len(specs)
