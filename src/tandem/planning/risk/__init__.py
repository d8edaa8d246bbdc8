"""The disruption-risk engine: time-to-survive, time-to-recover impact and exposure ranking.

Pure: frozen dataclasses in, frozen results out; linear programs on HiGHS through
``scipy.optimize.linprog``. After Simchi-Levi et al. (2015), *Interfaces* 45(5), and
Simchi-Levi, Wang & Wei (2018). See ``docs/engines/risk.md`` for the model and its sources.
"""

from tandem.planning.risk.errors import InfeasibleNetworkError, RiskError, RiskSolverError
from tandem.planning.risk.impact import LostSale, PerformanceImpact, performance_impact
from tandem.planning.risk.network import (
    Arc,
    BomLine,
    Demand,
    DownStock,
    Process,
    Stock,
    SupplyNetwork,
    with_arc,
    with_capacity,
    with_stock,
)
from tandem.planning.risk.ranking import RiskProfile, RiskRanking, rank_nodes
from tandem.planning.risk.tts import DEFAULT_HORIZON, TimeToSurvive, time_to_survive

__all__ = [
    "DEFAULT_HORIZON",
    "Arc",
    "BomLine",
    "Demand",
    "DownStock",
    "InfeasibleNetworkError",
    "LostSale",
    "PerformanceImpact",
    "Process",
    "RiskError",
    "RiskProfile",
    "RiskRanking",
    "RiskSolverError",
    "Stock",
    "SupplyNetwork",
    "TimeToSurvive",
    "performance_impact",
    "rank_nodes",
    "time_to_survive",
    "with_arc",
    "with_capacity",
    "with_stock",
]
