"""Logistics planning: a shipper's loads for a window of days, a depot's delivery routes for a
day. Both store what they plan (planned loads) and return the plan."""

from __future__ import annotations

from fastapi import APIRouter

from tandem.api.deps import Caller, Services
from tandem.api.schemas.logistics_planning import LoadPlanIn, LoadPlanOut, RoutePlanIn, RoutePlanOut
from tandem.services.logistics.planning import plan_loads
from tandem.services.logistics.routes import plan_routes

router = APIRouter(tags=["logistics"])


@router.post("/logistics/plan", name="plan_logistics_loads")
def plan_logistics_loads(services: Services, caller: Caller, body: LoadPlanIn) -> LoadPlanOut:
    """Consolidate the caller's open order lines and planned transfers into loads (bin
    packing per lane and date window), choose each load's mode by landed cost against its due
    date, and store them as planned loads (re-planning the window replaces them)."""
    plan = plan_loads(services, caller, body.from_day, body.to_day, body.window_days)
    return LoadPlanOut.model_validate(plan)


@router.post("/logistics/routes", name="plan_logistics_routes")
def plan_logistics_routes(services: Services, caller: Caller, body: RoutePlanIn) -> RoutePlanOut:
    """Route the day's deliveries from one of the caller's depots (OR-Tools CVRPTW with a
    nearest-neighbour baseline) and store one planned load per route."""
    plan = plan_routes(services, caller, body.depot_site_id, body.day, body.settings())
    return RoutePlanOut.model_validate(plan)
