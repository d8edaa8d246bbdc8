"""The network context: the map, members, sites, items and lanes."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from pydantic import Field

from tandem.api.schemas.common import (
    Code,
    Id,
    Line64,
    Line120,
    Name,
    RequestModel,
    ResponseModel,
    Sorted,
)
from tandem.domain.network import MemberRole, SiteKind, TransportMode
from tandem.services.lanes import LaneFields
from tandem.services.network import ItemFields, MemberFields, SiteFields

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
NonNegative = Annotated[float, Field(ge=0)]


class NetworkOut(ResponseModel):
    id: int
    code: str
    name: str
    description: str
    currency: str = Field(description="ISO 4217 code of the network's one currency")


class MemberIn(RequestModel):
    code: Code
    name: Name
    roles: Annotated[list[MemberRole], Field(min_length=1, max_length=len(MemberRole))]
    country: Line64 = ""

    def fields(self) -> MemberFields:
        return MemberFields(self.code, self.name, frozenset(self.roles), self.country)


class MemberOut(ResponseModel):
    id: int
    network_id: int
    code: str
    name: str
    roles: Annotated[list[MemberRole], Sorted]
    country: str


class SiteUpdate(RequestModel):
    code: Code
    name: Name
    kind: SiteKind
    latitude: Latitude
    longitude: Longitude
    city: Line120 = ""
    country: Line64 = ""
    allows_backorders: bool = Field(
        default=False, description="Whether stock at this site may go below zero (backorders)"
    )

    def fields(self) -> SiteFields:
        return SiteFields(
            self.code,
            self.name,
            self.kind,
            self.latitude,
            self.longitude,
            self.city,
            self.country,
            allows_backorders=self.allows_backorders,
        )


class SiteIn(SiteUpdate):
    member_id: Id | None = Field(
        default=None, description="Owning member; omitted: the caller's (others: admins only)"
    )

    def fields(self) -> SiteFields:
        return replace(super().fields(), member_id=self.member_id)


class SiteOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    code: str
    name: str
    kind: SiteKind
    latitude: float
    longitude: float
    city: str
    country: str
    allows_backorders: bool


class ItemIn(RequestModel):
    sku: Code
    name: Name
    unit: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[^\x00-\x1f\x7f]*$")]
    unit_value: NonNegative
    family: Line120 = ""
    weight_kg: NonNegative | None = Field(default=None, description="Shipping weight per unit")
    volume_m3: NonNegative | None = Field(default=None, description="Shipping m³ per unit")

    def fields(self) -> ItemFields:
        return ItemFields(
            self.sku,
            self.name,
            self.unit,
            self.unit_value,
            self.family,
            self.weight_kg,
            self.volume_m3,
        )


class ItemOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    sku: str
    name: str
    unit: str
    unit_value: float
    family: str
    weight_kg: float | None
    volume_m3: float | None


class LaneIn(RequestModel):
    from_site_id: Id
    to_site_id: Id
    mode: TransportMode
    lead_time_mean_days: NonNegative
    lead_time_std_days: NonNegative
    cost_per_unit: NonNegative
    capacity_per_day: Annotated[float, Field(gt=0)] | None = None
    item_id: Id | None = Field(default=None, description="Only this item; omitted: all items")
    duty_rate: NonNegative = Field(
        default=0.0, description="Import duty, a fraction of the customs value (0: domestic)"
    )

    def fields(self) -> LaneFields:
        return LaneFields(**self.model_dump())


class LaneOut(ResponseModel):
    id: int
    network_id: int
    from_site_id: int
    to_site_id: int
    mode: TransportMode
    lead_time_mean_days: float
    lead_time_std_days: float
    cost_per_unit: float
    capacity_per_day: float | None
    item_id: int | None
    duty_rate: float


class NetworkMapOut(ResponseModel):
    network: NetworkOut
    members: list[MemberOut]
    sites: list[SiteOut]
    lanes: list[LaneOut]
