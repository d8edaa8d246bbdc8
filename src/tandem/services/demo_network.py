"""The demo network: a coffee supply chain from green beans at origin to drinks at smart machines.

:func:`build_demo_snapshot` builds the whole network as a :class:`NetworkSnapshot` from a fixed
seed: seven members (a green-coffee importer, a dairy, a cup and packaging supplier, the roaster,
a distributor with three regional centres, a carrier with a cross-dock hub and a café chain with
smart bean-to-cup machines), their sites at real coordinates, items, bills of materials from
green beans to a large latte, lanes, stocking points with planning parameters, one planner per
member and two years of daily demand history synthesised by
:mod:`tandem.planning.demand_synthesis`. The static data lives in
:mod:`tandem.services.demo_catalogue`.

Logins: each member's planner is ``planner@<member domain>.example`` with the password
``tandem-demo-<member code in lower case>`` (:data:`DEMO_PASSWORD_PATTERN`), e.g.
``planner@elbe-roasting.example`` / ``tandem-demo-elbe``; the roaster's planner is the network
admin.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

from tandem.domain.network import PlanningParameters, SiteKind, TransportMode
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
from tandem.planning.demand_synthesis import (
    DemandProfile,
    Noise,
    SyntheticDemand,
    Trend,
    synthesise,
    yearly_terms,
)
from tandem.services import demo_catalogue as cat

__all__ = [
    "DEMO_DAYS",
    "DEMO_PASSWORD_PATTERN",
    "DEMO_SEED",
    "DEMO_START",
    "build_demo_snapshot",
    "demo_password",
]

DEMO_SEED = 20261121
DEMO_START = date(2024, 11, 1)
DEMO_DAYS = 730
DEMO_PASSWORD_PATTERN = "tandem-demo-{member}"

# A machine: its site code, the café it stands in, and the drinks on its menu.
_Machine = tuple[str, cat.CafeSpec, tuple[str, ...]]
_Series = tuple[str, str, DemandProfile]

_SERVICE: dict[SiteKind, tuple[float, float]] = {  # target service level, review period (days)
    SiteKind.DEVICE: (0.99, 1.0),
    SiteKind.STORE: (0.95, 2.0),
    SiteKind.DISTRIBUTION_CENTRE: (0.98, 7.0),
    SiteKind.PLANT: (0.98, 7.0),
    SiteKind.WAREHOUSE: (0.97, 14.0),
    SiteKind.SUPPLIER_SITE: (0.95, 7.0),
}


def demo_password(member_code: str) -> str:
    """Password of a member's demo planner, e.g. ``tandem-demo-elbe`` for ``ELBE``."""
    return DEMO_PASSWORD_PATTERN.format(member=member_code.lower())


def build_demo_snapshot(
    seed: int = DEMO_SEED, start: date = DEMO_START, days: int = DEMO_DAYS
) -> NetworkSnapshot:
    """Build the demo coffee network with ``days`` days of demand history from ``start``.

    Parameters
    ----------
    seed : int
        Seed of the demand synthesis; the same arguments always give an equal snapshot.
    start : date
        First day of the demand history.
    days : int
        Length of the demand history in days.

    Returns
    -------
    NetworkSnapshot
        Members, users, sites, items, stocking points, BOM lines, lanes and daily demand.
    """
    machines = _machines()
    series = _demand_series(machines)
    history = synthesise([profile for _, _, profile in series], start, days, seed)
    return NetworkSnapshot(
        code="ELBE-COFFEE",
        name="Elbe Coffee Network",
        description=(
            "Demo network: green coffee from Santos and Buenaventura via Hamburg, roasted in "
            "Harburg, distributed from three regional centres to 16 cafés and their smart "
            f"coffee machines; {days} days of synthetic daily demand (seed {seed})."
        ),
        members=_members(),
        users=_users(),
        sites=_sites(machines),
        items=_items(),
        item_sites=_item_sites(machines),
        bom=_bom(),
        lanes=_lanes(machines),
        demand=_demand_rows(series, history, start),
    )


# ---------------------------------------------------------------- structure


def _machines() -> list[_Machine]:
    extras = [sku for sku, *_ in cat.DRINKS if sku not in cat.CORE_MENU]
    machines: list[_Machine] = []
    for cafe in cat.CAFES:
        for number in range(1, cafe[8] + 1):
            extra = extras[len(machines) % len(extras)]
            machines.append((f"{cafe[0]}-M{number}", cafe, (*cat.CORE_MENU, extra)))
    return machines


def _members() -> tuple[MemberRow, ...]:
    return tuple(
        MemberRow(code=code, name=name, roles=frozenset(roles), country=country)
        for code, name, roles, country, _, _ in cat.MEMBERS
    )


def _users() -> tuple[UserRow, ...]:
    return tuple(
        UserRow(
            email=f"planner@{domain}.example",
            member=code,
            display_name=person,
            password=demo_password(code),
            is_network_admin=code == cat.ADMIN_MEMBER,
        )
        for code, _, _, _, domain, person in cat.MEMBERS
    )


def _sites(machines: list[_Machine]) -> tuple[SiteRow, ...]:
    fixed = [SiteRow(*spec) for spec in cat.SITES]
    cafes = [
        SiteRow(code, cat.RETAILER, f"Bohne & Milch {name}", SiteKind.STORE, lat, lon, city, "DE")
        for code, name, city, lat, lon, *_ in cat.CAFES
    ]
    devices = [
        SiteRow(
            code=code,
            member=cat.RETAILER,
            name=f"Bohne & Milch {cafe[1]}, smart machine {code[-1]}",
            kind=SiteKind.DEVICE,
            latitude=cafe[3],
            longitude=cafe[4],
            city=cafe[2],
            country="DE",
        )
        for code, cafe, _ in machines
    ]
    return (*fixed, *cafes, *devices)


def _shipping(row: ItemRow, bag_kg: float | None = None) -> ItemRow:
    """``row`` with its shipping weight and volume per unit (none for drinks)."""
    if bag_kg is not None:
        weight, volume = cat.SHIPPING["roasted_bulk"]
        return replace(row, weight_kg=round(bag_kg * 1.03, 4), volume_m3=bag_kg * volume)
    if row.family not in cat.SHIPPING:
        return row
    weight, volume = cat.SHIPPING[row.family]
    return replace(row, weight_kg=weight, volume_m3=volume)


def _items() -> tuple[ItemRow, ...]:
    return tuple(_shipping(row, _BAG_KG.get(row.sku)) for row in _catalogue_items())


_BAG_KG = {sku: kg for sku, _, _, kg, _, _ in cat.PACKS}


def _catalogue_items() -> tuple[ItemRow, ...]:
    green = [
        ItemRow(sku, "VERDE", name, "kg", eur, "green_coffee") for sku, name, eur, _ in cat.GREEN
    ]
    bulk = [
        ItemRow(sku, "ELBE", name, "kg", eur, "roasted_bulk") for sku, name, eur, *_ in cat.BLENDS
    ]
    bags = [
        ItemRow(sku, "ELBE", name, "bag", eur, "roasted_coffee") for sku, name, *_, eur in cat.PACKS
    ]
    supplies = [ItemRow(*spec) for spec in cat.SUPPLIES]
    drinks = [
        ItemRow(sku, cat.RETAILER, name, "cup", eur, "drink") for sku, name, eur, _ in cat.DRINKS
    ]
    return (*green, *bulk, *bags, *supplies, *drinks)


def _bom() -> tuple[BomRow, ...]:
    roast = [
        BomRow(bulk, green, round(share / roast_yield, 4))
        for bulk, _, _, roast_yield, shares in cat.BLENDS
        for green, share in shares
    ]
    pack = [
        row
        for sku, _, bulk, kg, bag, _ in cat.PACKS
        for row in (BomRow(sku, bulk, kg), BomRow(sku, bag, 1.0))
    ]
    drinks = [BomRow(sku, part, qty) for sku, _, _, recipe in cat.DRINKS for part, qty in recipe]
    return (*roast, *pack, *drinks)


def _item_sites(machines: list[_Machine]) -> tuple[ItemSiteRow, ...]:
    family = {item.sku: item.family for item in _items()}
    bag_kg = {sku: kg for sku, _, _, kg in cat.GREEN}
    kind = {site.code: site.kind for site in _sites(machines)}
    greens = [sku for sku, *_ in cat.GREEN]
    made = [sku for sku, *_ in cat.BLENDS] + [sku for sku, *_ in cat.PACKS]
    supplies = {
        member: [s[0] for s in cat.SUPPLIES if s[1] == member] for member, *_ in cat.MEMBERS
    }
    bags = [sku for sku, _, _, _, _, family_ in cat.SUPPLIES if family_ == "packaging"]
    stocked = [sku for sku, *_ in cat.PACKS] + [
        sku for sku, _, _, _, _, family_ in cat.SUPPLIES if family_ != "packaging"
    ]
    plan: list[tuple[str, str]] = [
        ("VRD-SANTOS", "GC-BR-SANTOS"),
        ("VRD-BUENAVENTURA", "GC-CO-SUPREMO"),
        ("VRD-BUENAVENTURA", "GC-CO-DECAF"),
        *(("VRD-HAMBURG", sku) for sku in greens),
        *(("ALP-KEMPTEN", sku) for sku in supplies["ALPENMILCH"]),
        *(("CPW-VENLO", sku) for sku in supplies["CUPWORKS"]),
        *(("ELB-HARBURG", sku) for sku in [*greens, *made, *bags]),
        *((dc, sku) for dc in cat.DC_SIZE for sku in stocked),
    ]
    recipes = {sku: recipe for sku, _, _, recipe in cat.DRINKS}
    order = {item.sku: index for index, item in enumerate(_items())}
    for index, cafe in enumerate(cat.CAFES):
        menus = [menu for _, spot, menu in machines if spot is cafe]
        parts = {part for menu in menus for drink in menu for part, _ in recipes[drink]}
        retail = {cat.RETAIL_DEMAND[0][0], _retail_extra(index)[0]}
        plan += [(cafe[0], sku) for sku in sorted(parts | retail, key=order.__getitem__)]
    plan += [(code, drink) for code, _, menu in machines for drink in menu]
    return tuple(
        ItemSiteRow(sku, site, _parameters(kind[site], family[sku], bag_kg.get(sku)))
        for site, sku in plan
    )


def _parameters(kind: SiteKind, family: str, bag_kg: float | None) -> PlanningParameters:
    service, review = _SERVICE[kind]
    store_case, upstream_case = cat.CASE.get(family, (None, None))
    multiple = store_case if kind is SiteKind.STORE else (bag_kg or upstream_case)
    made_here = kind in (SiteKind.PLANT, SiteKind.DEVICE)
    costs = {
        "processing_days": cat.PROCESSING_DAYS[kind],
        "added_cost": cat.CONVERSION_COST.get(family) if made_here else None,
        "handling_cost": cat.HANDLING_COST[kind],
    }
    if kind is SiteKind.DEVICE:
        return PlanningParameters(target_service_level=service, review_period_days=review, **costs)
    container = cat.CONTAINER_KG if kind is SiteKind.WAREHOUSE else None
    return PlanningParameters(
        target_service_level=service,
        review_period_days=1.0 if family == "roasted_bulk" else review,
        min_order_quantity=container,
        order_multiple=multiple,
        holding_cost_rate=cat.HOLDING_RATE.get(family),
        order_quantity=container,
        **costs,
    )


def _lanes(machines: list[_Machine]) -> tuple[LaneRow, ...]:
    where = {code: (lat, lon) for code, _, _, _, lat, lon, _, _ in cat.SITES}
    fixed = [LaneRow(*spec) for spec in cat.LANES]
    deliveries = []
    for code, _, _, lat, lon, dc, *_ in cat.CAFES:
        km = _distance_km(where[dc], (lat, lon))
        van = km < 150
        deliveries.append(
            LaneRow(
                from_site=dc,
                to_site=code,
                mode=TransportMode.VAN if van else TransportMode.LESS_THAN_TRUCKLOAD,
                lead_time_mean_days=round(0.5 + km / 500, 1),
                lead_time_std_days=round(0.1 + km / 2000, 2),
                cost_per_unit=round(0.02 + km / 10000, 3),
                capacity_per_day=1200.0 if van else None,
            )
        )
    # In-store replenishment of each machine from its café's back room.
    in_store = [
        LaneRow(cafe[0], code, TransportMode.ROAD, 0.0, 0.0, 0.0) for code, cafe, _ in machines
    ]
    return (*fixed, *deliveries, *in_store)


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# ---------------------------------------------------------------- demand


def _retail_extra(cafe_index: int) -> cat.DemandSpec:
    return cat.RETAIL_DEMAND[1 + cafe_index % (len(cat.RETAIL_DEMAND) - 1)]


def _demand_series(machines: list[_Machine]) -> list[_Series]:
    """Demand of menu drinks at machines, retail bags at cafés and wholesale bags at DCs."""
    series: list[_Series] = []
    for code, cafe, menu in machines:
        for drink in menu:
            level, growth, amplitude, peak, occurrence = cat.DRINK_DEMAND[drink]
            seasonal = amplitude > 1
            profile = DemandProfile(
                level=level * cafe[6],
                trend=growth,
                trend_kind=Trend.MULTIPLICATIVE if growth >= 0 else Trend.LINEAR,
                weekly=cat.WEEKLY[cafe[7]],
                yearly=yearly_terms(peak, amplitude),
                promo_rate=0.0 if seasonal else 3.0,
                promo_days=10,
                promo_uplift=1.35,
                dip_days=3,
                dip_factor=0.9,
                occurrence=occurrence,
                noise=Noise.NEGATIVE_BINOMIAL,
                dispersion=25.0 if occurrence == 1 else 2.0,
            )
            series.append((code, drink, profile))
    for index, cafe in enumerate(cat.CAFES):
        for sku, level, occurrence in (cat.RETAIL_DEMAND[0], _retail_extra(index)):
            profile = DemandProfile(
                level=level * cafe[6],
                trend=0.05,
                trend_kind=Trend.MULTIPLICATIVE,
                weekly=cat.WEEKLY[cafe[7]],
                yearly=yearly_terms(12, 0.5),
                promo_rate=5.0,
                promo_days=7,
                promo_uplift=1.8,
                dip_days=7,
                dip_factor=0.75,
                occurrence=occurrence,
                noise=Noise.NEGATIVE_BINOMIAL,
                dispersion=3.0,
            )
            series.append((cafe[0], sku, profile))
    for dc, size in cat.DC_SIZE.items():
        for sku, level, occurrence in cat.WHOLESALE_DEMAND:
            profile = DemandProfile(
                level=level * size,
                trend=0.04,
                trend_kind=Trend.MULTIPLICATIVE,
                weekly=cat.WEEKLY["wholesale"],
                yearly=yearly_terms(2, 0.1),
                promo_rate=2.0,
                promo_days=14,
                promo_uplift=1.3,
                dip_days=7,
                dip_factor=0.85,
                occurrence=occurrence,
                noise=Noise.NEGATIVE_BINOMIAL,
                dispersion=8.0,
            )
            series.append((dc, sku, profile))
    return series


def _demand_rows(
    series: list[_Series], history: SyntheticDemand, start: date
) -> tuple[DemandRow, ...]:
    days = [start + timedelta(days=offset) for offset in range(history.dates.shape[0])]
    return tuple(
        DemandRow(site, item, day, float(quantity))
        for (site, item, _), row in zip(series, history.quantities.tolist(), strict=True)
        for day, quantity in zip(days, row, strict=True)
    )
