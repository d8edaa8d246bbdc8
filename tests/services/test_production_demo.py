"""The demo roaster's shop floor: two lines at Harburg and a routing per blend and bag."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.services import transfer
from tandem.services.context import ServiceContext
from tandem.services.demo_network import build_demo_snapshot
from tandem.services.demo_production import seed_demo_production


def test_the_roaster_gets_a_roasting_and_a_packing_line_with_fifteen_routings() -> None:
    store = InMemoryStore()
    ctx = ServiceContext(in_memory_uow_factory(store), FixedClock(), PlainPasswordHasher())
    snapshot = build_demo_snapshot(start=date(2026, 11, 1), days=1)
    transfer.import_snapshot(ctx, replace(snapshot, demand=()))
    assert seed_demo_production(ctx, snapshot.code) == 15  # 5 blends + 10 bags
    roasting, packing = store.resources.find()
    assert (roasting.code, roasting.hours_per_day, packing.code) == (
        "ROAST-LINE", 16.0, "PACK-LINE",
    )  # fmt: skip
    skus = {i.id: i.sku for i in store.items.find()}
    by_sku = {skus[r.item_id]: r for r in store.routings.find()}
    house = by_sku["RB-HOUSE"].operations[0]
    # 500 kg of House blend: 0.5 h setup + 500 / 120 kg an hour
    assert (house.resource_id, house.hours(500)) == (roasting.id, 0.5 + 500 / 120)
    assert (by_sku["RC-HOUSE-250"].family, by_sku["RC-DECAF-1KG"].family) == ("250g", "1000g")
    decaf = {(c.from_family, c.to_family): c.hours for c in roasting.changeovers}
    assert (decaf[("RB-HOUSE", "RB-DECAF")], decaf[("RB-DECAF", "RB-HOUSE")]) == (1.5, 0.5)
