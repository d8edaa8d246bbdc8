"""The result type shared by every guaranteed-service solver."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tandem.planning.meio.gsm.network import GSMNetwork, check_feasible

__all__ = ["GSMMethod", "GSMSolution", "build_solution"]

IntArray = npt.NDArray[np.int64]


class GSMMethod(enum.Enum):
    """Which algorithm produced a solution."""

    TREE_DP = "tree_dp"
    """Graves & Willems (2000) dynamic program; exact on spanning trees."""
    MIP = "mip"
    """Mixed-integer program on HiGHS; exact when the gap closes."""
    HEURISTIC = "heuristic"
    """Iterated spanning-tree DP and local search; bounded by a Lagrangian relaxation."""
    BRANCH_AND_BOUND = "branch_and_bound"
    """Lagrangian branch and bound; exact when the search completes."""


@dataclass(frozen=True)
class GSMSolution:
    """Service times, safety stocks and the quality of a guaranteed-service solution.

    All per-stage tuples follow the order of ``GSMNetwork.stages``.

    Attributes
    ----------
    stage_names
        Stage names.
    outbound_service_times, inbound_service_times
        ``S_j`` and ``SI_j``.
    net_lead_times
        ``SI_j + T_j - S_j``.
    safety_stocks
        ``z sigma_j sqrt(net lead time)`` in units.
    cost
        ``sum_j h_j * safety stock_j``.
    lower_bound
        A proven lower bound on the optimal cost.
    method
        The algorithm used.
    """

    stage_names: tuple[str, ...]
    outbound_service_times: tuple[int, ...]
    inbound_service_times: tuple[int, ...]
    net_lead_times: tuple[float, ...]
    safety_stocks: tuple[float, ...]
    cost: float
    lower_bound: float
    method: GSMMethod

    @property
    def gap(self) -> float:
        """Relative optimality gap ``(cost - lower_bound) / cost`` (0 when both vanish)."""
        if self.cost <= 0.0:
            return 0.0
        return max(0.0, (self.cost - self.lower_bound) / self.cost)

    def is_proven_optimal(self, tolerance: float = 1e-6) -> bool:
        """Whether the lower bound certifies optimality within a relative tolerance."""
        return self.gap <= tolerance

    def outbound(self) -> dict[str, int]:
        """``S_j`` by stage name."""
        return dict(zip(self.stage_names, self.outbound_service_times, strict=True))

    def inbound(self) -> dict[str, int]:
        """``SI_j`` by stage name."""
        return dict(zip(self.stage_names, self.inbound_service_times, strict=True))


def build_solution(
    network: GSMNetwork,
    outbound: IntArray,
    inbound: IntArray,
    lower_bound: float,
    method: GSMMethod,
) -> GSMSolution:
    """Check feasibility and assemble a :class:`GSMSolution`."""
    st = network.structure
    check_feasible(st, outbound, inbound)
    net = np.maximum(inbound + st.processing_time - outbound, 0.0)
    safety = st.safety_coefficient * np.sqrt(net)
    cost = float(st.cost_coefficient @ np.sqrt(net))
    return GSMSolution(
        stage_names=tuple(s.name for s in network.stages),
        outbound_service_times=tuple(int(v) for v in outbound),
        inbound_service_times=tuple(int(v) for v in inbound),
        net_lead_times=tuple(float(v) for v in net),
        safety_stocks=tuple(float(v) for v in safety),
        cost=cost,
        lower_bound=min(lower_bound, cost),
        method=method,
    )
