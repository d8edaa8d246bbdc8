"""Round-trip cases of the coordination repositories (inventory proposals, their placements,
member shares, votes and history), run by ``test_repositories``: three entities each, with edge
values (``None``, non-UTC datetimes, negative transfers, nested JSON detail)."""

from __future__ import annotations

from dataclasses import replace

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.coordination import (
    MemberShare,
    Placement,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
    TransferRule,
    Vote,
    VoteChoice,
)
from tandem.domain.network import ItemSite
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed

OPEN, ADOPTED = ProposalStatus.OPEN, ProposalStatus.ADOPTED


def _header(seed: Seed, network_id: int, status: ProposalStatus, title: str) -> Proposal:
    return Proposal(
        0, network_id, title, 0.95, "tree_dp", True, 0.0, 200.0, 190.0, 169.0,
        TransferRule.PROPORTIONAL, status, 1, seed.members[0].id, NOW,
    )  # fmt: skip


def _proposal(uow: SqlUnitOfWork, seed: Seed) -> Proposal:
    return uow.inventory_proposals.add(_header(seed, seed.network.id, OPEN, "Parent"))


def _proposals(_uow: SqlUnitOfWork, seed: Seed) -> list[Proposal]:
    net, other = seed.network.id, seed.other_network.id
    return [
        _header(seed, net, OPEN, "Coffee at 95 %"),
        replace(
            _header(seed, net, ADOPTED, "Coffee at 97.5 % ☕"),
            service_level=0.975, optimal=False, gap=0.0125, transfer_rule=TransferRule.SHAPLEY,
            version=4, created_at=NOW.astimezone(CEST), created_by_user_id=None,
            decided_at=NOW.astimezone(CEST),
        ),
        _header(seed, other, OPEN, "Tea"),
    ]  # fmt: skip


def _points(uow: SqlUnitOfWork, seed: Seed) -> list[ItemSite]:
    return [
        uow.item_sites.add(ItemSite(0, member.id, item.id, site.id))
        for member, item, site in zip(seed.members, seed.items, seed.sites, strict=True)
    ]


def _placements(uow: SqlUnitOfWork, seed: Seed) -> list[Placement]:
    pid = _proposal(uow, seed).id
    (a, b, c), (roast, cafe, _) = _points(uow, seed), seed.members
    return [
        Placement(a.id, roast.id, 2.0, 0.0, 3.0, 50.0, 95.0, 2.4, 25.0, 70.0, proposal_id=pid),
        Placement(b.id, cafe.id, 0.0, 1.0, 0.0, 0.0, 0.0, 0.7, None, None, proposal_id=pid),
        Placement(c.id, cafe.id, 0.5, 0.0, 1.5, 30.25, 85.5, 0.0, 80.0, None, proposal_id=pid),
    ]


def _shares(uow: SqlUnitOfWork, seed: Seed) -> list[MemberShare]:
    parent = _proposal(uow, seed)
    roast, cafe, beans = seed.members
    return [
        MemberShare(roast.id, 60.0, 120.0, 69.3, None, proposal_id=parent.id),
        MemberShare(cafe.id, 140.0, 49.0, -69.3, 124.5, proposal_id=parent.id),
        MemberShare(beans.id, 0.0, 0.0, 0.0, 0.0, proposal_id=parent.id),
    ]


def _votes(uow: SqlUnitOfWork, seed: Seed) -> list[Vote]:
    parent = _proposal(uow, seed)
    roast, cafe, beans = seed.members
    return [
        Vote(0, parent.id, roast.id, VoteChoice.APPROVE, NOW),
        Vote(0, parent.id, cafe.id, VoteChoice.REJECT, NOW.astimezone(CEST), "ü" * 2000),
        Vote(0, parent.id, beans.id, VoteChoice.APPROVE, NOW, "fine", None),
    ]


def _events(uow: SqlUnitOfWork, seed: Seed) -> list[ProposalEvent]:
    parent = _proposal(uow, seed)
    roast, cafe, _ = seed.members
    written = {"parameters": [{"item_site_id": 1, "before": {"safety_stock": None},
                               "after": {"safety_stock": 50.0}}], "superseded": []}  # fmt: skip
    return [
        ProposalEvent(0, parent.id, 1, ProposalEventKind.CREATED, NOW, roast.id, {"n": 3}),
        ProposalEvent(0, parent.id, 2, ProposalEventKind.VOTED, NOW.astimezone(CEST), cafe.id,
                      {"choice": "approve", "comment": ""}),
        ProposalEvent(0, parent.id, 3, ProposalEventKind.ADOPTED, NOW, cafe.id, written),
    ]  # fmt: skip


COORDINATION_CASES = [
    Case(
        "inventory_proposals",
        _proposals,
        lambda e, _s: replace(e, status=ProposalStatus.WITHDRAWN, version=2, decided_at=NOW),
        (("network_id",), ("network_id", "status"), ("decided_at",), ("transfer_rule",)),
    ),
    Case(
        "proposal_placements",
        _placements,
        lambda e, _s: replace(e, safety_stock=51.5, current_order_up_to=None),
        (("proposal_id",), ("owner_member_id",), ("current_order_up_to",)),
    ),
    Case(
        "proposal_shares",
        _shares,
        lambda e, _s: replace(e, transfer=70.0, shapley_value=44.5),
        (("proposal_id",), ("member_id",), ("shapley_value",)),
    ),
    Case(
        "proposal_votes",
        _votes,
        lambda e, _s: replace(e, comment="changed", at=NOW.astimezone(CEST)),
        (("proposal_id",), ("choice",), ("proposal_id", "member_id"), ("at",)),
    ),
    Case(
        "proposal_events",
        _events,
        lambda e, _s: replace(e, detail={"changed": [1, 2]}),
        (("proposal_id",), ("kind",), ("proposal_id", "version"), ("at",)),
    ),
]
