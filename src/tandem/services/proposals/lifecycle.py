"""Putting an optimum to the vote, voting, withdrawing, and adopting (see the package doc)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from tandem.domain.coordination import (
    OpenProposalExists,
    Placement,
    Proposal,
    ProposalDraft,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
    Vote,
    VoteChoice,
    affected_members,
    check_withdrawal,
    decide_vote,
    draft_violations,
    ensure_none_open,
)
from tandem.domain.errors import Conflict, DuplicateCode, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import PlanningParameters, raise_if
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.proposals.views import ProposalDetail, detail_of, load_proposal, of_network


class StockingPointMissing(Conflict):
    code = "stocking_point_missing"
    title = "A stocking point of the proposal no longer exists"


# ---------------------------------------------------------------- create


def create_proposal(ctx: ServiceContext, principal: Principal, draft: ProposalDraft) -> Proposal:
    """Store ``draft`` as the network's open proposal (version 1, event ``created``)."""
    principal.require(Scope.NETWORK_WRITE)
    found = draft_violations(draft)
    if draft.network_id != principal.network_id:
        found.append(Violation("proposal", "is not a proposal of your network", "network_id"))
    now = ctx.clock.now()
    with ctx.uow() as uow:
        found += _platform_violations(uow, principal.network_id, draft)
        raise_if(found, "invalid inventory proposal")
        open_ids = [p.id for p in of_network(uow, principal.network_id, ProposalStatus.OPEN)]
        ensure_none_open(open_ids, principal.network_id)
        proposal = _insert(uow, principal, draft, now)
        uow.proposal_placements.add_many(
            [replace(p, proposal_id=proposal.id) for p in draft.placements]
        )
        uow.proposal_shares.add_many([replace(s, proposal_id=proposal.id) for s in draft.shares])
        affected = affected_members(draft.placements, draft.shares)
        detail = {
            "title": draft.title,
            "service_level": draft.service_level,
            "transfer_rule": draft.transfer_rule.value,
            "stocking_points": len(draft.placements),
            "affected_member_ids": sorted(affected),
        }
        _event(uow, proposal, ProposalEventKind.CREATED, principal, now, detail)
        uow.commit()
    return proposal


def _insert(uow: UnitOfWork, principal: Principal, draft: ProposalDraft, now: datetime) -> Proposal:
    totals = draft.totals
    proposal = Proposal(
        0,
        draft.network_id,
        draft.title.strip(),
        draft.service_level,
        draft.method.strip(),
        draft.optimal,
        draft.gap,
        totals.buffer_everywhere,
        totals.push_to_customer,
        totals.optimal,
        draft.transfer_rule,
        ProposalStatus.OPEN,
        1,
        principal.member_id,
        now,
        principal.user_id,
    )
    try:
        return uow.inventory_proposals.add(proposal)
    except DuplicateCode as error:  # a concurrent creator won the partial unique index
        raise OpenProposalExists(
            f"network {draft.network_id} already has an open proposal"
        ) from error


def _platform_violations(uow: UnitOfWork, network_id: int, draft: ProposalDraft) -> list[Violation]:
    """Placements name stocking points of the network with their true owners; shares name
    members of the network."""
    found: list[Violation] = []
    for p in draft.placements:
        where = f"placement of stocking point {p.item_site_id}"
        point = uow.item_sites.get(p.item_site_id)
        site = None if point is None else uow.sites.get(point.site_id)
        if point is None or site is None or site.network_id != network_id:
            found.append(Violation(where, "no such stocking point in the network", "item_site_id"))
        elif point.owner_member_id != p.owner_member_id:
            found.append(
                Violation(where, f"is owned by member {point.owner_member_id}", "owner_member_id")
            )
    for s in draft.shares:
        member = uow.members.get(s.member_id)
        if member is None or member.network_id != network_id:
            found.append(Violation(f"share of member {s.member_id}", "no such member", "member_id"))
    return found


# ---------------------------------------------------------------- vote, withdraw


def vote(
    ctx: ServiceContext,
    principal: Principal,
    proposal_id: int,
    choice: VoteChoice,
    comment: str = "",
) -> ProposalDetail:
    """Record the caller's member's vote; a repeat of the same vote changes nothing. The last
    approval adopts the proposal and writes the stocking points' parameters, all at once."""
    principal.require(Scope.NETWORK_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        proposal = load_proposal(uow, principal, proposal_id, lock=True)
        placements = uow.proposal_placements.find(proposal_id=proposal.id)
        shares = uow.proposal_shares.find(proposal_id=proposal.id)
        votes = uow.proposal_votes.find(proposal_id=proposal.id)
        affected = affected_members(placements, shares)
        decision = decide_vote(proposal, votes, affected, principal.member_id, choice)
        if not decision.repeated:
            ballot = Vote(
                0, proposal.id, principal.member_id, choice, now, comment.strip(), principal.user_id
            )
            uow.proposal_votes.add(ballot)
            detail = {"choice": choice.value, "comment": ballot.comment}
            proposal = _event(uow, proposal, ProposalEventKind.VOTED, principal, now, detail)
            if decision.status is ProposalStatus.REJECTED:
                proposal = _event(
                    uow, proposal, ProposalEventKind.REJECTED, principal, now, {}, decided=True
                )
            elif decision.status is ProposalStatus.ADOPTED:
                proposal = _adopt(uow, proposal, placements, principal, now)
        view = detail_of(uow, principal, proposal, now)
        uow.commit()
    return view


def withdraw(ctx: ServiceContext, principal: Principal, proposal_id: int) -> ProposalDetail:
    """The creating member withdraws its open proposal (a repeat changes nothing)."""
    principal.require(Scope.NETWORK_WRITE)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        proposal = load_proposal(uow, principal, proposal_id, lock=True)
        repeated = (
            proposal.status is ProposalStatus.WITHDRAWN
            and proposal.created_by_member_id == principal.member_id
        )
        if not repeated:
            check_withdrawal(proposal, principal.member_id)
            proposal = _event(
                uow, proposal, ProposalEventKind.WITHDRAWN, principal, now, {}, decided=True
            )
        view = detail_of(uow, principal, proposal, now)
        uow.commit()
    return view


_STATUS_OF = {
    ProposalEventKind.ADOPTED: ProposalStatus.ADOPTED,
    ProposalEventKind.REJECTED: ProposalStatus.REJECTED,
    ProposalEventKind.WITHDRAWN: ProposalStatus.WITHDRAWN,
    ProposalEventKind.SUPERSEDED: ProposalStatus.SUPERSEDED,
}


def _event(
    uow: UnitOfWork,
    proposal: Proposal,
    kind: ProposalEventKind,
    principal: Principal,
    at: datetime,
    detail: dict[str, Any],
    *,
    decided: bool = False,
) -> Proposal:
    """Append the step's event at the next version (version 1: creation) and store the
    proposal at that version, with the status the step leads to."""
    if kind is ProposalEventKind.CREATED:
        changed = proposal
    else:
        status = _STATUS_OF.get(kind, proposal.status)
        changed = replace(proposal, version=proposal.version + 1, status=status)
        if decided:
            changed = replace(changed, decided_at=at)
        if status is not proposal.status:
            detail = {**detail, "status": [proposal.status.value, status.value]}
        uow.inventory_proposals.update(changed)
    uow.proposal_events.add(
        ProposalEvent(
            0,
            proposal.id,
            changed.version,
            kind,
            at,
            principal.member_id,
            detail,
            principal.user_id,
        )
    )
    return changed


def _adopt(
    uow: UnitOfWork,
    proposal: Proposal,
    placements: list[Placement],
    principal: Principal,
    now: datetime,
) -> Proposal:
    """Supersede the network's adopted proposal and write every placed stocking point's
    target service level, safety stock, and base-stock level (as order-up-to level and
    reorder point); the event records each point's parameters before and after."""
    superseded = []
    for earlier in of_network(uow, proposal.network_id, ProposalStatus.ADOPTED):
        locked = uow.inventory_proposals.get_for_update(earlier.id) or earlier
        _event(uow, locked, ProposalEventKind.SUPERSEDED, principal, now, {"by": proposal.id})
        superseded.append(earlier.id)
    written = []
    for placement in sorted(placements, key=lambda p: p.item_site_id):
        point = uow.item_sites.get_for_update(placement.item_site_id)
        if point is None:
            raise StockingPointMissing(
                f"stocking point {placement.item_site_id} of proposal {proposal.id} was deleted;"
                " the proposal cannot be adopted"
            )
        after = adopted_parameters(point.parameters, proposal.service_level, placement)
        uow.item_sites.update(replace(point, parameters=after))
        written.append(
            {
                "item_site_id": point.id,
                "owner_member_id": point.owner_member_id,
                "before": _written(point.parameters),
                "after": _written(after),
            }
        )
    detail = {"parameters": written, "superseded": superseded}
    return _event(uow, proposal, ProposalEventKind.ADOPTED, principal, now, detail, decided=True)


def adopted_parameters(
    current: PlanningParameters, service_level: float, placement: Placement
) -> PlanningParameters:
    """The stocking point's parameters once the proposal is adopted; the other fields stay.

    A base-stock policy orders whenever the inventory position falls below its level, so the
    level is both the order-up-to level and, for divisible quantities, the reorder point (the
    (S − 1, S) policy; Axsäter, *Inventory Control*, 3rd ed., 2015, §5.1)."""
    return replace(
        current,
        target_service_level=service_level,
        safety_stock=placement.safety_stock,
        order_up_to_level=placement.base_stock_level,
        reorder_point=placement.base_stock_level,
    )


WRITTEN_FIELDS = ("target_service_level", "safety_stock", "order_up_to_level", "reorder_point")


def _written(parameters: PlanningParameters) -> dict[str, float | None]:
    return {name: getattr(parameters, name) for name in WRITTEN_FIELDS}
