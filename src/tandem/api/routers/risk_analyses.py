"""Time-to-survive / time-to-recover analysis of the network you may see (synchronous).

Simchi-Levi et al. (2015), *Interfaces* 45(5): per node (site), how long the network meets all
demand with the node down (TTS), the margin lost over its time-to-recover (TTR, from the risk
register or the default), the flag TTS < TTR and the rank by lost margin; what-ifs of extra
strategic stock or a second source. ``docs/risk-register.md`` gives the mapping.
"""

from __future__ import annotations

from fastapi import APIRouter

from tandem.api.deps import Caller, Services
from tandem.api.schemas.risks import RiskAnalysisIn, RiskAnalysisOut
from tandem.services.risk_analysis import analyse_risks

router = APIRouter(prefix="/risk-analyses", tags=["risks"])


@router.post("", name="analyse_risks")
def create_risk_analysis(
    services: Services, caller: Caller, body: RiskAnalysisIn
) -> RiskAnalysisOut:
    """The TTS/TTR table, ranked by lost margin; nothing is stored."""
    return RiskAnalysisOut.of(analyse_risks(services, caller, body.request()))
