"""Round-trip cases of the logistics repositories (vehicle types, loads with stops and lines,
tenders, tracking events, ETAs), run by ``test_repositories``: three entities each, with edge
values (``None`` owners and positions, non-UTC datetimes, amounts beyond a float's precision,
fractional quantities)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.logistics import (
    EtaBasis,
    Load,
    LoadEta,
    LoadLine,
    LoadStatus,
    LoadStop,
    Tender,
    TenderStatus,
    TrackingEvent,
    TrackingSource,
    TrackingStatus,
    VehicleType,
)
from tandem.domain.network import TransportMode
from tests.integration.flow_cases import BIG, CEST, NOW, Case, _order, _order_lines, _shipment
from tests.integration.network_seed import Seed

HOUR = timedelta(hours=1)


def _vehicle(seed: Seed, code: str, member_id: int | None = None) -> VehicleType:
    return VehicleType(
        0, seed.network.id, code, "Curtainsider 13.6 m", TransportMode.FULL_TRUCKLOAD,
        24_000.0, 86.0, 1.45, 120.0, member_id,
    )  # fmt: skip


def _vehicle_types(_uow: SqlUnitOfWork, seed: Seed) -> list[VehicleType]:
    return [
        _vehicle(seed, "FTL-13.6"),
        replace(_vehicle(seed, "VAN-3.5", seed.members[0].id), mode=TransportMode.VAN,
                max_weight_kg=1_200.5, max_volume_m3=12.25, cost_per_km=0.0, fixed_cost=0.0),
        replace(_vehicle(seed, "FTL-13.6"), network_id=seed.other_network.id, name="Reefer ❄"),
    ]  # fmt: skip


def _load(seed: Seed, number: str) -> Load:
    (roaster, *_), (plant, *_) = seed.members, seed.sites
    return Load(
        0, seed.network.id, number, roaster.id, plant.id, TransportMode.ROAD,
        NOW, NOW + 4 * HOUR, NOW + 24 * HOUR, NOW + 30 * HOUR, 812.5, 3.25, 45_000,
        LoadStatus.PLANNED, 1, NOW,
    )  # fmt: skip


def _loads(uow: SqlUnitOfWork, seed: Seed) -> list[Load]:
    vehicle = uow.vehicle_types.add(_vehicle(seed, "V-LOADS"))
    return [
        _load(seed, "LD-000001"),
        replace(
            _load(seed, "LD-000002"), status=LoadStatus.ACCEPTED, version=3,
            pickup_from=NOW.astimezone(CEST), planned_cost_minor=BIG,
            vehicle_type_id=vehicle.id, carrier_member_id=seed.members[2].id,
            distance_km=412.75, reference="plan:7 ☕",
        ),
        replace(_load(seed, "LD-000003"), status=LoadStatus.CANCELLED, weight_kg=0.0),
    ]  # fmt: skip


def _parent_load(uow: SqlUnitOfWork, seed: Seed, number: str) -> Load:
    return uow.loads.add(_load(seed, number))


def _load_stops(uow: SqlUnitOfWork, seed: Seed) -> list[LoadStop]:
    load = _parent_load(uow, seed, "LD-STOPS")
    (_, cafe, beans), (_, cafe_site, bean_site) = seed.members, seed.sites
    return [
        LoadStop(0, seed.network.id, load.id, 1, cafe_site.id, cafe.id, NOW + 20 * HOUR),
        LoadStop(0, seed.network.id, load.id, 2, bean_site.id, beans.id),
        LoadStop(0, seed.network.id, load.id, 3, cafe_site.id, cafe.id, NOW.astimezone(CEST)),
    ]


def _load_lines(uow: SqlUnitOfWork, seed: Seed) -> list[LoadLine]:
    load = _parent_load(uow, seed, "LD-LINES")
    order = _order(uow, seed, "PO-LOAD")
    order_lines = _order_lines(uow, seed, order)
    shipment = _shipment(uow, seed, order, "SH-LOAD")
    cafe_site, item = seed.sites[1], seed.items[0]
    return [
        LoadLine(0, load.id, item.id, Decimal("12.500"), 12.5, 0.03, cafe_site.id,
                 order_lines[0].id),
        LoadLine(0, load.id, item.id, Decimal("0.001"), 0.0, 0.0, cafe_site.id, None,
                 "transfer:DC-N>CAFE-07 #4"),
        LoadLine(0, load.id, seed.items[1].id, Decimal("9999999.999"), 1e7, 250.0, cafe_site.id,
                 order_lines[1].id, "", shipment.id),
    ]  # fmt: skip


def _tender(seed: Seed, load: Load, carrier: int) -> Tender:
    return Tender(
        0, seed.network.id, load.id, load.shipper_member_id, carrier, 38_000,
        load.pickup_from, load.pickup_to, load.delivery_from, load.delivery_to,
        NOW + 2 * HOUR, NOW, TenderStatus.OPEN,
    )  # fmt: skip


def _tenders(uow: SqlUnitOfWork, seed: Seed) -> list[Tender]:
    load = _parent_load(uow, seed, "LD-TENDERS")
    carrier, other = seed.members[2].id, seed.members[1].id
    return [
        _tender(seed, load, carrier),
        replace(_tender(seed, load, other), status=TenderStatus.REJECTED, rate_minor=BIG,
                reason="no truck on that day — sorry", responded_at=NOW.astimezone(CEST)),
        replace(_tender(seed, load, carrier), status=TenderStatus.ACCEPTED, responded_at=NOW),
    ]  # fmt: skip


def _event(seed: Seed, load: Load, message_id: str, status: TrackingStatus) -> TrackingEvent:
    return TrackingEvent(
        0, seed.network.id, load.id, message_id, status, NOW, NOW + HOUR, TrackingSource.API,
        "user:1",
    )  # fmt: skip


def _tracking_events(uow: SqlUnitOfWork, seed: Seed) -> list[TrackingEvent]:
    load = _parent_load(uow, seed, "LD-EVENTS")
    return [
        _event(seed, load, "m-1", TrackingStatus.PICKED_UP),
        replace(_event(seed, load, "m-2", TrackingStatus.DEPARTED), site_id=seed.sites[0].id,
                source=TrackingSource.MQTT, sender="api-key:tracker", at=NOW.astimezone(CEST)),
        replace(_event(seed, load, "m-3 ☕", TrackingStatus.EXCEPTION), latitude=-33.8688,
                longitude=151.2093, delay_hours=5.5, note="Stau auf der A7",
                source=TrackingSource.DEVICE),
    ]  # fmt: skip


def _load_etas(uow: SqlUnitOfWork, seed: Seed) -> list[LoadEta]:
    load = _parent_load(uow, seed, "LD-ETAS")
    event = uow.tracking_events.add(_event(seed, load, "eta-1", TrackingStatus.DEPARTED))
    nid = seed.network.id
    return [
        LoadEta(0, nid, load.id, NOW + 30 * HOUR, EtaBasis.PLANNED, NOW, False, 0.0),
        LoadEta(0, nid, load.id, (NOW + 31 * HOUR).astimezone(CEST), EtaBasis.DEPARTED, NOW,
                True, 0.3694413401817966, event.id),
        LoadEta(0, nid, load.id, NOW, EtaBasis.DELIVERED, NOW + HOUR, False, 1.0, event.id),
    ]  # fmt: skip


LOGISTICS_CASES = [
    Case(
        "vehicle_types",
        _vehicle_types,
        lambda e, _s: replace(e, max_weight_kg=18_000.0, member_id=None, mode=TransportMode.RAIL),
        (("network_id",), ("member_id",), ("network_id", "code"), ("mode",)),
    ),
    Case(
        "loads",
        _loads,
        lambda e, s: replace(
            e,
            status=LoadStatus.TENDERED,
            version=e.version + 1,
            carrier_member_id=s.members[1].id,
            distance_km=None,
        ),
        (("status",), ("shipper_member_id", "status"), ("carrier_member_id",), ("number",)),
    ),
    Case(
        "load_stops",
        _load_stops,
        lambda e, s: replace(e, planned_arrival=None, site_id=s.sites[0].id),
        (("load_id",), ("consignee_member_id",), ("site_id", "sequence"), ("planned_arrival",)),
    ),
    Case(
        "load_lines",
        _load_lines,
        lambda e, _s: replace(e, quantity=Decimal("-1.000"), shipment_id=None),
        (("load_id",), ("order_line_id",), ("shipment_id",), ("transfer_reference",)),
    ),
    Case(
        "tenders",
        _tenders,
        lambda e, _s: replace(e, status=TenderStatus.EXPIRED, responded_at=NOW, reason=""),
        (("load_id",), ("carrier_member_id", "status"), ("responded_at",)),
    ),
    Case(
        "tracking_events",
        _tracking_events,
        lambda e, _s: replace(e, note="late", delay_hours=None, latitude=None, longitude=None),
        (("load_id",), ("load_id", "message_id"), ("status",), ("site_id",), ("delay_hours",)),
    ),
    Case(
        "load_etas",
        _load_etas,
        lambda e, _s: replace(e, late_risk=not e.late_risk, tracking_event_id=None),
        (("load_id",), ("late_risk",), ("tracking_event_id",), ("basis",)),
    ),
]
