"""Rationing of a node's stock among its claimants, vectorised over replications.

Each function takes the stock available ``available`` (``[replications]``, non-negative) and the
claimants' claims ``claims`` (``[claimants, replications]``, non-negative, already capped by arc
capacities) and returns the quantities shipped (same shape), never more than a claim and in
total never more than the stock. Rules (see :mod:`tandem.planning.simulation.network`):
proportional rationing, fixed priority in claimant order, and first come, first served by the
period in which each unit was claimed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from tandem.planning.simulation.network import Allocation

__all__ = ["FifoLedger", "by_priority", "capped", "proportional", "ration"]

FloatArray = NDArray[np.float64]


def proportional(available: FloatArray, claims: FloatArray) -> FloatArray:
    """Everyone gets the same share ``min(1, available / total claims)`` of its claim."""
    total = claims.sum(axis=0)
    short = total > available
    share = np.where(short, available / np.where(short, total, 1.0), 1.0)
    return np.asarray(claims * share, dtype=np.float64)


def by_priority(available: FloatArray, claims: FloatArray) -> FloatArray:
    """Claimant 0 is served first, then claimant 1, and so on."""
    out = np.empty_like(claims)
    left = available.copy()
    for i in range(claims.shape[0]):
        out[i] = np.minimum(claims[i], left)
        left -= out[i]
    return out


class FifoLedger:
    """Cumulative claims per claimant and period, to serve the oldest claims first.

    ``cumulative[i, t + 1]`` is claimant ``i``'s total claim over periods ``0..t``. A claimant
    that is owed ``owed_i`` after period ``t``'s claim has been settled (shipped or lost) for all
    of it up to ``cumulative[i, t + 1] - owed_i``; its outstanding claim from periods up to
    ``tau`` is ``cumulative[i, tau + 1] - settled_i`` (capped by its capacity). The oldest period
    whose claims cannot all be served is found by bisection, and the claims of that period are
    served in proportion.
    """

    def __init__(self, claimants: int, periods: int, replications: int) -> None:
        self.cumulative = np.zeros((claimants, periods + 1, replications))
        self._rows = np.arange(replications)

    def record(self, t: int, new_claims: FloatArray) -> None:
        """Add the claims of period ``t`` (``[claimants, replications]``)."""
        self.cumulative[:, t + 1] = self.cumulative[:, t] + new_claims

    def _outstanding(
        self, tau: NDArray[np.int64], settled: FloatArray, limit: FloatArray
    ) -> FloatArray:
        reached = self.cumulative[:, tau + 1, self._rows] - settled
        return np.asarray(np.clip(reached, 0.0, limit), dtype=np.float64)

    def allocate(
        self, t: int, available: FloatArray, owed: FloatArray, limit: FloatArray
    ) -> FloatArray:
        """Ship against ``owed`` (``[claimants, replications]``) oldest period first.

        ``limit`` is each claimant's claim after capacity caps (at most ``owed``).
        """
        settled = self.cumulative[:, t + 1] - owed
        lo = np.zeros(available.shape, dtype=np.int64)
        hi = np.full(available.shape, t, dtype=np.int64)
        while np.any(lo < hi):  # smallest tau whose outstanding claims exceed the stock
            mid = (lo + hi) // 2
            over = self._outstanding(mid, settled, limit).sum(axis=0) > available
            hi = np.where(over, mid, hi)
            lo = np.where(over, lo, mid + 1)
        full = self._outstanding(hi, settled, limit)
        enough = full.sum(axis=0) <= available
        before = np.where(hi > 0, self._outstanding(np.maximum(hi - 1, 0), settled, limit), 0.0)
        partial = full - before
        rest = available - before.sum(axis=0)
        shared = before + proportional(rest, partial)
        return np.asarray(np.where(enough, full, shared), dtype=np.float64)


def capped(owed: FloatArray, caps: Sequence[float | FloatArray | None]) -> FloatArray:
    """Claims ``owed`` (``[claimants, replications]``) capped by each claimant's capacity."""
    limit = owed.copy()
    for i, cap in enumerate(caps):
        if cap is not None:
            limit[i] = np.minimum(limit[i], cap)
    return limit


def ration(
    rule: Allocation,
    ledger: FifoLedger | None,
    t: int,
    available: FloatArray,
    owed: FloatArray,
    limit: FloatArray,
) -> FloatArray:
    """Ship ``limit`` (claims after caps; ``owed`` before) from ``available`` by ``rule``."""
    if rule.value == "fifo":
        assert ledger is not None
        return ledger.allocate(t, available, owed, limit)
    if rule.value == "priority":
        return by_priority(available, limit)
    return proportional(available, limit)
