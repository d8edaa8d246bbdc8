"""The demo's transport step on the demo network: vehicle types, the roaster's week of loads,
a distribution centre's routes and one load tendered, accepted and on its way.

The network is loaded on the in-memory twins with 150 days of history and 28 days of flows
ending on Friday 2026-11-27 (at 09:00 UTC): the distributor's DC North has then ordered from
the roaster, so the roaster has one load to plan, and DC West delivers a café that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.domain.logistics import LoadStatus, TenderStatus, TrackingStatus
from tandem.domain.network import TransportMode
from tandem.services import transfer
from tandem.services.context import ServiceContext
from tandem.services.demo_flows import generate_demo_flows
from tandem.services.demo_logistics import VEHICLES, LogisticsSummary, seed_demo_logistics
from tandem.services.demo_network import build_demo_snapshot

TODAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    ctx: ServiceContext
    summary: LogisticsSummary

    def code(self, member_id: int | None) -> str:
        with self.ctx.uow() as uow:
            member = uow.members.get(member_id or 0)
        assert member is not None
        return member.code


@pytest.fixture(scope="module")
def seeded() -> Seeded:
    store = InMemoryStore()
    ctx = ServiceContext(in_memory_uow_factory(store), FixedClock(NOW), PlainPasswordHasher())
    snapshot = build_demo_snapshot(start=TODAY - timedelta(days=150), days=150)
    transfer.import_snapshot(ctx, snapshot)
    generate_demo_flows(ctx, snapshot.code, days=28, end=TODAY)
    return Seeded(ctx, seed_demo_logistics(ctx, snapshot.code))


def test_vehicle_types_belong_to_the_shippers_that_need_them(seeded: Seeded) -> None:
    with seeded.ctx.uow() as uow:
        stored = {v.code: v for v in uow.vehicle_types.find()}
    assert seeded.summary.vehicle_types == len(VEHICLES) == len(stored) == 4
    assert {code: seeded.code(v.member_id) for code, v in stored.items()} == {
        "ELBE-7.5T": "ELBE",
        "ELBE-40T": "ELBE",
        "NORDLOG-VAN": "NORDLOG",
        "NORDLOG-7.5T": "NORDLOG",
    }
    lorry = stored["ELBE-40T"]
    assert (lorry.mode, lorry.max_weight_kg, lorry.max_volume_m3) == (
        TransportMode.FULL_TRUCKLOAD,
        24000.0,
        80.0,
    )
    assert stored["NORDLOG-VAN"].max_weight_kg == 1000.0


def test_the_roaster_plans_one_load_for_the_week(seeded: Seeded) -> None:
    plan = seeded.summary.loads
    assert (plan.from_day, plan.to_day, plan.window_days) == (TODAY, date(2026, 12, 3), 2)
    assert len(plan.loads) == 1 and plan.unplanned == ()
    load = plan.loads[0]
    assert (load.origin, load.destination, load.vehicle) == ("ELB-HARBURG", "DC-N", "ELBE-7.5T")
    assert round(load.weight_kg) == 2318
    # 7.5 t truck: 260 EUR fixed + 0.85 EUR/km x great circle x 1.3
    assert load.cost == plan.total_cost == 272.08


def test_dc_west_routes_its_deliveries_of_the_day(seeded: Seeded) -> None:
    routes = seeded.summary.routes
    assert routes is not None and seeded.summary.route_note == ""
    assert (routes.depot, routes.day) == ("DC-W", TODAY)
    assert [(r.vehicle, len(r.stops)) for r in routes.routes] == [("NORDLOG-7.5T-3", 1)]
    assert (routes.total_km, routes.total_cost, routes.unrouted) == (216.6, 444.13, ())


def test_the_roasters_load_is_tendered_accepted_and_in_transit(seeded: Seeded) -> None:
    load = seeded.summary.tendered
    assert load is not None
    assert load.number == seeded.summary.loads.loads[0].number == "LD-000001"
    assert load.status is LoadStatus.IN_TRANSIT and seeded.code(load.carrier_member_id) == "HANSA"
    with seeded.ctx.uow() as uow:
        tenders = uow.tenders.find(load_id=load.id)
        events = uow.tracking_events.find(load_id=load.id)
        etas = uow.load_etas.find(load_id=load.id)
        shipped = {x.shipment_id for x in uow.load_lines.find(load_id=load.id)}
    assert [(t.status, t.rate_minor) for t in tenders] == [(TenderStatus.ACCEPTED, 27208)]
    assert [e.status for e in events] == [TrackingStatus.PICKED_UP, TrackingStatus.DEPARTED]
    assert all(e.at < NOW for e in events)
    assert len(etas) == 3  # acceptance, pick-up, departure
    assert seeded.summary.eta == datetime(2026, 11, 27, 20, 40, tzinfo=UTC)
    assert None not in shipped and len(shipped) == 1  # the pick-up shipped the order


def test_one_line_sums_it_up(seeded: Seeded) -> None:
    line = seeded.summary.line
    assert line.startswith(
        "logistics: 4 vehicle types; ELBE loads 27 Nov–03 Dec: 1 load, cost 272.08 EUR, "
        "0 lines unplanned; NORDLOG routes from DC-W on 2026-11-27: 1 route, 1 drop, "
        "216.6 km, cost 444.13 EUR; LD-000001 tendered to HANSA, accepted and in transit "
        "(2 tracking events, expected 2026-11-27 20:40 UTC) ("
    )
    assert seeded.summary.seconds < 5
