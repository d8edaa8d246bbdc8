"""The last two approvals of a network inventory proposal arriving at the same time, on
PostgreSQL (never skipped: the ``postgres_url`` fixture fails without a server).

The race is made deterministic: during it, every read of a proposal waits a moment after it
returns. Voters that read the proposal without locking would always overlap: each would see only
its own approval, neither would adopt (or both would write version 2 of the history). With the
row lock of ``get_for_update`` the second voter waits for the first one's commit, sees its
approval, and adopts: exactly once.
"""

from __future__ import annotations

from typing import Self

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.coordination import ProposalEventKind, ProposalStatus, VoteChoice
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.services import proposals, transfer
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.proposals import ProposalDetail
from tests.integration.race_support import SlowReads, race
from tests.proposal_cases import coffee_draft, coffee_points, set_before
from tests.support import small_snapshot

pytestmark = pytest.mark.postgres


class _SlowUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> Self:
        super().__enter__()
        self.inventory_proposals = SlowReads(self.inventory_proposals)
        return self


def test_the_last_two_approvals_at_once_adopt_exactly_once(migrated_engine: Engine) -> None:
    def plain() -> UnitOfWork:
        return SqlUnitOfWork(migrated_engine)  # type: ignore[return-value]

    def slow() -> UnitOfWork:
        return _SlowUnitOfWork(migrated_engine)  # type: ignore[return-value]

    clock, hasher = FixedClock(), PlainPasswordHasher()
    ctx, racing = ServiceContext(plain, clock, hasher), ServiceContext(slow, clock, hasher)
    network_id = transfer.import_snapshot(ctx, small_snapshot()).network_id
    with ctx.uow() as uow:
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
    roaster = Principal(members["ROAST"], network_id, "roaster", ALL_SCOPES)
    cafe = Principal(members["CAFE"], network_id, "cafe", ALL_SCOPES)
    set_before(ctx, {"ROAST": roaster, "CAFE": cafe}, items, sites)
    points = coffee_points(ctx, network_id)
    proposal_id = proposals.create_proposal(ctx, roaster, coffee_draft(points)).id

    outcomes = race(
        lambda: proposals.vote(racing, roaster, proposal_id, VoteChoice.APPROVE),
        lambda: proposals.vote(racing, cafe, proposal_id, VoteChoice.APPROVE),
    )

    assert [type(o) for o in outcomes] == [ProposalDetail, ProposalDetail], outcomes
    statuses = sorted(o.proposal.status.value for o in outcomes)
    assert statuses == ["adopted", "open"]
    events = proposals.proposal_events(ctx, roaster, proposal_id, PageRequest()).items
    assert [(e.version, e.kind) for e in events] == [
        (1, ProposalEventKind.CREATED),
        (2, ProposalEventKind.VOTED),
        (3, ProposalEventKind.VOTED),
        (4, ProposalEventKind.ADOPTED),
    ]
    detail = proposals.get_proposal(ctx, cafe, proposal_id)
    assert (detail.proposal.status, detail.proposal.version) == (ProposalStatus.ADOPTED, 4)
    with ctx.uow() as uow:
        written = {
            p.id: (p.parameters.safety_stock, p.parameters.order_up_to_level)
            for p in uow.item_sites.find()
        }
        assert uow.proposal_votes.count(proposal_id=proposal_id) == 2
        adopted = uow.proposal_events.find(proposal_id=proposal_id, kind=ProposalEventKind.ADOPTED)
    assert written == {
        points.plant_blend: (50.0, 95.0),
        points.cafe1_latte: (40.0, 100.0),
        points.cafe2_latte: (30.0, 85.0),
    }
    assert len(adopted) == 1
    assert [w["item_site_id"] for w in adopted[0].detail["parameters"]] == sorted(written)
