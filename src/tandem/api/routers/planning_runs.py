"""Planning runs: start one (it executes in a worker process, never in the request), follow its
progress, read its planned orders, records, exceptions and pegging, compare two runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.adapters.planning_worker import PlanningWorkerPool
from tandem.api.deps import Caller, Paging, Services, container_of
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.planning import (
    ComparisonOut,
    EndDemandOut,
    PeggingOut,
    PegOut,
    PlannedOrderOut,
    PlanningExceptionOut,
    PlanningRecordOut,
    PlanningRunIn,
    PlanningRunOut,
)
from tandem.domain.planning_runs import RunKind, RunStatus
from tandem.services import planning

router = APIRouter(prefix="/planning-runs", tags=["planning"])


def planning_pool(request: Request) -> PlanningWorkerPool:
    """The app's worker pool (started with the app's lifespan, or here on first use)."""
    state = request.app.state
    pool = getattr(state, "planning_pool", None)
    if not isinstance(pool, PlanningWorkerPool):
        pool = PlanningWorkerPool(container_of(request).settings.planning_workers)
        state.planning_pool = pool
    return pool


@router.post("", name="start_planning_run", status_code=202)
def start_planning_run(
    services: Services, caller: Caller, body: PlanningRunIn, request: Request, response: Response
) -> PlanningRunOut:
    """Queue a run of your member's MRP and hand it to a worker; poll ``Location`` for its
    progress. The same ``request_key`` returns the same run."""
    command = planning.StartRun(
        body.kind, body.horizon_buckets, body.bucket, tuple(body.scenario), body.as_of,
        body.request_key, body.mode,
    )  # fmt: skip
    run = planning.start_run(services, caller, command)
    if run.status is RunStatus.QUEUED:
        planning_pool(request).submit(container_of(request).settings.database_url, run.id)
    response.headers["Location"] = request.url_for("get_planning_run", run_id=run.id).path
    return PlanningRunOut.model_validate(run)


@router.get("", name="list_planning_runs")
def list_planning_runs(
    services: Services,
    caller: Caller,
    page: Paging,
    kind: Annotated[RunKind | None, Query()] = None,
    status: Annotated[RunStatus | None, Query()] = None,
) -> PageOut[PlanningRunOut]:
    """Your member's runs, newest first."""
    return PageOut[PlanningRunOut].of(planning.list_runs(services, caller, page, kind, status))


@router.get("/compare", name="compare_planning_runs")
def compare_planning_runs(
    services: Services, caller: Caller, a: Annotated[Id, Query()], b: Annotated[Id, Query()]
) -> ComparisonOut:
    """Planned receipts per item-site and week in two succeeded runs, and the difference."""
    return ComparisonOut.model_validate(planning.compare_runs(services, caller, a, b))


@router.get("/{run_id}", name="get_planning_run")
def get_planning_run(services: Services, caller: Caller, run_id: Id) -> PlanningRunOut:
    """Status and progress (0 to 1) of a run."""
    return PlanningRunOut.model_validate(planning.get_run(services, caller, run_id))


@router.get("/{run_id}/planned-orders", name="list_planned_orders")
def list_planned_orders(
    services: Services,
    caller: Caller,
    run_id: Id,
    page: Paging,
    kind: Annotated[str | None, Query(pattern="^(purchase|production|transfer)$")] = None,
) -> PageOut[PlannedOrderOut]:
    found = planning.run_planned_orders(services, caller, run_id, page, kind)
    return PageOut[PlannedOrderOut].of(found)


@router.get("/{run_id}/records", name="list_planning_records")
def list_planning_records(
    services: Services,
    caller: Caller,
    run_id: Id,
    page: Paging,
    item_id: Annotated[Id | None, Query()] = None,
    site_id: Annotated[Id | None, Query()] = None,
) -> PageOut[PlanningRecordOut]:
    """The time-phased record of each item-site (gross requirements, scheduled receipts,
    projected available, net requirements, planned receipts and releases, safety stock)."""
    found = planning.run_records(services, caller, run_id, page, item_id, site_id)
    return PageOut[PlanningRecordOut].of(found)


@router.get("/{run_id}/exceptions", name="list_planning_exceptions")
def list_planning_exceptions(
    services: Services,
    caller: Caller,
    run_id: Id,
    page: Paging,
    code: Annotated[str | None, Query(max_length=32)] = None,
) -> PageOut[PlanningExceptionOut]:
    found = planning.run_exceptions(services, caller, run_id, page, code)
    return PageOut[PlanningExceptionOut].of(found)


@router.get("/{run_id}/pegging/{order_id}", name="get_planned_order_pegging")
def get_planned_order_pegging(
    services: Services, caller: Caller, run_id: Id, order_id: Id
) -> PeggingOut:
    """One-level pegs of a planned order and the end demands it serves through every level."""
    found = planning.run_pegging(services, caller, run_id, order_id)
    return PeggingOut(
        order=PlannedOrderOut.model_validate(found.order),
        pegs=[PegOut.model_validate(p) for p in found.pegs],
        end_demands=[EndDemandOut(demand_ref=d, quantity=q) for d, q in found.end_demands],
    )
