"""Bills of materials and stocking points: owned data, scoped reads, no cycles."""

from __future__ import annotations

import pytest
from tests.support import World

from tandem.domain.errors import BomCycle, Forbidden, NotFound, ValidationFailed
from tandem.domain.network import PlanningParameters
from tandem.domain.sharing import DataCategory
from tandem.services import bom, sharing, stocking
from tandem.services.context import PageRequest

ALL = PageRequest(0, 1000)


def ids(world: World) -> dict[str, int]:
    with world.ctx.uow() as uow:
        found = {i.sku: i.id for i in uow.items.find()}
        found.update({s.code: s.id for s in uow.sites.find()})
    return found


def test_bom_line_is_owned_by_the_parent_item_member(world: World) -> None:
    i = ids(world)
    line = bom.add_bom_line(
        world.ctx, world.roaster, bom.BomLineFields(i["BLEND"], i["GREEN"], 1.19)
    )
    assert line.owner_member_id == world.roaster.member_id
    with pytest.raises(Forbidden):
        bom.add_bom_line(world.ctx, world.cafe, bom.BomLineFields(i["BLEND"], i["LATTE"], 1.0))


def test_bom_cycle_across_members_is_refused_and_named(world: World) -> None:
    i = ids(world)
    bom.add_bom_line(world.ctx, world.cafe, bom.BomLineFields(i["LATTE"], i["BLEND"], 0.018))
    bom.add_bom_line(world.ctx, world.roaster, bom.BomLineFields(i["BLEND"], i["GREEN"], 1.19))
    with pytest.raises(BomCycle) as caught:
        bom.add_bom_line(world.ctx, world.beans, bom.BomLineFields(i["GREEN"], i["LATTE"], 1.0))
    assert "GREEN > LATTE > BLEND > GREEN" in caught.value.detail
    assert bom.list_bom_lines(world.ctx, world.beans, ALL).total == 0


def test_bom_quantity_must_be_positive(world: World) -> None:
    i = ids(world)
    with pytest.raises(ValidationFailed) as caught:
        bom.add_bom_line(world.ctx, world.roaster, bom.BomLineFields(i["BLEND"], i["GREEN"], 0))
    assert caught.value.violations[0].field == "quantity_per"


def test_partner_reads_a_bom_only_through_a_grant(world: World) -> None:
    i = ids(world)
    line = bom.add_bom_line(
        world.ctx, world.roaster, bom.BomLineFields(i["BLEND"], i["GREEN"], 1.19)
    )
    assert bom.list_bom_lines(world.ctx, world.beans, ALL).total == 0
    with pytest.raises(NotFound):
        bom.get_bom_line(world.ctx, world.beans, line.id)
    g = sharing.grant_access(
        world.ctx,
        world.roaster,
        sharing.GrantAccess(world.beans.member_id, DataCategory.BILLS_OF_MATERIALS),
    )
    assert bom.get_bom_line(world.ctx, world.beans, line.id) == line
    sharing.revoke_grant(world.ctx, world.roaster, g.id)
    with pytest.raises(NotFound):
        bom.get_bom_line(world.ctx, world.beans, line.id)
    assert [e.resource for e in sharing.read_audit_log(world.ctx, world.roaster, ALL).items] == [
        f"bom line {line.id}"
    ]


def test_stocking_point_parameters_are_upserted_by_the_site_owner(world: World) -> None:
    i = ids(world)
    params = PlanningParameters(target_service_level=0.98, safety_stock=12.0)
    first = stocking.set_item_site(world.ctx, world.cafe, i["LATTE"], i["CAFE-1"], params)
    again = stocking.set_item_site(
        world.ctx, world.cafe, i["LATTE"], i["CAFE-1"], PlanningParameters(safety_stock=8.0)
    )
    assert again.id == first.id
    assert again.parameters == PlanningParameters(safety_stock=8.0)
    with pytest.raises(Forbidden):
        stocking.set_item_site(world.ctx, world.roaster, i["LATTE"], i["CAFE-1"], params)
    with pytest.raises(ValidationFailed):
        stocking.set_item_site(
            world.ctx, world.cafe, i["LATTE"], i["CAFE-1"], PlanningParameters(1.5)
        )


def test_stocking_points_of_partners_follow_the_grant_narrowing(world: World) -> None:
    i = ids(world)
    sharing.grant_access(
        world.ctx,
        world.cafe,
        sharing.GrantAccess(
            world.roaster.member_id,
            DataCategory.PLANNING_PARAMETERS,
            site_ids=frozenset({i["CAFE-2"]}),
        ),
    )
    page = stocking.list_item_sites(world.ctx, world.roaster, ALL)
    assert sorted((p.item_id, p.site_id) for p in page.items) == sorted(
        [(i["BLEND"], i["PLANT"]), (i["LATTE"], i["CAFE-2"])]
    )
