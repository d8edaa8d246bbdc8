"""A small network for the planning service tests: the roaster makes BLEND from GREEN beans
bought from the bean importer, with stock, weekly forecasts and one supplier offer.

Hand-worked plan (weekly buckets from Monday 2026-11-23, every day a working day, 4 weeks):
BLEND@PLANT: on hand 50, safety stock 20, processing 3 days (one bucket), forecast 30 a week.
  PA(0) = 50 - 30 = 20; the fence is bucket 1, so buckets 1..3 each need 30 to stay at 20:
  planned orders of 30 due in buckets 1, 2, 3, released in buckets 0, 1, 2.
GREEN@PLANT: on hand 40, 1.2 kg per kg of BLEND, offer lead time 7 days, MOQ 100, multiple 25.
  Gross = 36 in buckets 0, 1, 2; PA(0) = 4; bucket 1 lacks 32 -> raised to the MOQ: 100 due
  in bucket 1 (2026-11-30), released in bucket 0 (2026-11-23); PA = 4, 68, 32, 32.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from tests.support import PASSWORD, World, small_snapshot

from tandem.adapters.memory import InMemoryStore
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import Principal
from tandem.domain.inventory import StockPosition
from tandem.domain.network import PlanningParameters
from tandem.domain.snapshot import BomRow, ItemSiteRow, NetworkSnapshot
from tandem.domain.sourcing import PriceBreak, SupplierOffer
from tandem.services import identity, sourcing, transfer
from tandem.services.context import ServiceContext

AS_OF = date(2026, 11, 23)  # a Monday
CREATED = AS_OF - timedelta(days=1)


@dataclass(frozen=True)
class PlanningWorld:
    world: World
    members: dict[str, int]
    sites: dict[str, int]
    items: dict[str, int]
    offer: SupplierOffer


def planning_snapshot() -> NetworkSnapshot:
    base = small_snapshot()
    return replace(
        base,
        item_sites=(
            ItemSiteRow(
                "BLEND", "PLANT", PlanningParameters(safety_stock=20.0, processing_days=3.0)
            ),
            ItemSiteRow("GREEN", "PLANT"),
            *base.item_sites[1:],
        ),
        bom=(BomRow("BLEND", "GREEN", 1.2),),
    )


def build_planning_world(ctx: ServiceContext, store: InMemoryStore) -> PlanningWorld:
    network_id = transfer.import_snapshot(ctx, planning_snapshot()).network_id

    def sign_in(email: str) -> Principal:
        return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)

    world = World(
        ctx, sign_in("roaster@example.com"), sign_in("cafe@example.com"),
        sign_in("beans@example.com"), network_id,
    )  # fmt: skip
    members = {m.code: m.id for m in store.members.rows.values()}
    sites = {s.code: s.id for s in store.sites.rows.values()}
    items = {i.sku: i.id for i in store.items.rows.values()}
    roaster, plant = members["ROAST"], sites["PLANT"]
    for sku, on_hand in (("BLEND", "50"), ("GREEN", "40")):
        store.stock_positions.add(
            StockPosition(0, network_id, roaster, plant, items[sku], Decimal(on_hand))
        )
    for week in range(6):
        day = AS_OF + timedelta(weeks=week)
        store.forecasts.add(
            ForecastPoint(0, roaster, plant, items["BLEND"], day, 30.0, None, None, None,
                          None, "test", ctx.clock.now())
        )  # fmt: skip
    offer = sourcing.create_offer(
        ctx,
        world.roaster,
        SupplierOffer(
            0, 0, 0, members["BEANS"], items["GREEN"], 7.0, sites["PORT"], 100.0, 25.0,
            (PriceBreak(0.0, 400), PriceBreak(200.0, 380), PriceBreak(500.0, 350)),
        ),
    )  # fmt: skip
    return PlanningWorld(world, members, sites, items, offer)
