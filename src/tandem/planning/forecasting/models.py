"""The candidate models and which of them are tried for which demand class.

Every model is a ``statsforecast`` model built with a fixed alias, so its forecast column is
named after the :class:`Model` member. Sources: Hyndman & Athanasopoulos, *Forecasting:
Principles and Practice* (3rd ed., 2021) ch. 5 and 8 (naive, seasonal naive, exponential
smoothing, ETS); Assimakopoulos & Nikolopoulos (2000) and Hyndman & Billah (2003) for Theta;
Croston (1972), "Forecasting and stock control for intermittent demands", *Operational Research
Quarterly* 23(3); Syntetos & Boylan (2005), *IJF* 21(2) for the SBA correction; Teunter,
Syntetos & Babai (2011), "Intermittent demand: linking forecasting to inventory obsolescence",
*EJOR* 214(3) for TSB; Nikolopoulos, Syntetos, Boylan, Petropoulos & Assimakopoulos (2011),
"An aggregate–disaggregate intermittent demand approach (ADIDA)", *JORS* 62(3); Petropoulos &
Kourentzes (2015), "Forecast combinations for intermittent demand", *JORS* 66(6) for IMAPA.

Seasonality. ETS is given the season only up to :data:`MAX_ETS_SEASON` periods: statsforecast's
seasonal ETS stops at 24 and costs 25 times more at 52 (measured), so weekly data with a yearly
cycle get a non-seasonal ETS, while the Theta method removes the cycle by classical
multiplicative decomposition when a seasonality test at lag ``m`` says so (its standard M3 set-up)
and seasonal naive repeats the last cycle.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tandem.planning.forecasting.classification import DemandClass

__all__ = ["MAX_ETS_SEASON", "TSB_ALPHA_D", "TSB_ALPHA_P", "Model", "candidates"]

MAX_ETS_SEASON = 24
TSB_ALPHA_D = 0.1
TSB_ALPHA_P = 0.1


class Model(StrEnum):
    """A forecasting model; the value is its name in outputs."""

    NAIVE = "Naive"
    SEASONAL_NAIVE = "SeasonalNaive"
    SES = "SES"
    HOLT = "Holt"
    AUTO_ETS = "AutoETS"
    THETA = "Theta"
    CROSTON_CLASSIC = "CrostonClassic"
    CROSTON_OPTIMIZED = "CrostonOptimized"
    CROSTON_SBA = "CrostonSBA"
    TSB = "TSB"
    ADIDA = "ADIDA"
    IMAPA = "IMAPA"

    @property
    def native_intervals(self) -> bool:
        """Whether statsforecast gives model-based prediction intervals (``level=``)."""
        return self in _NATIVE

    def build(self, season_length: int) -> Any:
        """The statsforecast model object, aliased to this member's value."""
        from statsforecast import models as sf

        m = max(1, season_length)
        alias = self.value
        match self:
            case Model.NAIVE:
                return sf.Naive(alias=alias)
            case Model.SEASONAL_NAIVE:
                return sf.SeasonalNaive(season_length=m, alias=alias)
            case Model.SES:
                return sf.SimpleExponentialSmoothingOptimized(alias=alias)
            case Model.HOLT:
                return sf.Holt(alias=alias)
            case Model.AUTO_ETS:
                return sf.AutoETS(season_length=m if m <= MAX_ETS_SEASON else 1, alias=alias)
            case Model.THETA:
                return sf.Theta(season_length=m, alias=alias)
            case Model.CROSTON_CLASSIC:
                return sf.CrostonClassic(alias=alias)
            case Model.CROSTON_OPTIMIZED:
                return sf.CrostonOptimized(alias=alias)
            case Model.CROSTON_SBA:
                return sf.CrostonSBA(alias=alias)
            case Model.TSB:
                return sf.TSB(alpha_d=TSB_ALPHA_D, alpha_p=TSB_ALPHA_P, alias=alias)
            case Model.ADIDA:
                return sf.ADIDA(alias=alias)
            case Model.IMAPA:
                return sf.IMAPA(alias=alias)


_NATIVE = frozenset({Model.NAIVE, Model.SEASONAL_NAIVE, Model.HOLT, Model.AUTO_ETS, Model.THETA})

BASELINES = (Model.NAIVE, Model.SEASONAL_NAIVE)
"""Always fitted: the yardsticks of every accuracy report (and candidates themselves)."""

_CONTINUOUS = (Model.SES, Model.HOLT, Model.AUTO_ETS, Model.THETA)
_SPORADIC = (
    Model.CROSTON_CLASSIC,
    Model.CROSTON_SBA,
    Model.CROSTON_OPTIMIZED,
    Model.TSB,
    Model.ADIDA,
    Model.IMAPA,
)


def candidates(demand_class: DemandClass) -> tuple[Model, ...]:
    """The models tried for a class, simplest first (ties in accuracy go to the earlier one).

    Smooth and erratic demand: the baselines, SES, Holt, ETS and Theta. Intermittent, lumpy and
    too-short series: the baselines and the Croston family, TSB, ADIDA and IMAPA. No demand at
    all: the baselines (they forecast zero).

    Examples
    --------
    >>> [m.value for m in candidates(DemandClass.LUMPY)][:4]
    ['Naive', 'SeasonalNaive', 'CrostonClassic', 'CrostonSBA']
    """
    if demand_class is DemandClass.NO_DEMAND:
        return BASELINES
    if demand_class.is_sporadic:
        return BASELINES + _SPORADIC
    return BASELINES + _CONTINUOUS
