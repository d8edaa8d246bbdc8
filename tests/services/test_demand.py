"""Demand history uploads: own sites only, all-or-nothing, a day re-sent replaces the day."""

from __future__ import annotations

from datetime import date

import pytest
from tests.support import World

from tandem.domain.errors import ValidationFailed, Violation
from tandem.services import demand
from tandem.services.context import PageRequest
from tandem.services.demand import DemandObservation, DemandUploadResult

ALL = PageRequest(0, 1000)


def ids(world: World) -> dict[str, int]:
    with world.ctx.uow() as uow:
        found = {i.sku: i.id for i in uow.items.find()}
        found.update({s.code: s.id for s in uow.sites.find()})
    return found


def test_resent_day_replaces_instead_of_duplicating(world: World) -> None:
    i = ids(world)
    day = date(2026, 11, 1)
    first = [DemandObservation(i["CAFE-1"], i["LATTE"], day, 10.0)]
    assert demand.record_demand(world.ctx, world.cafe, first) == DemandUploadResult(1, 0)
    again = [DemandObservation(i["CAFE-1"], i["LATTE"], day, 12.0)]
    assert demand.record_demand(world.ctx, world.cafe, again) == DemandUploadResult(0, 1)
    page = demand.read_demand(world.ctx, world.cafe, ALL)
    assert [(p.day, p.quantity) for p in page.items] == [(day, 12.0)]


def test_one_bad_row_rejects_the_upload_and_names_each_row(world: World) -> None:
    i = ids(world)
    day = date(2026, 11, 1)
    rows = [
        DemandObservation(i["CAFE-1"], i["LATTE"], day, 10.0),
        DemandObservation(i["PLANT"], i["LATTE"], day, 1.0),  # not the cafe's site
        DemandObservation(i["CAFE-2"], 999, day, -1.0),
    ]
    with pytest.raises(ValidationFailed) as caught:
        demand.record_demand(world.ctx, world.cafe, rows)
    assert caught.value.violations == [
        Violation("row 2", f"site {i['PLANT']} is not one of yours", "site_id"),
        Violation("row 3", "item 999 does not exist", "item_id"),
        Violation("row 3", "must not be negative (got -1)", "quantity"),
    ]
    assert demand.read_demand(world.ctx, world.cafe, ALL).total == 0


def test_a_day_sent_twice_in_one_upload_keeps_the_later_value(world: World) -> None:
    i = ids(world)
    day = date(2026, 11, 2)
    rows = [
        DemandObservation(i["CAFE-1"], i["LATTE"], day, 10.0),
        DemandObservation(i["CAFE-1"], i["LATTE"], day, 14.0),
    ]
    assert demand.record_demand(world.ctx, world.cafe, rows) == DemandUploadResult(1, 0)
    page = demand.read_demand(world.ctx, world.cafe, ALL)
    assert [(p.day, p.quantity) for p in page.items] == [(day, 14.0)]
