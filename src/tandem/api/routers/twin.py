"""The digital twin: a member's stored what-if scenarios, runs side by side on common random
numbers, and the traditional-versus-SCM report of the network as the caller may see it.

Errors: ``validation_failed`` (422, every offending delta and field named, also deltas that
match nothing in the network), ``not_found`` (404, a scenario of another member included).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from tandem.api.deps import Caller, Services
from tandem.api.routers import created
from tandem.api.schemas.twin import (
    ComparisonOut,
    ReportIn,
    ReportOut,
    RunIn,
    ScenarioIn,
    ScenarioOut,
)
from tandem.domain.errors import ValidationFailed, Violation
from tandem.services.twin import ScenarioSpec, compare_scenarios, scenarios, traditional_vs_scm
from tandem.services.twin.views import comparison_json, report_json

router = APIRouter(tags=["twin"])

ScenarioId = Annotated[int, Path(ge=1)]


@router.post("/scenarios", name="create_scenario", status_code=201)
def create_scenario(
    services: Services, caller: Caller, body: ScenarioIn, request: Request, response: Response
) -> ScenarioOut:
    """Save a what-if scenario of the caller's member: a name and its deltas."""
    saved = scenarios.create_scenario(services, caller, body.name, body.deltas)
    created(request, response, "get_scenario", scenario_id=saved.id)
    return ScenarioOut.of(saved)


@router.get("/scenarios", name="list_scenarios")
def list_scenarios(services: Services, caller: Caller) -> list[ScenarioOut]:
    """The caller's member's scenarios, oldest first."""
    return [ScenarioOut.of(s) for s in scenarios.list_scenarios(services, caller)]


@router.get("/scenarios/{scenario_id}", name="get_scenario")
def get_scenario(services: Services, caller: Caller, scenario_id: ScenarioId) -> ScenarioOut:
    return ScenarioOut.of(scenarios.get_scenario(services, caller, scenario_id))


@router.put("/scenarios/{scenario_id}", name="update_scenario")
def update_scenario(
    services: Services, caller: Caller, scenario_id: ScenarioId, body: ScenarioIn
) -> ScenarioOut:
    changed = scenarios.update_scenario(services, caller, scenario_id, body.name, body.deltas)
    return ScenarioOut.of(changed)


@router.delete("/scenarios/{scenario_id}", name="delete_scenario", status_code=204)
def delete_scenario(services: Services, caller: Caller, scenario_id: ScenarioId) -> Response:
    scenarios.delete_scenario(services, caller, scenario_id)
    return Response(status_code=204)


@router.post("/scenarios/run", name="run_scenarios")
def run_scenarios(services: Services, caller: Caller, body: RunIn) -> ComparisonOut:
    """Run stored (``scenario_ids``) and inline scenarios against the base network side by
    side, all on the same random numbers; differences to the base are paired."""
    stored = [scenarios.get_scenario(services, caller, i) for i in body.scenario_ids]
    specs = [ScenarioSpec(s.name, tuple(s.deltas)) for s in stored] + body.inline()
    if not specs:
        violation = Violation("body", "name at least one scenario", "scenario_ids")
        raise ValidationFailed("nothing to run", violations=[violation])
    result = compare_scenarios(services, caller, specs, body.options(), body.replay)
    return ComparisonOut.model_validate(comparison_json(result))


@router.post("/twin/report", name="twin_report")
def twin_report(services: Services, caller: Caller, body: ReportIn) -> ReportOut:
    """Traditional versus SCM: no sharing, shared demand and echelon positions, and the
    adopted inventory proposal, on the same random numbers with 95 % intervals."""
    report = traditional_vs_scm(services, caller, body.options(), body.replay)
    return ReportOut.model_validate(report_json(report))
