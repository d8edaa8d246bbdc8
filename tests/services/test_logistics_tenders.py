"""Loads and tenders through the services (in-memory twins): the shipper (ROAST) creates a load
of 80 kg of an acknowledged order and tenders it to the carrier (HAUL), who accepts or rejects.
See ``tests/services/carrier_world.py`` for the world; the clock stands at 2026-11-21 09:00 UTC.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.services.carrier_world import Haul, Q, accepted_load, at, build, new_load, offer

from tandem.adapters.memory import FixedClock
from tandem.domain.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from tandem.domain.logistics import EtaBasis, LoadStatus, TenderExpired, TenderStatus
from tandem.domain.network import TransportMode
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.logistics import loads, tenders, vehicles
from tandem.services.logistics.loads import LoadRole

ALL = PageRequest(0, 100)


@pytest.fixture
def haul(ctx: ServiceContext) -> Haul:
    return build(ctx)


def test_a_load_weighs_its_lines_and_drops_at_the_orders_ship_to_site(haul: Haul) -> None:
    detail = new_load(haul)
    # 80 kg x 1 kg = 80 kg; 80 x 0.0025 m³ = 0.2 m³
    assert (detail.load.weight_kg, detail.load.volume_m3) == (80.0, 0.2)
    assert (detail.load.number, detail.load.status, detail.load.version) == (
        f"LD-{detail.load.id:06d}", LoadStatus.PLANNED, 1)  # fmt: skip
    assert [(s.sequence, s.site_id, s.consignee_member_id) for s in detail.stops] == [
        (1, haul.ids["CAFE-1"], haul.cafe.member_id)
    ]
    assert [(x.quantity, x.to_site_id) for x in detail.lines] == [(Q("80.000"), haul.ids["CAFE-1"])]


def test_a_load_that_overweighs_its_vehicle_names_the_field(haul: Haul) -> None:
    small = vehicles.add_vehicle_type(
        haul.ctx, haul.roaster,
        vehicles.VehicleTypeFields("CARGO-BIKE", "Cargo bike", TransportMode.VAN, 50, 0.5, 0, 0),
    )  # fmt: skip
    command = loads.CreateLoad(
        haul.ids["PLANT"], TransportMode.VAN, at(23, 8), at(23, 12), at(24, 8), at(24, 16),
        (loads.PlanLine(Q(80), order_line_id=haul.order_line.id),), vehicle_type_id=small.id,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as raised:
        loads.create_load(haul.ctx, haul.roaster, command)
    assert [(v.field, v.message) for v in raised.value.violations] == [
        ("weight_kg", "80 kg exceeds the CARGO-BIKE's 50 kg")
    ]


def test_only_the_seller_loads_an_order_line(haul: Haul) -> None:
    command = loads.CreateLoad(
        haul.ids["CAFE-1"], TransportMode.VAN, at(23, 8), at(23, 12), at(24, 8), at(24, 16),
        (loads.PlanLine(Q(1), order_line_id=haul.order_line.id),),
    )  # fmt: skip
    with pytest.raises(Forbidden):
        loads.create_load(haul.ctx, haul.cafe, command)


def test_tender_then_accept_gives_the_load_to_the_carrier_with_a_planned_eta(haul: Haul) -> None:
    load = new_load(haul).load
    view = offer(haul, load.id)
    assert (view.load.status, view.load.carrier_member_id, view.tender.status) == (
        LoadStatus.TENDERED, haul.carrier.member_id, TenderStatus.OPEN)  # fmt: skip
    accepted = tenders.accept_tender(haul.ctx, haul.carrier, view.tender.id)
    assert (accepted.tender.status, accepted.load.status, accepted.load.version) == (
        TenderStatus.ACCEPTED, LoadStatus.ACCEPTED, 3)  # fmt: skip
    detail = loads.get_load(haul.ctx, haul.cafe, load.id)
    assert detail.eta is not None
    # Lane PLANT>CAFE-1: mean 1 d, std 0.2 d. ETA = pickup_from 23rd 08:00 + 1 d = 24th 08:00.
    # slack = 24th 16:00 - 23rd 08:00 = 1.3333 d; z = (1.3333 - 1) / 0.2 = 1.6667;
    # P(late) = 1 - Phi(1.6667) = 0.04779: no risk.
    assert (detail.eta.estimated_arrival, detail.eta.basis) == (at(24, 8), EtaBasis.PLANNED)
    assert round(detail.eta.late_probability, 5) == 0.04779
    assert detail.eta.late_risk is False
    assert detail.tenders == ()  # the consignee sees no rates


def test_a_second_answer_to_a_tender_is_a_conflict(haul: Haul) -> None:
    view = offer(haul, new_load(haul).load.id)
    tenders.accept_tender(haul.ctx, haul.carrier, view.tender.id)
    with pytest.raises(InvalidTransition, match="is accepted and cannot become accepted"):
        tenders.accept_tender(haul.ctx, haul.carrier, view.tender.id)
    with pytest.raises(InvalidTransition):
        tenders.reject_tender(haul.ctx, haul.carrier, view.tender.id, "changed my mind")


def test_a_rejected_load_can_be_tendered_again(haul: Haul) -> None:
    load = new_load(haul).load
    first = offer(haul, load.id)
    rejected = tenders.reject_tender(haul.ctx, haul.carrier, first.tender.id, " no truck free ")
    assert (rejected.tender.status, rejected.tender.reason, rejected.load.status) == (
        TenderStatus.REJECTED, "no truck free", LoadStatus.REJECTED)  # fmt: skip
    assert rejected.load.carrier_member_id is None
    second = offer(haul, load.id)
    assert (second.load.status, second.load.version) == (LoadStatus.TENDERED, 4)


def test_a_rejection_needs_a_reason(haul: Haul) -> None:
    view = offer(haul, new_load(haul).load.id)
    with pytest.raises(ValidationFailed):
        tenders.reject_tender(haul.ctx, haul.carrier, view.tender.id, "  ")


def test_an_answer_after_respond_by_expires_the_tender(haul: Haul, clock: FixedClock) -> None:
    view = offer(haul, new_load(haul).load.id, respond_by=at(21, 12))
    clock.advance(timedelta(hours=3, seconds=1))
    with pytest.raises(TenderExpired):
        tenders.accept_tender(haul.ctx, haul.carrier, view.tender.id)
    page = tenders.list_tenders(haul.ctx, haul.carrier, ALL)
    assert [(v.tender.status, v.load.status) for v in page.items] == [
        (TenderStatus.EXPIRED, LoadStatus.REJECTED)
    ]


def test_the_sweep_expires_only_tenders_past_respond_by(haul: Haul, clock: FixedClock) -> None:
    early = offer(haul, new_load(haul).load.id, respond_by=at(21, 10))
    late = offer(haul, new_load(haul, "10").load.id, respond_by=at(21, 12))
    clock.advance(timedelta(hours=2))  # 11:00
    assert tenders.expire_tenders(haul.ctx, haul.roaster) == 1
    found = {v.tender.id: v.tender.status for v in tenders.list_tenders(
        haul.ctx, haul.roaster, ALL, LoadRole.SHIPPER).items}  # fmt: skip
    assert found == {early.tender.id: TenderStatus.EXPIRED, late.tender.id: TenderStatus.OPEN}


def test_only_a_carrier_member_is_tendered(haul: Haul) -> None:
    load = new_load(haul).load
    command = tenders.TenderLoad(load.id, haul.beans.member_id, 1, at(22, 9))
    with pytest.raises(ValidationFailed, match="is not a carrier"):
        tenders.tender_load(haul.ctx, haul.roaster, command)


def test_strangers_do_not_see_a_load_and_consignees_cannot_tender_it(haul: Haul) -> None:
    load = new_load(haul).load
    with pytest.raises(NotFound):
        loads.get_load(haul.ctx, haul.beans, load.id)
    command = tenders.TenderLoad(load.id, haul.carrier.member_id, 1, at(22, 9))
    with pytest.raises(Forbidden):
        tenders.tender_load(haul.ctx, haul.cafe, command)


def test_cancelling_a_tendered_load_withdraws_its_tender(haul: Haul) -> None:
    load = new_load(haul).load
    view = offer(haul, load.id)
    cancelled = loads.cancel_load(haul.ctx, haul.roaster, load.id, "order moved")
    assert cancelled.load.status is LoadStatus.CANCELLED
    assert [(t.status, t.reason) for t in cancelled.tenders] == [
        (TenderStatus.WITHDRAWN, "order moved")
    ]
    with pytest.raises(InvalidTransition):
        tenders.accept_tender(haul.ctx, haul.carrier, view.tender.id)


def test_loads_are_listed_by_role(haul: Haul) -> None:
    first = accepted_load(haul)
    second = new_load(haul, "5").load.id
    mine = loads.list_loads(haul.ctx, haul.roaster, ALL, LoadRole.SHIPPER)
    carried = loads.list_loads(haul.ctx, haul.carrier, ALL)
    inbound = loads.list_loads(haul.ctx, haul.cafe, ALL, status=LoadStatus.ACCEPTED)
    assert [x.id for x in mine.items] == [second, first]
    assert [x.id for x in carried.items] == [first]
    assert [x.id for x in inbound.items] == [first]
