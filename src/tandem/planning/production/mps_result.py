"""Result types of the master production schedule (:mod:`tandem.planning.production.mps`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["MPSCosts", "MPSPlan", "MPSResult", "MPSStatus"]

FloatArray = npt.NDArray[np.float64]


class MPSStatus(enum.Enum):
    """How the solve ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """Time limit reached with a plan; see ``mip_gap``."""
    INFEASIBLE = "infeasible"
    NOT_SOLVED = "not_solved"
    """Time limit reached before any plan was found."""


@dataclass(frozen=True)
class MPSCosts:
    """Plan cost by component."""

    production: float
    holding: float
    backlog: float
    overtime: float
    setup: float

    @property
    def total(self) -> float:
        """Sum of the components."""
        return self.production + self.holding + self.backlog + self.overtime + self.setup


@dataclass(frozen=True)
class MPSPlan:
    """A master production schedule: products x buckets, resources x buckets arrays."""

    production: FloatArray
    inventory: FloatArray
    backlog: FloatArray
    setups: npt.NDArray[np.bool_]
    overtime: FloatArray
    load: FloatArray
    """Setup plus run hours per resource and bucket."""
    capacity: FloatArray
    """Regular hours per resource and bucket."""
    costs: MPSCosts


@dataclass(frozen=True)
class MPSResult:
    """Outcome of :meth:`MPSSolver.solve`.

    ``plan`` is ``None`` when no plan was found. ``first_short_bucket`` names, for an infeasible
    problem, the first bucket whose demand cannot be met (the shortest infeasible prefix of
    the horizon); ``message`` says why in words.
    """

    status: MPSStatus
    plan: MPSPlan | None
    objective: float
    dual_bound: float
    mip_gap: float
    first_short_bucket: int | None
    message: str
