"""Network inventory proposals: the optimum with its member shares, placements, votes, history."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import Field

from tandem.api.schemas.common import Note, RequestModel, ResponseModel
from tandem.domain.coordination import (
    ProposalEventKind,
    ProposalStatus,
    TransferRule,
    VoteChoice,
)
from tandem.services.proposals import PlacementView, ProposalDetail


class VoteIn(RequestModel):
    choice: VoteChoice
    comment: Note = ""


class PolicyTotalsOut(ResponseModel):
    """Annual safety-stock holding cost of the network under the three policies."""

    buffer_everywhere: float = Field(description="(a) every member buffers what it promises")
    push_to_customer: float = Field(description="(b) service times pushed to the customer")
    optimal: float = Field(description="(c) the optimum put to the vote")
    saving: float = Field(description="(a) − (c)")


class ProposalOut(ResponseModel):
    id: int
    network_id: int
    title: str
    service_level: float
    method: str
    optimal: bool
    gap: float
    totals: PolicyTotalsOut
    transfer_rule: TransferRule
    status: ProposalStatus
    version: int
    created_by_member_id: int
    created_by_user_id: int | None
    created_at: datetime
    decided_at: datetime | None


class MemberShareOut(ResponseModel):
    """One member's cost under (a) and (c) and its transfer (+ receives, − pays)."""

    member_id: int
    standalone_cost: float
    coordinated_cost: float
    transfer: float
    cost_after_transfer: float
    gain: float = Field(description="standalone cost − cost after transfer (≥ 0)")
    shapley_value: float | None


class PlacementOut(ResponseModel):
    """One stocking point's proposed stock, before → after (shown as far as readable)."""

    item_site_id: int
    item_id: int | None = Field(description="null when the stocking point has been deleted")
    site_id: int | None
    owner_member_id: int
    inbound_service_time: float
    outbound_service_time: float
    net_lead_time: float
    safety_stock: float
    base_stock_level: float
    holding_cost_per_unit_year: float
    current_safety_stock: float | None
    current_order_up_to: float | None

    @classmethod
    def of(cls, view: PlacementView) -> Self:
        return cls.model_validate(
            {**view.placement.__dict__, "item_id": view.item_id, "site_id": view.site_id}
        )


class HiddenPlacementsOut(ResponseModel):
    """A partner's placements you may not read, aggregated."""

    owner_member_id: int
    stocking_points: int
    changed: int
    holding_cost_per_year: float


class VoteOut(ResponseModel):
    member_id: int
    choice: VoteChoice
    comment: str
    at: datetime
    user_id: int | None


class ProposalDetailOut(ResponseModel):
    proposal: ProposalOut
    shares: list[MemberShareOut]
    placements: list[PlacementOut]
    hidden_placements: list[HiddenPlacementsOut]
    votes: list[VoteOut]
    affected_member_ids: list[int]
    pending_member_ids: list[int]

    @classmethod
    def of(cls, detail: ProposalDetail) -> Self:
        return cls.model_validate(
            {
                "proposal": detail.proposal,
                "shares": detail.shares,
                "placements": [PlacementOut.of(v) for v in detail.placements],
                "hidden_placements": detail.hidden,
                "votes": detail.votes,
                "affected_member_ids": detail.affected,
                "pending_member_ids": detail.pending,
            },
            from_attributes=True,
        )


class ProposalEventOut(ResponseModel):
    version: int
    kind: ProposalEventKind
    at: datetime
    actor_member_id: int
    actor_user_id: int | None
    detail: dict[str, Any]
