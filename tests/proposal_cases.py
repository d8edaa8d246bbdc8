"""The worked example of a network inventory proposal, shared by the service, API, web and
PostgreSQL tests (hand calculation in ``tests/unit/test_coordination.py``).

On the small coffee network: the roaster's house blend at the plant goes from a safety stock of
25 kg (order-up-to 70) to 50 kg (base stock 95) at h = 2.40 €/kg/yr; the café chain's latte at
CAFE-1 from 120 (200) to 40 (100) cups and at CAFE-2 from 80 (150) to 30 (85) cups, h = 0.70.
Costs (a) → (c): roaster 60 → 120, café chain 140 → 49, bean importer 0 → 0 (not affected).
Savings shared in proportion to stand-alone cost: the roaster receives 69.30, the café chain
pays 69.30; after the transfer the roaster pays 50.70 (saves 9.30), the café chain 118.30
(saves 21.70).
"""

from __future__ import annotations

from dataclasses import dataclass

from tandem.domain.coordination import (
    MemberShare,
    Placement,
    PolicyTotals,
    ProposalDraft,
    TransferRule,
)
from tandem.domain.identity import Principal
from tandem.domain.network import PlanningParameters
from tandem.services import stocking
from tandem.services.context import ServiceContext

SERVICE_LEVEL = 0.95
# (item, site): (safety stock, order-up-to) before, and (safety stock, base stock) proposed
BEFORE = {("BLEND", "PLANT"): (25.0, 70.0), ("LATTE", "CAFE-1"): (120.0, 200.0),
          ("LATTE", "CAFE-2"): (80.0, 150.0)}  # fmt: skip
PROPOSED = {("BLEND", "PLANT"): (50.0, 95.0), ("LATTE", "CAFE-1"): (40.0, 100.0),
            ("LATTE", "CAFE-2"): (30.0, 85.0)}  # fmt: skip
REVIEW_DAYS = 7.0  # set on every stocking point before; adoption must leave it alone


@dataclass(frozen=True)
class CoffeePoints:
    """Stocking point ids and member ids of the small coffee network."""

    network_id: int
    roast: int
    cafe: int
    beans: int
    plant_blend: int
    cafe1_latte: int
    cafe2_latte: int


def set_before(
    ctx: ServiceContext, owners: dict[str, Principal], items: dict[str, int],
    sites: dict[str, int],
) -> None:  # fmt: skip
    """Give the three stocking points their parameters before the proposal."""
    for (sku, site), (safety, up_to) in BEFORE.items():
        owner = owners["ROAST" if site == "PLANT" else "CAFE"]
        parameters = PlanningParameters(
            target_service_level=0.9,
            review_period_days=REVIEW_DAYS,
            safety_stock=safety,
            reorder_point=safety,
            order_up_to_level=up_to,
        )
        stocking.set_item_site(ctx, owner, items[sku], sites[site], parameters)


def coffee_draft(points: CoffeePoints, title: str = "Coffee network at 95 %") -> ProposalDraft:
    placements = (
        Placement(points.plant_blend, points.roast, 2, 0, 3, 50, 95, 2.4, 25, 70),
        Placement(points.cafe1_latte, points.cafe, 0, 0, 1, 40, 100, 0.7, 120, 200),
        Placement(points.cafe2_latte, points.cafe, 0, 0, 1, 30, 85, 0.7, 80, 150),
    )
    shares = (
        MemberShare(points.roast, 60, 120, 69.3),
        MemberShare(points.cafe, 140, 49, -69.3),
        MemberShare(points.beans, 0, 0, 0),
    )
    return ProposalDraft(
        points.network_id,
        title,
        SERVICE_LEVEL,
        "tree_dp",
        True,
        0.0,
        PolicyTotals(200, 190, 169),
        placements,
        shares,
        TransferRule.PROPORTIONAL,
    )


def coffee_points(ctx: ServiceContext, network_id: int) -> CoffeePoints:
    with ctx.uow() as uow:
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}

        def point(sku: str, site: str) -> int:
            return uow.item_sites.find(item_id=items[sku], site_id=sites[site])[0].id

        return CoffeePoints(
            network_id,
            members["ROAST"],
            members["CAFE"],
            members["BEANS"],
            point("BLEND", "PLANT"),
            point("LATTE", "CAFE-1"),
            point("LATTE", "CAFE-2"),
        )
