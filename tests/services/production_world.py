"""A small shop floor for the production service tests: the roaster's plant has one roaster
(8 hours a day, Monday to Friday, half an hour to change between the red and blue families),
BLEND (red: 1 h setup + 0.2 h a unit) and DECAF (blue: 0.4 h a unit) routed on it, and a
succeeded daily planning run from Monday 2026-11-23 whose planned orders are written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests.support import World

from tandem.adapters.memory import InMemoryStore
from tandem.domain.network import Item
from tandem.domain.planning_runs import (
    PlanBucket,
    PlannedOrderRow,
    PlanningItemSite,
    PlanningRun,
    RunKind,
    RunStatus,
)
from tandem.domain.production import Changeover, Resource, RoutingOperation
from tandem.services import production
from tandem.services.production import ResourceSpec, RoutingSpec

MONDAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Shop:
    world: World
    store: InMemoryStore
    plant: int
    roaster: Resource
    items: dict[str, int]
    routings: dict[str, int]

    def run(
        self,
        orders: list[tuple[str, float, date, date]],
        horizon: int = 5,
        records: dict[str, dict[str, list[float]]] | None = None,
    ) -> PlanningRun:
        """A succeeded live daily run with planned production orders ``(sku, quantity,
        release, due)`` at the plant and the given records."""
        member = self.world.roaster.member_id
        created = datetime(2026, 11, 21, 8, tzinfo=UTC)
        run = self.store.planning_runs.add(PlanningRun(
            0, self.world.network_id, member, RunKind.LIVE, RunStatus.SUCCEEDED, MONDAY,
            horizon, PlanBucket.DAY, [], created, 1.0,
        ))  # fmt: skip
        for k, (sku, quantity, release, due) in enumerate(orders):
            self.store.planned_orders.add(PlannedOrderRow(
                0, run.id, member, f"{sku}@PLANT#{k + 1}", self.items[sku], self.plant,
                "production", release, due, quantity, quantity,
            ))  # fmt: skip
        for sku, record in (records or {}).items():
            self.store.planning_item_sites.add(
                PlanningItemSite(0, run.id, member, self.items[sku], self.plant, "make", 0, record)
            )
        return run


def build_shop(world: World, store: InMemoryStore) -> Shop:
    sites = {s.code: s.id for s in store.sites.rows.values()}
    items = {i.sku: i.id for i in store.items.rows.values()}
    roast = world.roaster
    decaf = store.items.add(
        Item(0, world.network_id, roast.member_id, "DECAF", "Decaf", "kg", 14.0)
    )
    items["DECAF"] = decaf.id
    plant = sites["PLANT"]
    roaster = production.create_resource(
        world.ctx, roast,
        ResourceSpec(plant, "ROASTER", "Drum roaster", changeovers=(
            Changeover("red", "blue", 0.5), Changeover("blue", "red", 0.5),
        )),
    )  # fmt: skip
    routings = {
        sku: production.create_routing(
            world.ctx,
            roast,
            RoutingSpec(items[sku], plant, (RoutingOperation(roaster.id, s, r),), f),
        ).id
        for sku, s, r, f in (("BLEND", 1.0, 0.2, "red"), ("DECAF", 0.0, 0.4, "blue"))
    }
    return Shop(world, store, plant, roaster, items, routings)
