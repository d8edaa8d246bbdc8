"""Stored twin scenarios: saved compactly as deltas, private to the member, validated."""

from __future__ import annotations

import pytest
from tests.support import World

from tandem.domain.errors import DuplicateCode, NotFound, ValidationFailed
from tandem.services.twin import scenarios

DOWN = {"type": "node_down", "site": "CAFE-1", "from_day": 3, "to_day": 5}


def test_a_scenario_is_stored_as_its_deltas_and_seen_by_its_member_only(world: World) -> None:
    saved = scenarios.create_scenario(world.ctx, world.cafe, " cafe closed ", [DOWN])
    assert (saved.name, saved.deltas, saved.owner_member_id) == (
        "cafe closed",
        [DOWN],
        world.cafe.member_id,
    )
    assert scenarios.list_scenarios(world.ctx, world.cafe) == [saved]
    assert scenarios.list_scenarios(world.ctx, world.roaster) == []
    with pytest.raises(NotFound):
        scenarios.get_scenario(world.ctx, world.roaster, saved.id)
    with pytest.raises(NotFound):
        scenarios.delete_scenario(world.ctx, world.roaster, saved.id)


def test_update_and_delete(world: World) -> None:
    saved = scenarios.create_scenario(world.ctx, world.cafe, "a", [DOWN])
    changed = scenarios.update_scenario(
        world.ctx, world.cafe, saved.id, "b", [{"type": "sharing", "on": True}]
    )
    assert scenarios.get_scenario(world.ctx, world.cafe, saved.id) == changed
    assert changed.deltas == [{"type": "sharing", "on": True}]
    scenarios.delete_scenario(world.ctx, world.cafe, saved.id)
    assert scenarios.list_scenarios(world.ctx, world.cafe) == []


def test_invalid_deltas_and_duplicate_names_are_refused(world: World) -> None:
    with pytest.raises(ValidationFailed) as raised:
        scenarios.create_scenario(world.ctx, world.cafe, "", [{"type": "sharing"}])
    assert [(v.location, v.field) for v in raised.value.violations] == [
        ("scenario", "name"),
        ("deltas[0]", "on"),
    ]
    scenarios.create_scenario(world.ctx, world.cafe, "same", [])
    with pytest.raises(DuplicateCode):
        scenarios.create_scenario(world.ctx, world.cafe, "same", [DOWN])
