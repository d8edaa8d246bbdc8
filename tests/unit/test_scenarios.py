"""Scenario deltas of the digital twin: parsing, every violation named by delta and field, and
the MRP what-if subset (same field names as :mod:`tandem.domain.planning_runs`)."""

from __future__ import annotations

import pytest

from tandem.domain import planning_runs
from tandem.domain.errors import ValidationFailed
from tandem.domain.scenarios import (
    CapacityChange,
    DemandScale,
    LaneDown,
    LeadTimeShift,
    NodeDown,
    PolicyChange,
    SafetyStockChange,
    SharingSwitch,
    parse_deltas,
)


def _violations(raw: object) -> list[tuple[str, str | None]]:
    with pytest.raises(ValidationFailed) as raised:
        parse_deltas(raw)
    return [(v.location, v.field) for v in raised.value.violations]


def test_every_delta_type_parses() -> None:
    raw = [
        {"type": "demand_scale", "factor": 1.5, "site": "CAFE-1", "from_day": 3, "to_day": 9},
        {"type": "lead_time", "add_days": 2, "supplier": "BEANS", "lane": "PORT>PLANT"},
        {"type": "capacity", "lane": "PLANT>DC", "per_day": 120},
        {"type": "capacity", "site": "PLANT", "factor": 0.5},
        {"type": "node_down", "site": "DC", "from_day": 10, "to_day": 12},
        {"type": "lane_down", "lane": "DC>CAFE-1", "from_day": 0, "to_day": 0},
        {"type": "policy", "item": "LATTE", "order_up_to": 80},
        {"type": "sharing", "on": True},
        {"type": "safety_stock", "factor": 1.2, "item": "BLEND"},
    ]
    assert parse_deltas(raw) == (
        DemandScale(1.5, None, "CAFE-1", 3, 9),
        LeadTimeShift(2, "BEANS", None, "PORT>PLANT"),
        CapacityChange(lane="PLANT>DC", per_day=120.0),
        CapacityChange(site="PLANT", factor=0.5),
        NodeDown("DC", 10, 12),
        LaneDown("DC>CAFE-1", 0, 0),
        PolicyChange(item="LATTE", order_up_to=80.0),
        SharingSwitch(True),
        SafetyStockChange(factor=1.2, item="BLEND"),
    )


def test_violations_name_each_delta_and_field() -> None:
    raw = [
        {"type": "node_down", "site": "DC", "from_day": 5, "to_day": 2},
        {"type": "capacity", "lane": "A>B", "site": "A", "factor": 2},
        {"type": "policy", "order_up_to": 5, "factor": 2},
        {"type": "sharing", "on": "yes"},
        {"type": "lane_down", "lane": "AB", "from_day": 1, "to_day": 2},
        {"type": "teleport"},
        {"type": "demand_scale", "factor": -1, "colour": "red"},
        "not an object",
    ]
    assert _violations(raw) == [
        ("deltas[0]", "to_day"),
        ("deltas[1]", "lane"),
        ("deltas[2]", "order_up_to"),
        ("deltas[3]", "on"),
        ("deltas[4]", "lane"),
        ("deltas[5]", "type"),
        ("deltas[6]", "colour"),
        ("deltas[7]", None),
    ]
    assert _violations({"type": "sharing"}) == [("deltas", None)]


def test_a_window_needs_both_days_in_range() -> None:
    raw = [{"type": "demand_scale", "factor": 2, "from_day": 3}]
    assert _violations(raw) == [("deltas[0]", "to_day")]
    raw = [{"type": "node_down", "site": "DC", "from_day": -1, "to_day": 99999}]
    assert _violations(raw) == [("deltas[0]", "from_day"), ("deltas[0]", "to_day")]


@pytest.mark.parametrize(
    "delta",
    [
        {"type": "demand_scale", "factor": 1.1, "item": "LATTE", "site": "CAFE-1"},
        {"type": "lead_time", "add_days": 3, "supplier": "BEANS", "item": "GREEN"},
        {"type": "safety_stock", "quantity": 40.0, "item": "BLEND", "site": "PLANT"},
    ],
)
def test_mrp_what_if_deltas_parse_here_with_the_same_fields(delta: dict[str, object]) -> None:
    mrp = planning_runs.parse_scenario([delta])[0]
    twin = parse_deltas([delta])[0]
    shared = dict(vars(mrp).items())
    assert {k: getattr(twin, k) for k in shared} == shared
