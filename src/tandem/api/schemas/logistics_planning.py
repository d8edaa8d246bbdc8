"""Load planning and delivery routing: the requests and the plans they return."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from tandem.api.schemas.common import Id, RequestModel, ResponseModel
from tandem.domain.network import TransportMode
from tandem.services.logistics.planning import MAX_WINDOW_DAYS
from tandem.services.logistics.routes import RouteSettings

MINUTES = Annotated[int, Field(ge=0, le=24 * 60)]


class LoadPlanIn(RequestModel):
    from_day: date = Field(description="First pick-up day planned")
    to_day: date = Field(description="Last day whose ship-by lines are planned")
    window_days: Annotated[int, Field(ge=1, le=MAX_WINDOW_DAYS)] = Field(
        default=1, description="Lines due within this many days of each other may share loads"
    )


class ModeRankOut(ResponseModel):
    option: str
    mode: TransportMode
    freight: float
    carrying: float
    total_cost: float
    arrival_day: date
    feasible: bool
    reason: str


class PlannedLineOut(ResponseModel):
    key: str
    item_id: int
    sku: str
    quantity: Decimal
    fraction: float
    weight_kg: float
    volume_m3: float


class PlannedLoadOut(ResponseModel):
    load_id: int | None
    number: str
    origin_site_id: int
    origin: str
    destination_site_id: int
    destination: str
    lane_id: int
    mode: TransportMode
    vehicle: str | None
    departure: date
    arrival: date
    due: date
    on_time: bool
    weight_kg: float
    volume_m3: float
    weight_utilisation: float | None
    volume_utilisation: float | None
    cost: float
    distance_km: float
    lines: list[PlannedLineOut]
    ranking: list[ModeRankOut]


class UnplannedLineOut(ResponseModel):
    key: str
    item_id: int
    quantity: Decimal
    reason: str


class LoadPlanOut(ResponseModel):
    member_id: int
    from_day: date
    to_day: date
    window_days: int
    total_cost: float
    lower_bound_loads: int
    gap_loads: int
    replaced_loads: int
    mean_weight_utilisation: float | None
    mean_volume_utilisation: float | None
    split_line_keys: list[str]
    loads: list[PlannedLoadOut]
    unplanned: list[UnplannedLineOut]


class SiteWindowIn(RequestModel):
    site_id: Id
    open_minute: MINUTES
    close_minute: MINUTES

    @model_validator(mode="after")
    def _ordered(self) -> SiteWindowIn:
        if self.close_minute < self.open_minute:
            raise ValueError("close_minute must not be before open_minute")
        return self


class RoutePlanIn(RequestModel):
    depot_site_id: Id
    day: date
    time_limit_s: Annotated[float, Field(gt=0, le=60)] = 5.0
    vehicles_per_type: Annotated[int, Field(ge=1, le=20)] = 3
    windows: list[SiteWindowIn] = Field(
        default_factory=list, description="Service windows (minutes of the day) by site"
    )

    def settings(self) -> RouteSettings:
        windows = {w.site_id: (w.open_minute, w.close_minute) for w in self.windows}
        return RouteSettings(self.time_limit_s, None, self.vehicles_per_type, windows)


class RouteStopOut(ResponseModel):
    site_id: int
    code: str
    latitude: float
    longitude: float
    arrival_minute: int
    service_start_minute: int
    departure_minute: int
    delivered_kg: float
    delivered_m3: float
    km_from_previous: float
    window: tuple[int, int]


class PlannedRouteOut(ResponseModel):
    vehicle: str
    vehicle_type_id: int
    mode: TransportMode
    capacity_kg: float
    capacity_m3: float
    load_id: int | None
    number: str
    stops: list[RouteStopOut]
    start_minute: int
    end_minute: int
    distance_km: float
    load_kg: float
    load_m3: float
    cost: float


class UnroutedStopOut(ResponseModel):
    site_id: int
    code: str
    reason: str


class RoutePlanOut(ResponseModel):
    depot_site_id: int
    depot: str
    day: date
    method: str
    total_km: float
    total_cost: float
    baseline_km: float
    baseline_cost: float
    baseline_unrouted: int
    replaced_loads: int
    routes: list[PlannedRouteOut]
    unrouted: list[UnroutedStopOut]
