"""The twin's additions around the simulation engine: outages and windowed demand keep the
engine's arithmetic, and replication batches give the same numbers on a Dask cluster."""

from __future__ import annotations

import numpy as np

from tandem.bootstrap import forecast_executor
from tandem.config import Settings
from tandem.planning.simulation import (
    Arc,
    BaseStock,
    MovingAverage,
    NormalDemand,
    OrderUpTo,
    Stage,
    SupplyNetwork,
)
from tandem.services.twin.model import Mode, TwinArc, TwinNetwork, TwinNode
from tandem.services.twin.runner import RunOptions, run_mode
from tandem.services.twin.windows import Outage, OutageKind, ScaledDemand, simulate


def _network(demand: NormalDemand | ScaledDemand) -> SupplyNetwork:
    return SupplyNetwork(
        [
            Stage("dc", OrderUpTo(MovingAverage(4), 1.0), lead_time=2, holding_cost=0.5),
            Stage("a", BaseStock(40.0), holding_cost=1, shortage_cost=9),
            Stage("b", OrderUpTo(MovingAverage(3), 1.5), holding_cost=1, shortage_cost=9),
        ],
        [Arc("dc", "a", capacity=25.0), Arc("dc", "b", lead_time=2)],
        {"a": demand, "b": NormalDemand(15.0, 4.0, clip_at_zero=True)},
        periods=80,
        replications=5,
        warmup=10,
        seed=4,
    )


def test_without_outages_the_run_is_the_engines_bit_for_bit() -> None:
    network = _network(NormalDemand(20.0, 5.0, clip_at_zero=True))
    ours, theirs = simulate(network), network.run()
    for mine, engine in zip(ours.nodes, theirs.nodes, strict=True):
        for path in ("orders", "on_hand", "backlog", "shipped", "received"):
            np.testing.assert_array_equal(getattr(mine, path), getattr(engine, path))
    assert ours.total_cost == theirs.total_cost


def test_an_outage_outside_the_horizon_changes_nothing() -> None:
    network = _network(NormalDemand(20.0, 5.0, clip_at_zero=True))
    late = Outage(OutageKind.NODE, 100, 120, nodes=("dc",))
    np.testing.assert_array_equal(
        simulate(network, (late,)).node("a").backlog, network.run().node("a").backlog
    )


def test_a_closed_lane_ships_nothing_in_its_window_and_catches_up_after() -> None:
    network = _network(NormalDemand(20.0, 5.0, clip_at_zero=True))
    down = Outage(OutageKind.LANE, 20, 24, arcs=(("dc", "a"),))
    shipped = simulate(network, (down,)).arc_shipments[("dc", "a")]
    assert np.all(shipped[:, 20:25] == 0.0)
    assert np.all(network.run().arc_shipments[("dc", "a")][:, 20:25] > 0.0)
    assert np.all(shipped[:, 25] == 25.0)  # the backlog meets the lane's capacity of 25


def test_windowed_demand_scales_the_same_draws_in_its_window_only() -> None:
    plain = _network(NormalDemand(20.0, 5.0, clip_at_zero=True)).run().demand["a"]
    scaled_demand = ScaledDemand(NormalDemand(20.0, 5.0, clip_at_zero=True), ((2.0, 30, 39),))
    scaled = _network(scaled_demand).run().demand["a"]
    np.testing.assert_array_equal(scaled[:, 30:40], 2.0 * plain[:, 30:40])
    np.testing.assert_array_equal(scaled[:, :30], plain[:, :30])
    np.testing.assert_array_equal(scaled[:, 40:], plain[:, 40:])
    assert scaled_demand.mean == 20.0


def _chain() -> TwinNetwork:
    nodes = (
        TwinNode("B@P", "B", "P", "M", 1, 0.1, 0.0, lead_time_days=2, lead_time_std_days=0.8),
        TwinNode("B@S", "B", "S", "M", 2, 0.2, 4.0, demand_mean=20.0, demand_std=6.0),
    )
    return TwinNetwork(nodes, (TwinArc("B@P", "B@S", 1.0, "P>S", "M", 1.0),))


def test_batches_on_a_dask_cluster_equal_batches_run_one_by_one() -> None:
    options = RunOptions(periods=50, replications=6, batch_size=2, warmup=5, seed=21)
    here = run_mode("here", _chain(), Mode.TRADITIONAL, options)

    def cluster():  # type: ignore[no-untyped-def]
        return forecast_executor(Settings(), dask=True, workers=2)

    there = run_mode("dask", _chain(), Mode.TRADITIONAL, options, cluster)
    for figure, values in here.network_values.items():
        np.testing.assert_array_equal(values, there.network_values[figure])
    assert here.paths == there.paths
    # one value per replication (6), all distinct: the 3 batches draw independent streams
    assert len(set(here.network_values["total_cost"].tolist())) == 6
