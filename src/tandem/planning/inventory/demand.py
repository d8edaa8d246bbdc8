"""Single-period demand distributions used by the inventory engines.

Every distribution offers the few operations the policies need: its mean, its distribution
function, its quantile (the smallest ``x`` with ``F(x) >= q``), its first-order loss
``n(x) = E[(D - x)^+]`` and the distribution of the demand summed over ``k`` i.i.d. periods.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import stats  # type: ignore[import-untyped, unused-ignore]

from tandem.planning.inventory.loss import (
    normal_cdf,
    normal_ppf,
    poisson_loss,
    standard_normal_loss,
    standard_normal_second_loss,
)

__all__ = ["Demand", "EmpiricalDemand", "NormalDemand", "PoissonDemand"]

FloatArray: TypeAlias = npt.NDArray[np.float64]


@dataclass(frozen=True)
class NormalDemand:
    """Normally distributed demand ``N(mean, std^2)``.

    Examples
    --------
    >>> NormalDemand(50.0, 8.0).over_periods(4)
    NormalDemand(mean=200.0, std=16.0)
    """

    mean: float
    std: float

    def __post_init__(self) -> None:
        if not self.std > 0.0:
            raise ValueError(f"std must be positive, got {self.std}")

    def cdf(self, x: float) -> float:
        """``P(D <= x)``."""
        return normal_cdf((x - self.mean) / self.std)

    def quantile(self, q: float) -> float:
        """``F^{-1}(q)``."""
        return self.mean + self.std * normal_ppf(q)

    def loss(self, x: float) -> float:
        """``E[(D - x)^+] = std * L((x - mean) / std)``."""
        return self.std * standard_normal_loss((x - self.mean) / self.std)

    def second_loss(self, x: float) -> float:
        """``0.5 * E[((D - x)^+)^2] = std^2 * L2((x - mean) / std)``."""
        return self.std**2 * standard_normal_second_loss((x - self.mean) / self.std)

    def over_periods(self, periods: int) -> NormalDemand:
        """Demand summed over ``periods`` i.i.d. periods."""
        _check_periods(periods)
        return NormalDemand(self.mean * periods, self.std * math.sqrt(periods))


@dataclass(frozen=True)
class PoissonDemand:
    """Poisson demand with the given mean.

    Examples
    --------
    >>> PoissonDemand(6.0).quantile(0.5)
    6.0
    """

    mean: float

    def __post_init__(self) -> None:
        if not self.mean > 0.0:
            raise ValueError(f"mean must be positive, got {self.mean}")

    def cdf(self, x: float) -> float:
        """``P(D <= x)``."""
        return float(stats.poisson.cdf(math.floor(x), self.mean))

    def quantile(self, q: float) -> float:
        """Smallest integer ``k`` with ``P(D <= k) >= q``."""
        if not 0.0 < q < 1.0:
            raise ValueError(f"quantile level must lie in (0, 1), got {q}")
        return float(stats.poisson.ppf(q, self.mean))

    def loss(self, x: float) -> float:
        """``E[(D - x)^+]``."""
        return poisson_loss(self.mean, x)

    def pmf(self, upto: int) -> FloatArray:
        """``P(D = k)`` for ``k = 0..upto``."""
        return np.asarray(stats.poisson.pmf(np.arange(upto + 1), self.mean), dtype=np.float64)

    def over_periods(self, periods: int) -> PoissonDemand:
        """Demand summed over ``periods`` i.i.d. periods."""
        _check_periods(periods)
        return PoissonDemand(self.mean * periods)


@dataclass(frozen=True, eq=False, init=False)
class EmpiricalDemand:
    """A discrete demand distribution on finitely many values.

    Parameters
    ----------
    values
        The support points (any order, repeats allowed: their probabilities are added).
    probabilities
        Their probabilities; ``None`` gives every value the same weight, so passing raw
        samples yields the empirical distribution.

    Examples
    --------
    >>> d = EmpiricalDemand.from_samples([3, 1, 2, 2])
    >>> d.support.tolist(), d.probabilities.tolist()
    ([1.0, 2.0, 3.0], [0.25, 0.5, 0.25])
    """

    support: FloatArray
    probabilities: FloatArray

    def __init__(self, values: npt.ArrayLike, probabilities: npt.ArrayLike | None = None) -> None:
        vals = np.asarray(values, dtype=np.float64).ravel()
        if vals.size == 0:
            raise ValueError("an empirical distribution needs at least one value")
        probs = (
            np.full(vals.size, 1.0 / vals.size)
            if probabilities is None
            else np.asarray(probabilities, dtype=np.float64).ravel()
        )
        if probs.shape != vals.shape:
            raise ValueError("values and probabilities must have the same length")
        if np.any(probs < 0.0) or not math.isclose(float(probs.sum()), 1.0, rel_tol=1e-9):
            raise ValueError("probabilities must be non-negative and sum to one")
        support, inverse = np.unique(vals, return_inverse=True)
        merged = np.zeros(support.size)
        np.add.at(merged, inverse, probs)
        object.__setattr__(self, "support", support)
        object.__setattr__(self, "probabilities", merged / merged.sum())

    @classmethod
    def from_samples(cls, samples: npt.ArrayLike) -> EmpiricalDemand:
        """The empirical distribution of ``samples`` (each sample weighs the same)."""
        return cls(samples)

    @property
    def mean(self) -> float:
        """``E[D]``."""
        return float(self.support @ self.probabilities)

    def cdf(self, x: float) -> float:
        """``P(D <= x)``."""
        return float(self.probabilities[self.support <= x].sum())

    def quantile(self, q: float) -> float:
        """Smallest support point ``x`` with ``P(D <= x) >= q`` (ties within 1e-12)."""
        if not 0.0 < q < 1.0:
            raise ValueError(f"quantile level must lie in (0, 1), got {q}")
        cumulative = np.cumsum(self.probabilities)
        index = int(np.searchsorted(cumulative, q - 1e-12, side="left"))
        return float(self.support[min(index, self.support.size - 1)])

    def loss(self, x: float) -> float:
        """``E[(D - x)^+]``."""
        return float(np.maximum(self.support - x, 0.0) @ self.probabilities)

    def over_periods(self, periods: int) -> EmpiricalDemand:
        """Demand summed over ``periods`` i.i.d. periods (exact convolution)."""
        _check_periods(periods)
        values, probs = self.support, self.probabilities
        for _ in range(periods - 1):
            values = np.add.outer(values, self.support).ravel()
            probs = np.multiply.outer(probs, self.probabilities).ravel()
            values, inverse = np.unique(values, return_inverse=True)
            merged = np.zeros(values.size)
            np.add.at(merged, inverse, probs)
            probs = merged
        return EmpiricalDemand(values, probs / probs.sum())


Demand: TypeAlias = NormalDemand | PoissonDemand | EmpiricalDemand


def _check_periods(periods: int) -> None:
    if periods < 1:
        raise ValueError(f"periods must be a positive integer, got {periods}")
