"""Cycle service level <-> fill rate conversions with the normal loss function."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.inventory import (
    FillRateFormula,
    NormalDemand,
    from_cycle_service_level,
    from_fill_rate,
)
from tandem.planning.inventory.loss import (
    inverse_standard_normal_loss,
    standard_normal_loss,
    standard_normal_second_loss,
)


def test_standard_normal_loss_table_values() -> None:
    # S&S Appendix table of L(z): L(0) = phi(0), L(1) = 0.0833, L(-1) = 1.0833.
    assert standard_normal_loss(0.0) == pytest.approx(0.3989422804, rel=1e-9)
    assert standard_normal_loss(1.0) == pytest.approx(0.0833154706, rel=1e-9)
    assert standard_normal_loss(-1.0) == pytest.approx(1.0833154706, rel=1e-9)
    assert standard_normal_second_loss(0.0) == 0.25


def test_ninety_percent_cycle_service_with_q_100_gives_known_fill_rate() -> None:
    # z = 1.281552, L(z) = 0.047343: beta = 1 - 10 * 0.047343 / 100.
    levels = from_cycle_service_level(0.9, 100.0, NormalDemand(50.0, 10.0))
    assert levels.safety_factor == pytest.approx(1.2815516, rel=1e-7)
    assert levels.reorder_point == pytest.approx(62.815516, rel=1e-7)
    assert levels.fill_rate == pytest.approx(1 - 10 * 0.0473433 / 100, rel=1e-7)


def test_fill_rate_of_99_percent_needs_loss_of_one_tenth() -> None:
    levels = from_fill_rate(0.99, 100.0, NormalDemand(50.0, 10.0))
    assert standard_normal_loss(levels.safety_factor) == pytest.approx(0.1, rel=1e-10)
    assert levels.safety_factor == pytest.approx(0.902346, abs=1e-6)


def test_exact_fill_rate_credits_shortages_of_the_previous_cycle() -> None:
    ltd = NormalDemand(50.0, 10.0)
    standard = from_cycle_service_level(0.5, 5.0, ltd)
    exact = from_cycle_service_level(0.5, 5.0, ltd, FillRateFormula.EXACT)
    assert exact.fill_rate > standard.fill_rate
    assert exact.fill_rate == pytest.approx(1 - (ltd.loss(50.0) - ltd.loss(55.0)) / 5.0)


@settings(max_examples=40, deadline=None)
@given(
    alpha=st.floats(0.05, 0.999),
    q=st.floats(1.0, 500.0),
    std=st.floats(0.5, 50.0),
    formula=st.sampled_from(list(FillRateFormula)),
)
def test_service_level_conversions_round_trip(
    alpha: float, q: float, std: float, formula: FillRateFormula
) -> None:
    ltd = NormalDemand(100.0, std)
    forward = from_cycle_service_level(alpha, q, ltd, formula)
    if not 1e-9 < forward.fill_rate < 1 - 1e-9:
        return
    back = from_fill_rate(forward.fill_rate, q, ltd, formula)
    assert back.cycle_service_level == pytest.approx(alpha, rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(value=st.floats(1e-6, 50.0))
def test_inverse_loss_inverts_the_loss(value: float) -> None:
    assert standard_normal_loss(inverse_standard_normal_loss(value)) == pytest.approx(
        value, rel=1e-9
    )
