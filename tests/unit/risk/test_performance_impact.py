"""Performance impact and risk ranking (Simchi-Levi et al. 2015) on hand-solvable networks."""

from __future__ import annotations

import doctest
from dataclasses import replace

import pytest

import tandem.planning.risk.impact
import tandem.planning.risk.network
import tandem.planning.risk.tts
from tandem.planning.risk import (
    Arc,
    BomLine,
    Demand,
    DownStock,
    Process,
    Stock,
    SupplyNetwork,
    performance_impact,
    rank_nodes,
    time_to_survive,
    with_arc,
)


def chain(*, fg_stock: float = 0.0) -> SupplyNetwork:
    """S makes C, P makes A from 2 C; demand 10 A per period at P, margin 7; 60 C at P."""
    stocks = [Stock("P", "C", 60.0)]
    if fg_stock:
        stocks.append(Stock("P", "A", fg_stock))
    return SupplyNetwork(
        nodes=("S", "P"),
        processes=(Process("S", "C", 100.0), Process("P", "A", 100.0)),
        arcs=(Arc("S", "P", "C"),),
        bom=(BomLine("A", "C", 2.0),),
        stocks=tuple(stocks),
        demands=(Demand("P", "A", 10.0, margin=7.0),),
    )


def test_supplier_outage_loses_demand_beyond_component_stock() -> None:
    impact = performance_impact(chain(), "S", 5.0)  # 10 * 5 - 60 / 2 = 20 units lost
    assert impact.lost_units == pytest.approx(20.0, rel=1e-9)
    assert impact.lost_margin == pytest.approx(140.0, rel=1e-9)
    (sale,) = impact.lost_sales
    assert (sale.node, sale.product, sale.margin) == ("P", "A", 7.0)


def test_outage_no_longer_than_time_to_survive_loses_nothing() -> None:
    assert performance_impact(chain(), "S", 3.0).lost_margin == pytest.approx(0.0, abs=1e-9)
    assert performance_impact(chain(), "S", 0.0).lost_margin == pytest.approx(0.0, abs=1e-9)


def test_second_source_cuts_the_impact() -> None:
    net = with_arc(chain(), Arc("S2", "P", "C"), process=Process("S2", "C", 5.0))
    impact = performance_impact(net, "S", 5.0)  # (60 + 5 * 5) / 2 = 42.5 A made, 7.5 lost
    assert impact.lost_units == pytest.approx(7.5, rel=1e-9)
    assert impact.lost_margin == pytest.approx(52.5, rel=1e-9)


def test_plant_outage_loses_all_demand_beyond_finished_goods() -> None:
    assert performance_impact(chain(), "P", 5.0).lost_margin == pytest.approx(350.0, rel=1e-9)
    net = chain(fg_stock=15.0)
    assert performance_impact(net, "P", 2.0).lost_margin == pytest.approx(35.0, rel=1e-9)
    lost = replace(net, down_stock=DownStock.LOST)
    assert performance_impact(lost, "P", 2.0).lost_margin == pytest.approx(140.0, rel=1e-9)


def shared_component(margin_b: float) -> SupplyNetwork:
    """A takes 2 C (margin 7), B takes 1 C; demand 10 each per period; 60 C at P."""
    return SupplyNetwork(
        nodes=("S", "P"),
        processes=(Process("S", "C", 100.0), Process("P", "A", 100.0), Process("P", "B", 100.0)),
        arcs=(Arc("S", "P", "C"),),
        bom=(BomLine("A", "C", 2.0), BomLine("B", "C", 1.0)),
        stocks=(Stock("P", "C", 60.0),),
        demands=(Demand("P", "A", 10.0, margin=7.0), Demand("P", "B", 10.0, margin=margin_b)),
    )


def test_scarce_component_goes_to_the_higher_margin_per_component() -> None:
    # B earns 3 per C, A 3.5 per C: all 60 C make 30 A. Lost 20 A * 7 + 50 B * 3 = 290.
    impact = performance_impact(shared_component(3.0), "S", 5.0)
    lost = {sale.product: sale.units for sale in impact.lost_sales}
    assert lost["A"] == pytest.approx(20.0, rel=1e-9)
    assert lost["B"] == pytest.approx(50.0, rel=1e-9)
    assert impact.lost_margin == pytest.approx(290.0, rel=1e-9)


def test_margin_per_unit_of_scarce_component_decides_not_margin_per_unit() -> None:
    # B earns 4 per C > 3.5: 50 C make all B, 10 C make 5 A. Lost 45 A * 7 = 315 (< 340).
    impact = performance_impact(shared_component(4.0), "S", 5.0)
    lost = {sale.product: sale.units for sale in impact.lost_sales}
    assert lost["A"] == pytest.approx(45.0, rel=1e-9)
    assert lost["B"] == pytest.approx(0.0, abs=1e-9)
    assert impact.lost_margin == pytest.approx(315.0, rel=1e-9)


def ranked_network() -> SupplyNetwork:
    """S (cap 100) and S2 (cap 5) feed C to P; P holds 60 C and 15 A; demand 10 A, margin 7."""
    return with_arc(chain(fg_stock=15.0), Arc("S2", "P", "C"), process=Process("S2", "C", 5.0))


def test_ranking_orders_by_impact_and_flags_exposure() -> None:
    # S down: 10 t = 15 + (60 + 5 t) / 2 -> TTS 6 < TTR 8; lost 80 - (15 + 100 / 2) = 15 -> 105.
    # P down: TTS 15 / 10 = 1.5 < TTR 2; lost 20 - 15 = 5 -> 35.
    # S2 down: S covers everything, TTS capped at the horizon, no loss.
    ranking = rank_nodes(ranked_network(), {"S2": 10.0, "P": 2.0, "S": 8.0}, horizon=20.0)
    assert [p.node for p in ranking.profiles] == ["S", "P", "S2"]
    assert ranking.exposed_nodes == ("S", "P")
    s, p, s2 = ranking.profiles
    assert s.tts.periods == pytest.approx(6.0, rel=1e-9)
    assert s.impact.lost_margin == pytest.approx(105.0, rel=1e-9)
    assert p.tts.periods == pytest.approx(1.5, rel=1e-9)
    assert p.impact.lost_margin == pytest.approx(35.0, rel=1e-9)
    assert s2.tts.capped
    assert s2.impact.lost_margin == pytest.approx(0.0, abs=1e-9)
    assert not s2.exposed
    assert ranking.profile("P").ttr == 2.0


def test_ranking_breaks_impact_ties_by_shorter_survival() -> None:
    # S: TTS 6 >= TTR 5, no loss; S2: capped, no loss: S first.
    ranking = rank_nodes(ranked_network(), {"S2": 5.0, "S": 5.0})
    assert [p.node for p in ranking.profiles] == ["S", "S2"]
    assert ranking.exposed_nodes == ()


def test_mitigation_what_if_removes_exposure() -> None:
    net = ranked_network()
    assert not time_to_survive(net, "S").survives(8.0)
    mitigated = with_arc(net, Arc("S3", "P", "C"), process=Process("S3", "C", 20.0))
    assert rank_nodes(mitigated, {"S": 8.0}).exposed_nodes == ()


def test_ranking_rejects_ttr_beyond_horizon() -> None:
    with pytest.raises(ValueError, match="exceeds the TTS horizon"):
        rank_nodes(ranked_network(), {"S": 30.0}, horizon=20.0)


@pytest.mark.parametrize(
    "module",
    [tandem.planning.risk.network, tandem.planning.risk.tts, tandem.planning.risk.impact],
)
def test_docstring_examples_run(module: object) -> None:
    failures, tried = doctest.testmod(module, raise_on_error=False)  # type: ignore[arg-type]
    assert tried > 0
    assert failures == 0
