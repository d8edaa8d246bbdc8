"""Coordinated inventory: network proposals, members' votes, fair-share transfers, adoption.

A *proposal* is the optimum of the guaranteed-service model (Graves & Willems, "Optimizing
strategic safety stock placement in supply chains", MSOM 2(1), 2000) put to the network: one
service level, and per stocking point the service times, the safety stock and the base-stock
level. Coordination lowers the network's cost but can raise one member's: the proposal carries
a transfer scheme (savings shared in proportion to stand-alone cost, or the Shapley value —
Shapley, "A value for n-person games", 1953) that leaves every member no worse off than under
policy (a), each member buffering everything it promises. The transfers are computed by the
engines of :mod:`tandem.planning.meio`; this module stores, checks and decides.

Lifecycle: ``open`` → ``adopted`` (every affected member approved) | ``rejected`` (one
rejected) | ``withdrawn`` (by its creator); an adopted proposal becomes ``superseded`` when the
next one of its network is adopted. One open proposal per network at a time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tandem.domain.errors import Conflict, Forbidden, InvalidTransition, Violation

RELATIVE_TOLERANCE = 1e-6  # of the network's stand-alone cost: rounding, not money


class ProposalStatus(StrEnum):
    OPEN = "open"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class VoteChoice(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class TransferRule(StrEnum):
    """How the network's saving is shared out."""

    PROPORTIONAL = "proportional"  # in proportion to each member's stand-alone cost
    SHAPLEY = "shapley"  # the Shapley value of the cost game (small networks)


class ProposalEventKind(StrEnum):
    CREATED = "created"
    VOTED = "voted"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class ProposalNotOpen(InvalidTransition):
    code = "proposal_not_open"
    title = "The proposal is no longer open"


class VoteConflict(Conflict):
    code = "vote_conflict"
    title = "The member has already voted differently"


class OpenProposalExists(Conflict):
    code = "open_proposal_exists"
    title = "The network already has an open proposal"


class NotAffected(Forbidden):
    code = "member_not_affected"
    title = "Only members the proposal affects vote on it"


@dataclass(frozen=True)
class PolicyTotals:
    """Annual safety-stock holding cost of the network under the three policies."""

    buffer_everywhere: float  # (a) each member buffers everything it promises
    push_to_customer: float  # (b) service times pushed to the customer-facing stages
    optimal: float  # (c) the optimum put to the vote

    @property
    def saving(self) -> float:
        """What coordination saves against (a)."""
        return self.buffer_everywhere - self.optimal


@dataclass(frozen=True)
class Placement:
    """The proposed stock at one stocking point; ``current_*`` are its parameters when the
    optimum was computed (``None``: not set), for the before → after view."""

    item_site_id: int
    owner_member_id: int
    inbound_service_time: float
    outbound_service_time: float
    net_lead_time: float
    safety_stock: float
    base_stock_level: float
    holding_cost_per_unit_year: float
    current_safety_stock: float | None = None
    current_order_up_to: float | None = None
    id: int = 0
    proposal_id: int = 0

    @property
    def holding_cost_per_year(self) -> float:
        return self.safety_stock * self.holding_cost_per_unit_year

    @property
    def changes_stock(self) -> bool:
        return (self.current_safety_stock, self.current_order_up_to) != (
            self.safety_stock,
            self.base_stock_level,
        )


@dataclass(frozen=True)
class MemberShare:
    """One member's cost under (a) and (c), and its transfer (+ receives, − pays)."""

    member_id: int
    standalone_cost: float  # under (a)
    coordinated_cost: float  # under (c), before the transfer
    transfer: float
    shapley_value: float | None = None  # the member's Shapley cost share, where computed
    id: int = 0
    proposal_id: int = 0

    @property
    def cost_after_transfer(self) -> float:
        return self.coordinated_cost - self.transfer

    @property
    def gain(self) -> float:
        """What the member saves against (a) once the transfer is paid (≥ 0 when valid)."""
        return self.standalone_cost - self.cost_after_transfer


@dataclass(frozen=True)
class ProposalDraft:
    """A complete, already computed optimum, ready to be put to the vote."""

    network_id: int
    title: str
    service_level: float
    method: str  # the optimiser that found it (e.g. "tree_dp", "mip")
    optimal: bool
    gap: float  # relative optimality gap; 0 when proven optimal
    totals: PolicyTotals
    placements: tuple[Placement, ...]
    shares: tuple[MemberShare, ...]
    transfer_rule: TransferRule


@dataclass(frozen=True)
class Proposal:
    id: int
    network_id: int
    title: str
    service_level: float
    method: str
    optimal: bool
    gap: float
    cost_buffer_everywhere: float
    cost_push_to_customer: float
    cost_optimal: float
    transfer_rule: TransferRule
    status: ProposalStatus
    version: int
    created_by_member_id: int
    created_at: datetime
    created_by_user_id: int | None = None
    decided_at: datetime | None = None

    @property
    def totals(self) -> PolicyTotals:
        return PolicyTotals(
            self.cost_buffer_everywhere, self.cost_push_to_customer, self.cost_optimal
        )


@dataclass(frozen=True)
class Vote:
    id: int
    proposal_id: int
    member_id: int
    choice: VoteChoice
    at: datetime
    comment: str = ""
    user_id: int | None = None


@dataclass(frozen=True)
class ProposalEvent:
    """One step of a proposal's history: who, when, what (``version`` counts the steps)."""

    id: int
    proposal_id: int
    version: int
    kind: ProposalEventKind
    at: datetime
    actor_member_id: int
    detail: dict[str, Any] = field(default_factory=dict)
    actor_user_id: int | None = None


# ---------------------------------------------------------------- rules


def tolerance(shares: Iterable[MemberShare]) -> float:
    """1e-6 of the network's stand-alone cost (at least 1e-6): rounding, never money."""
    return RELATIVE_TOLERANCE * max(1.0, sum(abs(s.standalone_cost) for s in shares))


def affected_members(
    placements: Iterable[Placement], shares: Iterable[MemberShare]
) -> frozenset[int]:
    """Who votes: the owners of stocking points whose safety stock or base stock changes, and
    the members whose cost changes (against (a), before or after the transfer)."""
    shares = tuple(shares)
    tol = tolerance(shares)
    owners = {p.owner_member_id for p in placements if p.changes_stock}
    costs = {
        s.member_id
        for s in shares
        if abs(s.coordinated_cost - s.standalone_cost) > tol
        or abs(s.cost_after_transfer - s.standalone_cost) > tol
    }
    return frozenset(owners | costs)


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _non_negative(value: float | None, location: str, name: str) -> list[Violation]:
    if value is None or (_finite(value) and value >= 0):
        return []
    return [Violation(location, f"must be a finite number ≥ 0 (got {value!r})", name)]


def placement_violations(placements: Sequence[Placement]) -> list[Violation]:
    found: list[Violation] = []
    if not placements:
        found.append(Violation("proposal", "must place stock at one stocking point at least"))
    seen: set[int] = set()
    for p in placements:
        where = f"placement of stocking point {p.item_site_id}"
        if p.item_site_id in seen:
            found.append(Violation(where, "appears more than once", "item_site_id"))
        seen.add(p.item_site_id)
        for name in (
            "inbound_service_time",
            "outbound_service_time",
            "net_lead_time",
            "safety_stock",
            "base_stock_level",
            "holding_cost_per_unit_year",
            "current_safety_stock",
            "current_order_up_to",
        ):
            found += _non_negative(getattr(p, name), where, name)
        if p.base_stock_level < p.safety_stock:  # false for NaN, reported above
            found.append(Violation(where, "must not be below the safety stock", "base_stock_level"))
    return found


def share_violations(shares: Sequence[MemberShare], totals: PolicyTotals) -> list[Violation]:
    """Transfers balance, nobody ends worse off than under (a), shares add up to the totals."""
    found: list[Violation] = []
    if not shares:
        return [Violation("proposal", "must show every member its share", "shares")]
    seen: set[int] = set()
    for s in shares:
        where = f"share of member {s.member_id}"
        if s.member_id in seen:
            found.append(Violation(where, "appears more than once", "member_id"))
        seen.add(s.member_id)
        for name in ("standalone_cost", "coordinated_cost"):
            found += _non_negative(getattr(s, name), where, name)
        if not _finite(s.transfer):
            found.append(Violation(where, "must be a finite number", "transfer"))
        if s.shapley_value is not None and not _finite(s.shapley_value):
            found.append(Violation(where, "must be a finite number", "shapley_value"))
    if found:
        return found
    tol = tolerance(shares)
    for s in shares:
        if s.cost_after_transfer > s.standalone_cost + tol:
            found.append(
                Violation(
                    f"share of member {s.member_id}",
                    f"leaves the member worse off than buffering alone "
                    f"({s.cost_after_transfer:.6g} > {s.standalone_cost:.6g})",
                    "transfer",
                )
            )
    balance = sum(s.transfer for s in shares)
    if abs(balance) > tol:
        found.append(Violation("proposal", f"transfers sum to {balance:.6g}, not 0", "shares"))
    for name, total, part in (
        ("buffer_everywhere", totals.buffer_everywhere, sum(s.standalone_cost for s in shares)),
        ("optimal", totals.optimal, sum(s.coordinated_cost for s in shares)),
    ):
        if abs(total - part) > tol:
            found.append(
                Violation(
                    "totals", f"is {total:.6g} but the members' costs sum to {part:.6g}", name
                )
            )
    return found


def draft_violations(draft: ProposalDraft) -> list[Violation]:
    """Every reason the draft cannot be put to the vote, each naming its field."""
    found: list[Violation] = []
    if not draft.title.strip() or len(draft.title) > 200:
        found.append(Violation("proposal", "must have a title of 1 to 200 characters", "title"))
    if not draft.method.strip() or len(draft.method) > 64:
        found.append(Violation("proposal", "must name the optimiser (≤ 64 characters)", "method"))
    level = draft.service_level
    if not _finite(level) or not 0 < level < 1:
        found.append(Violation("proposal", "must lie strictly between 0 and 1", "service_level"))
    found += _non_negative(draft.gap, "proposal", "gap")
    for name in ("buffer_everywhere", "push_to_customer", "optimal"):
        found += _non_negative(getattr(draft.totals, name), "totals", name)
    found += placement_violations(draft.placements)
    found += share_violations(draft.shares, draft.totals)
    sharing = {s.member_id for s in draft.shares}
    for owner in sorted({p.owner_member_id for p in draft.placements} - sharing):
        found.append(Violation("proposal", f"member {owner} owns stock but has no share", "shares"))
    if not found and not affected_members(draft.placements, draft.shares):
        found.append(Violation("proposal", "changes no member's stock or cost", "placements"))
    return found


# ---------------------------------------------------------------- state machine


@dataclass(frozen=True)
class VoteDecision:
    """What a vote does: nothing (a repeat), or the proposal's status after it."""

    repeated: bool
    status: ProposalStatus


def require_open(proposal: Proposal) -> None:
    if proposal.status is not ProposalStatus.OPEN:
        raise ProposalNotOpen(f"proposal {proposal.id} is {proposal.status.value}, not open")


def decide_vote(
    proposal: Proposal,
    votes: Iterable[Vote],
    affected: frozenset[int],
    member_id: int,
    choice: VoteChoice,
) -> VoteDecision:
    """The outcome of ``member_id`` voting ``choice``: a repeat of the same vote is a no-op
    (even once the proposal is decided); any rejection rejects; the last approval adopts."""
    votes = tuple(votes)
    earlier = next((v for v in votes if v.member_id == member_id), None)
    if earlier is not None and earlier.choice is choice:
        return VoteDecision(True, proposal.status)
    require_open(proposal)
    if member_id not in affected:
        raise NotAffected(f"member {member_id} is not affected by proposal {proposal.id}")
    if earlier is not None:
        raise VoteConflict(
            f"member {member_id} already voted {earlier.choice.value} on proposal {proposal.id}"
        )
    if choice is VoteChoice.REJECT:
        return VoteDecision(False, ProposalStatus.REJECTED)
    approved = {v.member_id for v in votes if v.choice is VoteChoice.APPROVE} | {member_id}
    if affected <= approved:
        return VoteDecision(False, ProposalStatus.ADOPTED)
    return VoteDecision(False, ProposalStatus.OPEN)


def pending_members(affected: frozenset[int], votes: Iterable[Vote]) -> frozenset[int]:
    return affected - {v.member_id for v in votes}


def check_withdrawal(proposal: Proposal, member_id: int) -> None:
    require_open(proposal)
    if member_id != proposal.created_by_member_id:
        raise Forbidden(f"only the member that created proposal {proposal.id} may withdraw it")


def ensure_none_open(open_ids: Iterable[int], network_id: int) -> None:
    ids = sorted(open_ids)
    if ids:
        raise OpenProposalExists(
            f"network {network_id} already has an open proposal ({ids[0]}): "
            "adopt, reject or withdraw it first"
        )
