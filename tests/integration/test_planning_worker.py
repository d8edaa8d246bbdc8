"""The planning worker pool executes runs in another process on a file SQLite database: the
run row records that process's id, its progress reaches 1.0, results are stored; a run that
fails in the worker is stored failed with its error and no results."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.migrations import upgrade
from tandem.adapters.planning_worker import PlanningWorkerPool
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.planning_runs import RunKind
from tandem.services import planning, transfer
from tests.services.planning_world import planning_snapshot


def test_worker_process_executes_runs_and_records_failures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tandem.db'}"
    container = bootstrap(
        Settings(database_url=url), clock=FixedClock(), passwords=PlainPasswordHasher()
    )
    upgrade(container.engine)
    ctx = container.services
    network_id = transfer.import_snapshot(ctx, planning_snapshot()).network_id
    with ctx.uow() as uow:
        roaster = uow.members.find(network_id=network_id, code="ROAST")[0]
    principal = Principal(roaster.id, network_id, "test", ALL_SCOPES)
    good = planning.start_run(ctx, principal, planning.StartRun(horizon_buckets=4))
    bad = planning.start_run(
        ctx, principal,
        planning.StartRun(kind=RunKind.WHAT_IF, horizon_buckets=1,
                          scenario=({"type": "safety_stock", "quantity": 10},)),
    )  # fmt: skip
    with ctx.uow() as uow:  # break the stored scenario behind the service's back
        uow.planning_runs.update(replace(bad, scenario=[{"type": "rain"}]))
        uow.commit()
    pool = PlanningWorkerPool(1)
    try:
        statuses = [pool.submit(url, run.id).result(timeout=120) for run in (good, bad)]
    finally:
        pool.shutdown()
    assert statuses == ["succeeded", "failed"]
    done, failed = (planning.get_run(ctx, principal, r.id) for r in (good, bad))
    assert done.worker_pid not in (None, os.getpid())
    # no stock and no demand: BLEND's safety stock of 20 is below in week 0 (exception) and
    # restored by 20 due in week 1, released in week 0; its 24 kg of GREEN come by the 2-day
    # lane from the importer, due in week 0: released past due (exception)
    assert (done.progress, done.message) == (1.0, "2 item-sites, 2 planned orders, 2 exceptions")
    assert failed.worker_pid == done.worker_pid
    assert failed.error.startswith("invalid scenario: scenario[0].type: unknown type 'rain'")
    with ctx.uow() as uow:
        assert uow.planned_orders.count(run_id=failed.id) == 0
        assert uow.planned_orders.count(run_id=done.id) == 2
    container.engine.dispose()
