"""Standard normal and Poisson loss functions.

The first-order loss function of a random variable ``X`` is ``n(x) = E[(X - x)^+]`` and the
second-order loss function is ``n2(x) = 0.5 * E[((X - x)^+)^2]`` (Snyder & Shen 2019, sections
C.3 and C.4). For the standard normal they reduce to

* ``L(z) = phi(z) - z * (1 - Phi(z))``,
* ``L2(z) = 0.5 * ((z**2 + 1) * (1 - Phi(z)) - z * phi(z))``.
"""

from __future__ import annotations

import math

from scipy import optimize, special, stats  # type: ignore[import-untyped, unused-ignore]

__all__ = [
    "inverse_standard_normal_loss",
    "normal_cdf",
    "normal_pdf",
    "normal_ppf",
    "poisson_loss",
    "standard_normal_loss",
    "standard_normal_second_loss",
]

_SQRT_2PI = math.sqrt(2.0 * math.pi)


def normal_pdf(z: float) -> float:
    """Standard normal density ``phi(z)``."""
    return math.exp(-0.5 * z * z) / _SQRT_2PI


def normal_cdf(z: float) -> float:
    """Standard normal distribution function ``Phi(z)``."""
    return float(special.ndtr(z))


def normal_ppf(q: float) -> float:
    """Standard normal quantile ``Phi^{-1}(q)`` for ``0 < q < 1``."""
    if not 0.0 < q < 1.0:
        raise ValueError(f"quantile level must lie in (0, 1), got {q}")
    return float(special.ndtri(q))


def standard_normal_loss(z: float) -> float:
    """First-order standard normal loss ``L(z) = E[(Z - z)^+]``.

    Examples
    --------
    >>> round(standard_normal_loss(0.0), 6)
    0.398942
    """
    return normal_pdf(z) - z * float(special.ndtr(-z))


def standard_normal_second_loss(z: float) -> float:
    """Second-order standard normal loss ``L2(z) = 0.5 * E[((Z - z)^+)^2]``.

    Examples
    --------
    >>> standard_normal_second_loss(0.0)
    0.25
    """
    return 0.5 * ((z * z + 1.0) * float(special.ndtr(-z)) - z * normal_pdf(z))


def inverse_standard_normal_loss(value: float) -> float:
    """The ``z`` with ``L(z) = value``; ``L`` decreases strictly from infinity to zero.

    Examples
    --------
    >>> round(inverse_standard_normal_loss(standard_normal_loss(1.25)), 9)
    1.25
    """
    if value <= 0.0:
        raise ValueError(f"loss value must be positive, got {value}")
    lo, hi = -1.0, 1.0
    while standard_normal_loss(lo) < value:
        lo *= 2.0
    while standard_normal_loss(hi) > value:
        hi *= 2.0
    return float(optimize.brentq(lambda z: standard_normal_loss(z) - value, lo, hi, xtol=1e-14))


def poisson_loss(mean: float, x: float) -> float:
    """First-order loss ``E[(D - x)^+]`` of ``D ~ Poisson(mean)`` at a real ``x``.

    Uses ``E[D 1{D >= k}] = mean * P(D >= k - 1)`` with ``k = ceil(x)``.

    Examples
    --------
    >>> poisson_loss(6.0, 0.0)
    6.0
    """
    if x <= 0.0:
        return mean - x
    k = math.ceil(x)
    tail_k_minus_1 = float(stats.poisson.sf(k - 2, mean))  # P(D >= k - 1)
    tail_k = float(stats.poisson.sf(k - 1, mean))  # P(D >= k)
    return mean * tail_k_minus_1 - x * tail_k
