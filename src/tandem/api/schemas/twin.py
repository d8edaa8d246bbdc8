"""The digital twin: stored what-if scenarios, side-by-side runs and the sharing report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import Field

from tandem.api.schemas.common import Id, Name, RequestModel, ResponseModel
from tandem.domain.scenarios import Scenario
from tandem.services.twin import RunOptions, ScenarioSpec

Deltas = Annotated[
    list[dict[str, Any]],
    Field(max_length=100, description="Deltas: objects with a `type` (see docs/twin.md)"),
]


class ScenarioIn(RequestModel):
    name: Name
    deltas: Deltas = Field(default_factory=list)


class ScenarioOut(ResponseModel):
    id: int
    name: str
    owner_member_id: int
    deltas: list[dict[str, Any]]
    created_at: datetime

    @classmethod
    def of(cls, s: Scenario) -> Self:
        return cls(
            id=s.id,
            name=s.name,
            owner_member_id=s.owner_member_id,
            deltas=s.deltas,
            created_at=s.created_at,
        )


class InlineScenario(RequestModel):
    name: Name
    deltas: Deltas


class Options(RequestModel):
    periods: int = Field(120, ge=1, le=3650, description="Days simulated per replication")
    replications: int = Field(20, ge=1, le=1000, description="Rounded up to whole batches")
    batch_size: int = Field(4, ge=1, le=1000, description="Replications per batch")
    warmup: int = Field(14, ge=0, le=3649, description="Days not measured at the start")
    seed: int = Field(0, ge=0, le=2**62, description="The same for every scenario (CRN)")
    replay: bool = Field(False, description="Replay recorded demand history")

    def options(self) -> RunOptions:
        return RunOptions(self.periods, self.replications, self.batch_size, self.warmup, self.seed)


class RunIn(Options):
    scenario_ids: list[Id] = Field(default_factory=list, max_length=8)
    scenarios: list[InlineScenario] = Field(default_factory=list, max_length=8)

    def inline(self) -> list[ScenarioSpec]:
        return [ScenarioSpec(s.name, tuple(s.deltas)) for s in self.scenarios]


class ReportIn(Options):
    pass


class EstimateOut(ResponseModel):
    value: float | None
    half_width: float | None = Field(description="95 % interval over batches")


class DifferenceOut(EstimateOut):
    unpaired_half_width: float | None = Field(
        description="The half-width independent runs would have had"
    )


class OptionsOut(ResponseModel):
    periods: int
    replications: int
    batch_size: int
    batches: int
    warmup: int
    seed: int


class ScenarioResultOut(ResponseModel):
    name: str
    figures: dict[str, EstimateOut]
    stages: dict[str, dict[str, EstimateOut]]
    difference: dict[str, DifferenceOut] | None = None
    notes: list[str]


class ComparisonOut(ResponseModel):
    options: OptionsOut
    scenarios: list[ScenarioResultOut]
    warnings: list[str]


class MemberFiguresOut(ResponseModel):
    member: str
    safety_stock: EstimateOut
    average_inventory: EstimateOut


class ColumnOut(ResponseModel):
    mode: str
    figures: dict[str, EstimateOut]
    landed_cost: EstimateOut
    bullwhip: dict[str, EstimateOut]
    members: list[MemberFiguresOut]


class ReportOut(ResponseModel):
    options: OptionsOut
    adopted: str
    adopted_proposal_id: int | None
    columns: list[ColumnOut]
    sharing_gain: dict[str, DifferenceOut]
    stage_members: dict[str, str]
    warnings: list[str]
