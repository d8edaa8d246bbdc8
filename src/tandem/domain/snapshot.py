"""A whole network described by natural keys (codes and SKUs, never database ids).

This is the exchange format of the platform: the Excel workbook and the CSV folder are read into
a :class:`NetworkSnapshot` and written from one, and the demo network is built as one. Each row
keeps the ``row`` number it came from, as a planner sees it in the sheet or file (the header is
row 1, the first data row is row 2; 0 when the row was not read from a file), so a rejected import
can name sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tandem.domain.network import MemberRole, PlanningParameters, SiteKind, TransportMode


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str
    roles: frozenset[MemberRole]
    country: str = ""
    row: int = 0


@dataclass(frozen=True)
class UserRow:
    email: str
    member: str
    display_name: str
    password: str | None = None  # plain text only on the way in (demo, import); never exported
    is_network_admin: bool = False
    row: int = 0


@dataclass(frozen=True)
class SiteRow:
    code: str
    member: str
    name: str
    kind: SiteKind
    latitude: float
    longitude: float
    city: str = ""
    country: str = ""
    row: int = 0


@dataclass(frozen=True)
class ItemRow:
    sku: str
    member: str
    name: str
    unit: str
    unit_value: float
    family: str = ""
    weight_kg: float | None = None
    volume_m3: float | None = None
    row: int = 0


@dataclass(frozen=True)
class ItemSiteRow:
    item: str
    site: str
    parameters: PlanningParameters = PlanningParameters()
    row: int = 0


@dataclass(frozen=True)
class BomRow:
    parent: str
    component: str
    quantity_per: float
    site: str | None = None
    row: int = 0


@dataclass(frozen=True)
class LaneRow:
    from_site: str
    to_site: str
    mode: TransportMode
    lead_time_mean_days: float
    lead_time_std_days: float
    cost_per_unit: float
    capacity_per_day: float | None = None
    item: str | None = None
    duty_rate: float = 0.0
    row: int = 0


@dataclass(frozen=True)
class DemandRow:
    site: str
    item: str
    day: date
    quantity: float
    row: int = 0


@dataclass(frozen=True)
class NetworkSnapshot:
    code: str
    name: str
    description: str = ""
    members: tuple[MemberRow, ...] = ()
    users: tuple[UserRow, ...] = ()
    sites: tuple[SiteRow, ...] = ()
    items: tuple[ItemRow, ...] = ()
    item_sites: tuple[ItemSiteRow, ...] = ()
    bom: tuple[BomRow, ...] = ()
    lanes: tuple[LaneRow, ...] = ()
    demand: tuple[DemandRow, ...] = field(default=())
