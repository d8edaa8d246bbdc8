"""Time-to-survive (Simchi-Levi et al. 2015) on hand-solvable networks."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from tandem.planning.risk import (
    Arc,
    BomLine,
    Demand,
    DownStock,
    InfeasibleNetworkError,
    Process,
    Stock,
    SupplyNetwork,
    TimeToSurvive,
    performance_impact,
    rank_nodes,
    time_to_survive,
    with_arc,
    with_capacity,
    with_stock,
)


def chain(*, fg_stock: float = 0.0, supplier_capacity: float = 100.0) -> SupplyNetwork:
    """S makes C, P makes A from 2 C; demand 10 A per period at P; 60 C in stock at P."""
    stocks = [Stock("P", "C", 60.0)]
    if fg_stock:
        stocks.append(Stock("P", "A", fg_stock))
    return SupplyNetwork(
        nodes=("S", "P"),
        processes=(Process("S", "C", supplier_capacity), Process("P", "A", 100.0)),
        arcs=(Arc("S", "P", "C"),),
        bom=(BomLine("A", "C", 2.0),),
        stocks=tuple(stocks),
        demands=(Demand("P", "A", 10.0, margin=7.0),),
    )


def second_source(net: SupplyNetwork, capacity: float) -> SupplyNetwork:
    return with_arc(net, Arc("S2", "P", "C"), process=Process("S2", "C", capacity))


def test_sole_supplier_down_lasts_until_component_stock_runs_out() -> None:
    tts = time_to_survive(chain(), "S")  # 60 C / (2 C per A * 10 A per period)
    assert tts.periods == pytest.approx(3.0, rel=1e-9)
    assert not tts.capped
    assert str(tts) == "3"


def test_plant_down_without_finished_goods_survives_zero_periods() -> None:
    tts = time_to_survive(chain(), "P")
    assert tts.periods == pytest.approx(0.0, abs=1e-9)
    assert not tts.capped


def test_plant_down_sells_its_finished_goods_stock() -> None:
    assert time_to_survive(chain(fg_stock=25.0), "P").periods == pytest.approx(2.5, rel=1e-9)


def test_stock_lost_with_the_down_node_does_not_count() -> None:
    lost = replace(chain(fg_stock=25.0), down_stock=DownStock.LOST)
    assert time_to_survive(lost, "P").periods == pytest.approx(0.0, abs=1e-9)
    # Stock elsewhere is unaffected: S down still leaves P's 25 A and 60 C: (25 + 30) / 10.
    assert time_to_survive(lost, "S").periods == pytest.approx(5.5, rel=1e-9)


def test_supplier_stock_ships_while_it_cannot_produce() -> None:
    net = with_stock(chain(), "S", "C", 40.0)  # (60 + 40) / 20
    assert time_to_survive(net, "S").periods == pytest.approx(5.0, rel=1e-9)
    lost = replace(net, down_stock=DownStock.LOST)
    assert time_to_survive(lost, "S").periods == pytest.approx(3.0, rel=1e-9)


def test_small_second_source_stretches_survival() -> None:
    net = second_source(chain(), 5.0)  # 60 + 5 t = 20 t
    assert time_to_survive(net, "S").periods == pytest.approx(4.0, rel=1e-9)
    assert time_to_survive(net, "S2").capped


def test_second_source_arc_capacity_limits_the_backup() -> None:
    net = with_arc(chain(), Arc("S2", "P", "C", capacity=10.0), process=Process("S2", "C", 100.0))
    assert time_to_survive(net, "S").periods == pytest.approx(6.0, rel=1e-9)  # 60 / (20 - 10)


@pytest.mark.parametrize("capacity", [20.0, 35.0])
def test_full_second_source_makes_survival_unbounded(capacity: float) -> None:
    tts = time_to_survive(second_source(chain(), capacity), "S", horizon=50.0)
    assert tts.capped
    assert tts.periods == 50.0
    assert str(tts) == "unbounded (>= 50)"
    assert tts.survives(50.0)
    assert not tts.survives(51.0)


def test_tier_two_outage_draws_on_stock_at_both_tiers() -> None:
    # T makes R; S makes C from 1 R and holds 20 R; P holds 60 C. T down: 80 C / 20 per period.
    net = SupplyNetwork(
        nodes=("T", "S", "P"),
        processes=(Process("T", "R", math.inf), Process("S", "C", 100.0), Process("P", "A", 100.0)),
        arcs=(Arc("T", "S", "R"), Arc("S", "P", "C")),
        bom=(BomLine("A", "C", 2.0), BomLine("C", "R", 1.0)),
        stocks=(Stock("S", "R", 20.0), Stock("P", "C", 60.0)),
        demands=(Demand("P", "A", 10.0),),
    )
    assert time_to_survive(net, "T").periods == pytest.approx(4.0, rel=1e-9)
    assert time_to_survive(net, "S").periods == pytest.approx(3.0, rel=1e-9)


def test_distribution_centre_down_ships_its_own_stock_only() -> None:
    net = SupplyNetwork(
        nodes=("P", "DC"),
        processes=(Process("P", "A", 100.0),),
        arcs=(Arc("P", "DC", "A"),),
        stocks=(Stock("DC", "A", 30.0),),
        demands=(Demand("DC", "A", 10.0),),
    )
    assert time_to_survive(net, "DC").periods == pytest.approx(3.0, rel=1e-9)
    assert time_to_survive(net, "P").periods == pytest.approx(3.0, rel=1e-9)


def test_what_if_helpers_return_new_networks() -> None:
    base = chain()
    more = with_stock(base, "P", "C", 40.0)
    assert time_to_survive(more, "S").periods == pytest.approx(5.0, rel=1e-9)
    assert base.stocks == (Stock("P", "C", 60.0),)
    assert more.stocks == (Stock("P", "C", 100.0),)
    assert second_source(base, 5.0).nodes == ("S", "P", "S2")
    assert with_capacity(base, "S", "C", 30.0).processes[0] == Process("S", "C", 30.0)


def test_infeasible_base_network_is_refused_with_a_clear_error() -> None:
    net = chain(supplier_capacity=15.0)  # 15 C per period cannot feed 20 C per period
    with pytest.raises(InfeasibleNetworkError, match="cannot meet its demand"):
        time_to_survive(net, "S")
    with pytest.raises(InfeasibleNetworkError):
        performance_impact(net, "S", 5.0)
    with pytest.raises(InfeasibleNetworkError):
        rank_nodes(net, {"S": 5.0})


def test_invalid_inputs_are_rejected() -> None:
    with pytest.raises(KeyError, match="'X'"):
        time_to_survive(chain(), "X")
    with pytest.raises(ValueError, match="horizon"):
        time_to_survive(chain(), "S", horizon=0.0)
    with pytest.raises(ValueError, match="non-negative"):
        Stock("P", "C", -1.0)
    with pytest.raises(ValueError, match="unknown nodes"):
        SupplyNetwork(nodes=("P",), demands=(Demand("Q", "A", 1.0),))
    with pytest.raises(ValueError, match="duplicate demand"):
        SupplyNetwork(nodes=("P",), demands=(Demand("P", "A", 1.0), Demand("P", "A", 2.0)))
    with pytest.raises(ValueError, match="itself"):
        Arc("P", "P", "A")


def test_node_with_nothing_to_lose_survives_the_whole_horizon() -> None:
    net = SupplyNetwork(nodes=("X",))
    assert time_to_survive(net, "X", horizon=7.0) == TimeToSurvive("X", 7.0, 7.0, capped=True)
    assert performance_impact(net, "X", 3.0).lost_sales == ()
