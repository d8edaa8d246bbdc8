"""Concurrent batches of one device on PostgreSQL: writers sending overlapping batches for the
same machine at the same moment (over HTTP with the device's key and over MQTT, one message-id
space) never deadlock or fail, store each message once, and add to the daily demand exactly what
the distinct messages stand for; replaying the batches changes nothing.

Each writer holds its rows a little after writing them (``_SlowUnitOfWork``), so that a
look-up-then-insert or a read-modify-write of the demand would lose or double counts on most
rounds, not once in a while; the race is run for several rounds, each released by a barrier.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial
from typing import Any, Self

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.signals import SignalSource
from tandem.services import devices, identity, ingestion
from tandem.services.context import ServiceContext
from tandem.services.devices import RegisterDevice
from tandem.services.ingestion import IngestResult, SignalInput
from tests.integration.race_support import SlowReads, race_each
from tests.services.signal_world import NOW, RecipeWorld, recipe_world

pytestmark = pytest.mark.postgres

ROUNDS = 10
WRITERS = 4
BATCH = 6  # message ids per batch; writer i sends ids i … i + 5 of its round
HOLD_SECONDS = 0.02
# What one latte stands for at CAFE-1 (signal_world: 1/64 kg blend, 1/4 l milk, one cup).
PER_LATTE = {"LATTE": 1.0, "BLEND": 0.015625, "MILK": 0.25, "CUP": 1.0}


class _SlowUnitOfWork(SqlUnitOfWork):
    """Holds the inserted messages and the incremented days a little after writing each."""

    def __enter__(self) -> Self:
        super().__enter__()
        self.signal_records = SlowReads(self.signal_records, HOLD_SECONDS, ("add_new",))
        self.demand = SlowReads(self.demand, HOLD_SECONDS, ("increment",))
        return self


def _quantity(k: int) -> float:
    return 0.5 + k % 3  # 0.5, 1.5, 2.5: dyadic, so every sum below is exact


def _at(k: int) -> str:
    """Even messages were made late on the 19th (local time), odd ones on the 20th."""
    return "2026-11-19T22:30:00+01:00" if k % 2 == 0 else "2026-11-20T08:00:00+01:00"


def _batch(round_: int, writer: int) -> list[dict[str, Any]]:
    """Message ids ``writer … writer + BATCH - 1`` of the round, the first one sent twice."""
    ks = [*range(writer, writer + BATCH), writer]
    return [
        {"message_id": f"r{round_}-{k}", "recipe": "LATTE", "quantity": _quantity(k), "at": _at(k)}
        for k in ks
    ]


def _expected_demand(message_ks: list[int]) -> dict[tuple[str, str], float]:
    """By hand: each distinct message's lattes times what a latte stands for, per day."""
    expected: dict[tuple[str, str], float] = defaultdict(float)
    for k in message_ks:
        day = "2026-11-19" if k % 2 == 0 else "2026-11-20"
        for sku, per in PER_LATTE.items():
            expected[(sku, day)] += _quantity(k) * per
    return dict(expected)


def _stored(
    engine: Engine, w: RecipeWorld, device_id: int
) -> tuple[Counter[str], dict[Any, float]]:
    """How often each message id of the device is stored, and the demand at CAFE-1."""
    skus = {v: k for k, v in w.items.items()}
    with SqlUnitOfWork(engine) as uow:
        records = uow.signal_records.find(sender=f"device:{device_id}")
        points = uow.demand.find(site_id=w.sites["CAFE-1"])
    demand = {(skus[p.item_id], p.day.isoformat()): p.quantity for p in points}
    return Counter(r.message_id for r in records), demand


def test_overlapping_batches_of_one_device_store_each_message_once_and_count_it_once(
    postgres_engine: Engine,
) -> None:
    clock = FixedClock(NOW)
    ctx = ServiceContext(lambda: _SlowUnitOfWork(postgres_engine), clock, PlainPasswordHasher())
    w = recipe_world(ctx, clock)
    registered = devices.register_device(
        ctx, w.cafe, RegisterDevice(w.sites["CAFE-1"], "M-1", "Espresso bar")
    )
    key = identity.authenticate_api_key(ctx, registered.api_key)

    def send(round_: int, writer: int) -> IngestResult:
        batch = _batch(round_, writer)
        if writer % 2:  # odd writers speak MQTT, even ones HTTP: one message-id space
            return ingestion.ingest_device_message(
                ctx, "M-1", registered.api_key, {"records": batch}
            )
        records = [SignalInput.from_mapping(r, "at") for r in batch]
        return ingestion.ingest_records(ctx, key, records, SignalSource.HTTP)

    distinct = WRITERS - 1 + BATCH  # ids 0 … 8 of each round
    sent: list[int] = []
    for round_ in range(ROUNDS):
        outcomes = race_each(WRITERS, partial(send, round_))

        assert all(isinstance(o, IngestResult) for o in outcomes), outcomes
        assert sum(o.rejected for o in outcomes) == 0
        assert sum(o.accepted for o in outcomes) == distinct
        assert sum(o.duplicates for o in outcomes) == WRITERS * (BATCH + 1) - distinct
        sent += range(distinct)
        counts, demand = _stored(postgres_engine, w, registered.device.id)
        assert set(counts.values()) == {1}
        assert sorted(counts) == sorted(
            f"r{r}-{k}" for r in range(round_ + 1) for k in range(distinct)
        )
        assert demand == _expected_demand(sent), f"round {round_}"

    replays = race_each(WRITERS, partial(send, 0))

    assert [(o.accepted, o.duplicates) for o in replays] == [(0, BATCH + 1)] * WRITERS
    assert _stored(postgres_engine, w, registered.device.id) == (counts, demand)
    # ten rounds of ids 0 … 8: per round, lattes 3 × (0.5 + 1.5 + 2.5) = 13.5 → 135 cups
    assert sum(q for (sku, _), q in demand.items() if sku == "LATTE") == 135.0
    assert devices.get_device(ctx, w.cafe, registered.device.id).last_seen_at == NOW
