"""Round-trip cases of the demand-sensing repositories (devices, raw signal records, feedback),
run by ``test_repositories``: three entities each, with edge values (``None``, non-UTC
datetimes, a zero and a fractional quantity, the longest message id and comment)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.identity import ApiKey, Scope
from tandem.domain.signals import Device, DeviceKind, Feedback, SignalRecord, SignalSource
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed

DERIVED = "sha256:" + "e" * 64


def _key(uow: SqlUnitOfWork, seed: Seed, prefix: str) -> ApiKey:
    member = seed.members[1]
    return uow.api_keys.add(
        ApiKey(0, member.id, f"device:{prefix}", prefix, "c" * 64, frozenset({Scope.INGEST}))
    )


def _device(uow: SqlUnitOfWork, seed: Seed, code: str = "M-0") -> Device:
    cafe, cafe_site = seed.members[1], seed.sites[1]
    key = _key(uow, seed, f"p{code}")
    return uow.devices.add(
        Device(
            0,
            seed.network.id,
            cafe.id,
            cafe_site.id,
            code,
            "Machine",
            DeviceKind.SENSOR,
            key.id,
            NOW,
        )
    )


def _devices(uow: SqlUnitOfWork, seed: Seed) -> list[Device]:
    (roast, cafe, _), (plant, cafe_site, _) = seed.members, seed.sites
    keys = [_key(uow, seed, f"k{n}") for n in range(3)]
    net = seed.network.id
    return [
        Device(0, net, cafe.id, cafe_site.id, "M-1", "Latte machine", DeviceKind.COFFEE_MACHINE,
               keys[0].id, NOW),
        Device(0, net, cafe.id, cafe_site.id, "M-2", "Till ☕", DeviceKind.POS_TERMINAL, keys[1].id,
               NOW.astimezone(CEST), NOW + timedelta(minutes=5), False),
        Device(0, seed.other_network.id, roast.id, plant.id, "M-1", "Shelf", DeviceKind.OTHER,
               keys[2].id, NOW, NOW.astimezone(CEST)),
    ]  # fmt: skip


def _signal_records(uow: SqlUnitOfWork, seed: Seed) -> list[SignalRecord]:
    (_, cafe, _), (_, cafe_site, _), (i1, i2, _) = seed.members, seed.sites, seed.items
    device = _device(uow, seed)
    sender = f"device:{device.id}"
    day = date(2026, 11, 21)
    return [
        SignalRecord(0, seed.network.id, cafe.id, SignalSource.MQTT, sender, "1", cafe_site.id,
                     i1.id, 2.0, NOW, day, NOW, device.id),
        SignalRecord(0, seed.network.id, cafe.id, SignalSource.HTTP, "user:1", "x" * 128,
                     cafe_site.id, i2.id, 0.0, NOW.astimezone(CEST), day, NOW),
        SignalRecord(0, seed.network.id, cafe.id, SignalSource.CSV, "api-key:3", DERIVED,
                     cafe_site.id, i1.id, 0.333, NOW - timedelta(days=40), day - timedelta(days=41),
                     NOW.astimezone(CEST)),
    ]  # fmt: skip


def _feedback(uow: SqlUnitOfWork, seed: Seed) -> list[Feedback]:
    (_, cafe, _), (_, cafe_site, _), (i1, _, _) = seed.members, seed.sites, seed.items
    device = _device(uow, seed)
    net = seed.network.id
    return [
        Feedback(0, net, cafe.id, cafe_site.id, device.id, i1.id, 5, "Perfect crema", NOW),
        Feedback(0, net, cafe.id, cafe_site.id, None, None, 1, "", NOW.astimezone(CEST)),
        Feedback(0, net, cafe.id, cafe_site.id, device.id, None, 3, "ü" * 1000, NOW),
    ]


SIGNAL_CASES = [
    Case(
        "devices",
        _devices,
        lambda e, _s: replace(e, active=False, last_seen_at=NOW.astimezone(CEST), name="Renamed"),
        (("member_id",), ("network_id", "code"), ("api_key_id",), ("active",), ("last_seen_at",)),
    ),
    Case(
        "signal_records",
        _signal_records,
        lambda e, _s: replace(e, quantity=e.quantity + 0.5, day=date(2025, 12, 31)),
        (
            ("sender",),
            ("sender", "message_id"),
            ("device_id",),
            ("day", "source"),
            ("occurred_at",),
        ),
    ),
    Case(
        "feedback",
        _feedback,
        lambda e, _s: replace(e, rating=2, comment="changed", item_id=None),
        (("item_id",), ("device_id",), ("site_id", "item_id"), ("rating",), ("submitted_at",)),
    ),
]
