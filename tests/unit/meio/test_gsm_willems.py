"""Guaranteed-service optima of Willems (2008) chains against the published figures.

S. P. Willems, "Data Set — Real-World Multiechelon Supply Chains Used for Inventory
Optimization", M&SOM 10(1):19–23, 2008; costs as reported by Humair & Willems (2011) and safety
stocks by Humair, Ruark, Tomlin & Willems (2013). The data are read from the shared data
folder (``TANDEM_WILLEMS_DATA`` overrides it) and never copied into the project.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import pytest

from tandem.planning.meio import GSMNetwork, GuaranteedServiceOptimizer, parse_willems_chain

DATA = Path(
    os.environ.get(
        "TANDEM_WILLEMS_DATA",
        Path(__file__).resolve().parents[4] / "shared" / "data" / "willems" / "processed",
    )
)


@pytest.fixture(scope="module")
def data() -> Path:
    if not (DATA / "reported_optimal_cost.txt").exists():
        pytest.skip(f"Willems data not found in {DATA}")
    return DATA


def _chain(data: Path, k: int, exact: bool = True) -> GSMNetwork:
    text = (data / f"willems_{k:02d}.csv").read_text()
    return parse_willems_chain(text, exact_service_factors=exact)


@pytest.mark.parametrize("chain", [2, 4, 13, 17])
def test_deterministic_chains_cost_35_percent_of_their_safety_stock_value(
    data: Path, chain: int
) -> None:
    # Chains whose stage times are deterministic: the reported optimum (3 significant figures)
    # is 0.35 x sum_j cumulative cost_j x safety stock_j with z = Phi^{-1}(service level).
    reported = float((data / "reported_optimal_cost.txt").read_text().split()[chain - 1])
    solution = GuaranteedServiceOptimizer().solve(_chain(data, chain))
    assert solution.is_proven_optimal()
    assert f"{0.35 * solution.cost:.3g}" == f"{reported:.3g}"


@pytest.mark.parametrize("chain", [1, 6, 10, 11])
def test_safety_stock_units_match_humair_et_al_with_mean_stage_times(
    data: Path, chain: int
) -> None:
    # Humair, Ruark, Tomlin & Willems (2013), "mean" stage times, whole units (truncated).
    with (data / "optimal_inventory_levels.csv").open() as handle:
        rows = {
            (int(r["SupplyChain"]), r["LT"]): float(r["SafetyStock"])
            for r in csv.DictReader(handle)
        }
    solution = GuaranteedServiceOptimizer().solve(_chain(data, chain))
    assert solution.is_proven_optimal()
    assert math.floor(sum(solution.safety_stocks)) == rows[(chain, "mean")]


def test_exact_service_factor_recovers_the_service_level(data: Path) -> None:
    rounded = _chain(data, 2, exact=False)
    exact = _chain(data, 2, exact=True)
    demand = [s for s in exact.stages if s.demand_std > 0]
    assert {s.service_factor for s in rounded.stages if s.demand_std > 0} == {1.751}
    assert demand[0].service_factor == pytest.approx(1.7506860712521692, rel=1e-12)


def test_cumulative_cost_is_the_holding_cost(data: Path) -> None:
    network = _chain(data, 1)
    holding = {s.name: s.holding_cost for s in network.stages}
    # Manuf_0001 adds 39 to parts costing 12 + 5 + 9; Retail_0002 needs both manufacturers.
    assert holding["Manuf_0001"] == 65.0
    assert holding["Retail_0002"] == 65.0 + 62.0
