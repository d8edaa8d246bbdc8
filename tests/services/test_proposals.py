"""Network inventory proposals through the services (in-memory twins): creation, votes, the
fair-share figures every member sees, adoption writing the stocking points, visibility, history.

The worked example is in :mod:`tests.proposal_cases` (hand calculation in
``tests/unit/test_coordination.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from tests.proposal_cases import (
    REVIEW_DAYS,
    CoffeePoints,
    coffee_draft,
    coffee_points,
    set_before,
)
from tests.support import World

from tandem.domain.coordination import (
    NotAffected,
    OpenProposalExists,
    ProposalEventKind,
    ProposalNotOpen,
    ProposalStatus,
    VoteChoice,
    VoteConflict,
)
from tandem.domain.errors import Forbidden, NotFound, ValidationFailed
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import PlanningParameters
from tandem.domain.sharing import DataCategory
from tandem.services import proposals, sharing, stocking
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.proposals import HiddenPlacements, StockingPointMissing

ALL = PageRequest(0, 1000)
APPROVE, REJECT = VoteChoice.APPROVE, VoteChoice.REJECT


@pytest.fixture
def points(world: World) -> CoffeePoints:
    with world.ctx.uow() as uow:
        items = {i.sku: i.id for i in uow.items.find()}
        sites = {s.code: s.id for s in uow.sites.find()}
    set_before(world.ctx, {"ROAST": world.roaster, "CAFE": world.cafe}, items, sites)
    return coffee_points(world.ctx, world.network_id)


@pytest.fixture
def proposal_id(world: World, points: CoffeePoints) -> int:
    return proposals.create_proposal(world.ctx, world.roaster, coffee_draft(points)).id


def _parameters(world: World, item_site_id: int) -> PlanningParameters:
    with world.ctx.uow() as uow:
        point = uow.item_sites.get(item_site_id)
        assert point is not None
        return point.parameters


def _kinds(world: World, who: Principal, proposal_id: int) -> list[ProposalEventKind]:
    return [e.kind for e in proposals.proposal_events(world.ctx, who, proposal_id, ALL).items]


# ---------------------------------------------------------------- creation


def test_a_created_proposal_is_open_and_shows_every_member_its_share(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    for who in (world.roaster, world.cafe, world.beans):
        detail = proposals.get_proposal(world.ctx, who, proposal_id)
        assert (detail.proposal.status, detail.proposal.version) == (ProposalStatus.OPEN, 1)
        assert detail.proposal.totals.saving == 31
        shares = {s.member_id: s for s in detail.shares}
        assert [
            (shares[m].standalone_cost, shares[m].coordinated_cost, shares[m].transfer)
            for m in (points.roast, points.cafe, points.beans)
        ] == [(60, 120, 69.3), (140, 49, -69.3), (0, 0, 0)]
        assert shares[points.roast].cost_after_transfer == pytest.approx(50.7, abs=1e-12)
        assert shares[points.cafe].cost_after_transfer == pytest.approx(118.3, abs=1e-12)
        assert detail.affected == detail.pending == tuple(sorted((points.roast, points.cafe)))
    events = proposals.proposal_events(world.ctx, world.beans, proposal_id, ALL).items
    assert [(e.version, e.kind, e.actor_member_id) for e in events] == [
        (1, ProposalEventKind.CREATED, points.roast)
    ]
    assert events[0].detail["affected_member_ids"] == sorted((points.roast, points.cafe))


def test_a_second_open_proposal_of_the_network_is_refused(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    with pytest.raises(OpenProposalExists) as raised:
        proposals.create_proposal(world.ctx, world.cafe, coffee_draft(points, "again"))
    assert raised.value.code == "open_proposal_exists"
    assert proposals.list_proposals(world.ctx, world.cafe, ALL).total == 1


def test_placements_must_name_stocking_points_of_the_network_and_their_owners(
    world: World, points: CoffeePoints
) -> None:
    base = coffee_draft(points)
    wrong_owner = replace(base.placements[0], owner_member_id=points.cafe)
    missing = replace(base.placements[1], item_site_id=999)
    draft = replace(base, placements=(wrong_owner, missing, base.placements[2]))
    with pytest.raises(ValidationFailed) as raised:
        proposals.create_proposal(world.ctx, world.roaster, draft)
    assert [(v.location, v.field) for v in raised.value.violations] == [
        (f"placement of stocking point {points.plant_blend}", "owner_member_id"),
        ("placement of stocking point 999", "item_site_id"),
    ]
    assert proposals.list_proposals(world.ctx, world.roaster, ALL).total == 0


def test_creating_needs_the_network_write_scope_and_ones_own_network(
    world: World, points: CoffeePoints
) -> None:
    reader = replace(world.roaster, scopes=frozenset({Scope.NETWORK_READ}))
    with pytest.raises(Forbidden):
        proposals.create_proposal(world.ctx, reader, coffee_draft(points))
    with pytest.raises(ValidationFailed) as raised:
        proposals.create_proposal(
            world.ctx, world.roaster, replace(coffee_draft(points), network_id=999)
        )
    assert [v.field for v in raised.value.violations] == ["network_id"]


# ---------------------------------------------------------------- adoption


def test_unanimous_approval_adopts_and_writes_the_stocking_points(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    first = proposals.vote(world.ctx, world.roaster, proposal_id, APPROVE, "fine by us")
    assert (first.proposal.status, first.pending) == (ProposalStatus.OPEN, (points.cafe,))
    assert _parameters(world, points.plant_blend).safety_stock == 25.0  # nothing written yet

    last = proposals.vote(world.ctx, world.cafe, proposal_id, APPROVE)

    assert (last.proposal.status, last.proposal.version, last.pending) == (
        ProposalStatus.ADOPTED,
        4,
        (),
    )
    assert last.proposal.decided_at == world.ctx.clock.now()
    expected = {
        points.plant_blend: PlanningParameters(0.95, REVIEW_DAYS, 50.0, 95.0, 95.0),
        points.cafe1_latte: PlanningParameters(0.95, REVIEW_DAYS, 40.0, 100.0, 100.0),
        points.cafe2_latte: PlanningParameters(0.95, REVIEW_DAYS, 30.0, 85.0, 85.0),
    }
    assert {i: _parameters(world, i) for i in expected} == expected
    seen_by_owner = stocking.get_item_site(world.ctx, world.cafe, points.cafe1_latte)
    assert seen_by_owner.parameters.safety_stock == 40.0
    events = proposals.proposal_events(world.ctx, world.roaster, proposal_id, ALL).items
    assert [(e.version, e.kind) for e in events] == [
        (1, ProposalEventKind.CREATED),
        (2, ProposalEventKind.VOTED),
        (3, ProposalEventKind.VOTED),
        (4, ProposalEventKind.ADOPTED),
    ]
    assert events[1].detail == {"choice": "approve", "comment": "fine by us"}
    adopted = events[3].detail
    assert adopted["status"] == ["open", "adopted"]
    assert adopted["parameters"] == [  # the roaster reads only its own stocking point
        {
            "item_site_id": points.plant_blend,
            "owner_member_id": points.roast,
            "before": {
                "target_service_level": 0.9,
                "safety_stock": 25.0,
                "order_up_to_level": 70.0,
                "reorder_point": 25.0,
            },
            "after": {
                "target_service_level": 0.95,
                "safety_stock": 50.0,
                "order_up_to_level": 95.0,
                "reorder_point": 95.0,
            },
        }
    ]
    assert adopted["written_elsewhere"] == {str(points.cafe): 2}


def test_one_rejection_rejects_and_writes_nothing(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    proposals.vote(world.ctx, world.roaster, proposal_id, APPROVE)
    rejected = proposals.vote(world.ctx, world.cafe, proposal_id, REJECT, "too little at CAFE-2")
    assert rejected.proposal.status is ProposalStatus.REJECTED
    assert _parameters(world, points.cafe2_latte).safety_stock == 80.0
    assert _kinds(world, world.cafe, proposal_id)[-2:] == [
        ProposalEventKind.VOTED,
        ProposalEventKind.REJECTED,
    ]
    with pytest.raises(ProposalNotOpen):
        proposals.withdraw(world.ctx, world.roaster, proposal_id)
    # the network may now put another proposal to the vote
    proposals.create_proposal(world.ctx, world.roaster, coffee_draft(points, "second try"))


def test_a_repeated_vote_is_a_no_op_and_a_changed_vote_a_conflict(
    world: World, proposal_id: int
) -> None:
    proposals.vote(world.ctx, world.roaster, proposal_id, APPROVE)
    again = proposals.vote(world.ctx, world.roaster, proposal_id, APPROVE, "other comment")
    assert (again.proposal.version, len(again.votes)) == (2, 1)
    assert again.votes[0].comment == ""
    with pytest.raises(VoteConflict):
        proposals.vote(world.ctx, world.roaster, proposal_id, REJECT)
    assert len(_kinds(world, world.roaster, proposal_id)) == 2


def test_the_last_approval_repeated_after_adoption_is_a_no_op(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    proposals.vote(world.ctx, world.roaster, proposal_id, APPROVE)
    proposals.vote(world.ctx, world.cafe, proposal_id, APPROVE)
    retry = proposals.vote(world.ctx, world.cafe, proposal_id, APPROVE)
    assert (retry.proposal.status, retry.proposal.version) == (ProposalStatus.ADOPTED, 4)
    assert _kinds(world, world.cafe, proposal_id).count(ProposalEventKind.ADOPTED) == 1


def test_a_member_the_proposal_does_not_affect_cannot_vote(world: World, proposal_id: int) -> None:
    with pytest.raises(NotAffected):
        proposals.vote(world.ctx, world.beans, proposal_id, APPROVE)


def test_adopting_supersedes_the_previously_adopted_proposal(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    for who in (world.roaster, world.cafe):
        proposals.vote(world.ctx, who, proposal_id, APPROVE)
    second = proposals.create_proposal(world.ctx, world.cafe, coffee_draft(points, "v2")).id
    # v2 is the same optimum again (its "before" figures are those v1 replaced): both vote
    for who in (world.cafe, world.roaster):
        proposals.vote(world.ctx, who, second, APPROVE)
    first = proposals.get_proposal(world.ctx, world.beans, proposal_id).proposal
    assert (first.status, first.version) == (ProposalStatus.SUPERSEDED, 5)
    assert _kinds(world, world.beans, proposal_id)[-1] is ProposalEventKind.SUPERSEDED
    listed = proposals.list_proposals(world.ctx, world.beans, ALL).items
    assert [(p.id, p.status) for p in listed] == [
        (second, ProposalStatus.ADOPTED),
        (proposal_id, ProposalStatus.SUPERSEDED),
    ]
    adopted = proposals.list_proposals(world.ctx, world.beans, ALL, ProposalStatus.ADOPTED)
    assert [p.id for p in adopted.items] == [second]


def test_a_deleted_stocking_point_blocks_adoption_and_nothing_is_half_written(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    proposals.vote(world.ctx, world.roaster, proposal_id, APPROVE)
    stocking.delete_item_site(world.ctx, world.cafe, points.cafe2_latte)
    with pytest.raises(StockingPointMissing) as raised:
        proposals.vote(world.ctx, world.cafe, proposal_id, APPROVE)
    assert raised.value.code == "stocking_point_missing"
    detail = proposals.get_proposal(world.ctx, world.cafe, proposal_id)
    assert (detail.proposal.status, detail.proposal.version, len(detail.votes)) == (
        ProposalStatus.OPEN,
        2,
        1,
    )
    assert _parameters(world, points.plant_blend).safety_stock == 25.0


# ---------------------------------------------------------------- withdraw


def test_only_the_creator_withdraws_and_a_repeat_is_a_no_op(world: World, proposal_id: int) -> None:
    with pytest.raises(Forbidden):
        proposals.withdraw(world.ctx, world.cafe, proposal_id)
    withdrawn = proposals.withdraw(world.ctx, world.roaster, proposal_id)
    assert (withdrawn.proposal.status, withdrawn.proposal.version) == (
        ProposalStatus.WITHDRAWN,
        2,
    )
    again = proposals.withdraw(world.ctx, world.roaster, proposal_id)
    assert again.proposal.version == 2
    with pytest.raises(ProposalNotOpen) as raised:
        proposals.vote(world.ctx, world.cafe, proposal_id, APPROVE)
    assert raised.value.code == "proposal_not_open"


# ---------------------------------------------------------------- the state machine, by table

R, C = "roaster", "cafe"
STEPS: dict[str, Callable[[ServiceContext, Principal, int], object]] = {
    "approve": lambda ctx, who, pid: proposals.vote(ctx, who, pid, APPROVE),
    "reject": lambda ctx, who, pid: proposals.vote(ctx, who, pid, REJECT),
    "withdraw": proposals.withdraw,
}


@pytest.mark.parametrize(
    ("steps", "status", "kinds", "refused"),
    [
        ([(R, "approve")], "open", "CV", ""),
        ([(R, "approve"), (C, "approve")], "adopted", "CVVA", ""),
        ([(C, "approve"), (R, "approve")], "adopted", "CVVA", ""),
        ([(C, "reject"), (R, "approve")], "rejected", "CVR", "proposal_not_open"),
        ([(R, "approve"), (R, "reject")], "open", "CV", "vote_conflict"),
        ([(R, "approve"), (R, "approve"), (C, "reject")], "rejected", "CVVR", ""),
        ([(C, "withdraw")], "open", "C", "forbidden"),
        ([(R, "withdraw"), (C, "approve")], "withdrawn", "CW", "proposal_not_open"),
        ([(R, "approve"), (C, "approve"), (R, "withdraw")], "adopted", "CVVA", "proposal_not_open"),
    ],
)
def test_the_lifecycle_table(
    world: World,
    proposal_id: int,
    steps: list[tuple[str, str]],
    status: str,
    kinds: str,
    refused: str,
) -> None:
    members = {R: world.roaster, C: world.cafe}
    codes = []
    for who, step in steps:
        try:
            STEPS[step](world.ctx, members[who], proposal_id)
        except (ProposalNotOpen, VoteConflict, Forbidden) as error:
            codes.append(error.code)
    assert codes == ([refused] if refused else [])
    detail = proposals.get_proposal(world.ctx, world.beans, proposal_id)
    assert detail.proposal.status.value == status
    letters = "".join(k.value[0].upper() for k in _kinds(world, world.beans, proposal_id))
    assert letters == kinds
    assert detail.proposal.version == len(kinds)


# ---------------------------------------------------------------- visibility


def test_partners_placements_are_aggregated_without_a_grant(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    beans = proposals.get_proposal(world.ctx, world.beans, proposal_id)
    assert beans.placements == ()
    # roaster: 50 × 2.40 = 120; café chain: 40 × 0.70 + 30 × 0.70 = 49
    assert beans.hidden == (
        HiddenPlacements(points.roast, 1, 1, 120.0),
        HiddenPlacements(points.cafe, 2, 2, pytest.approx(49.0)),
    )
    cafe = proposals.get_proposal(world.ctx, world.cafe, proposal_id)
    assert [(v.placement.item_site_id, v.placement.safety_stock) for v in cafe.placements] == [
        (points.cafe1_latte, 40.0),
        (points.cafe2_latte, 30.0),
    ]
    assert [h.owner_member_id for h in cafe.hidden] == [points.roast]
    assert sharing.read_audit_log(world.ctx, world.roaster, ALL).total == 0


def test_a_planning_parameters_grant_reveals_the_owners_placements_and_is_audited(
    world: World, points: CoffeePoints, proposal_id: int
) -> None:
    grant = sharing.grant_access(
        world.ctx,
        world.roaster,
        sharing.GrantAccess(world.cafe.member_id, DataCategory.PLANNING_PARAMETERS),
    )
    cafe = proposals.get_proposal(world.ctx, world.cafe, proposal_id)
    assert [v.placement.item_site_id for v in cafe.placements] == [
        points.plant_blend,
        points.cafe1_latte,
        points.cafe2_latte,
    ]
    assert cafe.hidden == ()
    log = sharing.read_audit_log(world.ctx, world.roaster, ALL).items
    assert [(e.grant_id, e.reader_member_id, e.rows, e.resource) for e in log] == [
        (grant.id, points.cafe, 1, f"inventory-proposal {proposal_id}")
    ]
    # a grant of another category reveals nothing
    beans_grant = sharing.GrantAccess(world.beans.member_id, DataCategory.DEMAND_HISTORY)
    sharing.grant_access(world.ctx, world.roaster, beans_grant)
    assert proposals.get_proposal(world.ctx, world.beans, proposal_id).placements == ()


def test_another_network_sees_nothing(world: World, proposal_id: int) -> None:
    stranger = replace(world.cafe, member_id=999, network_id=999)
    with pytest.raises(NotFound):
        proposals.get_proposal(world.ctx, stranger, proposal_id)
    with pytest.raises(NotFound):
        proposals.vote(world.ctx, stranger, proposal_id, APPROVE)
    assert proposals.list_proposals(world.ctx, stranger, ALL).total == 0
