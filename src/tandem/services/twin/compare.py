"""Run what-if scenarios side by side on common random numbers.

:func:`run_scenarios` is pure: the base network first, then each scenario (its deltas applied
to the base), all with the same seed, so replication ``i`` sees the same demand in every
column and differences are paired per replication (:mod:`tandem.services.twin.runner`).
:func:`compare_scenarios` is the use case: it builds the caller's twin, validates the deltas
and runs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.identity import Principal
from tandem.domain.scenarios import ScenarioDelta, parse_deltas
from tandem.services.context import ServiceContext
from tandem.services.twin.build import build_twin
from tandem.services.twin.deltas import apply_scenario
from tandem.services.twin.model import Mode, TwinNetwork
from tandem.services.twin.runner import (
    Difference,
    ExecutorFactory,
    ModeResult,
    RunOptions,
    difference,
    run_mode,
)

__all__ = ["BASE_NAME", "Comparison", "ScenarioSpec", "compare_scenarios", "run_scenarios"]

BASE_NAME = "base"
MAX_SCENARIOS = 8


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario to run: a name and its deltas as JSON objects."""

    name: str
    deltas: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Comparison:
    """The base and each scenario (``results[0]`` is the base), run on the same numbers."""

    options: RunOptions
    results: tuple[ModeResult, ...]
    warnings: tuple[str, ...] = ()

    def difference(self, index: int, figure: str, node: str | None = None) -> Difference:
        """Scenario ``index`` (1 = the first after the base) minus the base, paired."""
        base, other = self.results[0], self.results[index]
        if node is None:
            return difference(base.network_values[figure], other.network_values[figure])
        return difference(base.node_values[node][figure], other.node_values[node][figure])


def run_scenarios(
    base: TwinNetwork,
    scenarios: Sequence[tuple[str, Sequence[ScenarioDelta]]],
    options: RunOptions,
    executor: ExecutorFactory | None = None,
) -> Comparison:
    """The base, then every scenario, under the base policies with common random numbers."""
    results = [run_mode(BASE_NAME, base, Mode.BASE, options, executor)]
    for name, deltas in scenarios:
        changed = apply_scenario(base, deltas)
        results.append(run_mode(name, changed, Mode.BASE, options, executor))
    return Comparison(options, tuple(results))


def parse_specs(specs: Sequence[ScenarioSpec]) -> list[tuple[str, tuple[ScenarioDelta, ...]]]:
    """Validate names and deltas of all scenarios, naming every problem."""
    if not 1 <= len(specs) <= MAX_SCENARIOS:
        raise ValidationFailed(
            f"run 1 to {MAX_SCENARIOS} scenarios",
            violations=[Violation("scenarios", f"must hold 1 to {MAX_SCENARIOS} scenarios")],
        )
    found: list[Violation] = []
    parsed = []
    for i, spec in enumerate(specs):
        try:
            parsed.append((spec.name, parse_deltas(list(spec.deltas), f"scenarios[{i}].deltas")))
        except ValidationFailed as error:
            found += error.violations
    if found:
        raise ValidationFailed("invalid scenarios: " + "; ".join(map(str, found)), violations=found)
    return parsed


def compare_scenarios(
    ctx: ServiceContext,
    principal: Principal,
    specs: Sequence[ScenarioSpec],
    options: RunOptions,
    replay: bool = False,
) -> Comparison:
    """Build the caller's twin and run ``specs`` against its base side by side."""
    parsed = parse_specs(specs)
    twin = build_twin(ctx, principal, replay=replay)
    executor = ctx.replication_executor
    result = run_scenarios(twin.network, parsed, options, executor)
    return Comparison(result.options, result.results, twin.warnings)
