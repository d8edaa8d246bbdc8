"""Consent-scoped sharing through the services: grant, read, audit, revoke, expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.support import World

from tandem.adapters.memory import FixedClock
from tandem.domain.errors import Forbidden, NotFound, ValidationFailed
from tandem.domain.sharing import DataCategory
from tandem.services import demand, sharing
from tandem.services.context import PageRequest
from tandem.services.demand import DemandObservation

ALL = PageRequest(0, 1000)


def _site(world: World, code: str) -> int:
    with world.ctx.uow() as uow:
        return uow.sites.find(code=code)[0].id


def _item(world: World, sku: str) -> int:
    with world.ctx.uow() as uow:
        return uow.items.find(sku=sku)[0].id


@pytest.fixture
def cafe_demand(world: World) -> World:
    latte = _item(world, "LATTE")
    rows = [
        DemandObservation(_site(world, code), latte, day, q)
        for code, q in (("CAFE-1", 40.0), ("CAFE-2", 25.0))
        for day in (world.ctx.clock.now().date() - timedelta(days=d) for d in (1, 2, 3))
    ]
    assert demand.record_demand(world.ctx, world.cafe, rows) == demand.DemandUploadResult(6, 0)
    return world


def test_partner_sees_no_demand_without_a_grant(cafe_demand: World) -> None:
    w = cafe_demand
    assert demand.read_demand(w.ctx, w.roaster, ALL).total == 0
    assert demand.read_demand(w.ctx, w.cafe, ALL).total == 6


def test_grant_reveals_demand_and_every_read_is_audited(cafe_demand: World) -> None:
    w = cafe_demand
    g = sharing.grant_access(
        w.ctx, w.cafe, sharing.GrantAccess(w.roaster.member_id, DataCategory.DEMAND_HISTORY)
    )
    page = demand.read_demand(w.ctx, w.roaster, ALL)
    assert page.total == 6
    assert {p.quantity for p in page.items} == {40.0, 25.0}
    log = sharing.read_audit_log(w.ctx, w.cafe, ALL)
    assert log.total == 1
    entry = log.items[0]
    assert (entry.grant_id, entry.reader_member_id, entry.owner_member_id, entry.rows) == (
        g.id,
        w.roaster.member_id,
        w.cafe.member_id,
        6,
    )
    assert entry.reader == "roaster@example.com (ROAST)"
    assert entry.category is DataCategory.DEMAND_HISTORY
    # reading one's own data is not a partner read and leaves no audit entry
    demand.read_demand(w.ctx, w.cafe, ALL)
    assert sharing.read_audit_log(w.ctx, w.cafe, ALL).total == 1


def test_shared_demand_is_invisible_after_grant_is_revoked(cafe_demand: World) -> None:
    w = cafe_demand
    g = sharing.grant_access(
        w.ctx, w.cafe, sharing.GrantAccess(w.roaster.member_id, DataCategory.DEMAND_HISTORY)
    )
    revoked = sharing.revoke_grant(w.ctx, w.cafe, g.id)
    assert revoked.revoked_at == w.ctx.clock.now()
    assert demand.read_demand(w.ctx, w.roaster, ALL).total == 0
    again = sharing.revoke_grant(w.ctx, w.cafe, g.id)
    assert again.revoked_at == revoked.revoked_at


def test_shared_demand_is_invisible_after_expiry(cafe_demand: World, clock: FixedClock) -> None:
    w = cafe_demand
    expiry = clock.now() + timedelta(days=2)
    sharing.grant_access(
        w.ctx,
        w.cafe,
        sharing.GrantAccess(w.roaster.member_id, DataCategory.DEMAND_HISTORY, expires_at=expiry),
    )
    assert demand.read_demand(w.ctx, w.roaster, ALL).total == 6
    clock.advance(timedelta(days=2))
    assert demand.read_demand(w.ctx, w.roaster, ALL).total == 0


def test_grant_narrowed_to_one_site_shows_only_that_site(cafe_demand: World) -> None:
    w = cafe_demand
    one = _site(w, "CAFE-1")
    sharing.grant_access(
        w.ctx,
        w.cafe,
        sharing.GrantAccess(
            w.roaster.member_id, DataCategory.DEMAND_HISTORY, site_ids=frozenset({one})
        ),
    )
    page = demand.read_demand(w.ctx, w.roaster, ALL)
    assert page.total == 3
    assert {p.site_id for p in page.items} == {one}


def test_grant_of_another_category_reveals_nothing(cafe_demand: World) -> None:
    w = cafe_demand
    sharing.grant_access(
        w.ctx, w.cafe, sharing.GrantAccess(w.roaster.member_id, DataCategory.FORECASTS)
    )
    assert demand.read_demand(w.ctx, w.roaster, ALL).total == 0


def test_grant_to_a_third_member_does_not_leak_to_others(cafe_demand: World) -> None:
    w = cafe_demand
    sharing.grant_access(
        w.ctx, w.cafe, sharing.GrantAccess(w.beans.member_id, DataCategory.DEMAND_HISTORY)
    )
    assert demand.read_demand(w.ctx, w.beans, ALL).total == 6
    assert demand.read_demand(w.ctx, w.roaster, ALL).total == 0


def test_only_the_owner_reads_its_audit_log_and_revokes_its_grants(cafe_demand: World) -> None:
    w = cafe_demand
    g = sharing.grant_access(
        w.ctx, w.cafe, sharing.GrantAccess(w.roaster.member_id, DataCategory.DEMAND_HISTORY)
    )
    demand.read_demand(w.ctx, w.roaster, ALL)
    assert sharing.read_audit_log(w.ctx, w.roaster, ALL).total == 0
    with pytest.raises(NotFound):
        sharing.revoke_grant(w.ctx, w.roaster, g.id)
    assert sharing.get_grant(w.ctx, w.roaster, g.id) == g
    with pytest.raises(NotFound):
        sharing.get_grant(w.ctx, w.beans, g.id)


def test_grant_lists_by_direction(cafe_demand: World) -> None:
    w = cafe_demand
    g = sharing.grant_access(
        w.ctx, w.cafe, sharing.GrantAccess(w.roaster.member_id, DataCategory.ORDERS)
    )
    assert sharing.list_grants(w.ctx, w.cafe, "given", ALL).items == (g,)
    assert sharing.list_grants(w.ctx, w.roaster, "received", ALL).items == (g,)
    assert sharing.list_grants(w.ctx, w.roaster, "given", ALL).total == 0
    with pytest.raises(ValidationFailed):
        sharing.list_grants(w.ctx, w.roaster, "sideways", ALL)


def test_invalid_grants_are_refused_and_nothing_is_written(world: World, clock: FixedClock) -> None:
    w = world
    cases = [
        sharing.GrantAccess(w.cafe.member_id, DataCategory.ORDERS),  # to oneself
        sharing.GrantAccess(999, DataCategory.ORDERS),  # unknown member
        sharing.GrantAccess(w.roaster.member_id, DataCategory.ORDERS, expires_at=clock.now()),
        sharing.GrantAccess(w.roaster.member_id, DataCategory.ORDERS, site_ids=frozenset({1})),
        sharing.GrantAccess(w.roaster.member_id, DataCategory.ORDERS, item_ids=frozenset()),
    ]
    for command in cases:
        with pytest.raises(ValidationFailed):
            sharing.grant_access(w.ctx, w.cafe, command)
    assert sharing.list_grants(w.ctx, w.cafe, "given", ALL).total == 0


def test_api_key_without_sharing_scope_cannot_grant(world: World) -> None:
    from dataclasses import replace

    from tandem.domain.identity import Scope

    read_only = replace(world.cafe, scopes=frozenset({Scope.NETWORK_READ}))
    with pytest.raises(Forbidden):
        sharing.grant_access(
            world.ctx, read_only, sharing.GrantAccess(world.roaster.member_id, DataCategory.ORDERS)
        )


def test_audit_log_lists_the_newest_read_first(cafe_demand: World) -> None:
    w = cafe_demand
    sharing.grant_access(
        w.ctx, w.cafe, sharing.GrantAccess(w.roaster.member_id, DataCategory.DEMAND_HISTORY)
    )
    demand.read_demand(w.ctx, w.roaster, ALL)
    demand.read_demand(w.ctx, w.roaster, ALL, site_id=_site(w, "CAFE-2"))
    log = sharing.read_audit_log(w.ctx, w.cafe, ALL)
    assert [(e.resource, e.rows) for e in log.items] == [
        (f"demand site_id={_site(w, 'CAFE-2')}", 3),
        ("demand", 6),
    ]


def test_covers_tells_a_grant_with_no_rows_from_no_grant(cafe_demand: World) -> None:
    w = cafe_demand
    cafe1, cafe2 = _site(w, "CAFE-1"), _site(w, "CAFE-2")
    category = DataCategory.DEMAND_HISTORY
    assert sharing.covers(w.ctx, w.roaster, category, w.cafe.member_id, cafe1) is False
    sharing.grant_access(
        w.ctx,
        w.cafe,
        sharing.GrantAccess(w.roaster.member_id, category, site_ids=frozenset({cafe1})),
    )
    assert sharing.covers(w.ctx, w.roaster, category, w.cafe.member_id, cafe1) is True
    assert sharing.covers(w.ctx, w.roaster, category, w.cafe.member_id, cafe2) is False
    assert sharing.covers(w.ctx, w.roaster, DataCategory.FORECASTS, w.cafe.member_id) is False
    assert sharing.covers(w.ctx, w.cafe, category, w.cafe.member_id, cafe2) is True
