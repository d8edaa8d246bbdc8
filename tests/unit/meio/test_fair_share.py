"""Sharing the savings of coordination (tandem.planning.meio.fair_share)."""

from __future__ import annotations

import doctest
import itertools
import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.planning.meio import fair_share as fair_share_module
from tandem.planning.meio.fair_share import (
    MAX_EXACT_MEMBERS,
    CostGame,
    SharingRule,
    coalition_cost_game,
    core_excess,
    proportional_allocation,
    shapley_value,
    share_savings,
)
from tandem.planning.meio.gsm import Arc, GSMNetwork, GuaranteedServiceOptimizer, Stage
from tandem.planning.meio.gsm.compare import compare_policies

SQRT2, SQRT3 = math.sqrt(2.0), math.sqrt(3.0)
Z95 = 1.6448536269514722


def test_module_docstring_examples() -> None:
    outcome = doctest.testmod(fair_share_module)
    assert outcome.attempted == 2 and outcome.failed == 0


def test_airport_game_of_littlechild_and_owen() -> None:
    """Runway costs 1 < 3 < 6: each segment is shared equally by the planes that use it,
    1/3; 1/3 + (3 - 1)/2 = 4/3; 4/3 + (6 - 3)/1 = 13/3 (Littlechild & Owen 1973)."""
    needs = {"a": 1.0, "b": 3.0, "c": 6.0}
    game = CostGame.from_function(tuple(needs), lambda s: max((needs[p] for p in s), default=0.0))
    assert shapley_value(game) == pytest.approx((1 / 3, 4 / 3, 13 / 3), abs=1e-12)
    _, excess = core_excess(game, shapley_value(game))
    assert excess <= 1e-12  # the airport game is concave: its Shapley value is in the core


def test_three_player_game_by_hand() -> None:
    """c(1) = 6, c(2) = 7, c(3) = 8, c(12) = 10, c(13) = 11, c(23) = 12, c(123) = 15.
    Orders (marginal cost of 1, 2, 3):
      123: 6, 4, 5    132: 6, 4, 5    213: 3, 7, 5
      231: 3, 7, 5    312: 3, 4, 8    321: 3, 4, 8
    Averages: player 1 (6+6+3+3+3+3)/6 = 4, player 2 (4+4+7+7+4+4)/6 = 5, player 3 = 6.
    Proportional to 6:7:8 of 15: 30/7, 5, 40/7; coalition {1, 2} pays 30/7 + 5 = 9.2857 <= 10.
    """
    table = {"": 0, "1": 6, "2": 7, "3": 8, "12": 10, "13": 11, "23": 12, "123": 15}
    game = CostGame.from_function(("1", "2", "3"), lambda s: table["".join(sorted(s))])
    assert shapley_value(game) == pytest.approx((4.0, 5.0, 6.0), abs=1e-12)
    assert proportional_allocation([6.0, 7.0, 8.0], 15.0) == pytest.approx((30 / 7, 5.0, 40 / 7))
    assert game.cost(["3", "1"]) == 11.0
    # the allocation (7, 4, 4) overcharges {1}: excess 7 - 6 = 1 is the largest
    assert core_excess(game, (7.0, 4.0, 4.0)) == (("1",), 1.0)


def test_games_beyond_the_exact_limit_are_refused() -> None:
    players = [f"m{k}" for k in range(MAX_EXACT_MEMBERS + 1)]
    with pytest.raises(ValueError, match="11 members exceed the limit of 10"):
        CostGame.from_function(players, lambda s: float(len(s)))


def serial_three_members() -> tuple[GSMNetwork, dict[str, str]]:
    """supplier A (T 2, h 1) -> plant B (T 1, h 1.2) -> retailer C (T 1, h 3, sigma 1, s 0)."""
    network = GSMNetwork(
        stages=(
            Stage("A", 2, 1.0),
            Stage("B", 1, 1.2),
            Stage("C", 1, 3.0, demand_std=1.0, max_service_time=0),
        ),
        arcs=(Arc("A", "B"), Arc("B", "C")),
    )
    return network, {"A": "supplier", "B": "plant", "C": "retailer"}


def test_serial_coalition_costs_by_hand() -> None:
    """Policy (a): S = 0 everywhere, net lead times 2, 1, 1: a = (sqrt 2, 1.2, 3), 5.614214.
    c(supplier): B keeps SI_B = 0, so S_A <= 0: sqrt 2.  c(plant): SI_B >= S_A = 0, S_B <= SI_C
    = 0: 1.2.  c(retailer): 3.  c(supplier, plant): S_B <= 0; S_A = 0: sqrt 2 + 1.2 = 2.614,
    S_A = 1: 1 + 1.2 sqrt 2 = 2.697, S_A = 2: 1.2 sqrt 3 = 2.078461 (best).  c(supplier,
    retailer) = sqrt 2 + 3 (B fixed between them).  c(plant, retailer): S_B = 0: 1.2 + 3 = 4.2,
    S_B = 1: 3 sqrt 2 = 4.243: 4.2.  c(all) = 1.2 sqrt 3 + 3 = 5.078461 (S_A = 2, S_B = 0)."""
    network, members = serial_three_members()
    game = coalition_cost_game(network, members)
    assert game.players == ("supplier", "plant", "retailer")
    expected = (0.0, SQRT2, 1.2, 1.2 * SQRT3, 3.0, SQRT2 + 3.0, 4.2, 1.2 * SQRT3 + 3.0)
    assert game.coalition_costs == pytest.approx(expected, abs=1e-12)
    assert game.proven_optimal


def test_serial_shapley_splits_the_supplier_plant_synergy_and_leaves_the_retailer_alone() -> None:
    """Only supplier and plant create savings: sqrt 2 + 1.2 - 1.2 sqrt 3 = 0.535753; the
    retailer is a dummy (c(S + retailer) = c(S) + 3) and pays its 3. Shapley: supplier
    sqrt 2 - 0.267876 = 1.146337, plant 1.2 - 0.267876 = 0.932124. At the optimum the supplier
    holds nothing (S_A = 2) and the plant 1.2 sqrt 3 = 2.078461, so the supplier pays the plant
    1.146337."""
    network, members = serial_three_members()
    share = share_savings(network, members, SharingRule.SHAPLEY)
    half = (SQRT2 + 1.2 - 1.2 * SQRT3) / 2
    rows = {a.member: a for a in share.allocations}
    assert rows["supplier"].allocated_cost == pytest.approx(SQRT2 - half, abs=1e-12)
    assert rows["plant"].allocated_cost == pytest.approx(1.2 - half, abs=1e-12)
    assert rows["retailer"].allocated_cost == pytest.approx(3.0, abs=1e-12)
    assert rows["supplier"].transfer_received == pytest.approx(-(SQRT2 - half), abs=1e-12)
    assert rows["plant"].transfer_received == pytest.approx(1.2 * SQRT3 - 1.2 + half, abs=1e-12)
    assert rows["retailer"].transfer_received == pytest.approx(0.0, abs=1e-12)
    assert share.savings == pytest.approx(2 * half, abs=1e-12)
    assert (share.in_core, share.individually_rational, share.no_member_worse_off) == (
        True,
        True,
        True,
    )
    assert share.blocking_coalition == ()


def test_serial_proportional_share_is_blocked_by_supplier_and_plant() -> None:
    """Proportional: x = a x 5.078461 / 5.614214 = (1.279258, 1.085487, 2.713716); supplier and
    plant pay 2.364745 > c(supplier, plant) = 2.078461, so they would rather coordinate alone."""
    network, members = serial_three_members()
    share = share_savings(network, members, SharingRule.PROPORTIONAL)
    factor = (1.2 * SQRT3 + 3.0) / (SQRT2 + 4.2)
    allocated = [a.allocated_cost for a in share.allocations]
    assert allocated == pytest.approx([SQRT2 * factor, 1.2 * factor, 3.0 * factor], abs=1e-12)
    assert share.no_member_worse_off and share.individually_rational
    assert share.in_core is False
    assert share.blocking_coalition == ("supplier", "plant")


def camera() -> tuple[GSMNetwork, dict[str, str]]:
    """S&S Fig. 6.14 (customer service time 2, z = 1.6448536): components maker (1-4, 7-9),
    assembler (5, 6), brand owner (10)."""
    times = {"1": 2, "2": 3, "3": 2, "4": 4, "5": 2, "6": 3, "7": 6, "8": 4, "9": 3, "10": 2}
    costs = {"1": 0.01, "2": 0.03, "3": 0.04, "4": 0.06, "5": 0.12, "6": 0.13, "7": 0.20,
             "8": 0.08, "9": 0.04, "10": 0.50}  # fmt: skip
    edges = [("1", "2"), ("2", "3"), ("3", "5"), ("4", "5"), ("5", "6"), ("6", "10"),
             ("7", "10"), ("8", "10"), ("9", "10")]  # fmt: skip
    network = GSMNetwork(
        stages=tuple(
            Stage(
                n,
                times[n],
                costs[n],
                demand_std=10.0 if n == "10" else 0.0,
                max_service_time=2 if n == "10" else None,
            )
            for n in times
        ),
        arcs=tuple(Arc(a, b) for a, b in edges),
        service_factor=Z95,
    )
    owner = dict.fromkeys(times, "components") | {"5": "assembly", "6": "assembly", "10": "brand"}
    return network, owner


def test_camera_network_allocations() -> None:
    """Policy (a) (S = 0 upstream, stage 10 quotes 2 = T_10 and holds nothing): components
    15.821061, assembly 6.495070, brand 0. The optimum 18.824004 (S&S) puts 12.062075 at the
    components maker and 6.761929 at the assembler. The brand owner is a dummy (stage 10 holds
    nothing whoever coordinates); the components maker alone already saves (c = 15.507102, by the
    exact tree DP), the assembler alone 4.781406. Synergy 15.507102 + 4.781406 - 18.824004 =
    1.464503, half each: Shapley (14.774850, 4.049154, 0) — in the core. Proportional charges the
    assembler 6.495070 x 18.824004 / 22.316131 = 5.478693 > 4.781406: not individually rational.
    """
    network, owner = camera()
    game = coalition_cost_game(network, owner)
    assert game.cost(["components"]) == pytest.approx(15.507101591711923, abs=1e-9)
    assert game.cost(["assembly"]) == pytest.approx(4.781405879770745, abs=1e-9)
    assert game.cost(["components", "assembly", "brand"]) == pytest.approx(18.824004, abs=1e-6)
    shapley = share_savings(network, owner, SharingRule.SHAPLEY)
    synergy = 15.507101591711923 + 4.781405879770745 - 18.824004472592172
    assert [a.allocated_cost for a in shapley.allocations] == pytest.approx(
        [15.507101591711923 - synergy / 2, 4.781405879770745 - synergy / 2, 0.0], abs=1e-9
    )
    assert [a.standalone_cost for a in shapley.allocations] == pytest.approx(
        [15.8210605213612, 6.495070237586079, 0.0], abs=1e-9
    )
    assert shapley.in_core is True
    proportional = share_savings(network, owner, SharingRule.PROPORTIONAL)
    assembly = proportional.allocation("assembly")
    assert assembly.allocated_cost == pytest.approx(5.478693081823839, abs=1e-9)
    assert proportional.individually_rational is False
    assert proportional.blocking_coalition == ("assembly",)
    assert proportional.no_member_worse_off is True


@st.composite
def games(draw: st.DrawFn, max_players: int = 5) -> CostGame:
    n = draw(st.integers(1, max_players))
    costs = [0.0] + [draw(st.floats(0.0, 100.0)) for _ in range(2**n - 1)]
    return CostGame(tuple(f"p{k}" for k in range(n)), tuple(costs))


def shapley_by_orders(game: CostGame) -> list[float]:
    """Naive reference: average marginal cost over all n! joining orders."""
    n = len(game.players)
    totals = [0.0] * n
    orders = list(itertools.permutations(range(n)))
    for order in orders:
        mask = 0
        for k in order:
            totals[k] += game.coalition_costs[mask | 1 << k] - game.coalition_costs[mask]
            mask |= 1 << k
    return [t / len(orders) for t in totals]


@settings(max_examples=80, deadline=None)
@given(game=games())
def test_shapley_is_the_average_marginal_cost_and_is_efficient(game: CostGame) -> None:
    value = shapley_value(game)
    assert value == pytest.approx(shapley_by_orders(game), abs=1e-9)
    assert math.fsum(value) == pytest.approx(game.coalition_costs[-1], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), game=games(max_players=4))
def test_symmetric_players_pay_the_same_and_dummies_their_own_cost(
    data: st.DataObject, game: CostGame
) -> None:
    n = len(game.players)
    costs = list(game.coalition_costs)
    # symmetrise players 0 and 1: c(S + 0) = c(S + 1) for S without both
    if n >= 2:
        for mask in range(2**n):
            if mask & 1 and not mask & 2:
                costs[(mask ^ 1) | 2] = costs[mask]
        value = shapley_value(CostGame(game.players, tuple(costs)))
        assert value[0] == pytest.approx(value[1], abs=1e-9)
    # make the last player a dummy with stand-alone cost d: c(S + last) = c(S) + d
    d = data.draw(st.floats(0.0, 50.0))
    last = 1 << (n - 1)
    for mask in range(2**n):
        if mask & last:
            costs[mask] = costs[mask ^ last] + d
    assert shapley_value(CostGame(game.players, tuple(costs)))[-1] == pytest.approx(d, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), tree=st.booleans())
def test_network_game_is_bounded_by_policy_a_and_the_allocations_are_efficient(
    data: st.DataObject, tree: bool, gsm_reference: SimpleNamespace
) -> None:
    network = data.draw(gsm_reference.small_networks(tree=tree, max_stages=5))
    owner = {s.name: data.draw(st.sampled_from(["m1", "m2", "m3"])) for s in network.stages}
    optimizer = GuaranteedServiceOptimizer(max_nodes=2000)
    game = coalition_cost_game(network, owner, optimizer)
    a = compare_policies(network, optimizer).buffer_everywhere.holding_cost_by_stage()
    for mask in range(1, 2 ** len(game.players)):
        inside = {p for k, p in enumerate(game.players) if mask >> k & 1}
        standalone = sum(cost for stage, cost in a.items() if owner[stage] in inside)
        assert game.coalition_costs[mask] <= standalone + 1e-9
    optimum = gsm_reference.brute_force_cost(network)
    assert game.coalition_costs[-1] == pytest.approx(optimum, abs=1e-9)
    for rule in SharingRule:
        share = share_savings(network, owner, rule, optimizer)
        total = math.fsum(x.allocated_cost for x in share.allocations)
        assert total == pytest.approx(optimum, abs=1e-9)
        assert math.fsum(x.transfer_received for x in share.allocations) == pytest.approx(
            0.0, abs=1e-9
        )
    assert share_savings(network, owner, SharingRule.PROPORTIONAL, optimizer).no_member_worse_off


def test_eleven_members_get_a_proportional_share_but_no_shapley_value() -> None:
    """A chain of 11 stages, one member each: 2^11 coalitions are over the limit."""
    names = [str(k) for k in range(11)]
    network = GSMNetwork(
        stages=tuple(
            Stage(
                n,
                1,
                1.0,
                demand_std=1.0 if n == "10" else 0.0,
                max_service_time=0 if n == "10" else None,
            )
            for n in names
        ),
        arcs=tuple(Arc(a, b) for a, b in itertools.pairwise(names)),
    )
    owner = {n: f"m{n}" for n in names}
    share = share_savings(network, owner, SharingRule.PROPORTIONAL)
    assert (share.in_core, share.individually_rational) == (None, None)
    assert share.allocation("m0").alone_cost is None
    assert math.fsum(a.allocated_cost for a in share.allocations) == pytest.approx(
        share.coordinated_total, abs=1e-12
    )
    with pytest.raises(ValueError, match="11 members exceed the limit of 10"):
        share_savings(network, owner, SharingRule.SHAPLEY)
