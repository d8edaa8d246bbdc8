"""Time-to-survive / time-to-recover analysis over the platform's network, as the caller may
see it (Simchi-Levi et al. 2015, *Interfaces* 45(5)); see ``docs/risk-register.md``."""

from tandem.services.risk_analysis.analysis import (
    AnalysisRequest,
    ExtraStock,
    LeftOut,
    NodeRisk,
    Outcome,
    RiskAnalysis,
    SecondSource,
    analyse_risks,
)
from tandem.services.risk_analysis.loading import forecast_rates, history_rates
from tandem.services.risk_analysis.mapping import DemandLine

__all__ = [
    "AnalysisRequest",
    "DemandLine",
    "ExtraStock",
    "LeftOut",
    "NodeRisk",
    "Outcome",
    "RiskAnalysis",
    "SecondSource",
    "analyse_risks",
    "forecast_rates",
    "history_rates",
]
