"""The hand-solved network of the risk-analysis tests, loadable on any service context.

Beans (PORT) -> roaster (PLANT) -> two cafés. BLEND = 1.25 GREEN, LATTE = 0.02 BLEND; demand
50 lattes a day at CAFE-1 (history) and 30 at CAFE-2 (forecast; its history of 99 is ignored);
a latte's margin is its unit value 3.5. Stock: PORT 20 GREEN; PLANT 6 GREEN and 4 BLEND; CAFE-1
5 BLEND on hand + 3 in transit; CAFE-2 3 BLEND. BLEND used per day: 50 x 0.02 + 30 x 0.02 = 1.6.

TTS with the roaster seeing everything (grants from the café and the beans importer):

* PLANT down: the cafés' 8 + 3 BLEND plus PLANT's own 4 (a down node's stock still ships):
  15 / 1.6 = 9.375 days (CAFE-1 draws 1.375 of PLANT's 4, CAFE-2 2.625).
* PORT down: PORT's 20 GREEN still ships; (20 + 6) / 1.25 = 20.8 BLEND + 4 + 11 = 35.8 BLEND:
  35.8 / 1.6 = 22.375 days.
* CAFE-1 or CAFE-2 down: the café makes no latte and holds none: 0 days.

Lost margin with PLANT down for 14 days: 1,120 lattes wanted, 15 BLEND make 750: 370 x 3.5 =
1,295. A café down for 7 days: 350 x 3.5 = 1,225 (CAFE-1), 210 x 3.5 = 735 (CAFE-2). PORT for 7
days: nothing lost (22.375 > 7).

The café alone (no grants) sees PLANT only as a source of BLEND with no visible stock: its two
sites last 8 / 1.0 = 8 and 3 / 0.6 = 5 days on their own stock, so TTS(PLANT) = 5.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import Principal
from tandem.domain.inventory import MovementKind
from tandem.domain.network import MemberRole, SiteKind, TransportMode
from tandem.domain.sharing import DataCategory
from tandem.domain.snapshot import (
    BomRow,
    DemandRow,
    ItemRow,
    ItemSiteRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)
from tandem.services import identity, inventory, sharing, transfer
from tandem.services.context import ServiceContext
from tests.support import PASSWORD


def risk_snapshot(tag: str = "") -> NetworkSnapshot:
    return NetworkSnapshot(
        f"risk{tag}",
        "Risk test network",
        members=(
            MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER})),
            MemberRow("CAFE", "Cafe chain", frozenset({MemberRole.RETAILER})),
            MemberRow("BEANS", "Bean importer", frozenset({MemberRole.SUPPLIER})),
        ),
        users=(
            UserRow(f"roaster{tag}@example.com", "ROAST", "Rita Roaster", PASSWORD, True),
            UserRow(f"cafe{tag}@example.com", "CAFE", "Carl Cafe", PASSWORD),
            UserRow(f"beans{tag}@example.com", "BEANS", "Bea Beans", PASSWORD),
        ),
        sites=(
            SiteRow("PLANT", "ROAST", "Roastery", SiteKind.PLANT, 52.37, 4.90),
            SiteRow("CAFE-1", "CAFE", "Cafe one", SiteKind.STORE, 52.36, 4.88),
            SiteRow("CAFE-2", "CAFE", "Cafe two", SiteKind.STORE, 52.35, 4.91),
            SiteRow("PORT", "BEANS", "Port warehouse", SiteKind.WAREHOUSE, 51.90, 4.48),
        ),
        items=(
            ItemRow("GREEN", "BEANS", "Green beans", "kg", 4.0),
            ItemRow("BLEND", "ROAST", "House blend", "kg", 12.0),
            ItemRow("LATTE", "CAFE", "Latte", "cup", 3.5),
        ),
        item_sites=(
            ItemSiteRow("GREEN", "PORT"),
            ItemSiteRow("BLEND", "PLANT"),
            ItemSiteRow("LATTE", "CAFE-1"),
            ItemSiteRow("LATTE", "CAFE-2"),
        ),
        bom=(BomRow("BLEND", "GREEN", 1.25), BomRow("LATTE", "BLEND", 0.02)),
        lanes=(
            LaneRow("PORT", "PLANT", TransportMode.FULL_TRUCKLOAD, 2, 0.5, 0.1),
            LaneRow("PLANT", "CAFE-1", TransportMode.VAN, 1, 0.2, 0.3),
            LaneRow("PLANT", "CAFE-2", TransportMode.VAN, 1, 0.2, 0.3),
        ),
        demand=(
            DemandRow("CAFE-1", "LATTE", date(2026, 11, 19), 50.0),
            DemandRow("CAFE-1", "LATTE", date(2026, 11, 20), 50.0),
            DemandRow("CAFE-2", "LATTE", date(2026, 11, 20), 99.0),
        ),
    )


@dataclass(frozen=True)
class RiskWorld:
    ctx: ServiceContext
    roaster: Principal
    cafe: Principal
    beans: Principal
    sites: dict[str, int]
    items: dict[str, int]
    members: dict[str, int]


def _receive(ctx: ServiceContext, who: Principal, site: int, item: int, quantity: str) -> None:
    command = inventory.RecordMovement(site, item, MovementKind.RECEIPT, Decimal(quantity))
    inventory.record_movement(ctx, who, command)


def load_risk_world(ctx: ServiceContext, tag: str = "") -> RiskWorld:
    """The network above with its stock and the café's forecast; no grants yet."""
    network_id = transfer.import_snapshot(ctx, risk_snapshot(tag)).network_id

    def sign_in(email: str) -> Principal:
        return identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)

    with ctx.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
    world = RiskWorld(
        ctx,
        sign_in(f"roaster{tag}@example.com"),
        sign_in(f"cafe{tag}@example.com"),
        sign_in(f"beans{tag}@example.com"),
        sites,
        items,
        members,
    )
    _receive(ctx, world.beans, sites["PORT"], items["GREEN"], "20")
    _receive(ctx, world.roaster, sites["PLANT"], items["GREEN"], "6")
    _receive(ctx, world.roaster, sites["PLANT"], items["BLEND"], "4")
    _receive(ctx, world.cafe, sites["CAFE-1"], items["BLEND"], "5")
    _receive(ctx, world.cafe, sites["CAFE-2"], items["BLEND"], "3")
    created = ctx.clock.now()
    with ctx.uow() as uow:
        key = (sites["CAFE-1"], items["BLEND"])
        position = uow.stock_positions.lock([key])[key]
        uow.stock_positions.update(replace(position, in_transit=Decimal(3)))
        uow.forecasts.add_many(
            [_forecast(members["CAFE"], sites["CAFE-2"], items["LATTE"], day, created)
             for day in (date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23))]
        )  # fmt: skip
        uow.commit()
    return world


def _forecast(owner: int, site: int, item: int, day: date, at: datetime) -> ForecastPoint:
    return ForecastPoint(0, owner, site, item, day, 30.0, None, None, None, None, "Naive", at)


ROASTER_SEES_ALL = (
    ("cafe", DataCategory.PLANNING_PARAMETERS),
    ("cafe", DataCategory.BILLS_OF_MATERIALS),
    ("cafe", DataCategory.INVENTORY_POSITIONS),
    ("cafe", DataCategory.FORECASTS),
    ("cafe", DataCategory.DEMAND_HISTORY),
    ("beans", DataCategory.PLANNING_PARAMETERS),
    ("beans", DataCategory.INVENTORY_POSITIONS),
)


def share_everything_with_roaster(world: RiskWorld) -> None:
    for grantor, category in ROASTER_SEES_ALL:
        command = sharing.GrantAccess(world.members["ROAST"], category)
        sharing.grant_access(world.ctx, getattr(world, grantor), command)
