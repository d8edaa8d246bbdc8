"""Mode choice by landed cost: hand-built cases and the brute-force cheapest feasible option."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from tandem.planning.logistics import (
    FreightMode,
    ModeOption,
    ModePolicy,
    Shipment,
    choose_mode,
    freight_cost,
)

PARCEL = ModeOption("parcel", FreightMode.PARCEL, 2.0, rate_per_kg=1.2, minimum_charge=15.0,
                    volumetric_kg_per_m3=200.0)  # fmt: skip
LTL = ModeOption("ltl", FreightMode.LESS_THAN_TRUCKLOAD, 3.0, rate_per_kg=0.25, minimum_charge=90.0)
FTL = ModeOption("ftl", FreightMode.FULL_TRUCKLOAD, 2.0, rate_per_load=800.0,
                 load_weight_kg=24000.0, load_volume_m3=80.0)  # fmt: skip
SEA = ModeOption("sea", FreightMode.SEA, 30.0, 3.0, rate_per_m3=40.0, fixed_charge=300.0)
AIR = ModeOption("air", FreightMode.AIR, 3.0, 0.5, rate_per_kg=3.5, volumetric_kg_per_m3=166.67)


def test_freight_rate_cards() -> None:
    assert freight_cost(PARCEL, 5.0, 0.01) == 15.0  # 1.2 x max(5, 2) = 6 < minimum 15
    assert freight_cost(PARCEL, 5.0, 0.1) == pytest.approx(24.0)  # 1.2 x 20 kg dimensional
    assert freight_cost(FTL, 30000.0, 50.0) == 1600.0  # ceil(30000 / 24000) = 2 loads x 800
    assert freight_cost(FTL, 1000.0, 85.0) == 1600.0  # volume: ceil(85 / 80) = 2 loads
    assert freight_cost(SEA, 10000.0, 20.0) == 1100.0  # 300 + 40 x 20
    assert freight_cost(AIR, 100.0, 1.0) == pytest.approx(3.5 * 166.67)  # chargeable 166.67 kg


def test_cheap_slow_mode_wins_when_the_date_allows() -> None:
    # 2,000 kg, 6 m3, value 50,000, ship day 0, required day 40, carrying 20 %/year.
    # ltl: 0.25 x 2000 = 500 + 50000 x 0.2 x 3/365 = 82.19 -> 582.19
    # ftl: 800 + 50000 x 0.2 x 2/365 = 54.79 -> 854.79
    # sea: 300 + 240 = 540 + 50000 x 0.2 x 30/365 = 821.92 -> 1361.92
    # air: 3.5 x 2000 = 7000 + 50000 x 0.2 x 3/365 = 82.19 -> 7082.19
    shipment = Shipment("S", 2000.0, 6.0, 50_000.0, 0, 40)
    choice = choose_mode(shipment, [SEA, AIR, LTL, FTL], ModePolicy(carrying_rate_per_year=0.2))
    assert [c.option for c in choice.ranking] == ["ltl", "ftl", "sea", "air"]
    assert [round(c.total_cost, 2) for c in choice.ranking] == [582.19, 854.79, 1361.92, 7082.19]
    assert choice.chosen is not None and choice.chosen.option == "ltl"
    assert choice.ranking[2].reason == "costs 779.73 more than ltl"


def test_required_date_rules_out_slow_modes_and_service_level_pads_transit() -> None:
    # Required day 3 with a 95 % transit service level: z = 1.6449.
    # sea 30 + 1.6449 x 3 = 34.93 days -> infeasible; air 3 + 1.6449 x 0.5 = 3.82 -> late by 0.82;
    # ltl 3.0 and ftl 2.0 days (no std) -> feasible; ltl is cheaper. Infeasible ones rank last,
    # by cost: sea (1,100 freight) before air (7,000).
    shipment = Shipment("S", 2000.0, 6.0, 50_000.0, 0, 3)
    policy = ModePolicy(carrying_rate_per_year=0.2, service_level=0.95)
    choice = choose_mode(shipment, [SEA, AIR, LTL, FTL], policy)
    assert [(c.option, c.feasible) for c in choice.ranking] == [
        ("ltl", True), ("ftl", True), ("sea", False), ("air", False),
    ]  # fmt: skip
    assert choice.ranking[3].planned_transit_days == pytest.approx(3.0 + 1.6448536 * 0.5)
    assert choice.ranking[3].reason == "infeasible: arrives day 3.82, 0.82 days late"


def test_lateness_penalty_turns_infeasibility_into_cost() -> None:
    # Required day 1: every option is late. Penalty 1,000/day: ltl late 2 days -> 582.19 + 2000;
    # ftl late 1 day -> 854.79 + 1000 = 1854.79, the least.
    shipment = Shipment("S", 2000.0, 6.0, 50_000.0, 0, 1)
    strict = choose_mode(shipment, [LTL, FTL], ModePolicy(carrying_rate_per_year=0.2))
    assert strict.chosen is None
    assert all(not c.feasible for c in strict.ranking)
    lenient = ModePolicy(carrying_rate_per_year=0.2, lateness_penalty_per_day=1000.0)
    choice = choose_mode(shipment, [LTL, FTL], lenient)
    assert choice.chosen is not None and choice.chosen.option == "ftl"
    assert round(choice.chosen.total_cost, 2) == 1854.79
    assert choice.chosen.lateness_penalty == 1000.0


options = st.builds(
    ModeOption,
    option=st.text("abcdefgh", min_size=1, max_size=4),
    mode=st.sampled_from(list(FreightMode)),
    transit_days_mean=st.floats(0.5, 40),
    transit_days_std=st.floats(0, 5),
    rate_per_kg=st.floats(0, 5),
    rate_per_m3=st.floats(0, 100),
    rate_per_load=st.floats(0, 2000),
    minimum_charge=st.floats(0, 200),
    fixed_charge=st.floats(0, 300),
    volumetric_kg_per_m3=st.sampled_from([0.0, 166.67, 200.0]),
    load_weight_kg=st.one_of(st.none(), st.floats(500, 25000)),
)


@settings(max_examples=150)
@given(
    st.lists(options, min_size=1, max_size=6, unique_by=lambda o: o.option),
    st.floats(1, 20000),
    st.floats(0.01, 60),
    st.floats(0, 1e6),
    st.integers(0, 40),
    st.one_of(st.none(), st.floats(0.5, 0.999)),
    st.one_of(st.none(), st.floats(0, 5000)),
)
def test_chosen_mode_is_the_cheapest_feasible_by_brute_force(
    opts: list[ModeOption],
    kg: float,
    m3: float,
    value: float,
    required: int,
    level: float | None,
    penalty: float | None,
) -> None:
    policy = ModePolicy(0.25, level, penalty)
    choice = choose_mode(Shipment("S", kg, m3, value, 0, required), opts, policy)
    z = 0.0 if level is None else float(norm.ppf(level))
    totals = {}
    for o in opts:
        days = o.transit_days_mean + z * o.transit_days_std
        late = max(0.0, days - required)
        if late > 1e-9 and penalty is None:
            continue
        loads = 1 if o.load_weight_kg is None else max(1, math.ceil(kg / o.load_weight_kg - 1e-9))
        charge = max(kg, m3 * o.volumetric_kg_per_m3)
        freight = (
            o.fixed_charge + o.rate_per_kg * charge + o.rate_per_m3 * m3 + o.rate_per_load * loads
        )
        freight = max(o.minimum_charge, freight)
        totals[o.option] = freight + value * 0.25 * days / 365 + late * (penalty or 0.0)
    assert len(choice.ranking) == len(opts)
    if not totals:
        assert choice.chosen is None
        return
    assert choice.chosen is not None
    assert choice.chosen.total_cost == pytest.approx(min(totals.values()), rel=1e-9, abs=1e-9)
    assert totals[choice.chosen.option] == pytest.approx(min(totals.values()), rel=1e-9, abs=1e-9)
