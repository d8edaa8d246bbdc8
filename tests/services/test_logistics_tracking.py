"""Tracking through the services (in-memory twins): the carrier's reports ship the load at
pick-up, record EPCIS, move the load and re-estimate its arrival; the consignee sees inbound
loads and late-risk alerts. World: ``tests/services/carrier_world.py`` (van lane PLANT > CAFE-1
of mean 1 day, std 0.2 day; pick-up 23rd 08:00-12:00, delivery 24th 08:00-16:00)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.services.carrier_world import Haul, Q, accepted_load, at, build, new_load, offer, report

from tandem.domain.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from tandem.domain.identity import Scope
from tandem.domain.logistics import EtaBasis, LoadStatus, MessageIdReused, TrackingStatus
from tandem.domain.orders import OrderStatus
from tandem.services import identity
from tandem.services.context import ServiceContext
from tandem.services.epcis import epcis_document
from tandem.services.logistics import inbound, loads, performance, tenders, tracking

PICKED, DEPARTED = TrackingStatus.PICKED_UP, TrackingStatus.DEPARTED
EXCEPTION, DELIVERED = TrackingStatus.EXCEPTION, TrackingStatus.DELIVERED


@pytest.fixture
def haul(ctx: ServiceContext) -> Haul:
    return build(ctx)


def _position(haul: Haul, site: str) -> tuple[Q, Q]:
    with haul.ctx.uow() as uow:
        (found,) = uow.stock_positions.find(site_id=haul.ids[site], item_id=haul.ids["BLEND"])
    return found.on_hand, found.in_transit


def test_pick_up_ships_the_order_lines_and_moves_stock_into_transit(haul: Haul) -> None:
    load_id = accepted_load(haul)
    recorded = report(haul, load_id, "m-1", PICKED, at(23, 9))
    assert recorded.load.status is LoadStatus.IN_TRANSIT
    assert len(recorded.shipment_ids) == 1
    assert _position(haul, "PLANT") == (Q("120.000"), Q("0.000"))  # 200 - 80
    assert _position(haul, "CAFE-1") == (Q("0.000"), Q("80.000"))
    with haul.ctx.uow() as uow:
        shipment = uow.shipments.get(recorded.shipment_ids[0])
        order = uow.purchase_orders.get(haul.order_line.order_id)
        lines = uow.load_lines.find(load_id=load_id)
    assert shipment is not None and order is not None
    assert (shipment.carrier, shipment.tracking_reference, shipment.expected_arrival) == (
        "Hanse Haulage", recorded.load.number, date(2026, 11, 24))  # fmt: skip
    assert order.status is OrderStatus.SHIPPED  # 80 of 80 confirmed
    assert [x.shipment_id for x in lines] == [shipment.id]


def test_each_report_re_estimates_the_arrival_by_hand(haul: Haul) -> None:
    load_id = accepted_load(haul)
    picked = report(haul, load_id, "m-1", PICKED, at(23, 9)).eta
    departed = report(haul, load_id, "m-2", DEPARTED, at(23, 10)).eta
    delayed = report(haul, load_id, "m-3", EXCEPTION, at(23, 14), delay_hours=5).eta
    assert picked and departed and delayed
    # picked up 23rd 09:00: ETA 24th 09:00; slack 31 h = 1.29167 d, z = 1.4583, P = 0.07237
    assert (picked.estimated_arrival, picked.basis) == (at(24, 9), EtaBasis.PICKED_UP)
    assert round(picked.late_probability, 5) == 0.07237
    # departed 10:00: ETA 24th 10:00; slack 30 h = 1.25 d, z = 1.25, P = 0.10565
    assert (departed.estimated_arrival, departed.basis) == (at(24, 10), EtaBasis.DEPARTED)
    assert round(departed.late_probability, 5) == 0.10565
    assert not departed.late_risk
    # +5 h delay: ETA 24th 15:00 (before 16:00) but slack 25 h = 1.04167 d, z = 0.20833,
    # P = 0.41748 > 0.3: at risk.
    assert (delayed.estimated_arrival, delayed.basis) == (at(24, 15), EtaBasis.DEPARTED)
    assert round(delayed.late_probability, 5) == 0.41748
    assert delayed.late_risk


def test_the_consignee_sees_the_late_risk_alert_until_delivery(haul: Haul) -> None:
    load_id = accepted_load(haul)
    report(haul, load_id, "m-2", DEPARTED, at(23, 10))
    assert inbound.late_risk_alerts(haul.ctx, haul.cafe) == ()
    report(haul, load_id, "m-3", EXCEPTION, at(23, 14), delay_hours=5)
    (alert,) = inbound.late_risk_alerts(haul.ctx, haul.cafe)
    assert (alert.load.id, alert.expected, alert.stop.site_id) == (
        load_id, at(24, 15), haul.ids["CAFE-1"])  # fmt: skip
    delivered = report(haul, load_id, "m-4", DELIVERED, at(24, 15, 30))
    assert delivered.load.status is LoadStatus.DELIVERED
    assert delivered.eta is not None
    assert (delivered.eta.basis, delivered.eta.late_risk) == (EtaBasis.DELIVERED, False)
    assert inbound.late_risk_alerts(haul.ctx, haul.cafe) == ()
    assert inbound.inbound(haul.ctx, haul.cafe) == ()
    assert [x.load.id for x in inbound.inbound(haul.ctx, haul.cafe, include_delivered=True)] == [
        load_id
    ]


def test_a_repeated_message_is_stored_once_and_a_reused_id_is_refused(haul: Haul) -> None:
    load_id = accepted_load(haul)
    first = report(haul, load_id, "m-1", PICKED, at(23, 9))
    again = report(haul, load_id, "m-1", PICKED, at(23, 9))
    assert (again.duplicate, again.event.id, again.shipment_ids) == (True, first.event.id, ())
    with pytest.raises(MessageIdReused):
        report(haul, load_id, "m-1", DEPARTED, at(23, 10))
    with haul.ctx.uow() as uow:
        assert uow.tracking_events.count(load_id=load_id) == 1
        assert uow.shipments.count() == 1


def test_reports_out_of_order_ship_once_and_estimate_from_the_departure(haul: Haul) -> None:
    load_id = accepted_load(haul)
    departed = report(haul, load_id, "m-2", DEPARTED, at(23, 10))
    picked = report(haul, load_id, "m-1", PICKED, at(23, 9))
    assert len(departed.shipment_ids) == 1 and picked.shipment_ids == ()
    assert picked.eta is not None
    assert (picked.eta.estimated_arrival, picked.eta.basis) == (at(24, 10), EtaBasis.DEPARTED)
    assert picked.load.status is LoadStatus.IN_TRANSIT


def test_reports_become_epcis_events_of_the_shipment(haul: Haul) -> None:
    load_id = accepted_load(haul)
    report(haul, load_id, "m-1", PICKED, at(23, 9))
    report(haul, load_id, "m-2", DEPARTED, at(23, 10))
    document = epcis_document(haul.ctx, haul.cafe)
    events = document["epcisBody"]["eventList"]
    assert [(e["type"], e["bizStep"], e["disposition"]) for e in events] == [
        ("AggregationEvent", "packing", "in_progress"),
        ("ObjectEvent", "shipping", "in_transit"),
        ("ObjectEvent", "loading", "in_transit"),
        ("ObjectEvent", "departing", "in_transit"),
    ]
    assert events[3]["eventTime"] == "2026-11-23T10:00:00.000Z"
    assert events[3]["quantityList"] == [
        {"epcClass": "urn:tandem:coffee:item:BLEND", "quantity": 80, "uom": "KGM"}
    ]
    number = loads.get_load(haul.ctx, haul.cafe, load_id).load.number
    assert events[3]["bizTransactionList"][2] == {
        "type": "bol", "bizTransaction": f"urn:tandem:coffee:load:{number}"}  # fmt: skip


def test_only_the_carrier_reports_and_only_on_an_accepted_load(haul: Haul) -> None:
    load_id = accepted_load(haul)
    command = tracking.ReportStatus(load_id, "x", PICKED, at(23, 9))
    with pytest.raises(Forbidden):
        tracking.record_event(haul.ctx, haul.cafe, command)
    with pytest.raises(NotFound):
        tracking.record_event(haul.ctx, haul.beans, command)
    tendered = offer(haul, new_load(haul, "5").load.id).load.id
    with pytest.raises(InvalidTransition, match="nothing to track"):
        report(haul, tendered, "y", PICKED, at(23, 9))
    with pytest.raises(ValidationFailed):
        report(haul, load_id, "z", DEPARTED, at(23, 9), delay_hours=2)  # only exceptions delay


def test_a_device_key_reports_over_mqtt_with_a_site_code(haul: Haul) -> None:
    load_id = accepted_load(haul)
    key = identity.create_api_key(haul.ctx, haul.carrier, "tracker", frozenset({Scope.INGEST})).key
    payload = {"message_id": "dev-1", "status": "departed", "at": "2026-11-23T11:00:00+01:00",
               "location": "PLANT", "key": key}  # fmt: skip
    recorded = tracking.record_device_message(haul.ctx, "coffee", load_id, payload)
    assert (recorded.event.site_id, recorded.event.source.value, recorded.event.at) == (
        haul.ids["PLANT"], "mqtt", at(23, 10))  # fmt: skip
    assert recorded.eta is not None and recorded.eta.estimated_arrival == at(24, 10)
    with pytest.raises(NotFound):
        tracking.record_device_message(haul.ctx, "tea", load_id, {**payload, "message_id": "2"})


def test_carrier_scorecard_counts_tenders_and_on_time_milestones(haul: Haul) -> None:
    on_time = accepted_load(haul, "30")  # picked up 09:00 <= 12:00, delivered 15:30 <= 16:00
    report(haul, on_time, "a", PICKED, at(23, 9))
    report(haul, on_time, "b", DELIVERED, at(24, 15, 30))
    late = accepted_load(haul, "30")  # picked up 13:00 > 12:00, never delivered (not due yet)
    report(haul, late, "c", PICKED, at(23, 13))
    refused = offer(haul, new_load(haul, "1").load.id)
    tenders.reject_tender(haul.ctx, haul.carrier, refused.tender.id, "full")
    (card,) = performance.carrier_scorecards(
        haul.ctx, haul.roaster, date(2026, 11, 1), date(2026, 12, 1)
    )
    # tenders: 3 offered, 3 answered, 2 accepted -> 2/3
    assert (card.tenders_offered, card.tenders_answered, card.tenders_accepted) == (3, 3, 2)
    assert card.acceptance_rate == 2 / 3
    # pick-up: 2 due (both reported), 1 on time; delivery: window ends 24th 16:00, after the
    # clock (21st 09:00): only the reported delivery is due, on time.
    assert (card.pickup.due, card.pickup.on_time, card.pickup.rate) == (2, 1, 0.5)
    assert (card.delivery.due, card.delivery.on_time, card.delivery.rate) == (1, 1, 1.0)
    assert performance.carrier_scorecards(haul.ctx, haul.carrier, date(2026, 11, 1),
                                          date(2026, 12, 1)) == (card,)  # fmt: skip
    assert performance.carrier_scorecards(haul.ctx, haul.beans, date(2026, 11, 1),
                                          date(2026, 12, 1)) == ()  # fmt: skip
