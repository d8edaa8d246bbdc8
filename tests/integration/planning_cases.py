"""Round-trip cases of the planning repositories (supplier offers, planning runs and their
results, capacity commitments), run by ``test_repositories``: three entities each, with edge
values (``None``, non-UTC datetimes, JSON scenarios, records and price breaks)."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import date

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.planning_runs import (
    CapacityCommitment,
    PlanBucket,
    PlannedOrderRow,
    PlanningException,
    PlanningItemSite,
    PlanningPeg,
    PlanningRun,
    PlanningRunInput,
    RunKind,
    RunStatus,
)
from tandem.domain.sourcing import PriceBreak, SupplierOffer
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed

DAY = date(2026, 11, 23)


def _run(seed: Seed, kind: RunKind = RunKind.LIVE, key: str | None = None) -> PlanningRun:
    return PlanningRun(
        0, seed.network.id, seed.members[0].id, kind, RunStatus.QUEUED, DAY, 12,
        PlanBucket.WEEK, [], NOW, request_key=key,
    )  # fmt: skip


def _parent(uow: SqlUnitOfWork, seed: Seed) -> int:
    return uow.planning_runs.add(_run(seed, key="parent")).id


def _offers(_uow: SqlUnitOfWork, seed: Seed) -> list[SupplierOffer]:
    (roast, cafe, beans), (_, _, port), (_, _, green) = seed.members, seed.sites, seed.items
    net = seed.network.id
    breaks = (PriceBreak(0.0, 400), PriceBreak(200.0, 380))
    return [
        SupplierOffer(0, net, roast.id, beans.id, green.id, 7.0, port.id, 100.0, 25.0, breaks),
        SupplierOffer(0, net, roast.id, cafe.id, green.id, 0.5, priority=2, valid_from=DAY),
        SupplierOffer(0, net, cafe.id, beans.id, green.id, 14.0, None, 0.0, None, breaks[:1], 1,
                      DAY, date(2027, 1, 31)),
    ]  # fmt: skip


def _runs(_uow: SqlUnitOfWork, seed: Seed) -> list[PlanningRun]:
    scenario = [{"type": "demand_scale", "item": "I-CAFE", "factor": 1.2}]
    return [
        _run(seed),
        replace(
            _run(seed, RunKind.WHAT_IF, "what-if ☕"), status=RunStatus.SUCCEEDED,
            bucket=PlanBucket.DAY, scenario=scenario, progress=1.0, message="done",
            started_at=NOW.astimezone(CEST), finished_at=NOW, worker_pid=4242,
        ),
        replace(_run(seed), member_id=seed.members[1].id, status=RunStatus.FAILED,
                error="lead time too long"),
    ]  # fmt: skip


def _item_sites(uow: SqlUnitOfWork, seed: Seed) -> list[PlanningItemSite]:
    run_id, owner = _parent(uow, seed), seed.members[0].id
    (i1, _, i3), (s1, s2, _) = seed.items, seed.sites
    record = {"gross_requirements": [0.0, 120.5], "planned_receipts": [0.0, 125.0]}
    return [
        PlanningItemSite(0, run_id, owner, i1.id, s1.id, "production", 0, record),
        PlanningItemSite(0, run_id, owner, i3.id, s1.id, "purchase", 1, {}, 12.5),
        PlanningItemSite(0, run_id, owner, i3.id, s2.id, "transfer", 2, record),
    ]


def _orders(uow: SqlUnitOfWork, seed: Seed) -> list[PlannedOrderRow]:
    run_id, (roast, _, beans) = _parent(uow, seed), seed.members
    item, site = seed.items[2].id, seed.sites[0].id
    return [
        PlannedOrderRow(0, run_id, roast.id, "I-BEANS@S-ROAST#1", item, site, "purchase", DAY,
                        date(2026, 11, 30), 125.0, 125.0, True, beans.id),
        PlannedOrderRow(0, run_id, roast.id, "I-BEANS@S-ROAST#2", item, site, "purchase", DAY,
                        DAY, 0.001, 0.00125, False, None),
        PlannedOrderRow(0, run_id, roast.id, "I-ROAST@S-CAFE#1", seed.items[0].id,
                        seed.sites[1].id, "transfer", DAY, DAY, 3.0, 3.0, False, None,
                        seed.sites[0].id),
    ]  # fmt: skip


def _exceptions(uow: SqlUnitOfWork, seed: Seed) -> list[PlanningException]:
    run_id, owner, item, site = (
        _parent(uow, seed),
        seed.members[0].id,
        seed.items[0].id,
        seed.sites[0].id,
    )
    return [
        PlanningException(0, run_id, owner, "release_past_due", item, site, DAY, "Release now"),
        PlanningException(0, run_id, owner, "expedite", item, site, DAY, "Expedite", "PO-000001/1"),
        PlanningException(0, run_id, owner, "cancel", item, site, date(2027, 1, 4), "Cancel ☕"),
    ]  # fmt: skip


def _pegs(uow: SqlUnitOfWork, seed: Seed) -> list[PlanningPeg]:
    run_id = _parent(uow, seed)
    return [
        PlanningPeg(0, run_id, "B@P#1", 40.0, parent_ref="A@P#1", parent_quantity=20.0),
        PlanningPeg(0, run_id, "A@P#1", 20.0, "SO-1"),
        PlanningPeg(0, run_id, "A@P#on-hand", 5.0),
    ]


def _commitments(_uow: SqlUnitOfWork, seed: Seed) -> list[CapacityCommitment]:
    (roast, cafe, beans), item, net = seed.members, seed.items[2].id, seed.network.id
    return [
        CapacityCommitment(0, net, roast.id, beans.id, item, DAY, 100.0, NOW, "one lot"),
        CapacityCommitment(0, net, roast.id, beans.id, item, date(2026, 11, 30), 0.0,
                           NOW.astimezone(CEST)),
        CapacityCommitment(0, net, cafe.id, beans.id, item, DAY, 12.5, NOW, "", None),
    ]  # fmt: skip


def _inputs(uow: SqlUnitOfWork, seed: Seed) -> list[PlanningRunInput]:
    runs = [uow.planning_runs.add(_run(seed, key=f"input-{n}")).id for n in range(3)]
    compressed = zlib.compress(b'{"format": 1, "item_sites": []}' * 40)
    return [
        PlanningRunInput(0, runs[0], compressed),
        PlanningRunInput(0, runs[1], b"\x00\xff\x00 binary with NUL bytes"),
        PlanningRunInput(0, runs[2], b""),
    ]


PLANNING_CASES = [
    Case("supplier_offers", _offers, lambda e, _s: replace(e, priority=3, valid_to=None),
         (("buyer_member_id",), ("item_id", "supplier_member_id"), ("valid_to",))),
    Case("planning_runs", _runs, lambda e, _s: replace(e, status=RunStatus.RUNNING, progress=0.5),
         (("member_id",), ("member_id", "kind", "status"), ("request_key",))),
    Case("planning_item_sites", _item_sites, lambda e, _s: replace(e, record={"x": [1.0]}),
         (("run_id",), ("item_id", "site_id"))),
    Case("planned_orders", _orders, lambda e, _s: replace(e, quantity=150.0),
         (("run_id", "kind"), ("supplier_member_id",), ("purchase_order_id",))),
    Case("planning_exceptions", _exceptions, lambda e, _s: replace(e, message="changed"),
         (("run_id", "code"), ("supply_ref",))),
    Case("planning_pegs", _pegs, lambda e, _s: replace(e, quantity=1.0),
         (("run_id",), ("demand_ref",), ("parent_ref",))),
    Case("planning_run_inputs", _inputs, lambda e, _s: replace(e, problem=b"changed"),
         (("run_id",),)),
    Case("capacity_commitments", _commitments, lambda e, _s: replace(e, quantity=7.0, note="x"),
         (("buyer_member_id", "supplier_member_id"), ("week_start",))),
]  # fmt: skip
