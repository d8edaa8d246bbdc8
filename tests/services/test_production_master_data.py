"""Resources and routings: validation, ownership, what may be deleted."""

from __future__ import annotations

from datetime import date

import pytest
from tests.services.production_world import Shop, build_shop
from tests.support import World

from tandem.adapters.memory import InMemoryStore
from tandem.domain.errors import DuplicateCode, InUse, NotFound, ValidationFailed
from tandem.domain.production import ResourceKind, RoutingOperation
from tandem.services import production
from tandem.services.context import PageRequest
from tandem.services.production import ResourceSpec, RoutingSpec


@pytest.fixture
def shop(world: World, store: InMemoryStore) -> Shop:
    return build_shop(world, store)


def test_a_resource_calendar_gives_hours_per_day(shop: Shop) -> None:
    line = production.create_resource(shop.world.ctx, shop.world.roaster, ResourceSpec(
        shop.plant, "PACK", "Packing line", ResourceKind.LINE, 16.0, (0, 1, 2, 3, 4, 5),
        (date(2026, 12, 25),), 2.0, 45.0,
    ))  # fmt: skip
    assert line.hours_on(date(2026, 12, 24)) == 16.0  # Thursday
    assert line.hours_on(date(2026, 12, 25)) == 0.0  # holiday
    assert line.hours_on(date(2026, 12, 26)) == 16.0  # Saturday is in the mask
    assert line.hours_on(date(2026, 12, 27)) == 0.0  # Sunday is not
    assert line.hours_between(date(2026, 12, 21), 7) == 5 * 16.0
    found = production.list_resources(shop.world.ctx, shop.world.roaster, PageRequest())
    assert [r.code for r in found.items] == ["ROASTER", "PACK"]


def test_invalid_resources_name_every_offending_field(shop: Shop) -> None:
    bad = ResourceSpec(shop.plant, "X", "x", hours_per_day=25.0, working_weekdays=(),
                       max_overtime_hours_per_day=-1.0)  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        production.create_resource(shop.world.ctx, shop.world.roaster, bad)
    fields = sorted(v.field or "" for v in caught.value.violations)
    assert fields == ["hours_per_day", "max_overtime_hours_per_day", "working_weekdays"]


def test_codes_are_unique_per_member_and_sites_must_be_ones_own(shop: Shop) -> None:
    ctx, roast = shop.world.ctx, shop.world.roaster
    with pytest.raises(DuplicateCode):
        production.create_resource(ctx, roast, ResourceSpec(shop.plant, "ROASTER", "again"))
    cafe_site = next(s.id for s in shop.store.sites.rows.values() if s.code == "CAFE-1")
    with pytest.raises(ValidationFailed, match="not one of your sites"):
        production.create_resource(ctx, roast, ResourceSpec(cafe_site, "OVEN", "Oven"))


def test_routings_use_own_resources_at_their_site(shop: Shop) -> None:
    ctx, roast = shop.world.ctx, shop.world.roaster
    with pytest.raises(ValidationFailed, match="unknown resource"):
        production.create_routing(ctx, roast, RoutingSpec(
            shop.items["GREEN"], shop.plant, (RoutingOperation(999, 0.0, 1.0),),
        ))  # fmt: skip
    with pytest.raises(ValidationFailed, match="takes no time"):
        production.create_routing(ctx, roast, RoutingSpec(
            shop.items["GREEN"], shop.plant, (RoutingOperation(shop.roaster.id),),
        ))  # fmt: skip
    with pytest.raises(DuplicateCode):  # one routing per item and site
        production.create_routing(ctx, roast, RoutingSpec(
            shop.items["BLEND"], shop.plant, (RoutingOperation(shop.roaster.id, 0, 1),),
        ))  # fmt: skip


def test_a_resource_in_use_cannot_be_deleted_and_others_never_see_it(shop: Shop) -> None:
    ctx, roast, cafe = shop.world.ctx, shop.world.roaster, shop.world.cafe
    with pytest.raises(InUse):
        production.delete_resource(ctx, roast, shop.roaster.id)
    with pytest.raises(NotFound):
        production.get_resource(ctx, cafe, shop.roaster.id)
    with pytest.raises(NotFound):
        production.delete_routing(ctx, cafe, shop.routings["BLEND"])
    for routing_id in shop.routings.values():
        production.delete_routing(ctx, roast, routing_id)
    production.delete_resource(ctx, roast, shop.roaster.id)
    assert production.list_resources(ctx, roast, PageRequest()).total == 0
