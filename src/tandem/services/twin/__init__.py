"""The digital twin of a platform network: what-if scenarios and traditional versus SCM.

``build_twin`` maps the network the caller may see to the simulation engine
(:mod:`tandem.planning.simulation`); ``apply_scenario`` applies scenario deltas
(:mod:`tandem.domain.scenarios`); ``run_scenarios`` / ``compare_scenarios`` run scenarios side
by side on common random numbers; ``traditional_vs_scm`` is the sharing report; the
``scenarios`` module stores named scenarios. See ``docs/twin.md``.
"""

from tandem.services.twin.build import TwinBuild, build_twin
from tandem.services.twin.compare import (
    Comparison,
    ScenarioSpec,
    compare_scenarios,
    run_scenarios,
)
from tandem.services.twin.deltas import apply_scenario
from tandem.services.twin.model import Mode, TwinArc, TwinNetwork, TwinNode
from tandem.services.twin.report import Report, traditional_vs_scm
from tandem.services.twin.runner import RunOptions

__all__ = [
    "Comparison",
    "Mode",
    "Report",
    "RunOptions",
    "ScenarioSpec",
    "TwinArc",
    "TwinBuild",
    "TwinNetwork",
    "TwinNode",
    "apply_scenario",
    "build_twin",
    "compare_scenarios",
    "run_scenarios",
    "traditional_vs_scm",
]
