"""Reading proposals: the list, one proposal as a member sees it, its history.

A placement is shown in full to the stocking point's owner and to members with an active
``planning_parameters`` grant of the owner covering it (audited); others get the owner's
placements aggregated (see :class:`HiddenPlacements`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tandem.domain.coordination import (
    MemberShare,
    Placement,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
    Vote,
    affected_members,
    pending_members,
)
from tandem.domain.errors import NotFound
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import ItemSite
from tandem.domain.sharing import AccessScope, AuditEntry, DataCategory
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import scope_for


@dataclass(frozen=True)
class HiddenPlacements:
    """One member's placements the viewer may not read, aggregated."""

    owner_member_id: int
    stocking_points: int
    changed: int
    holding_cost_per_year: float  # Σ safety stock × holding cost per unit and year


@dataclass(frozen=True)
class PlacementView:
    placement: Placement
    item_id: int | None  # None: the stocking point has been deleted since
    site_id: int | None


@dataclass(frozen=True)
class ProposalDetail:
    proposal: Proposal
    shares: tuple[MemberShare, ...]
    placements: tuple[PlacementView, ...]
    hidden: tuple[HiddenPlacements, ...]
    votes: tuple[Vote, ...]
    affected: tuple[int, ...]
    pending: tuple[int, ...]

    def can_vote(self, member_id: int) -> bool:
        return self.proposal.status is ProposalStatus.OPEN and member_id in self.pending


# ---------------------------------------------------------------- reads


def list_proposals(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    status: ProposalStatus | None = None,
) -> Page[Proposal]:
    """The network's proposals, newest first."""
    principal.require(Scope.NETWORK_READ)
    filters: dict[str, Any] = {"network_id": principal.network_id}
    if status is not None:
        filters["status"] = status
    with ctx.uow() as uow:
        repo = uow.inventory_proposals
        rows = repo.find(offset=page.offset, limit=page.limit, descending=True, **filters)
        total = repo.count(**filters)
    return Page(tuple(rows), total, page.offset, page.limit)


def get_proposal(ctx: ServiceContext, principal: Principal, proposal_id: int) -> ProposalDetail:
    principal.require(Scope.NETWORK_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        view = detail_of(uow, principal, load_proposal(uow, principal, proposal_id), now)
        uow.commit()  # the audit entries of placements read through grants
    return view


def proposal_events(
    ctx: ServiceContext, principal: Principal, proposal_id: int, page: PageRequest
) -> Page[ProposalEvent]:
    """The proposal's history, oldest first; parameters written at adoption are listed only
    for the stocking points the viewer may read (the others counted per owner)."""
    principal.require(Scope.NETWORK_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        proposal = load_proposal(uow, principal, proposal_id)
        events = uow.proposal_events.find(
            offset=page.offset, limit=page.limit, proposal_id=proposal.id
        )
        total = uow.proposal_events.count(proposal_id=proposal.id)
        placements = uow.proposal_placements.find(proposal_id=proposal.id)
        readable = _readable(uow, principal, proposal, placements, now)
        uow.commit()
    shown = tuple(_redacted(e, set(readable)) for e in events)
    return Page(shown, total, page.offset, page.limit)


def _redacted(event: ProposalEvent, readable: set[int]) -> ProposalEvent:
    written = event.detail.get("parameters")
    if event.kind is not ProposalEventKind.ADOPTED or not isinstance(written, list):
        return event
    shown = [w for w in written if w["item_site_id"] in readable]
    elsewhere = Counter(
        str(w["owner_member_id"]) for w in written if w["item_site_id"] not in readable
    )
    detail = {
        **event.detail,
        "parameters": shown,
        "written_elsewhere": dict(sorted(elsewhere.items())),
    }
    return replace(event, detail=detail)


def load_proposal(
    uow: UnitOfWork, principal: Principal, proposal_id: int, lock: bool = False
) -> Proposal:
    repo = uow.inventory_proposals
    proposal = repo.get_for_update(proposal_id) if lock else repo.get(proposal_id)
    if proposal is None or proposal.network_id != principal.network_id:
        raise NotFound(f"inventory proposal {proposal_id} not found")
    return proposal


def of_network(uow: UnitOfWork, network_id: int, status: ProposalStatus) -> list[Proposal]:
    return uow.inventory_proposals.find(network_id=network_id, status=status)


def detail_of(
    uow: UnitOfWork, principal: Principal, proposal: Proposal, now: datetime
) -> ProposalDetail:
    placements = uow.proposal_placements.find(proposal_id=proposal.id)
    shares = uow.proposal_shares.find(proposal_id=proposal.id)
    votes = uow.proposal_votes.find(proposal_id=proposal.id)
    readable = _readable(uow, principal, proposal, placements, now)
    shown = [p for p in placements if p.item_site_id in readable]
    views = tuple(
        PlacementView(p, *_point_of(readable[p.item_site_id]))
        for p in sorted(shown, key=lambda p: (p.owner_member_id, p.item_site_id))
    )
    affected = affected_members(placements, shares)
    return ProposalDetail(
        proposal,
        tuple(sorted(shares, key=lambda s: s.member_id)),
        views,
        _aggregate([p for p in placements if p.item_site_id not in readable]),
        tuple(votes),
        tuple(sorted(affected)),
        tuple(sorted(pending_members(affected, votes))),
    )


def _point_of(point: ItemSite | None) -> tuple[int | None, int | None]:
    return (None, None) if point is None else (point.item_id, point.site_id)


def _aggregate(hidden: list[Placement]) -> tuple[HiddenPlacements, ...]:
    owners = sorted({p.owner_member_id for p in hidden})
    return tuple(
        HiddenPlacements(
            owner,
            sum(1 for p in hidden if p.owner_member_id == owner),
            sum(1 for p in hidden if p.owner_member_id == owner and p.changes_stock),
            sum(p.holding_cost_per_year for p in hidden if p.owner_member_id == owner),
        )
        for owner in owners
    )


def _readable(
    uow: UnitOfWork,
    principal: Principal,
    proposal: Proposal,
    placements: list[Placement],
    now: datetime,
) -> dict[int, ItemSite | None]:
    """The placements the viewer may read in full, by stocking point (with the point, if it
    still exists); one audit entry per grant that let partner placements through."""
    scope = scope_for(uow, principal, DataCategory.PLANNING_PARAMETERS, now)
    readable: dict[int, ItemSite | None] = {}
    used: Counter[tuple[int, int]] = Counter()
    for p in placements:
        point = uow.item_sites.get(p.item_site_id)
        if p.owner_member_id == principal.member_id:
            readable[p.item_site_id] = point
            continue
        rule = _rule(scope, p, point)
        if rule is not None:
            readable[p.item_site_id] = point
            used[(rule, p.owner_member_id)] += 1
    for (grant_id, owner), rows in sorted(used.items()):
        uow.audit.add(
            AuditEntry(
                0,
                principal.network_id,
                grant_id,
                owner,
                principal.member_id,
                principal.label,
                DataCategory.PLANNING_PARAMETERS,
                f"inventory-proposal {proposal.id}",
                rows,
                now,
            )
        )
    return readable


def _rule(scope: AccessScope, placement: Placement, point: ItemSite | None) -> int | None:
    if point is None:
        return None
    rule = scope.rule_for(placement.owner_member_id, point.item_id, point.site_id)
    return None if rule is None else rule.grant_id
