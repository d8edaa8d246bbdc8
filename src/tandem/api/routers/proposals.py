"""Network inventory proposals: read them, vote on them, withdraw your own.

Proposals are created by the network optimiser; every member of the network reads them, the
members they affect vote. A placement of a partner's stocking point is shown only with that
partner's ``planning_parameters`` grant; otherwise aggregated per member.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Paging, Services
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.proposals import (
    ProposalDetailOut,
    ProposalEventOut,
    ProposalOut,
    VoteIn,
)
from tandem.domain.coordination import ProposalStatus
from tandem.services import proposals

router = APIRouter(prefix="/inventory-proposals", tags=["coordination"])


@router.get("", name="list_inventory_proposals")
def list_inventory_proposals(
    services: Services,
    caller: Caller,
    page: Paging,
    status: Annotated[ProposalStatus | None, Query()] = None,
) -> PageOut[ProposalOut]:
    """Your network's proposals, newest first."""
    return PageOut[ProposalOut].of(proposals.list_proposals(services, caller, page, status))


@router.get("/{proposal_id}", name="get_inventory_proposal")
def get_inventory_proposal(
    services: Services, caller: Caller, proposal_id: Id
) -> ProposalDetailOut:
    """The proposal with every member's share and transfer, placements, votes, who is pending."""
    return ProposalDetailOut.of(proposals.get_proposal(services, caller, proposal_id))


@router.post("/{proposal_id}/votes", name="vote_on_inventory_proposal")
def vote_on_inventory_proposal(
    services: Services, caller: Caller, proposal_id: Id, body: VoteIn
) -> ProposalDetailOut:
    """Approve or reject for your member; the last approval adopts the proposal and sets the
    stocking points' parameters. Repeating your vote changes nothing."""
    detail = proposals.vote(services, caller, proposal_id, body.choice, body.comment)
    return ProposalDetailOut.of(detail)


@router.post("/{proposal_id}/withdraw", name="withdraw_inventory_proposal")
def withdraw_inventory_proposal(
    services: Services, caller: Caller, proposal_id: Id
) -> ProposalDetailOut:
    """Withdraw an open proposal your member created."""
    return ProposalDetailOut.of(proposals.withdraw(services, caller, proposal_id))


@router.get("/{proposal_id}/events", name="list_inventory_proposal_events")
def list_inventory_proposal_events(
    services: Services, caller: Caller, proposal_id: Id, page: Paging
) -> PageOut[ProposalEventOut]:
    """Every step, oldest first: created, voted, adopted (with the parameters written to the
    stocking points you may read), rejected, withdrawn, superseded."""
    events = proposals.proposal_events(services, caller, proposal_id, page)
    return PageOut[ProposalEventOut].of(events)
