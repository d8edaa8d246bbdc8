"""The rules of network inventory proposals: draft checks, who is affected, the vote machine.

The worked example (two members, three stocking points) is the one the service tests use:

* roaster, house blend at the plant, h = 2.40 €/kg/yr: safety stock 25 under (a), 50 under (c);
  cost (a) = 25 × 2.40 = 60, cost (c) = 50 × 2.40 = 120 — coordination raises its cost;
* café chain, latte at two cafés, h = 0.70 €/cup/yr: 120 + 80 under (a), 40 + 30 under (c);
  cost (a) = 200 × 0.70 = 140, cost (c) = 70 × 0.70 = 49.
* network: (a) 200, (c) 169, saving 31. In proportion to stand-alone cost the roaster keeps
  31 × 60/200 = 9.30 and ends at 60 − 9.30 = 50.70, so it receives 120 − 50.70 = 69.30; the café
  chain keeps 21.70, ends at 118.30 and pays 49 − 118.30 = −69.30. The transfers sum to 0.
* Shapley (two players, v(R) = 60, v(C) = 140, v(RC) = 169): φ_R = ½(60 + 169 − 140) = 44.5,
  φ_C = ½(140 + 169 − 60) = 124.5; transfers 120 − 44.5 = 75.5 and 49 − 124.5 = −75.5.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.domain.coordination import (
    MemberShare,
    NotAffected,
    OpenProposalExists,
    Placement,
    PolicyTotals,
    Proposal,
    ProposalDraft,
    ProposalNotOpen,
    ProposalStatus,
    TransferRule,
    Vote,
    VoteChoice,
    VoteConflict,
    affected_members,
    check_withdrawal,
    decide_vote,
    draft_violations,
    ensure_none_open,
    pending_members,
)
from tandem.domain.errors import Forbidden, Violation

ROAST, CAFE, BEANS = 1, 2, 3
AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

PLANT = Placement(10, ROAST, 2, 0, 3, 50, 95, 2.4, 25, 70)
CAFE_1 = Placement(11, CAFE, 0, 0, 1, 40, 100, 0.7, 120, 200)
CAFE_2 = Placement(12, CAFE, 0, 0, 1, 30, 85, 0.7, 80, 150)
PROPORTIONAL = (MemberShare(ROAST, 60, 120, 69.3), MemberShare(CAFE, 140, 49, -69.3))


def draft(**changes: object) -> ProposalDraft:
    base = ProposalDraft(
        7,
        "Coffee network at 95 %",
        0.95,
        "tree_dp",
        True,
        0.0,
        PolicyTotals(200, 190, 169),
        (PLANT, CAFE_1, CAFE_2),
        PROPORTIONAL,
        TransferRule.PROPORTIONAL,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def fields(found: list[Violation]) -> list[tuple[str, str | None]]:
    return [(v.location, v.field) for v in found]


# ---------------------------------------------------------------- shares and drafts


def test_worked_example_costs_after_transfer_and_gains() -> None:
    roaster, cafe = PROPORTIONAL
    assert roaster.cost_after_transfer == pytest.approx(50.7, abs=1e-12)
    assert cafe.cost_after_transfer == pytest.approx(118.3, abs=1e-12)
    assert (roaster.gain, cafe.gain) == (pytest.approx(9.3), pytest.approx(21.7))
    assert PolicyTotals(200, 190, 169).saving == 31
    assert PLANT.holding_cost_per_year == 120.0


def test_the_worked_example_is_a_valid_draft_under_both_rules() -> None:
    assert draft_violations(draft()) == []
    shapley = (
        MemberShare(ROAST, 60, 120, 75.5, 44.5),
        MemberShare(CAFE, 140, 49, -75.5, 124.5),
    )
    assert draft_violations(draft(shares=shapley, transfer_rule=TransferRule.SHAPLEY)) == []
    assert [s.cost_after_transfer for s in shapley] == [44.5, 124.5]


def test_transfers_that_do_not_balance_are_refused() -> None:
    # the café pays 69.29: 0.01 is missing, far above 1e-6 × 200
    shares = (MemberShare(ROAST, 60, 120, 69.3), MemberShare(CAFE, 140, 49, -69.29))
    found = draft_violations(draft(shares=shares))
    assert fields(found) == [("proposal", "shares")]
    assert "transfers sum to 0.01" in found[0].message


def test_a_rounding_imbalance_within_the_tolerance_is_accepted() -> None:
    # 1e-6 × 200 = 2e-4: an imbalance of 1e-4 passes
    shares = (MemberShare(ROAST, 60, 120, 69.3), MemberShare(CAFE, 140, 49, -69.3 + 1e-4))
    assert draft_violations(draft(shares=shares)) == []


def test_a_member_left_worse_off_than_buffering_alone_is_named() -> None:
    # the roaster receives only 50: it ends at 70 > 60; the café pays 50 and ends at 99
    shares = (MemberShare(ROAST, 60, 120, 50), MemberShare(CAFE, 140, 49, -50))
    found = draft_violations(draft(shares=shares))
    assert fields(found) == [(f"share of member {ROAST}", "transfer")]
    assert "(70 > 60)" in found[0].message


def test_member_costs_must_add_up_to_the_totals() -> None:
    found = draft_violations(draft(totals=PolicyTotals(210, 190, 170)))
    assert fields(found) == [("totals", "buffer_everywhere"), ("totals", "optimal")]


def test_placement_rules_name_each_field() -> None:
    bad = replace(CAFE_1, safety_stock=-1.0)
    below = replace(CAFE_2, base_stock_level=20.0)  # below its safety stock of 30
    found = draft_violations(draft(placements=(PLANT, bad, below, PLANT)))
    assert fields(found) == [
        ("placement of stocking point 11", "safety_stock"),
        ("placement of stocking point 12", "base_stock_level"),
        ("placement of stocking point 10", "item_site_id"),
    ]


def test_header_rules() -> None:
    found = draft_violations(draft(title=" ", method="", service_level=1.0, gap=float("nan")))
    assert fields(found) == [
        ("proposal", "title"),
        ("proposal", "method"),
        ("proposal", "service_level"),
        ("proposal", "gap"),
    ]


def test_an_owner_of_placed_stock_needs_a_share() -> None:
    shares = (MemberShare(ROAST, 60, 120, 0.0),)
    found = draft_violations(
        draft(placements=(PLANT,), shares=shares, totals=PolicyTotals(60, 60, 120))
    )
    # the roaster alone, without a transfer, would end at 120 > 60
    assert fields(found) == [(f"share of member {ROAST}", "transfer")]
    found = draft_violations(draft(shares=PROPORTIONAL[:1], totals=PolicyTotals(60, 60, 120)))
    assert ("proposal", "shares") in fields(found)
    assert any("member 2 owns stock but has no share" in v.message for v in found)


def test_a_draft_that_changes_nothing_is_refused() -> None:
    same = replace(PLANT, current_safety_stock=50.0, current_order_up_to=95.0)
    shares = (MemberShare(ROAST, 120, 120, 0.0),)
    found = draft_violations(
        draft(placements=(same,), shares=shares, totals=PolicyTotals(120, 120, 120))
    )
    assert fields(found) == [("proposal", "placements")]


# ---------------------------------------------------------------- affected members


def test_affected_are_owners_of_changed_stock_and_members_whose_cost_changes() -> None:
    unchanged = replace(CAFE_1, current_safety_stock=40.0, current_order_up_to=100.0)
    beans = MemberShare(BEANS, 10, 10, 0.0)
    assert affected_members((PLANT, CAFE_1, CAFE_2), (*PROPORTIONAL, beans)) == {ROAST, CAFE}
    # the café's stock does not change, but its cost does (140 → 49 before the transfer)
    assert affected_members((PLANT, unchanged), PROPORTIONAL) == {ROAST, CAFE}
    # the café's stock and cost stay: only the roaster votes
    flat = (MemberShare(ROAST, 60, 120, 0.0), MemberShare(CAFE, 28, 28, 0.0))
    assert affected_members((PLANT, unchanged), flat) == {ROAST}
    # a stocking point never set (None) counts as changed
    fresh = replace(CAFE_1, current_safety_stock=None, current_order_up_to=None)
    assert affected_members((fresh,), (MemberShare(CAFE, 28, 28, 0.0),)) == {CAFE}


def test_a_transfer_alone_makes_a_member_affected() -> None:
    shares = (MemberShare(ROAST, 60, 60, 5.0), MemberShare(BEANS, 10, 10, -5.0))
    unchanged = replace(PLANT, current_safety_stock=50.0, current_order_up_to=95.0)
    assert affected_members((unchanged,), shares) == {ROAST, BEANS}


# ---------------------------------------------------------------- the vote machine


def proposal(status: ProposalStatus = ProposalStatus.OPEN) -> Proposal:
    return Proposal(
        5, 7, "t", 0.95, "tree_dp", True, 0.0, 200, 190, 169, TransferRule.PROPORTIONAL,
        status, 1, ROAST, AT,
    )  # fmt: skip


def ballot(member: int, choice: VoteChoice) -> Vote:
    return Vote(0, 5, member, choice, AT)


APPROVE, REJECT = VoteChoice.APPROVE, VoteChoice.REJECT
BOTH = frozenset({ROAST, CAFE})


@pytest.mark.parametrize(
    ("earlier", "member", "choice", "repeated", "status"),
    [
        ((), ROAST, APPROVE, False, ProposalStatus.OPEN),
        ((), ROAST, REJECT, False, ProposalStatus.REJECTED),
        (((CAFE, APPROVE),), ROAST, APPROVE, False, ProposalStatus.ADOPTED),
        (((CAFE, APPROVE),), ROAST, REJECT, False, ProposalStatus.REJECTED),
        (((ROAST, APPROVE),), ROAST, APPROVE, True, ProposalStatus.OPEN),
    ],
)
def test_vote_outcomes(
    earlier: tuple[tuple[int, VoteChoice], ...],
    member: int,
    choice: VoteChoice,
    repeated: bool,
    status: ProposalStatus,
) -> None:
    votes = [ballot(m, c) for m, c in earlier]
    decision = decide_vote(proposal(), votes, BOTH, member, choice)
    assert (decision.repeated, decision.status) == (repeated, status)


def test_a_different_second_vote_is_a_conflict_with_a_stable_code() -> None:
    with pytest.raises(VoteConflict) as raised:
        decide_vote(proposal(), [ballot(ROAST, APPROVE)], BOTH, ROAST, REJECT)
    assert raised.value.code == "vote_conflict"


def test_only_open_proposals_take_votes_but_a_repeat_stays_a_no_op() -> None:
    adopted = proposal(ProposalStatus.ADOPTED)
    votes = [ballot(ROAST, APPROVE), ballot(CAFE, APPROVE)]
    assert decide_vote(adopted, votes, BOTH, CAFE, APPROVE).repeated
    with pytest.raises(ProposalNotOpen) as raised:
        decide_vote(adopted, votes, BOTH, CAFE, REJECT)
    assert raised.value.code == "proposal_not_open"
    for status in (ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN, ProposalStatus.SUPERSEDED):
        with pytest.raises(ProposalNotOpen):
            decide_vote(proposal(status), [], BOTH, ROAST, APPROVE)


def test_a_member_the_proposal_does_not_affect_cannot_vote() -> None:
    with pytest.raises(NotAffected) as raised:
        decide_vote(proposal(), [], BOTH, BEANS, APPROVE)
    assert (raised.value.code, isinstance(raised.value, Forbidden)) == ("member_not_affected", True)


def test_pending_members() -> None:
    assert pending_members(BOTH, [ballot(CAFE, APPROVE)]) == {ROAST}


def test_only_the_creator_withdraws_and_only_while_open() -> None:
    check_withdrawal(proposal(), ROAST)
    with pytest.raises(Forbidden):
        check_withdrawal(proposal(), CAFE)
    with pytest.raises(ProposalNotOpen):
        check_withdrawal(proposal(ProposalStatus.ADOPTED), ROAST)


def test_one_open_proposal_per_network() -> None:
    ensure_none_open([], 7)
    with pytest.raises(OpenProposalExists) as raised:
        ensure_none_open([9, 4], 7)
    assert raised.value.code == "open_proposal_exists"
    assert "open proposal (4)" in raised.value.detail


def _reference(affected: frozenset[int], sequence: list[tuple[int, VoteChoice]]) -> str:
    """Naive reference over the whole sequence: take each affected member's first vote; the
    proposal closes at the first reject or at the first moment every affected member has
    approved, whichever comes first."""
    first: list[tuple[int, VoteChoice]] = []
    for member, choice in sequence:
        if member in affected and member not in {m for m, _ in first}:
            first.append((member, choice))
    for n in range(1, len(first) + 1):
        prefix = first[:n]
        if prefix[-1][1] is REJECT:
            return "rejected"
        if {m for m, c in prefix if c is APPROVE} >= affected:
            return "adopted"
    return "open"


@given(
    st.integers(1, 4),
    st.lists(st.tuples(st.integers(1, 5), st.sampled_from(list(VoteChoice))), max_size=12),
)
def test_the_vote_machine_matches_a_naive_reference(
    size: int, sequence: list[tuple[int, VoteChoice]]
) -> None:
    affected = frozenset(range(1, size + 1))
    current, votes = proposal(), []
    for member, choice in sequence:
        earlier = {v.member_id: v.choice for v in votes}
        refused = earlier.get(member) is not choice and (
            current.status is not ProposalStatus.OPEN or member not in affected or member in earlier
        )
        if refused:  # refusals exactly where a rule forbids the vote
            with pytest.raises((ProposalNotOpen, NotAffected, VoteConflict)):
                decide_vote(current, votes, affected, member, choice)
            continue
        decision = decide_vote(current, votes, affected, member, choice)
        if not decision.repeated:
            votes.append(ballot(member, choice))
            current = replace(current, status=decision.status)
    assert current.status.value == _reference(affected, sequence)
    assert len({v.member_id for v in votes}) == len(votes)  # one vote per member
