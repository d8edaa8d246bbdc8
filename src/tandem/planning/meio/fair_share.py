"""Sharing the savings of coordinated safety-stock placement among supply-chain members.

Each member ``m`` owns some stages of a guaranteed-service network. Under policy (a), buffer
everywhere (:mod:`~tandem.planning.meio.gsm.compare`), it pays its *stand-alone cost* ``a_m``
(the holding cost of the safety stock at its stages). Under the optimum (c) the network costs
``C(N) <= sum_m a_m``, but some members hold more stock than before. Transfers move money so
that member ``m`` ends up paying its *allocated cost* ``x_m``, with ``sum_m x_m = C(N)``:

* :attr:`SharingRule.PROPORTIONAL` — ``x_m = a_m C(N) / sum_k a_k``: savings in proportion to
  stand-alone cost; nobody is worse off than under (a).
* :attr:`SharingRule.SHAPLEY` — the Shapley (1953) value of the cost game ``c`` below,
  ``x_m = sum_{S not containing m} |S|! (n - |S| - 1)! / n! (c(S + m) - c(S))``: each member pays
  its average marginal cost over all orders of joining (Young 1985; for inventory games
  Fiestras-Janeiro, García-Jurado, Meca & Mosquera 2011).

**Characteristic function.** ``c(S)`` is the least holding cost of the stages of coalition
``S`` when only ``S`` coordinates: every stage outside ``S`` keeps its policy (a) service times
``S^a``, ``SI^a`` and its cost. For a stage ``j`` in ``S`` that means ``SI_j >= S^a_i`` for a
supplier ``i`` outside ``S`` (an outside supplier still quotes ``S^a_i``) and ``S_j <= SI^a_k``
for a customer ``k`` outside ``S`` (an outside customer still receives what it was promised).
It is computed with :class:`~tandem.planning.meio.gsm.GuaranteedServiceOptimizer` on the same
network (same pooled demand) with those bounds on ``S``'s stages and zero holding cost outside
``S``. So ``c({}) = 0``, ``c(N) = C(N)`` and ``c(S) <= sum_{m in S} a_m`` (policy (a) restricted
to ``S`` is feasible). The game has ``2^n`` coalitions, so Shapley values and the core check are
exact and refused beyond :data:`MAX_EXACT_MEMBERS` members.

An allocation is in the *core* when no coalition pays more than it would alone,
``sum_{m in S} x_m <= c(S)`` for every ``S``; it is *individually rational* when that holds for
every single member.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from tandem.planning.meio.gsm.compare import PolicyComparison, buffer_everywhere, compare_policies
from tandem.planning.meio.gsm.network import GSMNetwork, Stage
from tandem.planning.meio.gsm.optimizer import GuaranteedServiceOptimizer
from tandem.planning.meio.member_view import compare_members, stage_members

__all__ = [
    "MAX_EXACT_MEMBERS",
    "CostGame",
    "FairShare",
    "MemberAllocation",
    "SharingRule",
    "coalition_cost_game",
    "core_excess",
    "proportional_allocation",
    "shapley_value",
    "share_savings",
]

MAX_EXACT_MEMBERS = 10
"""Largest number of members for which the ``2^n`` coalitions are enumerated."""

_TOLERANCE = 1e-9


class SharingRule(enum.StrEnum):
    """How the savings of coordination are shared."""

    PROPORTIONAL = "proportional"
    """In proportion to each member's stand-alone cost under policy (a)."""
    SHAPLEY = "shapley"
    """Shapley value of the coalition cost game."""


@dataclass(frozen=True)
class CostGame:
    """A cooperative cost game: ``coalition_costs[mask]`` is ``c(S)`` for the coalition whose
    members are the players at the set bits of ``mask`` (bit ``k`` = ``players[k]``).

    Examples
    --------
    The airport game of Littlechild & Owen (1973): a runway long enough for the largest plane
    in the coalition; planes needing 1, 3 and 6.

    >>> game = CostGame.from_function(("a", "b", "c"), lambda s: max(
    ...     ({"a": 1.0, "b": 3.0, "c": 6.0}[p] for p in s), default=0.0))
    >>> [round(x, 6) for x in shapley_value(game)]
    [0.333333, 1.333333, 4.333333]
    """

    players: tuple[str, ...]
    coalition_costs: tuple[float, ...]
    proven_optimal: bool = True
    """Whether every ``c(S)`` is a proven optimum (otherwise some are upper bounds)."""

    def __post_init__(self) -> None:
        if len(set(self.players)) != len(self.players):
            raise ValueError("players must be unique")
        if len(self.coalition_costs) != 2 ** len(self.players):
            raise ValueError("need one cost per coalition: 2^n values")
        if self.coalition_costs[0] != 0.0:
            raise ValueError("the empty coalition must cost 0")

    @classmethod
    def from_function(
        cls, players: Sequence[str], cost: Callable[[frozenset[str]], float]
    ) -> CostGame:
        """Tabulate ``cost`` over every coalition of ``players``."""
        _check_size(len(players))
        return cls(
            tuple(players),
            tuple(float(cost(_members(players, mask))) for mask in range(2 ** len(players))),
        )

    def cost(self, coalition: Iterable[str]) -> float:
        """``c(S)``."""
        position = {p: k for k, p in enumerate(self.players)}
        return self.coalition_costs[sum(1 << position[p] for p in set(coalition))]


@dataclass(frozen=True)
class MemberAllocation:
    """What one member pays before and after the transfers."""

    member: str
    standalone_cost: float
    """``a_m``: its holding cost under policy (a)."""
    coordinated_cost: float
    """Its stages' holding cost under the optimum (c), before transfers."""
    allocated_cost: float
    """``x_m``: what it pays after transfers."""
    alone_cost: float | None
    """``c({m})``: its best cost coordinating alone (``None`` when the game is not built)."""

    @property
    def transfer_received(self) -> float:
        """``coordinated_cost - allocated_cost`` (negative: the member pays the others)."""
        return self.coordinated_cost - self.allocated_cost

    @property
    def savings(self) -> float:
        """``standalone_cost - allocated_cost`` (``>= 0``: no worse off than under (a))."""
        return self.standalone_cost - self.allocated_cost


@dataclass(frozen=True)
class FairShare:
    """An allocation of the coordinated cost and its checks."""

    rule: SharingRule
    allocations: tuple[MemberAllocation, ...]
    standalone_total: float
    """``sum_m a_m``."""
    coordinated_total: float
    """``C(N)``, the optimum (c)."""
    no_member_worse_off: bool
    """``x_m <= a_m`` for every member."""
    individually_rational: bool | None
    """``x_m <= c({m})`` for every member (``None`` when the game is not built)."""
    in_core: bool | None
    """``sum_{m in S} x_m <= c(S)`` for every coalition (``None`` when not built)."""
    blocking_coalition: tuple[str, ...]
    """The coalition with the largest excess ``sum x - c(S) > 0`` (empty if in the core)."""
    proven_optimal: bool
    """Whether the optimum and every coalition cost are proven optimal."""

    @property
    def savings(self) -> float:
        """``sum_m a_m - C(N)``."""
        return self.standalone_total - self.coordinated_total

    def allocation(self, member: str) -> MemberAllocation:
        """One member's allocation."""
        for row in self.allocations:
            if row.member == member:
                return row
        raise KeyError(f"unknown member {member!r}")


def shapley_value(game: CostGame) -> tuple[float, ...]:
    """Exact Shapley value (one cost per player) over the ``2^n`` coalitions."""
    n = len(game.players)
    _check_size(n)
    weight = [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    size = [mask.bit_count() for mask in range(2**n)]
    costs = game.coalition_costs
    value = [0.0] * n
    for k in range(n):
        bit = 1 << k
        value[k] = math.fsum(
            weight[size[mask]] * (costs[mask | bit] - costs[mask])
            for mask in range(2**n)
            if not mask & bit
        )
    return tuple(value)


def core_excess(game: CostGame, allocation: Sequence[float]) -> tuple[tuple[str, ...], float]:
    """The non-empty coalition with the largest excess ``sum_{m in S} x_m - c(S)`` and that
    excess (``<= 0`` for every coalition: the allocation satisfies the core inequalities)."""
    n = len(game.players)
    _check_size(n)
    best_mask, best = 0, -math.inf
    for mask in range(1, 2**n):
        excess = sum(allocation[k] for k in range(n) if mask >> k & 1) - game.coalition_costs[mask]
        if excess > best:
            best_mask, best = mask, excess
    return tuple(p for k, p in enumerate(game.players) if best_mask >> k & 1), best


def proportional_allocation(standalone: Sequence[float], total: float) -> tuple[float, ...]:
    """``x_m = a_m total / sum_k a_k`` (all zero when every ``a_m`` is zero)."""
    whole = math.fsum(standalone)
    if whole <= 0.0:
        return tuple(0.0 for _ in standalone)
    return tuple(a * total / whole for a in standalone)


def coalition_cost_game(
    network: GSMNetwork,
    members: Mapping[str, str],
    optimizer: GuaranteedServiceOptimizer | None = None,
) -> CostGame:
    """The cost game ``c(S)`` of the module docstring, members in order of first stage."""
    grouped = stage_members(tuple(s.name for s in network.stages), members)
    players = tuple(grouped)
    _check_size(len(players))
    solver = optimizer or GuaranteedServiceOptimizer()
    outbound, inbound = buffer_everywhere(network)
    costs, proven = [0.0], True
    for mask in range(1, 2 ** len(players)):
        inside = _members(players, mask)
        restricted = _coalition_network(
            network, members, inside, outbound.tolist(), inbound.tolist()
        )
        solution = solver.solve(restricted)
        costs.append(solution.cost)
        proven = proven and solution.is_proven_optimal()
    return CostGame(players, tuple(costs), proven_optimal=proven)


def share_savings(
    network: GSMNetwork,
    members: Mapping[str, str],
    rule: SharingRule,
    optimizer: GuaranteedServiceOptimizer | None = None,
) -> FairShare:
    """Allocate the optimum's cost among the members by ``rule``.

    The coalition game (core and individual-rationality checks, and the Shapley value) needs
    ``2^n`` optimisations; with more than :data:`MAX_EXACT_MEMBERS` members the Shapley rule
    raises ``ValueError`` and the proportional rule skips the checks (``None``).
    """
    comparison = compare_policies(network, optimizer)
    view = compare_members(comparison, members)
    names = tuple(v.member for v in view.members)
    standalone = [v.buffer_everywhere.holding_cost for v in view.members]
    coordinated = [v.optimal.holding_cost for v in view.members]
    total = comparison.optimal.total_cost
    game = None
    if rule is SharingRule.SHAPLEY or len(names) <= MAX_EXACT_MEMBERS:
        game = coalition_cost_game(network, members, optimizer)
    if rule is SharingRule.SHAPLEY and game is not None:
        allocated = shapley_value(game)
    else:
        allocated = proportional_allocation(standalone, total)
    return _assemble(rule, names, standalone, coordinated, allocated, game, comparison)


def _assemble(
    rule: SharingRule,
    names: tuple[str, ...],
    standalone: list[float],
    coordinated: list[float],
    allocated: Sequence[float],
    game: CostGame | None,
    comparison: PolicyComparison,
) -> FairShare:
    alone = [None if game is None else game.cost([m]) for m in names]
    blocking: tuple[str, ...] = ()
    in_core = rational = None
    if game is not None:
        coalition, excess = core_excess(game, allocated)
        in_core = excess <= _TOLERANCE * max(1.0, abs(sum(allocated)))
        blocking = () if in_core else coalition
        rational = all(
            x <= c + _TOLERANCE for x, c in zip(allocated, alone, strict=True) if c is not None
        )
    return FairShare(
        rule=rule,
        allocations=tuple(
            MemberAllocation(m, a, c, x, s)
            for m, a, c, x, s in zip(names, standalone, coordinated, allocated, alone, strict=True)
        ),
        standalone_total=comparison.buffer_everywhere.total_cost,
        coordinated_total=comparison.optimal.total_cost,
        no_member_worse_off=all(
            x <= a + _TOLERANCE for x, a in zip(allocated, standalone, strict=True)
        ),
        individually_rational=rational,
        in_core=in_core,
        blocking_coalition=blocking,
        proven_optimal=comparison.optimal_proven and (game is None or game.proven_optimal),
    )


def _coalition_network(
    network: GSMNetwork,
    members: Mapping[str, str],
    inside: frozenset[str],
    outbound: list[int],
    inbound: list[int],
) -> GSMNetwork:
    """The network seen by coalition ``inside``: outside stages cost nothing, and the stages
    inside keep the promises of policy (a) across the coalition's boundary."""
    index = network.index
    is_inside = [members[s.name] in inside for s in network.stages]
    min_inbound = [s.external_inbound_service_time for s in network.stages]
    max_service: list[float | None] = [s.max_service_time for s in network.stages]
    for arc in network.arcs:
        up, down = index[arc.upstream], index[arc.downstream]
        if is_inside[down] and not is_inside[up]:
            min_inbound[down] = max(min_inbound[down], float(outbound[up]))
        if is_inside[up] and not is_inside[down]:
            cap, old = float(inbound[down]), max_service[up]
            max_service[up] = cap if old is None else min(old, cap)

    def restrict(j: int, stage: Stage) -> Stage:
        if not is_inside[j]:
            return replace(stage, holding_cost=0.0)
        return replace(
            stage,
            max_service_time=max_service[j],
            external_inbound_service_time=min_inbound[j],
        )

    return replace(network, stages=tuple(restrict(j, s) for j, s in enumerate(network.stages)))


def _members(players: Sequence[str], mask: int) -> frozenset[str]:
    return frozenset(p for k, p in enumerate(players) if mask >> k & 1)


def _check_size(n: int) -> None:
    if n > MAX_EXACT_MEMBERS:
        raise ValueError(
            f"exact coalition games enumerate 2^n coalitions; {n} members exceed the limit of "
            f"{MAX_EXACT_MEMBERS}"
        )
