"""The shared supply network: members, sites, items, stocking points, bills of materials, lanes.

Plain frozen dataclasses and the rules that keep the model sound. Every validator takes a
``location`` label so the same rule can name "lane 'DC-N>CAFE-07'" for the API and
"sheet lanes, row 12" for a workbook import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import networkx as nx

from tandem.domain.errors import BomCycle, ValidationFailed, Violation


class MemberRole(StrEnum):
    SUPPLIER = "supplier"
    MANUFACTURER = "manufacturer"
    DISTRIBUTOR = "distributor"
    RETAILER = "retailer"
    CARRIER = "carrier"


class SiteKind(StrEnum):
    PLANT = "plant"
    WAREHOUSE = "warehouse"
    DISTRIBUTION_CENTRE = "distribution_centre"
    STORE = "store"
    DEVICE = "device"
    SUPPLIER_SITE = "supplier_site"
    CARRIER_HUB = "carrier_hub"


class TransportMode(StrEnum):
    ROAD = "road"
    FULL_TRUCKLOAD = "full_truckload"
    LESS_THAN_TRUCKLOAD = "less_than_truckload"
    PARCEL = "parcel"
    RAIL = "rail"
    SEA = "sea"
    AIR = "air"
    VAN = "van"


@dataclass(frozen=True)
class Network:
    id: int
    code: str
    name: str
    description: str = ""
    currency: str = "EUR"


@dataclass(frozen=True)
class Member:
    id: int
    network_id: int
    code: str
    name: str
    roles: frozenset[MemberRole]
    country: str = ""


@dataclass(frozen=True)
class Site:
    id: int
    network_id: int
    member_id: int
    code: str
    name: str
    kind: SiteKind
    latitude: float
    longitude: float
    city: str = ""
    country: str = ""
    allows_backorders: bool = False


@dataclass(frozen=True)
class Item:
    id: int
    network_id: int
    member_id: int
    sku: str
    name: str
    unit: str
    unit_value: float
    family: str = ""
    weight_kg: float | None = None
    """Shipping weight of one unit (``None``: unknown); loads add it up."""
    volume_m3: float | None = None
    """Shipping volume of one unit in cubic metres (``None``: unknown)."""


@dataclass(frozen=True)
class PlanningParameters:
    """Per stocking point; filled in by inventory and supply planning (all optional here).

    The last four feed the coordinated inventory plan (guaranteed-service model and landed
    cost, :mod:`tandem.services.inventory_plan`); absent, they count as follows:

    * ``processing_days`` — production or handling time at the point, in days (absent: 0);
    * ``added_cost`` — cost added per unit here: the purchase price when the item is bought
      from outside the network, the conversion cost when it is made (absent: the item's
      ``unit_value`` at a point no lane or bill of materials feeds, else 0);
    * ``handling_cost`` — receiving, storage and picking per unit (absent: 0);
    * ``order_quantity`` — the replenishment batch; cycle stock averages half of it
      (absent: 0, no cycle stock carried).
    """

    target_service_level: float | None = None
    review_period_days: float | None = None
    safety_stock: float | None = None
    reorder_point: float | None = None
    order_up_to_level: float | None = None
    min_order_quantity: float | None = None
    order_multiple: float | None = None
    holding_cost_rate: float | None = None
    processing_days: float | None = None
    added_cost: float | None = None
    handling_cost: float | None = None
    order_quantity: float | None = None


@dataclass(frozen=True)
class ItemSite:
    """An item stocked or made at a site: a stocking point. Owned by the site's member."""

    id: int
    owner_member_id: int
    item_id: int
    site_id: int
    parameters: PlanningParameters = PlanningParameters()


@dataclass(frozen=True)
class BomLine:
    """``quantity_per`` units of ``component`` go into one unit of ``parent``.

    ``site_id`` narrows the line to one producing site; ``None`` means every site.
    Owned by the parent item's member.
    """

    id: int
    owner_member_id: int
    parent_item_id: int
    component_item_id: int
    quantity_per: float
    site_id: int | None = None


@dataclass(frozen=True)
class Lane:
    """A transport lane between two sites, for one item or (``item_id is None``) all items.

    ``duty_rate`` is the ad valorem import duty charged on the goods moved, a fraction of their
    customs value (0 for a domestic lane).
    """

    id: int
    network_id: int
    from_site_id: int
    to_site_id: int
    mode: TransportMode
    lead_time_mean_days: float
    lead_time_std_days: float
    cost_per_unit: float
    capacity_per_day: float | None = None
    item_id: int | None = None
    duty_rate: float = 0.0


@dataclass(frozen=True)
class DemandPoint:
    """Observed demand of one item at one site on one day (category ``demand_history``)."""

    id: int
    owner_member_id: int
    site_id: int
    item_id: int
    day: date
    quantity: float


# ---------------------------------------------------------------- rules


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def check_code(code: str, location: str, field: str = "code") -> list[Violation]:
    if not code or not code.strip():
        return [Violation(location, "must not be empty", field)]
    if len(code) > 64:
        return [Violation(location, "must be at most 64 characters", field)]
    return []


def check_non_negative(value: float, location: str, field: str) -> list[Violation]:
    if not _finite(value):
        return [Violation(location, "must be a finite number", field)]
    if value < 0:
        return [Violation(location, f"must not be negative (got {value:g})", field)]
    return []


def check_positive(value: float, location: str, field: str) -> list[Violation]:
    if not _finite(value) or value <= 0:
        return [Violation(location, f"must be a positive number (got {value!r})", field)]
    return []


def site_violations(code: str, latitude: float, longitude: float, location: str) -> list[Violation]:
    found = check_code(code, location)
    if not _finite(latitude) or not -90 <= latitude <= 90:
        found.append(Violation(location, "must lie in [-90, 90]", "latitude"))
    if not _finite(longitude) or not -180 <= longitude <= 180:
        found.append(Violation(location, "must lie in [-180, 180]", "longitude"))
    return found


def item_violations(
    sku: str,
    unit: str,
    unit_value: float,
    location: str,
    weight_kg: float | None = None,
    volume_m3: float | None = None,
) -> list[Violation]:
    found = check_code(sku, location, "sku")
    if not unit or not unit.strip():
        found.append(Violation(location, "must not be empty", "unit"))
    found += check_non_negative(unit_value, location, "unit_value")
    for name, value in (("weight_kg", weight_kg), ("volume_m3", volume_m3)):
        if value is not None:
            found += check_non_negative(value, location, name)
    return found


def lane_violations(
    from_site_id: int,
    to_site_id: int,
    lead_time_mean_days: float,
    lead_time_std_days: float,
    cost_per_unit: float,
    capacity_per_day: float | None,
    location: str,
    duty_rate: float = 0.0,
) -> list[Violation]:
    found: list[Violation] = []
    if from_site_id == to_site_id:
        found.append(Violation(location, "a lane must join two different sites", "to_site"))
    found += check_non_negative(lead_time_mean_days, location, "lead_time_mean_days")
    found += check_non_negative(lead_time_std_days, location, "lead_time_std_days")
    found += check_non_negative(cost_per_unit, location, "cost_per_unit")
    found += check_non_negative(duty_rate, location, "duty_rate")
    if capacity_per_day is not None:
        found += check_positive(capacity_per_day, location, "capacity_per_day")
    return found


def planning_parameter_violations(parameters: PlanningParameters, location: str) -> list[Violation]:
    found: list[Violation] = []
    level = parameters.target_service_level
    if level is not None and (not _finite(level) or not 0 < level < 1):
        found.append(
            Violation(location, "must lie strictly between 0 and 1", "target_service_level")
        )
    for name in (
        "review_period_days",
        "safety_stock",
        "reorder_point",
        "order_up_to_level",
        "min_order_quantity",
        "order_multiple",
        "holding_cost_rate",
        "processing_days",
        "added_cost",
        "handling_cost",
        "order_quantity",
    ):
        value = getattr(parameters, name)
        if value is not None:
            found += check_non_negative(value, location, name)
    return found


def bom_line_violations(
    parent_item_id: int, component_item_id: int, quantity_per: float, location: str
) -> list[Violation]:
    found = check_positive(quantity_per, location, "quantity_per")
    if parent_item_id == component_item_id:
        found.append(Violation(location, "an item cannot be its own component", "component"))
    return found


def find_bom_cycle(
    lines: Iterable[tuple[int, int]], describe: dict[int, str] | None = None
) -> list[int] | None:
    """Return the items on one cycle of the parent→component graph, or ``None`` if acyclic.

    A bill of materials must be a directed acyclic graph: no item may contain itself.
    """
    graph: nx.DiGraph = nx.DiGraph()
    graph.add_edges_from(lines)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return [int(edge[0]) for edge in cycle]


def ensure_bom_acyclic(
    lines: Sequence[tuple[int, int]], names: dict[int, str], location: str
) -> None:
    """Raise :class:`BomCycle` naming the items of the cycle (e.g. ``A > B > A``).

    The cycle is named from the parent of the last line, the one being added.
    """
    cycle = find_bom_cycle(lines)
    if cycle is None:
        return
    start = lines[-1][0] if lines else None
    if start in cycle:
        at = cycle.index(start)
        cycle = cycle[at:] + cycle[:at]
    path = " > ".join(names.get(i, str(i)) for i in [*cycle, cycle[0]])
    raise BomCycle(
        f"bill of materials has a cycle: {path}",
        violations=[Violation(location, f"closes the cycle {path}", "component")],
    )


def raise_if(violations: list[Violation], summary: str) -> None:
    if violations:
        detail = f"{summary}: " + "; ".join(str(v) for v in violations)
        raise ValidationFailed(detail, violations=violations)
