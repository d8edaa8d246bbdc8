"""Network context use cases on the in-memory twins."""

from __future__ import annotations

import pytest
from tests.support import World

from tandem.domain.errors import DuplicateCode, Forbidden, InUse, NotFound, ValidationFailed
from tandem.domain.network import MemberRole, SiteKind, TransportMode
from tandem.services import lanes, network
from tandem.services.context import PageRequest
from tandem.services.lanes import LaneFields
from tandem.services.network import ItemFields, MemberFields, SiteFields

ALL = PageRequest(0, 1000)


def site_fields(code: str = "CAFE-3", **changes: object) -> SiteFields:
    values: dict[str, object] = {
        "code": code,
        "name": "Cafe three",
        "kind": SiteKind.STORE,
        "latitude": 52.1,
        "longitude": 5.1,
    }
    values.update(changes)
    return SiteFields(**values)  # type: ignore[arg-type]


def lane_fields(from_site: int, to_site: int, **changes: object) -> LaneFields:
    values: dict[str, object] = {
        "from_site_id": from_site,
        "to_site_id": to_site,
        "mode": TransportMode.VAN,
        "lead_time_mean_days": 1.0,
        "lead_time_std_days": 0.2,
        "cost_per_unit": 0.3,
    }
    values.update(changes)
    return LaneFields(**values)  # type: ignore[arg-type]


def site_id(world: World, code: str) -> int:
    with world.ctx.uow() as uow:
        return uow.sites.find(code=code)[0].id


def test_network_map_is_visible_to_every_member(world: World) -> None:
    for principal in (world.roaster, world.cafe, world.beans):
        m = network.network_map(world.ctx, principal)
        assert m.network.code == "coffee"
        assert [x.code for x in m.members] == ["ROAST", "CAFE", "BEANS"]
        assert [s.code for s in m.sites] == ["PLANT", "CAFE-1", "CAFE-2", "PORT"]
        assert len(m.lanes) == 2


def test_member_adds_a_site_of_its_own(world: World) -> None:
    site = network.add_site(world.ctx, world.cafe, site_fields())
    assert site.member_id == world.cafe.member_id
    assert network.get_site(world.ctx, world.roaster, site.id) == site
    page = network.list_sites(world.ctx, world.roaster, ALL, member_id=world.cafe.member_id)
    assert [s.code for s in page.items] == ["CAFE-1", "CAFE-2", "CAFE-3"]
    assert page.total == 3


def test_only_a_network_admin_adds_sites_for_another_member(world: World) -> None:
    with pytest.raises(Forbidden):
        network.add_site(world.ctx, world.cafe, site_fields(member_id=world.beans.member_id))
    site = network.add_site(world.ctx, world.roaster, site_fields(member_id=world.beans.member_id))
    assert site.member_id == world.beans.member_id


def test_site_code_is_unique_in_the_network(world: World) -> None:
    with pytest.raises(DuplicateCode):
        network.add_site(world.ctx, world.cafe, site_fields("CAFE-1"))


def test_invalid_site_names_every_field(world: World) -> None:
    with pytest.raises(ValidationFailed) as caught:
        network.add_site(world.ctx, world.cafe, site_fields("", latitude=123.0))
    assert [(v.field, v.message) for v in caught.value.violations] == [
        ("code", "must not be empty"),
        ("latitude", "must lie in [-90, 90]"),
    ]


def test_partner_cannot_change_or_delete_my_site(world: World) -> None:
    cafe1 = site_id(world, "CAFE-1")
    with pytest.raises(Forbidden):
        network.update_site(world.ctx, world.roaster, cafe1, site_fields("X"))
    with pytest.raises(Forbidden):
        network.delete_site(world.ctx, world.roaster, cafe1)


def test_site_in_use_cannot_be_deleted_but_an_unused_one_can(world: World) -> None:
    with pytest.raises(InUse):
        network.delete_site(world.ctx, world.cafe, site_id(world, "CAFE-1"))
    spare = network.add_site(world.ctx, world.cafe, site_fields())
    network.delete_site(world.ctx, world.cafe, spare.id)
    with pytest.raises(NotFound):
        network.get_site(world.ctx, world.cafe, spare.id)


def test_unknown_ids_are_not_found(world: World) -> None:
    for getter in (network.get_site, network.get_item, lanes.get_lane, network.get_member):
        with pytest.raises(NotFound):
            getter(world.ctx, world.cafe, 999)


def test_lane_must_join_existing_sites_and_touch_one_of_mine(world: World) -> None:
    plant, cafe1 = site_id(world, "PLANT"), site_id(world, "CAFE-1")
    with pytest.raises(ValidationFailed) as caught:
        lanes.add_lane(world.ctx, world.cafe, lane_fields(plant, 999))
    assert [(v.field, v.message) for v in caught.value.violations] == [
        ("to_site_id", "site 999 does not exist")
    ]
    with pytest.raises(Forbidden):  # beans owns neither end
        lanes.add_lane(world.ctx, world.beans, lane_fields(plant, cafe1))
    lane = lanes.add_lane(world.ctx, world.cafe, lane_fields(plant, cafe1, capacity_per_day=50.0))
    assert (lane.from_site_id, lane.to_site_id, lane.capacity_per_day) == (plant, cafe1, 50.0)


def test_lane_rules_reject_negative_lead_times(world: World) -> None:
    plant, cafe1 = site_id(world, "PLANT"), site_id(world, "CAFE-1")
    with pytest.raises(ValidationFailed) as caught:
        lanes.add_lane(world.ctx, world.cafe, lane_fields(plant, cafe1, lead_time_mean_days=-1))
    assert caught.value.violations[0].field == "lead_time_mean_days"


def test_items_belong_to_their_creator(world: World) -> None:
    item = network.add_item(world.ctx, world.cafe, ItemFields("MOCHA", "Mocha", "cup", 4.2))
    assert item.member_id == world.cafe.member_id
    with pytest.raises(Forbidden):
        network.update_item(world.ctx, world.roaster, item.id, ItemFields("M", "M", "cup", 1))
    with pytest.raises(DuplicateCode):
        network.add_item(world.ctx, world.roaster, ItemFields("MOCHA", "Mocha", "cup", 4.2))
    network.delete_item(world.ctx, world.cafe, item.id)
    assert network.list_items(world.ctx, world.cafe, ALL).total == 3


def test_members_are_onboarded_by_the_network_admin(world: World) -> None:
    fields = MemberFields("DAIRY", "Dairy co-op", frozenset({MemberRole.SUPPLIER}))
    with pytest.raises(Forbidden):
        network.add_member(world.ctx, world.cafe, fields)
    member = network.add_member(world.ctx, world.roaster, fields)
    assert network.get_member(world.ctx, world.cafe, member.id) == member
    with pytest.raises(ValidationFailed):
        network.add_member(world.ctx, world.roaster, MemberFields("X", "X", frozenset()))


def test_pages_are_exact(world: World) -> None:
    page = network.list_sites(world.ctx, world.cafe, PageRequest(1, 2))
    assert [s.code for s in page.items] == ["CAFE-1", "CAFE-2"]
    assert (page.total, page.offset, page.limit) == (4, 1, 2)
    with pytest.raises(ValueError, match="limit"):
        PageRequest(0, 0)


def test_failed_write_leaves_nothing_behind(world: World) -> None:
    before = lanes.list_lanes(world.ctx, world.cafe, ALL).total
    plant = site_id(world, "PLANT")
    with pytest.raises(ValidationFailed):
        lanes.add_lane(world.ctx, world.cafe, lane_fields(plant, plant))
    assert lanes.list_lanes(world.ctx, world.cafe, ALL).total == before


def test_site_and_item_with_only_forecasts_are_still_in_use(world: World) -> None:
    from datetime import date

    from tandem.domain.forecasts import ForecastPoint

    spare_site = network.add_site(world.ctx, world.cafe, site_fields())
    spare_item = network.add_item(world.ctx, world.cafe, ItemFields("MOCHA", "Mocha", "cup", 4.2))
    with world.ctx.uow() as uow:
        uow.forecasts.add(
            ForecastPoint(
                0,
                world.cafe.member_id,
                spare_site.id,
                spare_item.id,
                date(2026, 12, 1),
                5.0,
                None,
                None,
                None,
                None,
                "Naive",
                world.ctx.clock.now(),
            )
        )
        uow.commit()
    with pytest.raises(InUse):
        network.delete_site(world.ctx, world.cafe, spare_site.id)
    with pytest.raises(InUse):
        network.delete_item(world.ctx, world.cafe, spare_item.id)
