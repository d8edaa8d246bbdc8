"""The digital twin through the services (in-memory twins): the platform mapping, what-if
scenarios with exact deterministic outcomes, common random numbers, traditional versus SCM,
and batches run on an executor equal batches run here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import numpy as np
import pytest

from tandem.domain.errors import ValidationFailed
from tandem.domain.identity import Principal
from tandem.domain.network import MemberRole, PlanningParameters, SiteKind, TransportMode
from tandem.domain.snapshot import (
    DemandRow,
    ItemRow,
    ItemSiteRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)
from tandem.planning.forecasting.executor import ForecastExecutor, LocalExecutor
from tandem.services import identity, transfer
from tandem.services.context import ServiceContext
from tandem.services.twin import (
    Mode,
    RunOptions,
    ScenarioSpec,
    build_twin,
    compare_scenarios,
    traditional_vs_scm,
)
from tandem.services.twin.runner import run_mode

PASSWORD = "correct-horse-battery"  # that of tests.support and the web tests
START = date(2026, 1, 1)


def twin_snapshot(
    demand: list[float] | None = None, levels: bool = True, tag: str = ""
) -> NetworkSnapshot:
    """A serial chain PORT (outside) -> PLANT -> DC -> STORE of one blend, one member.

    Lead times 2 (PORT>PLANT, the plant's outside supply), 1 and 1 days; base-stock levels
    40, 30, 20 when ``levels``; end-customer demand at the store from ``demand`` (default 10 a
    day for 30 days: mean 10, deviation 0)."""
    history = demand if demand is not None else [10.0] * 30

    def point(site: str, level: float) -> ItemSiteRow:
        params = PlanningParameters(order_up_to_level=level if levels else None)
        return ItemSiteRow("BLEND", site, params)

    return NetworkSnapshot(
        f"chain{tag}",
        "Serial chain",
        members=(MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER})),),
        users=(UserRow(f"planner{tag}@roast.example", "ROAST", "Pat Planner", PASSWORD, True),),
        sites=tuple(
            SiteRow(code, "ROAST", code.title(), kind, 52.0, 4.0 + i)
            for i, (code, kind) in enumerate(
                [
                    ("PORT", SiteKind.WAREHOUSE),
                    ("PLANT", SiteKind.PLANT),
                    ("DC", SiteKind.DISTRIBUTION_CENTRE),
                    ("STORE", SiteKind.STORE),
                ]
            )
        ),
        items=(ItemRow("BLEND", "ROAST", "House blend", "kg", 12.0),),
        item_sites=(point("PLANT", 40.0), point("DC", 30.0), point("STORE", 20.0)),
        lanes=(
            LaneRow("PORT", "PLANT", TransportMode.SEA, 2, 0, 0.0),
            LaneRow("PLANT", "DC", TransportMode.FULL_TRUCKLOAD, 1, 0, 0.5),
            LaneRow("DC", "STORE", TransportMode.VAN, 1, 0, 0.25),
        ),
        demand=tuple(
            DemandRow("STORE", "BLEND", START + timedelta(days=i), q) for i, q in enumerate(history)
        ),
    )


def sign_in(ctx: ServiceContext, snapshot: NetworkSnapshot) -> Principal:
    transfer.import_snapshot(ctx, snapshot)
    token = identity.login(ctx, "planner@roast.example", PASSWORD).token
    return identity.authenticate_token(ctx, token)


@pytest.fixture
def planner(ctx: ServiceContext) -> Principal:
    return sign_in(ctx, twin_snapshot())


def noisy_demand(days: int = 60, seed: int = 5) -> list[float]:
    rng = np.random.default_rng(seed)
    return [float(round(x, 1)) for x in rng.normal(20.0, 5.0, days).clip(0)]


DETERMINISTIC = RunOptions(periods=20, replications=2, batch_size=1, warmup=0, seed=3)
STORE_DOWN = {"type": "node_down", "site": "STORE", "from_day": 5, "to_day": 7}


def test_the_twin_maps_stocking_points_lanes_demand_and_levels(
    ctx: ServiceContext, planner: Principal
) -> None:
    net = build_twin(ctx, planner).network
    assert [n.name for n in net.nodes] == ["BLEND@PLANT", "BLEND@DC", "BLEND@STORE"]
    assert [(a.supplier, a.customer, a.lane, a.lead_time_days) for a in net.arcs] == [
        ("BLEND@PLANT", "BLEND@DC", "PLANT>DC", 1.0),
        ("BLEND@DC", "BLEND@STORE", "DC>STORE", 1.0),
    ]
    plant, _dc, store = net.nodes
    assert plant.lead_time_days == 2.0  # the lane PORT>PLANT: PORT stocks nothing
    assert (store.demand_mean, store.demand_std) == (10.0, 0.0)
    assert [n.order_up_to for n in net.nodes] == [40.0, 30.0, 20.0]
    # holding = 25 % a year x value / 365; the store's value is 12 + 0.5 + 0.25 freight
    assert store.holding_cost == pytest.approx(0.25 * 12.75 / 365)
    assert store.shortage_cost == pytest.approx(19 * store.holding_cost)


def test_store_down_for_three_days_backlogs_exactly_80_unit_days(
    ctx: ServiceContext, planner: Principal
) -> None:
    # Base: the store holds 10 at day end from day 4 on and never backlogs. Down on days 5-7
    # it neither ships nor receives: backlog 10, 20, 30 at the ends of days 5, 6, 7; on day 8
    # it ships its 20 on hand (backlog 40 - 20 = 20); the DC, which owed the store 3 x 10
    # while the store was closed, ships 40 on day 8, received on day 9: 30 shipped, backlog 0.
    # Mean backlog over 20 days = (10 + 20 + 30 + 20) / 20 = 4.
    spec = ScenarioSpec("store closed", (STORE_DOWN,))
    result = compare_scenarios(ctx, planner, [spec], DETERMINISTIC)
    base, down = result.results
    assert base.paths["BLEND@STORE"]["backlog"] == (0.0,) * 20
    assert (
        down.paths["BLEND@STORE"]["backlog"] == (0.0,) * 5 + (10.0, 20.0, 30.0, 20.0) + (0.0,) * 11
    )
    assert down.paths["BLEND@STORE"]["on_hand"][4:10] == (10.0, 20.0, 20.0, 20.0, 0.0, 10.0)
    gap = result.difference(1, "customer_backlog")
    assert (gap.paired.value, gap.paired.half_width) == (4.0, 0.0)
    assert base.figure("customer_fill_rate").value == 1.0
    # fill rate: of 200 units demanded, those of days 5-7 are not filled in their day, nor
    # those of day 8 (its 20 shipped go to the 30 owed first): (200 - 40) / 200
    assert down.figure("customer_fill_rate").value == pytest.approx(160 / 200)


def test_a_delta_naming_nothing_is_rejected_with_its_index(
    ctx: ServiceContext, planner: Principal
) -> None:
    spec = ScenarioSpec("x", ({"type": "sharing", "on": True}, {"type": "lane_down",
                        "lane": "DC>NOWHERE", "from_day": 1, "to_day": 2}))  # fmt: skip
    with pytest.raises(ValidationFailed) as raised:
        compare_scenarios(ctx, planner, [spec], DETERMINISTIC)
    assert [(v.location, v.message) for v in raised.value.violations] == [
        ("deltas[1]", "matches nothing in the network")
    ]


def test_identical_scenarios_give_identical_results_on_common_random_numbers(
    ctx: ServiceContext,
) -> None:
    planner = sign_in(ctx, twin_snapshot(noisy_demand()))
    same = ScenarioSpec("same", ())
    options = RunOptions(periods=60, replications=8, batch_size=2, warmup=10, seed=11)
    result = compare_scenarios(ctx, planner, [same, same], options)
    base, one, two = result.results
    for figure in ("total_cost", "customer_backlog", "customer_fill_rate"):
        np.testing.assert_array_equal(base.network_values[figure], one.network_values[figure])
        np.testing.assert_array_equal(one.network_values[figure], two.network_values[figure])
    assert result.difference(1, "total_cost").paired.value == 0.0


def test_paired_differences_have_a_narrower_interval_than_independent_runs(
    ctx: ServiceContext,
) -> None:
    planner = sign_in(ctx, twin_snapshot(noisy_demand(), levels=False))
    more = ScenarioSpec("demand +10 %", ({"type": "demand_scale", "factor": 1.1},))
    options = RunOptions(periods=120, replications=20, batch_size=2, warmup=10, seed=2)
    result = compare_scenarios(ctx, planner, [more], options)
    gap = result.difference(1, "total_cost")
    assert gap.paired.value > 0
    assert gap.paired.half_width < 0.5 * gap.unpaired_half_width


def test_sharing_lowers_the_bullwhip_upstream_with_intervals_apart(ctx: ServiceContext) -> None:
    planner = sign_in(ctx, twin_snapshot(noisy_demand(), levels=False))
    options = RunOptions(periods=200, replications=20, batch_size=4, warmup=20, seed=7)
    report = traditional_vs_scm(ctx, planner, options)
    assert [c.mode for c in report.columns] == [Mode.TRADITIONAL, Mode.SHARED]
    assert report.adopted_note == "no adopted policy"
    traditional, shared = report.columns
    for stage in ("BLEND@DC", "BLEND@PLANT"):
        before = traditional.result.node(stage, "variance_ratio")
        after = shared.result.node(stage, "variance_ratio")
        assert after.high < before.low, stage
    # the retailer sees the same demand and runs the same forecast in both modes
    store_t = traditional.result.node("BLEND@STORE", "variance_ratio")
    store_s = shared.result.node("BLEND@STORE", "variance_ratio")
    assert store_s.value == pytest.approx(store_t.value)
    assert [m.member for m in traditional.members] == ["ROAST"]
    assert traditional.landed_cost.value > 12.75  # value plus safety stock carried


@contextmanager
def local_executor() -> Iterator[ForecastExecutor]:
    yield LocalExecutor()


def test_batches_on_an_executor_equal_batches_run_here(
    ctx: ServiceContext,
) -> None:
    planner = sign_in(ctx, twin_snapshot(noisy_demand(), levels=False))
    net = build_twin(ctx, planner).network
    options = RunOptions(periods=40, replications=6, batch_size=2, warmup=5, seed=9)
    here = run_mode("here", net, Mode.SHARED, options)
    there = run_mode("there", net, Mode.SHARED, options, local_executor)
    for name in here.node_names:
        for figure, values in here.node_values[name].items():
            np.testing.assert_array_equal(values, there.node_values[name][figure])
    assert here.paths == there.paths


def adopt(ctx: ServiceContext, network_code: str, levels: dict[str, float]) -> int:
    """Store an adopted proposal placing base-stock ``levels`` by site code (a fixture: the
    vote that adopts one is tested in test_proposals.py)."""
    from datetime import UTC, datetime

    from tandem.domain.coordination import Placement, Proposal, ProposalStatus, TransferRule

    with ctx.uow() as uow:
        network = uow.networks.find(code=network_code)[0]
        member = uow.members.find(network_id=network.id)[0]
        sites = {s.id: s.code for s in uow.sites.find(network_id=network.id)}
        points = uow.item_sites.find(owner_member_id=member.id)
        at = datetime(2026, 1, 1, tzinfo=UTC)
        proposal = uow.inventory_proposals.add(
            Proposal(0, network.id, "levels", 0.95, "tree_dp", True, 0.0, 3.0, 2.0, 1.0,
                     TransferRule.PROPORTIONAL, ProposalStatus.ADOPTED, 1, member.id, at)
        )  # fmt: skip
        for p in points:
            level = levels[sites[p.site_id]]
            uow.proposal_placements.add(
                Placement(p.id, member.id, 0, 0, 1, 0.0, level, 1.0, proposal_id=proposal.id)
            )
        uow.commit()
    return proposal.id


def test_the_adopted_column_runs_the_proposals_base_stock_levels(
    ctx: ServiceContext, planner: Principal
) -> None:
    # the proposal places the levels the points already hold: the column is the base run
    proposal_id = adopt(ctx, "chain", {"PLANT": 40.0, "DC": 30.0, "STORE": 20.0})
    report = traditional_vs_scm(ctx, planner, DETERMINISTIC)
    assert [c.mode for c in report.columns] == [Mode.TRADITIONAL, Mode.SHARED, Mode.ADOPTED]
    assert report.adopted_note == f"proposal {proposal_id}"
    adopted = report.columns[2].result
    base = run_mode("base", build_twin(ctx, planner).network, Mode.BASE, DETERMINISTIC)
    for figure, values in base.network_values.items():
        np.testing.assert_array_equal(adopted.network_values[figure], values)
    # the store ends days at 10 once primed; its safety stock is 20 - 10 (one day's demand)
    store = adopted.node("BLEND@STORE", "net_stock")
    assert store.value == pytest.approx((10 * 16) / 20)  # on hand 0 on days 0-3, then 10
