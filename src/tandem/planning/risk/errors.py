"""Errors of the disruption-risk engine, in one hierarchy."""

from __future__ import annotations

__all__ = ["InfeasibleNetworkError", "RiskError", "RiskSolverError"]


class RiskError(Exception):
    """Base class of the errors raised by :mod:`tandem.planning.risk`."""

    code = "risk_error"


class InfeasibleNetworkError(RiskError, ValueError):
    """The undisrupted network cannot meet its demand every period from capacity alone."""

    code = "risk_network_infeasible"


class RiskSolverError(RiskError, RuntimeError):
    """HiGHS stopped without an optimal solution (iteration limit or numerical trouble)."""

    code = "risk_solver_failed"
