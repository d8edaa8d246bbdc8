"""Round-trip cases of the twin's stored scenarios, run by ``test_repositories``: three
scenarios with edge values (no deltas, nested JSON with every delta type and unicode, a
non-UTC datetime, no user)."""

from __future__ import annotations

from dataclasses import replace

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.scenarios import Scenario
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed

EVERY_TYPE = [
    {"type": "demand_scale", "factor": 1.25, "site": "CAFÉ-1", "from_day": 0, "to_day": 3650},
    {"type": "lead_time", "add_days": -2, "lane": "PORT>PLANT"},
    {"type": "capacity", "site": "PLANT", "per_day": 0.5},
    {"type": "node_down", "site": "DC", "from_day": 10, "to_day": 12},
    {"type": "lane_down", "lane": "DC>CAFE-1", "from_day": 1, "to_day": 1},
    {"type": "policy", "item": "LATTE", "order_up_to": 1e6},
    {"type": "sharing", "on": False},
    {"type": "safety_stock", "quantity": 0},
]


def _scenarios(_uow: SqlUnitOfWork, seed: Seed) -> list[Scenario]:
    member = seed.members[1].id
    return [
        Scenario(0, seed.network.id, member, "base", [], NOW),
        Scenario(0, seed.network.id, member, "ü" * 200, EVERY_TYPE, NOW.astimezone(CEST)),
        Scenario(0, seed.other_network.id, seed.members[0].id, "other", [EVERY_TYPE[3]], NOW),
    ]


TWIN_CASES = [
    Case(
        "twin_scenarios",
        _scenarios,
        lambda e, _s: replace(
            e, name=e.name + " v2", deltas=[*e.deltas, {"type": "sharing", "on": True}]
        ),
        (("owner_member_id",), ("network_id",), ("name",), ("owner_member_id", "name")),
    ),
]
