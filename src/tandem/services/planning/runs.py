"""Planning runs as first-class objects: queue one, execute it (in a worker), read its status.

:func:`start_run` validates the request and stores a queued run: nothing is computed in the
caller (the web request). :func:`execute_run` — in a worker process, or inline from the CLI —
loads the member's data and working calendar, nets it with the MRP engine
(:func:`tandem.planning.mrp.plan`; a ``net_change`` run re-plans only what changed since the
live plan, :mod:`.net_change`) and stores every result, with the engine input it netted
(:mod:`.problem_codec`), in one transaction; progress is
written in separate short transactions, so readers see it move. A failure stores status
``failed`` and the error, and none of the results. The member's live plan is its latest
succeeded live run; what-if runs never replace it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from tandem.domain.errors import NotFound, TandemError, ValidationFailed, Violation
from tandem.domain.identity import ALL_SCOPES, Principal, Scope
from tandem.domain.planning_runs import (
    MAX_HORIZON_BUCKETS,
    PlanBucket,
    PlanningRun,
    PlanningRunInput,
    RunKind,
    RunMode,
    RunStatus,
    parse_scenario,
)
from tandem.planning import mrp
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.planning.net_change import NetChangePlan, plan_net_change
from tandem.services.planning.problem import build_problem
from tandem.services.planning.problem_codec import decode_problem, encode_problem
from tandem.services.planning.results import PlanRows, plan_rows
from tandem.services.planning.scenarios import scenario_code_violations
from tandem.services.ports import UnitOfWork

__all__ = [
    "StartRun",
    "execute_run",
    "get_run",
    "list_runs",
    "live_run",
    "own_run",
    "run_principal",
    "start_run",
]

MAX_KEY = 120


@dataclass(frozen=True)
class StartRun:
    """What to plan: ``horizon_buckets`` days or weeks as of ``as_of`` (default today); by
    regeneration, or by net change from the live plan."""

    kind: RunKind = RunKind.LIVE
    horizon_buckets: int = 12
    bucket: PlanBucket = PlanBucket.WEEK
    scenario: tuple[dict[str, Any], ...] = ()
    as_of: date | None = None
    request_key: str | None = None
    mode: RunMode = RunMode.REGENERATION


def _violations(uow: UnitOfWork, principal: Principal, command: StartRun) -> list[Violation]:
    found: list[Violation] = []
    if not 1 <= command.horizon_buckets <= MAX_HORIZON_BUCKETS:
        message = f"must lie in [1, {MAX_HORIZON_BUCKETS}]"
        found.append(Violation("planning_run", message, "horizon_buckets"))
    if command.kind is RunKind.LIVE and command.scenario:
        message = "a live run plans the data as it is: use kind what_if for a scenario"
        found.append(Violation("planning_run", message, "scenario"))
    if command.request_key is not None and not 1 <= len(command.request_key) <= MAX_KEY:
        found.append(Violation("planning_run", f"1 to {MAX_KEY} characters", "request_key"))
    deltas = parse_scenario(list(command.scenario))
    network = principal.network_id
    found += scenario_code_violations(
        deltas,
        {i.sku for i in uow.items.find(network_id=network)},
        {s.code for s in uow.sites.find(network_id=network)},
        {m.code for m in uow.members.find(network_id=network)},
    )
    return found


def start_run(ctx: ServiceContext, principal: Principal, command: StartRun) -> PlanningRun:
    """Queue a run of the caller's member; a repeated ``request_key`` returns the first run."""
    principal.require(Scope.DATA_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        if command.request_key is not None:
            found = uow.planning_runs.find(
                member_id=principal.member_id, request_key=command.request_key
            )
            if found:
                return found[0]
        violations = _violations(uow, principal, command)
        if violations:
            detail = "invalid planning run: " + "; ".join(str(v) for v in violations)
            raise ValidationFailed(detail, violations=violations)
        run = uow.planning_runs.add(
            PlanningRun(
                0, principal.network_id, principal.member_id, command.kind, RunStatus.QUEUED,
                command.as_of or now.date(), command.horizon_buckets, command.bucket,
                [dict(d) for d in command.scenario], now, message="queued",
                request_key=command.request_key, created_by_user_id=principal.user_id,
                mode=command.mode,
            )
        )  # fmt: skip
        uow.commit()
    return run


def run_principal(run: PlanningRun) -> Principal:
    """The member a worker plans for: the run's own, with the rights to read its own data."""
    return Principal(run.member_id, run.network_id, f"planning run {run.id}", ALL_SCOPES)


def _progress(ctx: ServiceContext, run_id: int, **changes: Any) -> PlanningRun:
    """One short transaction that moves the run on."""
    with ctx.uow() as uow:
        run = uow.planning_runs.get_for_update(run_id)
        if run is None:
            raise NotFound(f"planning run {run_id} not found")
        run = replace(run, **changes)
        uow.planning_runs.update(run)
        uow.commit()
    return run


def _claim(ctx: ServiceContext, run_id: int, worker_pid: int | None) -> PlanningRun | None:
    """Mark a queued run running (``None`` if another worker took it or it is done)."""
    with ctx.uow() as uow:
        run = uow.planning_runs.get_for_update(run_id)
        if run is None:
            raise NotFound(f"planning run {run_id} not found")
        if run.status is not RunStatus.QUEUED:
            return None
        run = replace(
            run, status=RunStatus.RUNNING, started_at=ctx.clock.now(), progress=0.05,
            message="loading the member's data", worker_pid=worker_pid,
        )  # fmt: skip
        uow.planning_runs.update(run)
        uow.commit()
    return run


Progress = Callable[[float, str], None]


def execute_run(
    ctx: ServiceContext,
    run_id: int,
    worker_pid: int | None = None,
    on_progress: Progress | None = None,
) -> PlanningRun:
    """Execute a queued run; returns it succeeded or failed (a run already taken is returned
    as it is). ``on_progress(fraction, message)`` mirrors each stored progress step."""
    run = _claim(ctx, run_id, worker_pid)
    if run is None:
        with ctx.uow() as uow:
            found = uow.planning_runs.get(run_id)
        assert found is not None
        return found

    def step(fraction: float, message: str) -> None:
        _progress(ctx, run_id, progress=fraction, message=message)
        if on_progress is not None:
            on_progress(fraction, message)

    try:
        return _compute(ctx, run, step)
    except (TandemError, mrp.MRPInputError) as error:
        return _fail(ctx, run_id, str(error))
    except Exception as error:  # a worker must record every failure
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return _fail(ctx, run_id, f"unexpected error: {detail}")


def _live_problem(uow: UnitOfWork, member_id: int) -> mrp.MRPProblem | None:
    """The engine input of the member's live plan, if it was stored."""
    live = live_run(uow, member_id)
    stored = uow.planning_run_inputs.find(run_id=live.id) if live is not None else []
    return decode_problem(stored[0].problem) if stored else None


def _net(
    run: PlanningRun, problem: mrp.MRPProblem, previous: mrp.MRPProblem | None
) -> NetChangePlan:
    if run.mode is RunMode.NET_CHANGE:
        return plan_net_change(previous, problem)
    plan = mrp.plan(problem)
    return NetChangePlan(plan, len(plan.item_sites))


def _summary(rows: PlanRows, result: NetChangePlan, run: PlanningRun) -> str:
    counts = (
        f"{len(rows.item_sites)} item-sites, {len(rows.orders)} planned orders, "
        f"{len(rows.exceptions)} exceptions"
    )
    if run.mode is not RunMode.NET_CHANGE:
        return counts
    if result.regenerated_because:
        return f"regenerated: {result.regenerated_because}; {counts}"[:200]
    total = len(result.plan.item_sites)
    return f"net change re-planned {result.replanned} of {total} item-sites; {counts}"


def _compute(ctx: ServiceContext, run: PlanningRun, step: Progress) -> PlanningRun:
    principal = run_principal(run)
    deltas = parse_scenario(run.scenario)
    with ctx.uow() as uow:
        data = build_problem(uow, principal, run.as_of, deltas, run.horizon_buckets, run.bucket)
        previous = _live_problem(uow, run.member_id) if run.mode is RunMode.NET_CHANGE else None
    step(0.3, f"netting {len(data.problem.item_sites)} item-sites")
    result = _net(run, data.problem, previous)
    step(0.7, f"storing {len(result.plan.planned_orders)} planned orders")
    rows = plan_rows(run.id, run.member_id, result.plan, data)
    stored_input = PlanningRunInput(0, run.id, encode_problem(data.problem))
    with ctx.uow() as uow:
        uow.planning_item_sites.add_many(rows.item_sites)
        uow.planned_orders.add_many(rows.orders)
        uow.planning_exceptions.add_many(rows.exceptions)
        uow.planning_pegs.add_many(rows.pegs)
        uow.planning_run_inputs.add(stored_input)
        stored = uow.planning_runs.get_for_update(run.id)
        assert stored is not None
        done = replace(
            stored, status=RunStatus.SUCCEEDED, progress=1.0, finished_at=ctx.clock.now(),
            calendar=data.calendar[:200], message=_summary(rows, result, run),
            replanned_item_sites=result.replanned,
        )  # fmt: skip
        uow.planning_runs.update(done)
        uow.commit()
    step(1.0, done.message)
    return done


def _fail(ctx: ServiceContext, run_id: int, error: str) -> PlanningRun:
    return _progress(
        ctx, run_id, status=RunStatus.FAILED, error=error[:2000], message="failed",
        finished_at=ctx.clock.now(),
    )  # fmt: skip


def own_run(uow: UnitOfWork, principal: Principal, run_id: int) -> PlanningRun:
    run = uow.planning_runs.get(run_id)
    if run is None or run.member_id != principal.member_id:
        raise NotFound(f"planning run {run_id} not found")
    return run


def get_run(ctx: ServiceContext, principal: Principal, run_id: int) -> PlanningRun:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return own_run(uow, principal, run_id)


def list_runs(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    kind: RunKind | None = None,
    status: RunStatus | None = None,
) -> Page[PlanningRun]:
    """The caller's runs, newest first."""
    principal.require(Scope.DATA_READ)
    filters: dict[str, Any] = {"member_id": principal.member_id}
    filters.update({k: v for k, v in (("kind", kind), ("status", status)) if v is not None})
    with ctx.uow() as uow:
        rows = uow.planning_runs.find(
            offset=page.offset, limit=page.limit, descending=True, **filters
        )
        total = uow.planning_runs.count(**filters)
    return Page(tuple(rows), total, page.offset, page.limit)


def live_run(uow: UnitOfWork, member_id: int) -> PlanningRun | None:
    """The member's live plan: its latest succeeded live run."""
    found = uow.planning_runs.find(
        member_id=member_id,
        kind=RunKind.LIVE,
        status=RunStatus.SUCCEEDED,
        descending=True,
        limit=1,
    )
    return found[0] if found else None
