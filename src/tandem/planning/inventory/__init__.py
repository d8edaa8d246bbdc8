"""Single-stage inventory policies: pure functions and estimator-like solvers.

Sources: Snyder & Shen, *Fundamentals of Supply Chain Theory* (2nd ed., 2019), chapters 3–5;
Zheng & Federgruen (1991) for ``(s, S)``; Wagner & Whitin (1958) for dynamic lot sizing.
"""

from tandem.planning.inventory.demand import (
    Demand,
    EmpiricalDemand,
    NormalDemand,
    PoissonDemand,
)
from tandem.planning.inventory.eoq import (
    DiscountResult,
    EOQBackorderResult,
    EOQResult,
    eoq,
    eoq_all_units_discount,
    eoq_with_backorders,
    epq,
)
from tandem.planning.inventory.newsvendor import (
    BaseStock,
    BaseStockResult,
    Newsvendor,
    NewsvendorResult,
)
from tandem.planning.inventory.rq import ContinuousReviewRQ, RQApproximation, RQResult
from tandem.planning.inventory.service import (
    FillRateFormula,
    ServiceLevels,
    from_cycle_service_level,
    from_fill_rate,
)
from tandem.planning.inventory.ss import SSResult, ZhengFedergruen
from tandem.planning.inventory.wagner_whitin import LotSizingResult, wagner_whitin

__all__ = [
    "BaseStock",
    "BaseStockResult",
    "ContinuousReviewRQ",
    "Demand",
    "DiscountResult",
    "EOQBackorderResult",
    "EOQResult",
    "EmpiricalDemand",
    "FillRateFormula",
    "LotSizingResult",
    "Newsvendor",
    "NewsvendorResult",
    "NormalDemand",
    "PoissonDemand",
    "RQApproximation",
    "RQResult",
    "SSResult",
    "ServiceLevels",
    "ZhengFedergruen",
    "eoq",
    "eoq_all_units_discount",
    "eoq_with_backorders",
    "epq",
    "from_cycle_service_level",
    "from_fill_rate",
    "wagner_whitin",
]
