"""Exact echelon base-stock levels for serial systems (Clark & Scarf 1960; Chen & Zheng 1994).

Stages ``1..N`` in series, stage 1 facing i.i.d. per-period demand, stage ``N`` replenished by an
external supplier with ample stock. Stage ``j`` has lead time ``L_j`` and echelon holding cost
``h_j`` (local cost of ``j`` minus local cost of ``j + 1``); backorders at stage 1 cost ``p``.
Echelon base-stock policies are optimal, and Chen & Zheng (1994) decompose the cost
(Snyder & Shen 2019, section 6.2, Theorem 6.2):

* ``C_0(x) = (p + h'_1) x^-`` with ``h'_1 = sum_j h_j`` the local holding cost of stage 1;
* for ``j = 1..N``: ``Ch_j(x) = h_j x + C_{j-1}(x)``, ``Ct_j(y) = E[Ch_j(y - D_j)]`` with
  ``D_j`` the demand over ``L_j`` periods (S&S's timing: a single stage with ``L_1 = 1`` is the
  newsvendor on one period's demand), ``S_j* = argmin Ct_j`` and
  ``C_j(x) = Ct_j(min(S_j, x))``;
* the expected cost per period of levels ``S`` is ``Ct_N(S_N)``.

The recursion is evaluated on a grid: integers for Poisson demand (exact up to a 1e-15 tail),
a fine grid with cell-midpoint probabilities for normal demand. Outside the grid every function
is linear (all stock short on the left, all levels capped on the right), so it is extended
linearly before each convolution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import signal, special, stats  # type: ignore[import-untyped, unused-ignore]

__all__ = ["ChenZheng", "SerialDemand", "SerialResult", "SerialSystem"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SerialDemand:
    """Per-period demand at stage 1: normal (``std > 0``) or Poisson (``std is None``)."""

    mean: float
    std: float | None = None

    def __post_init__(self) -> None:
        if self.mean < 0 or (self.std is None and self.mean <= 0):
            raise ValueError("demand mean must be positive")
        if self.std is not None and not self.std > 0:
            raise ValueError("demand std must be positive")

    @property
    def is_poisson(self) -> bool:
        """Whether the demand is Poisson."""
        return self.std is None


@dataclass(frozen=True)
class SerialSystem:
    """A serial system; index 0 is stage 1, the one facing the customer.

    Examples
    --------
    >>> SerialSystem.from_local_holding_costs((7, 4, 2), (1, 1, 2), 37.12).echelon_holding_costs
    (3.0, 2.0, 2.0)
    """

    echelon_holding_costs: tuple[float, ...]
    lead_times: tuple[int, ...]
    stockout_cost: float

    def __post_init__(self) -> None:
        if len(self.echelon_holding_costs) != len(self.lead_times) or not self.lead_times:
            raise ValueError("need one lead time per stage and at least one stage")
        if any(h < 0 for h in self.echelon_holding_costs) or not self.stockout_cost > 0:
            raise ValueError("echelon holding costs must be >= 0 and the stockout cost > 0")
        if any(lt < 0 for lt in self.lead_times):
            raise ValueError("lead times must be non-negative")

    @classmethod
    def from_local_holding_costs(
        cls, local: Sequence[float], lead_times: Sequence[int], stockout_cost: float
    ) -> SerialSystem:
        """Build from local (installation) holding costs ``h'_1 >= h'_2 >= ...``."""
        echelon = [
            float(local[j]) - (float(local[j + 1]) if j + 1 < len(local) else 0.0)
            for j in range(len(local))
        ]
        return cls(tuple(echelon), tuple(int(x) for x in lead_times), float(stockout_cost))

    @property
    def stages(self) -> int:
        """Number of stages ``N``."""
        return len(self.lead_times)


@dataclass(frozen=True)
class SerialResult:
    """Echelon base-stock levels and their expected cost per period.

    Attributes
    ----------
    echelon_base_stock
        ``S_1..S_N`` (stage 1 first).
    local_base_stock
        ``S_j - S_{j-1}`` with ``S_0 = 0``.
    expected_cost
        Expected holding plus backorder cost per period.
    """

    echelon_base_stock: tuple[float, ...]
    local_base_stock: tuple[float, ...]
    expected_cost: float


class ChenZheng:
    """Optimal echelon base-stock levels of a serial system (Chen & Zheng 1994).

    Parameters
    ----------
    system
        The serial system.
    points_per_std
        Grid resolution for normal demand: grid points per standard deviation of one period's
        demand (ignored for Poisson demand, which uses the integers).
    tail
        Demand is truncated at ``tail`` standard deviations (normal) or where the Poisson tail
        falls below 1e-15.

    Examples
    --------
    S&S Example 6.1.

    >>> system = SerialSystem.from_local_holding_costs((7, 4, 2), (1, 1, 2), 37.12)
    >>> result = ChenZheng(system).solve(SerialDemand(5.0, 1.0))
    >>> [round(s, 1) for s in result.echelon_base_stock], round(result.expected_cost, 2)
    ([6.5, 12.0, 22.7], 47.66)
    """

    def __init__(self, system: SerialSystem, points_per_std: int = 100, tail: float = 8.5) -> None:
        self.system = system
        self.points_per_std = points_per_std
        self.tail = tail

    def solve(self, demand: SerialDemand) -> SerialResult:
        """The optimal echelon base-stock levels."""
        return self._run(demand, None)

    def evaluate(self, demand: SerialDemand, echelon_base_stock: Sequence[float]) -> float:
        """Expected cost per period of arbitrary echelon base-stock levels."""
        if len(echelon_base_stock) != self.system.stages:
            raise ValueError("need one level per stage")
        return self._run(demand, [float(s) for s in echelon_base_stock]).expected_cost

    def _kernels(self, demand: SerialDemand) -> tuple[float, list[tuple[int, FloatArray]]]:
        """Grid step and, per stage, (offset index, probabilities) of its lead-time demand."""
        kernels: list[tuple[int, FloatArray]] = []
        if demand.std is None:
            for lt in self.system.lead_times:
                mean = demand.mean * lt
                if lt == 0:
                    kernels.append((0, np.ones(1)))
                    continue
                upto = int(stats.poisson.isf(1e-15, mean)) + 1
                pmf = np.asarray(stats.poisson.pmf(np.arange(upto + 1), mean), dtype=np.float64)
                kernels.append((0, pmf / pmf.sum()))
            return 1.0, kernels
        step = demand.std / self.points_per_std
        for lt in self.system.lead_times:
            if lt == 0:
                kernels.append((0, np.ones(1)))
                continue
            mean, std = demand.mean * lt, demand.std * math.sqrt(lt)
            lo = math.floor((mean - self.tail * std) / step)
            hi = math.ceil((mean + self.tail * std) / step)
            edges = (np.arange(lo, hi + 2) - 0.5) * step
            cdf = np.asarray(special.ndtr((edges - mean) / std), dtype=np.float64)
            pmf = np.diff(cdf)
            kernels.append((lo, pmf / pmf.sum()))
        return step, kernels

    def _run(self, demand: SerialDemand, levels: list[float] | None) -> SerialResult:
        sys_ = self.system
        step, kernels = self._kernels(demand)
        reach = sum((k0 + pmf.size) * step for k0, pmf in kernels) + 2.0 * step
        if levels is not None:
            reach = max(reach, max(abs(s) for s in levels) + reach)
        n_half = math.ceil(reach / step)
        if 2 * n_half + 1 > 20_000_000:
            raise ValueError("grid too large: lower points_per_std")
        x = step * np.arange(-n_half, n_half + 1, dtype=np.float64)
        local_1 = float(sum(sys_.echelon_holding_costs))
        prev = (sys_.stockout_cost + local_1) * np.maximum(-x, 0.0)
        chosen: list[float] = []
        cost = 0.0
        for j, (k0, pmf) in enumerate(kernels):
            hat = sys_.echelon_holding_costs[j] * x + prev
            tilde = _expect(hat, k0, pmf)
            if levels is None:
                level, cost = _grid_argmin(x, tilde, refine=demand.std is not None)
            else:
                level = levels[j]
                cost = float(np.interp(level, x, tilde))
            chosen.append(level)
            prev = np.where(x < level, tilde, cost)
        local = [chosen[0]] + [chosen[j] - chosen[j - 1] for j in range(1, len(chosen))]
        return SerialResult(tuple(chosen), tuple(local), cost)


def _expect(values: FloatArray, k0: int, pmf: FloatArray) -> FloatArray:
    """``E[f(x_i - D)]`` on the grid, ``D = (k0 + k) * step`` with probability ``pmf[k]``.

    ``f`` is extended linearly beyond both ends of the grid.
    """
    n, width = values.size, pmf.size
    left = max(0, k0 + width - 1)
    right = max(0, -k0)
    slope_left = values[1] - values[0]
    slope_right = values[-1] - values[-2]
    padded = np.concatenate(
        [
            values[0] - slope_left * np.arange(left, 0, -1),
            values,
            values[-1] + slope_right * np.arange(1, right + 1),
        ]
    )
    full = np.asarray(signal.oaconvolve(padded, pmf, mode="valid"), dtype=np.float64)
    start = left - k0 - width + 1
    return full[start : start + n]


def _grid_argmin(x: FloatArray, values: FloatArray, refine: bool) -> tuple[float, float]:
    i = int(np.argmin(values))
    if not refine or i == 0 or i == x.size - 1:
        return float(x[i]), float(values[i])
    a, b, c = float(values[i - 1]), float(values[i]), float(values[i + 1])
    curvature = a - 2.0 * b + c
    if curvature <= 0.0:
        return float(x[i]), b
    shift = 0.5 * (a - c) / curvature
    step = float(x[1] - x[0])
    return float(x[i]) + shift * step, b - 0.125 * (a - c) * shift
