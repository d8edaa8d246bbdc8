"""Rules of the network model (tandem.domain.network)."""

from __future__ import annotations

import math

import pytest

from tandem.domain.errors import BomCycle, ValidationFailed, Violation
from tandem.domain.network import (
    PlanningParameters,
    ensure_bom_acyclic,
    find_bom_cycle,
    item_violations,
    lane_violations,
    planning_parameter_violations,
    raise_if,
    site_violations,
)


def test_site_coordinates_must_be_on_earth() -> None:
    assert site_violations("DC-1", 52.0, 4.0, "site") == []
    assert site_violations("DC-1", 91.0, -181.0, "sheet sites, row 3") == [
        Violation("sheet sites, row 3", "must lie in [-90, 90]", "latitude"),
        Violation("sheet sites, row 3", "must lie in [-180, 180]", "longitude"),
    ]
    assert site_violations(" ", math.nan, 0.0, "site") == [
        Violation("site", "must not be empty", "code"),
        Violation("site", "must lie in [-90, 90]", "latitude"),
    ]


def test_item_needs_sku_unit_and_non_negative_value() -> None:
    assert item_violations("SKU", "kg", 0.0, "item") == []
    assert item_violations("", "", -1.0, "item") == [
        Violation("item", "must not be empty", "sku"),
        Violation("item", "must not be empty", "unit"),
        Violation("item", "must not be negative (got -1)", "unit_value"),
    ]


def test_lane_rules_name_each_offending_field() -> None:
    assert lane_violations(1, 2, 2.0, 0.5, 0.1, None, "lane") == []
    assert lane_violations(1, 1, -2.0, -0.5, -0.1, 0.0, "lane") == [
        Violation("lane", "a lane must join two different sites", "to_site"),
        Violation("lane", "must not be negative (got -2)", "lead_time_mean_days"),
        Violation("lane", "must not be negative (got -0.5)", "lead_time_std_days"),
        Violation("lane", "must not be negative (got -0.1)", "cost_per_unit"),
        Violation("lane", "must be a positive number (got 0.0)", "capacity_per_day"),
    ]


def test_planning_parameters_ranges() -> None:
    assert planning_parameter_violations(PlanningParameters(0.95, 7.0), "p") == []
    assert planning_parameter_violations(
        PlanningParameters(target_service_level=1.0, safety_stock=-3.0), "p"
    ) == [
        Violation("p", "must lie strictly between 0 and 1", "target_service_level"),
        Violation("p", "must not be negative (got -3)", "safety_stock"),
    ]


def test_bom_cycle_is_found_and_named() -> None:
    assert find_bom_cycle([(1, 2), (2, 3), (1, 3)]) is None
    assert sorted(find_bom_cycle([(1, 2), (2, 3), (3, 1)]) or []) == [1, 2, 3]
    with pytest.raises(BomCycle) as caught:
        ensure_bom_acyclic([(1, 2), (2, 1)], {1: "KIT", 2: "BLEND"}, "bom line")
    assert caught.value.code == "bom_cycle"
    assert (
        "KIT > BLEND > KIT" in caught.value.detail or "BLEND > KIT > BLEND" in caught.value.detail
    )


def test_raise_if_carries_every_violation() -> None:
    found = [Violation("a", "x", "f"), Violation("b", "y")]
    with pytest.raises(ValidationFailed) as caught:
        raise_if(found, "bad")
    assert caught.value.violations == found
    assert caught.value.detail == "bad: a.f: x; b: y"
    raise_if([], "fine")
