"""Production: your member's resources and routings, the resource load of a planning run, the
master production schedule, production orders released from a run, their CP-SAT schedule (the
Gantt chart's data) and capable-to-promise against it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.production import (
    CtpIn,
    CtpOut,
    MpsIn,
    MpsOut,
    ProductionOrderOut,
    ReleaseIn,
    ResourceIn,
    ResourceLoadOut,
    ResourceOut,
    RoutingIn,
    RoutingOut,
    ScheduleIn,
    ScheduleOut,
)
from tandem.domain.errors import NotFound
from tandem.domain.production import ProductionOrderStatus
from tandem.services import production
from tandem.services.production import ScheduleView

router = APIRouter(tags=["production"])


@router.post("/production/resources", name="create_resource", status_code=201)
def create_resource(
    services: Services, caller: Caller, body: ResourceIn, request: Request, response: Response
) -> ResourceOut:
    resource = production.create_resource(services, caller, body.spec())
    created(request, response, "get_resource", resource_id=resource.id)
    return ResourceOut.model_validate(resource)


@router.get("/production/resources", name="list_resources")
def list_resources(
    services: Services, caller: Caller, page: Paging, site_id: Annotated[Id | None, Query()] = None
) -> PageOut[ResourceOut]:
    """Your member's work centres and lines."""
    return PageOut[ResourceOut].of(production.list_resources(services, caller, page, site_id))


@router.get("/production/resources/{resource_id}", name="get_resource")
def get_resource(services: Services, caller: Caller, resource_id: Id) -> ResourceOut:
    return ResourceOut.model_validate(production.get_resource(services, caller, resource_id))


@router.put("/production/resources/{resource_id}", name="update_resource")
def update_resource(
    services: Services, caller: Caller, resource_id: Id, body: ResourceIn
) -> ResourceOut:
    resource = production.update_resource(services, caller, resource_id, body.spec())
    return ResourceOut.model_validate(resource)


@router.delete("/production/resources/{resource_id}", name="delete_resource", status_code=204)
def delete_resource(services: Services, caller: Caller, resource_id: Id) -> Response:
    """Refused with ``in_use`` while a routing or a schedule uses the resource."""
    production.delete_resource(services, caller, resource_id)
    return Response(status_code=204)


@router.post("/production/routings", name="create_routing", status_code=201)
def create_routing(
    services: Services, caller: Caller, body: RoutingIn, request: Request, response: Response
) -> RoutingOut:
    routing = production.create_routing(services, caller, body.spec())
    created(request, response, "get_routing", routing_id=routing.id)
    return RoutingOut.model_validate(routing)


@router.get("/production/routings", name="list_routings")
def list_routings(
    services: Services, caller: Caller, page: Paging, item_id: Annotated[Id | None, Query()] = None
) -> PageOut[RoutingOut]:
    return PageOut[RoutingOut].of(production.list_routings(services, caller, page, item_id))


@router.get("/production/routings/{routing_id}", name="get_routing")
def get_routing(services: Services, caller: Caller, routing_id: Id) -> RoutingOut:
    return RoutingOut.model_validate(production.get_routing(services, caller, routing_id))


@router.put("/production/routings/{routing_id}", name="update_routing")
def update_routing(
    services: Services, caller: Caller, routing_id: Id, body: RoutingIn
) -> RoutingOut:
    routing = production.update_routing(services, caller, routing_id, body.spec())
    return RoutingOut.model_validate(routing)


@router.delete("/production/routings/{routing_id}", name="delete_routing", status_code=204)
def delete_routing(services: Services, caller: Caller, routing_id: Id) -> Response:
    production.delete_routing(services, caller, routing_id)
    return Response(status_code=204)


@router.get("/planning-runs/{run_id}/resource-load", name="get_resource_load")
def get_resource_load(services: Services, caller: Caller, run_id: Id) -> ResourceLoadOut:
    """Load of the run's planned production orders per resource and bucket against capacity,
    computed on read from your current resources and routings (``conflict`` for a run that
    has not succeeded)."""
    return ResourceLoadOut.model_validate(production.resource_load(services, caller, run_id))


@router.post("/production/mps", name="plan_master_schedule")
def plan_master_schedule(services: Services, caller: Caller, body: MpsIn) -> MpsOut:
    """Master production schedule of your made items over the run's horizon (a MIP on HiGHS);
    a proposal, not stored. An infeasible plan answers 200 with ``status`` infeasible."""
    return MpsOut.model_validate(production.plan_mps(services, caller, body.command()))


@router.post("/production-orders/release", name="release_production_orders")
def release_production_orders(
    services: Services, caller: Caller, body: ReleaseIn
) -> list[ProductionOrderOut]:
    """Release planned production orders of a run (default: every routed one of the live
    plan); releasing one twice returns the same production order."""
    released = production.release_orders(services, caller, body.command())
    return [ProductionOrderOut.model_validate(o) for o in released]


@router.get("/production-orders", name="list_production_orders")
def list_production_orders(
    services: Services,
    caller: Caller,
    page: Paging,
    status: Annotated[ProductionOrderStatus | None, Query()] = None,
) -> PageOut[ProductionOrderOut]:
    found = production.list_production_orders(services, caller, page, status)
    return PageOut[ProductionOrderOut].of(found)


@router.post("/production-orders/{order_id}/complete", name="complete_production_order")
def complete_production_order(
    services: Services, caller: Caller, order_id: Id
) -> ProductionOrderOut:
    return ProductionOrderOut.model_validate(production.complete_order(services, caller, order_id))


def _schedule_out(view: ScheduleView) -> ScheduleOut:
    s = view.schedule
    return ScheduleOut.model_validate({
        "id": s.id, "created_at": s.created_at, "origin": s.origin,
        "day_minutes": s.day_minutes, "status": s.status, "objective": s.objective,
        "best_bound": s.best_bound, "total_setup_minutes": s.total_setup_minutes,
        "bars": view.bars, "orders": view.orders,
    })  # fmt: skip


@router.post("/production/schedule", name="schedule_production")
def schedule_production(services: Services, caller: Caller, body: ScheduleIn) -> ScheduleOut:
    """Sequence every released production order on your resources with CP-SAT (weighted
    tardiness plus setup minutes) and store the schedule as the current one."""
    return _schedule_out(production.schedule_released(services, caller, body.command()))


@router.get("/production/schedule", name="get_production_schedule")
def get_production_schedule(services: Services, caller: Caller) -> ScheduleOut:
    """Your current (latest) schedule; ``not_found`` before the first one."""
    view = production.current_schedule(services, caller)
    if view is None:
        raise NotFound("no production schedule yet")
    return _schedule_out(view)


@router.post("/production/ctp", name="capable_to_promise")
def capable_to_promise(services: Services, caller: Caller, body: CtpIn) -> CtpOut:
    """Earliest completion of a customer order line (or item, site, quantity, date) on the
    current schedule without delaying any scheduled order."""
    return CtpOut.model_validate(production.check_promise(services, caller, body.command()))
