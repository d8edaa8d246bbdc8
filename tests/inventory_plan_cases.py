"""The hand-checked network of the coordinated inventory plan, shared by the service, API and
web tests.

Green beans at the importer's port (2 days of processing, bought at 4.00 €/kg) go by truck
(3 ± 1 days, 0.10 €/kg freight, 5 % duty on the CIF value) to the roaster's plant, which roasts
1.25 kg of green into 1 kg of blend in 1 day (conversion 1.50 €/kg) and ships it by van to two
cafés: CAFE-1 in 1 day (0.20 €/kg, handling 0.10 €/kg), CAFE-2 in 2 ± 0.5 days (0.30 €/kg).
Forecast demand: CAFE-1 10 kg/day with an 80 % interval of ± 10 × 1.2816 (σ = 10), CAFE-2
20 kg/day with ± 5 × 1.2816 (σ = 5). Carrying rate 25 % a year, service level 95 %.

Values (CIF duty): v(GREEN@PORT) = 4; v(GREEN@PLANT) = 4 + 0.1 + 0.05 × 4.1 = 4.305;
v(BLEND@PLANT) = 1.25 × 4.305 + 1.5 = 6.88125; v(BLEND@CAFE-1) = 6.88125 + 0.2 + 0.1 = 7.18125;
v(BLEND@CAFE-2) = 6.88125 + 0.3 = 7.18125. Processing times: 2, 0 + 3, 1, 0 + 1, 0 + 2.
σ per day at CAFE-2 with lead-time variability: √(5² + 20² × 0.5² / 2) = √75.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import Principal
from tandem.domain.network import MemberRole, PlanningParameters, SiteKind, TransportMode
from tandem.domain.sharing import DataCategory
from tandem.domain.snapshot import (
    BomRow,
    ItemRow,
    ItemSiteRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)
from tandem.services import sharing
from tandem.services.context import ServiceContext

PASSWORD = "correct-horse-battery"
Z_80 = 1.2815515655446004
FIRST_DAY = date(2026, 11, 2)
POINTS = (("GREEN", "PORT"), ("GREEN", "PLANT"), ("BLEND", "PLANT"), ("BLEND", "CAFE-1"),
          ("BLEND", "CAFE-2"))  # fmt: skip
FORECASTS = {"CAFE-1": (10.0, 10.0), "CAFE-2": (20.0, 5.0)}  # mean, σ per day


def plan_snapshot() -> NetworkSnapshot:
    return NetworkSnapshot(
        "beans-to-cafes",
        "Beans to cafés",
        members=(
            MemberRow("BEANS", "Bean importer", frozenset({MemberRole.SUPPLIER})),
            MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER})),
            MemberRow("CAFE", "Cafe chain", frozenset({MemberRole.RETAILER})),
        ),
        users=(
            UserRow("beans@example.com", "BEANS", "Bea Beans", PASSWORD),
            UserRow("roaster@example.com", "ROAST", "Rita Roaster", PASSWORD, True),
            UserRow("cafe@example.com", "CAFE", "Carl Cafe", PASSWORD),
        ),
        sites=(
            SiteRow("PORT", "BEANS", "Port warehouse", SiteKind.WAREHOUSE, 51.90, 4.48),
            SiteRow("PLANT", "ROAST", "Roastery", SiteKind.PLANT, 52.37, 4.90),
            SiteRow("CAFE-1", "CAFE", "Cafe one", SiteKind.STORE, 52.36, 4.88),
            SiteRow("CAFE-2", "CAFE", "Cafe two", SiteKind.STORE, 52.35, 4.91),
        ),
        items=(
            ItemRow("GREEN", "BEANS", "Green beans", "kg", 4.0),
            ItemRow("BLEND", "ROAST", "House blend", "kg", 12.0),
        ),
        item_sites=(
            ItemSiteRow("GREEN", "PORT", PlanningParameters(processing_days=2.0)),
            ItemSiteRow("GREEN", "PLANT"),
            ItemSiteRow("BLEND", "PLANT", PlanningParameters(processing_days=1.0, added_cost=1.5)),
            ItemSiteRow("BLEND", "CAFE-1", PlanningParameters(handling_cost=0.1)),
            ItemSiteRow("BLEND", "CAFE-2"),
        ),
        bom=(BomRow("BLEND", "GREEN", 1.25),),
        lanes=(
            LaneRow("PORT", "PLANT", TransportMode.FULL_TRUCKLOAD, 3.0, 1.0, 0.1, duty_rate=0.05),
            LaneRow("PLANT", "CAFE-1", TransportMode.VAN, 1.0, 0.0, 0.2),
            LaneRow("PLANT", "CAFE-2", TransportMode.VAN, 2.0, 0.5, 0.3),
        ),
    )


@dataclass(frozen=True)
class PlanIds:
    network_id: int
    members: dict[str, int]
    sites: dict[str, int]
    items: dict[str, int]
    points: dict[tuple[str, str], int]


def plan_ids(ctx: ServiceContext, network_id: int) -> PlanIds:
    with ctx.uow() as uow:
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
        points = {
            (sku, site): uow.item_sites.find(item_id=items[sku], site_id=sites[site])[0].id
            for sku, site in POINTS
        }
    return PlanIds(network_id, members, sites, items, points)


def store_forecasts(
    ctx: ServiceContext, ids: PlanIds, cafes: tuple[str, ...] = ("CAFE-1", "CAFE-2")
) -> None:
    """The cafés' forecast for the first two days (the first day's interval is the one used)."""
    at = datetime(2026, 11, 1, tzinfo=UTC)
    with ctx.uow() as uow:
        for cafe in cafes:
            mean, sigma = FORECASTS[cafe]
            for k, day in enumerate((FIRST_DAY, date(2026, 11, 3))):
                half = sigma * Z_80 * (1 + k)
                uow.forecasts.add(
                    ForecastPoint(
                        0,
                        ids.members["CAFE"],
                        ids.sites[cafe],
                        ids.items["BLEND"],
                        day,
                        mean,
                        mean - half,
                        mean + half,
                        None,
                        None,
                        "test",
                        at,
                    )
                )
        uow.commit()


def grant_to_roaster(ctx: ServiceContext, beans: Principal, cafe: Principal, roast_id: int) -> None:
    """The network-wide run: importer and cafés share their stocking points, the cafés their
    forecasts, with the roaster."""
    for owner, category in (
        (beans, DataCategory.PLANNING_PARAMETERS),
        (cafe, DataCategory.PLANNING_PARAMETERS),
        (cafe, DataCategory.FORECASTS),
    ):
        sharing.grant_access(ctx, owner, sharing.GrantAccess(roast_id, category))
