"""Request and response bodies of production: resources, routings, resource load, the master
schedule, production orders, the schedule (Gantt) and capable-to-promise."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, model_validator

from tandem.api.schemas.common import Code, Id, Name, RequestModel, ResponseModel
from tandem.domain.production import (
    Changeover,
    ProductionOrderStatus,
    ResourceKind,
    RoutingOperation,
)
from tandem.services.production import (
    CheckPromise,
    PlanMasterSchedule,
    ReleaseOrders,
    ResourceSpec,
    RoutingSpec,
    ScheduleOrders,
)

Hours = Annotated[float, Field(ge=0, le=24)]
Family = Annotated[str, Field(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")]
Money = Annotated[float, Field(ge=0, le=1e9)]
TimeLimit = Annotated[float, Field(gt=0, le=120)]


class ChangeoverIn(RequestModel):
    from_family: Annotated[Family, Field(min_length=1)]
    to_family: Annotated[Family, Field(min_length=1)]
    hours: Hours


class ResourceIn(RequestModel):
    """A work centre or line at one of your sites. ``working_weekdays``: 0 = Monday."""

    site_id: Id
    code: Code
    name: Name
    kind: ResourceKind = ResourceKind.WORK_CENTRE
    hours_per_day: Annotated[float, Field(gt=0, le=24)] = 8.0
    working_weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], min_length=1, max_length=7
    )
    non_working_dates: list[date] = Field(default_factory=list, max_length=400)
    max_overtime_hours_per_day: Hours = 0.0
    overtime_cost_per_hour: Money = 0.0
    changeovers: list[ChangeoverIn] = Field(default_factory=list, max_length=400)
    default_changeover_hours: Hours = 0.0

    def spec(self) -> ResourceSpec:
        return ResourceSpec(
            self.site_id, self.code, self.name, self.kind, self.hours_per_day,
            tuple(self.working_weekdays), tuple(self.non_working_dates),
            self.max_overtime_hours_per_day, self.overtime_cost_per_hour,
            tuple(Changeover(c.from_family, c.to_family, c.hours) for c in self.changeovers),
            self.default_changeover_hours,
        )  # fmt: skip


class ChangeoverOut(ResponseModel):
    from_family: str
    to_family: str
    hours: float


class ResourceOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    site_id: int
    code: str
    name: str
    kind: ResourceKind
    hours_per_day: float
    working_weekdays: list[int]
    non_working_dates: list[date]
    max_overtime_hours_per_day: float
    overtime_cost_per_hour: float
    changeovers: list[ChangeoverOut]
    default_changeover_hours: float


class OperationIn(RequestModel):
    resource_id: Id
    setup_hours: Annotated[float, Field(ge=0, le=1000)] = 0.0
    run_hours_per_unit: Annotated[float, Field(ge=0, le=1000)] = 0.0


class RoutingIn(RequestModel):
    """How an item is made at one of your sites: operations in sequence, each on a resource of
    that site; ``family`` is the product family the changeover matrices name."""

    item_id: Id
    site_id: Id
    operations: list[OperationIn] = Field(min_length=1, max_length=50)
    family: Family = ""

    def spec(self) -> RoutingSpec:
        ops = tuple(
            RoutingOperation(o.resource_id, o.setup_hours, o.run_hours_per_unit)
            for o in self.operations
        )
        return RoutingSpec(self.item_id, self.site_id, ops, self.family)


class OperationOut(ResponseModel):
    resource_id: int
    setup_hours: float
    run_hours_per_unit: float


class RoutingOut(ResponseModel):
    id: int
    network_id: int
    member_id: int
    item_id: int
    site_id: int
    operations: list[OperationOut]
    family: str


class OrderHoursOut(ResponseModel):
    ref: str
    hours: float


class ResourceLoadRowOut(ResponseModel):
    resource_id: int
    code: str
    name: str
    capacity: list[float]
    load: list[float]
    utilisation: list[float | None]
    levelled_load: list[float]


class OverloadOut(ResponseModel):
    resource_id: int
    code: str
    bucket_start: date
    load: float
    capacity: float
    excess: float
    orders: list[OrderHoursOut]


class LevellingOut(ResponseModel):
    ref: str
    from_start: date
    to_start: date


class ResourceLoadOut(ResponseModel):
    """Hours per resource per bucket of the run's planned production orders (``utilisation``
    null where a closed bucket carries load), overloads with their orders, levelling moves."""

    run_id: int
    bucket: str
    buckets: list[date]
    resources: list[ResourceLoadRowOut]
    overloads: list[OverloadOut]
    moves: list[LevellingOut]
    late_starts: list[str]
    unrouted: list[str]
    beyond_horizon: list[str]


class MpsIn(RequestModel):
    """Demand of a run (default: your live plan); cost settings of the master schedule."""

    run_id: Id | None = None
    item_ids: list[Id] = Field(default_factory=list, max_length=500)
    setup_cost: Money = 0.0
    holding_cost: Money | None = Field(default=None, description="Per unit per bucket")
    backlog_cost_factor: Annotated[float, Field(ge=0, le=1000)] = 4.0
    allow_backlog: bool = True
    whole_units: bool = False
    time_limit_s: TimeLimit = 30.0

    def command(self) -> PlanMasterSchedule:
        return PlanMasterSchedule(
            self.run_id, tuple(self.item_ids), self.setup_cost, self.holding_cost,
            self.backlog_cost_factor, self.allow_backlog, self.whole_units, self.time_limit_s,
        )  # fmt: skip


class MpsProductOut(ResponseModel):
    item_id: int
    site_id: int
    sku: str
    demand: list[float]
    production: list[float]
    inventory: list[float]
    backlog: list[float]
    setups: list[bool]
    initial_inventory: float


class MpsResourceOut(ResponseModel):
    resource_id: int
    code: str
    capacity: list[float]
    load: list[float]
    overtime: list[float]


class MpsOut(ResponseModel):
    run_id: int
    status: str
    message: str
    objective: float | None
    dual_bound: float | None
    mip_gap: float | None
    costs: dict[str, float]
    buckets: list[date]
    products: list[MpsProductOut]
    resources: list[MpsResourceOut]


class ReleaseIn(RequestModel):
    run_id: Id | None = None
    planned_order_ids: list[Id] = Field(default_factory=list, max_length=1000)

    def command(self) -> ReleaseOrders:
        return ReleaseOrders(self.run_id, tuple(self.planned_order_ids))


class ProductionOrderOut(ResponseModel):
    id: int
    item_id: int
    site_id: int
    quantity: float
    due_date: date
    status: ProductionOrderStatus
    created_at: datetime
    run_id: int | None
    planned_order_ref: str | None


class ScheduleIn(RequestModel):
    start: date | None = Field(default=None, description="First day scheduled; default today")
    time_limit_s: TimeLimit = 10.0
    tardiness_weight: Annotated[int, Field(ge=0, le=1000)] = 1
    setup_weight: Annotated[int, Field(ge=0, le=1000)] = 1

    def command(self) -> ScheduleOrders:
        return ScheduleOrders(
            self.start, self.time_limit_s, self.tardiness_weight, self.setup_weight
        )


class GanttBarOut(ResponseModel):
    production_order_id: int
    operation_no: int
    resource_id: int
    sku: str
    family: str
    start_minute: int
    end_minute: int
    setup_minutes: int
    start_at: datetime
    end_at: datetime
    due_date: date
    tardy: bool


class ScheduledOrderOut(ResponseModel):
    production_order_id: int
    sku: str
    quantity: float
    due_date: date
    completion_at: datetime
    tardiness_minutes: int


class ScheduleOut(ResponseModel):
    """Times in working minutes from ``origin`` at the shift start (each working day adds
    ``day_minutes``), and as clock times."""

    id: int
    created_at: datetime
    origin: date
    day_minutes: int
    status: str
    objective: float
    best_bound: float
    total_setup_minutes: int
    bars: list[GanttBarOut]
    orders: list[ScheduledOrderOut]


class CtpIn(RequestModel):
    """A customer order line of yours, or an item made at one of your sites with a quantity
    and a requested date."""

    customer_order_line_id: Id | None = None
    item_id: Id | None = None
    site_id: Id | None = None
    quantity: Annotated[float, Field(gt=0, le=1e9)] | None = None
    requested_date: date | None = None
    time_limit_s: TimeLimit = 10.0

    @model_validator(mode="after")
    def _one_request(self) -> CtpIn:
        hypothetical = (self.item_id, self.site_id, self.quantity, self.requested_date)
        if self.customer_order_line_id is None and None in hypothetical:
            raise ValueError(
                "give customer_order_line_id, or item_id, site_id, quantity and requested_date"
            )
        return self

    def command(self) -> CheckPromise:
        return CheckPromise(
            self.customer_order_line_id, self.item_id, self.site_id, self.quantity,
            self.requested_date, self.time_limit_s,
        )  # fmt: skip


class CtpOut(ResponseModel):
    item_id: int
    site_id: int
    quantity: float
    requested_date: date
    status: str
    earliest_completion_at: datetime | None
    earliest_date: date | None
    on_time: bool
    schedule_id: int | None
