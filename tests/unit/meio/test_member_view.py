"""Safety stock per member under (a), (b), (c) (tandem.planning.meio.member_view)."""

from __future__ import annotations

import doctest
import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.meio import member_view as member_view_module
from tandem.planning.meio.gsm import Arc, GSMNetwork, Policy, Stage, compare_policies
from tandem.planning.meio.member_view import compare_members

SQRT2, SQRT3 = math.sqrt(2.0), math.sqrt(3.0)
VALUES = {"A": 10.0, "B": 25.0, "C": 40.0}


def serial() -> GSMNetwork:
    """supplier A (T 2, h 1) -> plant B (T 1, h 1.2) -> retailer C (T 1, h 3, sigma 1, s 0)."""
    return GSMNetwork(
        stages=(
            Stage("A", 2, 1.0),
            Stage("B", 1, 1.2),
            Stage("C", 1, 3.0, demand_std=1.0, max_service_time=0),
        ),
        arcs=(Arc("A", "B"), Arc("B", "C")),
    )


MEMBERS = {"A": "supplier", "B": "plant", "C": "retailer"}


def test_module_docstring_example() -> None:
    outcome = doctest.testmod(member_view_module)
    assert outcome.attempted == 6 and outcome.failed == 0


def test_serial_network_per_member_by_hand() -> None:
    """z = 1, sigma = 1 everywhere.
    (a) S = (0, 0, 0): net lead times 2, 1, 1 -> units sqrt 2, 1, 1; cost sqrt 2, 1.2, 3.
    (b) S_A = 2, S_B = 3, S_C = 0: nets 0, 0, 4 -> units 0, 0, 2; cost 0, 0, 6.
    (c) S_A = 2, S_B = 0, S_C = 0: nets 0, 3, 1 -> units 0, sqrt 3, 1; cost 0, 1.2 sqrt 3, 3.
    Values 10, 25, 40 per unit: (a) 10 sqrt 2, 25, 40; (b) 0, 0, 80; (c) 0, 25 sqrt 3, 40.
    """
    view = compare_members(compare_policies(serial()), MEMBERS, VALUES)
    assert [m.member for m in view.members] == ["supplier", "plant", "retailer"]
    supplier, plant, retailer = view.members
    assert (supplier.buffer_everywhere.safety_stock_units, supplier.optimal.holding_cost) == (
        pytest.approx(SQRT2),
        pytest.approx(0.0),
    )
    assert plant.buffer_everywhere.holding_cost == pytest.approx(1.2)
    assert plant.push_to_customer.holding_cost == pytest.approx(0.0)
    assert plant.optimal.holding_cost == pytest.approx(1.2 * SQRT3)
    assert plant.optimal.safety_stock_value == pytest.approx(25 * SQRT3)
    assert retailer.push_to_customer.safety_stock_units == pytest.approx(2.0)
    assert retailer.push_to_customer.safety_stock_value == pytest.approx(80.0)
    assert view.holding_costs(Policy.OPTIMAL) == pytest.approx(
        {"supplier": 0.0, "plant": 1.2 * SQRT3, "retailer": 3.0}
    )
    # the supplier's stock goes, the plant's grows: changes against (a)
    assert supplier.change(Policy.BUFFER_EVERYWHERE).safety_stock_value == pytest.approx(
        -10 * SQRT2
    )
    plant_change = plant.change(Policy.BUFFER_EVERYWHERE)
    assert plant_change.holding_cost == pytest.approx(1.2 * SQRT3 - 1.2)
    assert plant_change.safety_stock_units == pytest.approx(SQRT3 - 1.0)
    assert retailer.change(Policy.PUSH_TO_CUSTOMER).holding_cost == pytest.approx(3.0 - 6.0)
    assert view.optimal_proven


def test_without_unit_values_there_is_no_safety_stock_value() -> None:
    view = compare_members(compare_policies(serial()), MEMBERS)
    assert view.member("plant").optimal.safety_stock_value is None
    assert view.member("plant").change(Policy.BUFFER_EVERYWHERE).safety_stock_value is None


@pytest.mark.parametrize(
    ("members", "values", "message"),
    [
        ({"A": "s", "B": "p"}, None, "stage 'C' has no member"),
        (MEMBERS | {"Z": "x"}, None, "unknown stage 'Z'"),
        (MEMBERS, {"A": 1.0, "B": 2.0}, "stage 'C' has no unit value"),
    ],
)
def test_incomplete_maps_are_refused(
    members: dict[str, str], values: dict[str, float] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compare_members(compare_policies(serial()), members, values)


def test_unknown_member_lookup_raises() -> None:
    with pytest.raises(KeyError, match="nobody"):
        compare_members(compare_policies(serial()), MEMBERS).member("nobody")


@settings(max_examples=30, deadline=None)
@given(data=st.data(), tree=st.booleans())
def test_member_totals_add_up_to_the_policy_totals(
    data: st.DataObject, tree: bool, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=tree, max_stages=5))
    owner = {s.name: data.draw(st.sampled_from(["m1", "m2", "m3"])) for s in network.stages}
    values = {s.name: data.draw(st.sampled_from([1.0, 2.5, 10.0])) for s in network.stages}
    cmp = compare_policies(network)
    view = compare_members(cmp, owner, values)
    grouped = cmp.group_costs(owner)
    for result in cmp.results():
        by_member = view.holding_costs(result.policy)
        assert by_member == pytest.approx({m: row[result.policy] for m, row in grouped.items()})
        assert math.fsum(by_member.values()) == pytest.approx(result.total_cost, abs=1e-9)
        value = sum(
            values[name] * ss
            for name, ss in zip(result.stage_names, result.safety_stocks, strict=True)
        )
        member_value = math.fsum(
            v.totals(result.policy).safety_stock_value or 0.0 for v in view.members
        )
        assert member_value == pytest.approx(value, abs=1e-9)
