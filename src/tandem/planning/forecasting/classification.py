"""Demand classification by average inter-demand interval (ADI) and squared CV of demand sizes.

Syntetos, Boylan & Croston (2005), "On the categorization of demand patterns", *Journal of the
Operational Research Society* 56(5), 495-503, split demand at ADI = 1.32 and CV² = 0.49 (the
points where Croston's method, SBA and SES swap places in mean squared error):

============  ===============  ===============
class         ADI              CV²
============  ===============  ===============
smooth        <= 1.32          <= 0.49
erratic       <= 1.32          >  0.49
intermittent  >  1.32          <= 0.49
lumpy         >  1.32          >  0.49
============  ===============  ===============

Estimators used here (the paper defines the quantities, not their estimators):
``ADI = n / k`` with ``n`` periods and ``k`` periods of positive demand (so trailing and leading
zeros count: a part that stopped selling is more intermittent), and
``CV² = Var(sizes) / mean(sizes)²`` over the ``k`` positive demands with the population variance
(``ddof=0``). A series with no positive demand is ``NO_DEMAND``; one with a single demand
occurrence, or fewer than three periods, is ``INSUFFICIENT``: neither interval nor size
variability can be estimated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ADI_CUTOFF", "CV2_CUTOFF", "DemandClass", "DemandProfile", "classify"]

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
MIN_PERIODS = 3


class DemandClass(StrEnum):
    """The demand pattern of one series (Syntetos, Boylan & Croston 2005)."""

    SMOOTH = "smooth"
    ERRATIC = "erratic"
    INTERMITTENT = "intermittent"
    LUMPY = "lumpy"
    INSUFFICIENT = "insufficient"
    """Fewer than two demand occurrences or fewer than three periods."""
    NO_DEMAND = "no_demand"
    """No positive demand at all."""

    @property
    def is_sporadic(self) -> bool:
        """Whether demand is intermittent enough for the Croston family of methods."""
        return self in (DemandClass.INTERMITTENT, DemandClass.LUMPY, DemandClass.INSUFFICIENT)


@dataclass(frozen=True)
class DemandProfile:
    """ADI, CV² and the resulting class of one series.

    Attributes
    ----------
    periods : int
        Length of the series.
    demands : int
        Number of periods with positive demand.
    adi : float
        ``periods / demands`` (``inf`` without demand).
    cv2 : float
        Squared coefficient of variation of the positive demand sizes (``nan`` without demand).
    demand_class : DemandClass
    """

    periods: int
    demands: int
    adi: float
    cv2: float
    demand_class: DemandClass


def classify(y: ArrayLike) -> DemandProfile:
    """Classify one demand series by ADI and CV².

    Parameters
    ----------
    y : array_like of float
        Non-negative demand per period, oldest first.

    Returns
    -------
    DemandProfile

    Examples
    --------
    Demand in 4 of 8 periods (ADI 2), sizes 2, 4, 2, 4 (mean 3, variance 1, CV² 1/9):

    >>> p = classify([0, 2, 0, 4, 0, 2, 0, 4])
    >>> p.adi, round(p.cv2, 4), p.demand_class
    (2.0, 0.1111, <DemandClass.INTERMITTENT: 'intermittent'>)
    >>> classify([10, 11, 9, 10]).demand_class
    <DemandClass.SMOOTH: 'smooth'>
    """
    values = np.asarray(y, dtype=np.float64)
    sizes = values[values > 0]
    periods, demands = len(values), len(sizes)
    if demands == 0:
        return DemandProfile(periods, 0, math.inf, math.nan, DemandClass.NO_DEMAND)
    adi = periods / demands
    mean = float(sizes.mean())
    cv2 = float(sizes.var()) / (mean * mean)
    if demands < 2 or periods < MIN_PERIODS:
        demand_class = DemandClass.INSUFFICIENT
    elif adi <= ADI_CUTOFF:
        demand_class = DemandClass.SMOOTH if cv2 <= CV2_CUTOFF else DemandClass.ERRATIC
    else:
        demand_class = DemandClass.INTERMITTENT if cv2 <= CV2_CUTOFF else DemandClass.LUMPY
    return DemandProfile(periods, demands, adi, cv2, demand_class)
