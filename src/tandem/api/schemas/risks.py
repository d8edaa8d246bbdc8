"""The shared risk register and the time-to-survive / time-to-recover analysis."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import Field

from tandem.api.schemas.common import Id, Name, Note, RequestModel, ResponseModel
from tandem.domain.risks import (
    MitigationStatus,
    Risk,
    RiskBand,
    RiskCategory,
    RiskEventKind,
    RiskStatus,
)
from tandem.domain.sharing import DataCategory
from tandem.services.risk_analysis import (
    AnalysisRequest,
    ExtraStock,
    NodeRisk,
    RiskAnalysis,
    SecondSource,
)
from tandem.services.risks import RiskFields

IdSet = Annotated[list[Id], Field(max_length=200)]
Scale = Annotated[int, Field(ge=1, le=5)]
Days = Annotated[float, Field(ge=0, le=3650)]


class RiskIn(RequestModel):
    title: Name
    category: RiskCategory
    likelihood: Scale = Field(description="1 rare … 5 almost certain")
    impact: Scale = Field(description="1 negligible … 5 severe")
    description: Note = ""
    site_ids: IdSet = Field(default_factory=list, description="Affected sites")
    lane_ids: IdSet = Field(default_factory=list, description="Affected lanes")
    item_ids: IdSet = Field(default_factory=list, description="Affected items (optional)")
    owner_name: Annotated[str, Field(max_length=200)] = ""
    review_date: date | None = None
    recovery_days: Days | None = Field(
        default=None, description="Expected time-to-recover of the affected sites, in days"
    )

    def fields(self) -> RiskFields:
        return RiskFields(
            self.title,
            self.category,
            self.likelihood,
            self.impact,
            self.description,
            frozenset(self.site_ids),
            frozenset(self.lane_ids),
            frozenset(self.item_ids),
            self.owner_name,
            self.review_date,
            self.recovery_days,
        )


class StatusIn(RequestModel):
    status: RiskStatus
    note: Note = ""


class MitigationIn(RequestModel):
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    due_date: date | None = None


class MitigationOut(ResponseModel):
    number: int
    text: str
    status: MitigationStatus
    due_date: date | None
    completed_at: datetime | None


class RiskOut(ResponseModel):
    id: int
    network_id: int
    owner_member_id: int
    title: str
    description: str
    category: RiskCategory
    site_ids: list[int]
    lane_ids: list[int]
    item_ids: list[int]
    likelihood: int
    impact: int
    score: int = Field(description="likelihood × impact")
    band: RiskBand
    owner_name: str
    mitigations: list[MitigationOut]
    status: RiskStatus
    review_date: date | None
    recovery_days: float | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Send as If-Match to refuse a change of a newer version")

    @classmethod
    def of(cls, risk: Risk) -> Self:
        data: dict[str, Any] = {
            name: getattr(risk, name)
            for name in cls.model_fields
            if name not in {"site_ids", "lane_ids", "item_ids", "mitigations"}
        }
        data.update(
            {name: sorted(getattr(risk, name)) for name in ("site_ids", "lane_ids", "item_ids")}
        )
        data["mitigations"] = [
            MitigationOut(number=n, text=m.text, status=m.status, due_date=m.due_date,
                          completed_at=m.completed_at)
            for n, m in enumerate(risk.mitigations, start=1)
        ]  # fmt: skip
        return cls.model_validate(data)


class RiskEventOut(ResponseModel):
    version: int
    kind: RiskEventKind
    at: datetime
    actor_member_id: int
    actor_user_id: int | None
    detail: dict[str, Any]


class HeatMapCellOut(ResponseModel):
    likelihood: int
    impact: int
    band: RiskBand
    count: int


class ExtraStockIn(RequestModel):
    site_id: Id
    item_id: Id
    quantity: Annotated[float, Field(gt=0, le=1e12)]


class SecondSourceIn(RequestModel):
    from_site_id: Id
    to_site_id: Id
    item_id: Id
    capacity_per_day: Annotated[float, Field(gt=0, le=1e12)] | None = Field(
        default=None, description="Omitted: unlimited"
    )


class WhatIfsIn(RequestModel):
    extra_stock: Annotated[list[ExtraStockIn], Field(max_length=100)] = Field(default_factory=list)
    second_sources: Annotated[list[SecondSourceIn], Field(max_length=100)] = Field(
        default_factory=list
    )


class RiskAnalysisIn(RequestModel):
    default_ttr_days: Days = Field(
        default=14.0, description="TTR of a node no active risk with a recovery time names"
    )
    horizon_days: Annotated[float, Field(gt=0, le=3650)] = Field(
        default=100.0, description="TTS is reported as unbounded from here on"
    )
    stock_lost_at_down_node: bool = False
    what_ifs: WhatIfsIn = Field(default_factory=WhatIfsIn)

    def request(self) -> AnalysisRequest:
        return AnalysisRequest(
            self.default_ttr_days,
            self.horizon_days,
            tuple(ExtraStock(x.site_id, x.item_id, x.quantity) for x in self.what_ifs.extra_stock),
            tuple(
                SecondSource(s.from_site_id, s.to_site_id, s.item_id, s.capacity_per_day)
                for s in self.what_ifs.second_sources
            ),
            self.stock_lost_at_down_node,
        )


class OutcomeOut(ResponseModel):
    tts_days: float
    tts_capped: bool = Field(description="TTS reached the horizon: at least horizon_days")
    exposed: bool = Field(description="TTS < TTR")
    lost_margin: float
    lost_units: float


class NodeRiskOut(ResponseModel):
    exposure_rank: int
    site_id: int
    site_code: str
    site_name: str
    member_id: int
    member_code: str
    ttr_days: float
    ttr_risk_ids: list[int] = Field(description="Risks that set the TTR; empty: the default")
    base: OutcomeOut
    what_if: OutcomeOut | None

    @classmethod
    def of(cls, node: NodeRisk) -> Self:
        return cls.model_validate(node, from_attributes=True)


class DemandLineOut(ResponseModel):
    site_id: int
    item_id: int
    rate: float = Field(description="Units per day")
    margin: float = Field(description="Lost per unit short (the item's unit value)")
    source: str


class LeftOutOut(ResponseModel):
    member_id: int
    member_code: str
    category: DataCategory
    rows: int


class RiskAnalysisOut(ResponseModel):
    nodes: list[NodeRiskOut]
    horizon_days: float
    currency: str
    demand: list[DemandLineOut]
    left_out: list[LeftOutOut] = Field(description="Partner rows no grant lets you see")
    notes: list[str]

    @classmethod
    def of(cls, analysis: RiskAnalysis) -> Self:
        return cls.model_validate(analysis, from_attributes=True)
