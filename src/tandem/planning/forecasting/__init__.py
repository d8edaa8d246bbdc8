"""Demand forecasting: classification, automatic model selection, intervals, accuracy.

A pure engine: a long ``unique_id, ds, y`` table in (pandas), frozen results out; it uses numpy,
pandas, scipy and statsforecast only. Start with :func:`prepare_table`, then
``AutoForecaster(horizon, season_length).fit(table)`` or :func:`backtest`. The page
``docs/engines/forecasting.md`` gives the model, assumptions and sources.
"""

from tandem.planning.forecasting.accuracy import (
    Accuracy,
    accuracy,
    bias,
    mase,
    pooled_accuracy,
    rmsse,
    scales,
    wape,
)
from tandem.planning.forecasting.backtest import AUTO, BacktestReport, ModelScore, backtest
from tandem.planning.forecasting.calendar import Calendar, Frequency, parse_frequency
from tandem.planning.forecasting.classification import (
    ADI_CUTOFF,
    CV2_CUTOFF,
    DemandClass,
    DemandProfile,
    classify,
)
from tandem.planning.forecasting.engine import (
    AutoForecaster,
    ForecastResult,
    IntervalMethod,
    SelectionMetric,
    SelectionScope,
    SeriesSelection,
)
from tandem.planning.forecasting.errors import ForecastInputError, InputProblem
from tandem.planning.forecasting.intervals import (
    LeadTimeDemand,
    LeadTimeMethod,
    conformal_halfwidths,
)
from tandem.planning.forecasting.models import Model, candidates
from tandem.planning.forecasting.reconciliation import (
    Hierarchy,
    ReconciliationMethod,
    reconcile,
)
from tandem.planning.forecasting.table import DemandTable, prepare_table

__all__ = [
    "ADI_CUTOFF",
    "AUTO",
    "CV2_CUTOFF",
    "Accuracy",
    "AutoForecaster",
    "BacktestReport",
    "Calendar",
    "DemandClass",
    "DemandProfile",
    "DemandTable",
    "ForecastInputError",
    "ForecastResult",
    "Frequency",
    "Hierarchy",
    "InputProblem",
    "IntervalMethod",
    "LeadTimeDemand",
    "LeadTimeMethod",
    "Model",
    "ModelScore",
    "ReconciliationMethod",
    "SelectionMetric",
    "SelectionScope",
    "SeriesSelection",
    "accuracy",
    "backtest",
    "bias",
    "candidates",
    "classify",
    "conformal_halfwidths",
    "mase",
    "parse_frequency",
    "pooled_accuracy",
    "prepare_table",
    "reconcile",
    "rmsse",
    "scales",
    "wape",
]
