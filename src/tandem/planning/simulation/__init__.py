"""The simulation engine of the digital twin: serial chains, networks, bullwhip, beer game.

Pure and seeded: numpy arrays and frozen dataclasses in, frozen results out; randomness only
through a ``seed``. See ``docs/engines/simulation.md`` for the model and its sources.
"""

from tandem.planning.simulation.beer_game import (
    BeerGame,
    BeerGameBoard,
    BeerGameResult,
    Echelon,
    sterman_demand,
)
from tandem.planning.simulation.bullwhip import (
    BullwhipResult,
    Sharing,
    additive_bound,
    chen_bound,
    exact_variance_ratio,
    multiplicative_bound,
    order_filter,
    run_bullwhip,
)
from tandem.planning.simulation.demand import (
    AR1Demand,
    DemandProcess,
    EmpiricalDemand,
    NormalDemand,
    PoissonDemand,
    ReplayDemand,
)
from tandem.planning.simulation.engine import SerialSupplyChain
from tandem.planning.simulation.forecasting import (
    ExponentialSmoothing,
    Forecast,
    MovingAverage,
    SuppliedForecast,
)
from tandem.planning.simulation.network import Allocation, Arc, SupplyNetwork
from tandem.planning.simulation.network_capacity import CapacitySchedule
from tandem.planning.simulation.network_results import Estimate, NetworkResult, NodeResult
from tandem.planning.simulation.policies import (
    AnchorAndAdjust,
    BaseStock,
    InventoryView,
    MinMax,
    OrderUpTo,
    Policy,
    ReorderPoint,
)
from tandem.planning.simulation.results import SimulationResult, StageResult
from tandem.planning.simulation.stages import (
    ForwardBuying,
    InformationMode,
    LeadTime,
    Shortage,
    Stage,
    StochasticLeadTime,
)

__all__ = [
    "AR1Demand",
    "Allocation",
    "AnchorAndAdjust",
    "Arc",
    "BaseStock",
    "BeerGame",
    "BeerGameBoard",
    "BeerGameResult",
    "BullwhipResult",
    "CapacitySchedule",
    "DemandProcess",
    "Echelon",
    "EmpiricalDemand",
    "Estimate",
    "ExponentialSmoothing",
    "Forecast",
    "ForwardBuying",
    "InformationMode",
    "InventoryView",
    "LeadTime",
    "MinMax",
    "MovingAverage",
    "NetworkResult",
    "NodeResult",
    "NormalDemand",
    "OrderUpTo",
    "PoissonDemand",
    "Policy",
    "ReorderPoint",
    "ReplayDemand",
    "SerialSupplyChain",
    "Sharing",
    "Shortage",
    "SimulationResult",
    "Stage",
    "StageResult",
    "StochasticLeadTime",
    "SuppliedForecast",
    "SupplyNetwork",
    "additive_bound",
    "chen_bound",
    "exact_variance_ratio",
    "multiplicative_bound",
    "order_filter",
    "run_bullwhip",
    "sterman_demand",
]
