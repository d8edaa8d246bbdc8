"""The two writes of signal ingestion on the real databases: a message stored once per sender and
message id (a repeat is skipped, not an error), and daily demand grown by an increment in SQL.

On PostgreSQL, concurrent ingesters of the same day and of the same message: each writer holds its
locks a little longer than it naturally would (``_SlowUnitOfWork``), so a read-modify-write of the
day's demand would lose updates, and an insert racing on one message id would fail, on every run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Self

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.network import DemandPoint
from tandem.domain.signals import SignalRecord, SignalSource
from tandem.services import identity, ingestion, transfer
from tandem.services.context import ServiceContext
from tandem.services.ingestion import IngestResult, SignalInput
from tests.integration.network_seed import Seed
from tests.integration.race_support import SlowReads, race_each
from tests.support import PASSWORD, small_snapshot

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 20)
WRITERS = 8
HOLD_SECONDS = 0.05


def _record(seed: Seed, message_id: str, quantity: float = 1.0) -> SignalRecord:
    cafe, site, item = seed.members[1], seed.sites[1], seed.items[0]
    return SignalRecord(
        0, seed.network.id, cafe.id, SignalSource.MQTT, "device:1", message_id,
        site.id, item.id, quantity, NOW, DAY, NOW,
    )  # fmt: skip


def test_add_new_skips_stored_and_repeated_messages(engine: Engine, seed: Seed) -> None:
    with SqlUnitOfWork(engine) as uow:
        first = uow.signal_records.add_new([_record(seed, "a"), _record(seed, "b")])
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        again = uow.signal_records.add_new(
            [_record(seed, "b", 9.0), _record(seed, "c"), _record(seed, "c", 5.0)]
        )
        found = uow.signal_records.find_messages("device:1", ["a", "c", "zz"])
        uow.commit()

    assert [(r.message_id, r.id) for r in first] == [("a", 1), ("b", 2)]
    assert [(r.message_id, r.quantity) for r in again] == [("c", 1.0)]
    assert [(r.message_id, r.quantity) for r in found] == [("a", 1.0), ("c", 1.0)]
    with SqlUnitOfWork(engine) as uow:
        assert uow.signal_records.count() == 3


def test_increment_adds_to_a_stored_day_and_creates_missing_ones(
    engine: Engine, seed: Seed
) -> None:
    cafe, site, (i1, i2, _) = seed.members[1], seed.sites[1], seed.items
    with SqlUnitOfWork(engine) as uow:
        uow.demand.add(DemandPoint(0, cafe.id, site.id, i1.id, DAY, 10.0))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        stored = uow.demand.increment(
            [
                DemandPoint(0, cafe.id, site.id, i2.id, DAY, 0.5),
                DemandPoint(0, cafe.id, site.id, i1.id, DAY, 2.0),
                DemandPoint(0, cafe.id, site.id, i1.id, DAY, 0.25),
            ]
        )
        uow.commit()

    assert [(p.item_id, p.quantity) for p in stored] == [(i1.id, 12.25), (i2.id, 0.5)]
    with SqlUnitOfWork(engine) as uow:
        assert [(p.item_id, p.quantity, p.owner_member_id) for p in uow.demand.find()] == [
            (i1.id, 12.25, cafe.id),
            (i2.id, 0.5, cafe.id),
        ]
        assert uow.demand.increment([]) == []


class _SlowUnitOfWork(SqlUnitOfWork):
    """Holds the message's row and the day's row a little after writing each."""

    def __enter__(self) -> Self:
        super().__enter__()
        self.signal_records = SlowReads(self.signal_records, HOLD_SECONDS, ("add_new",))
        self.demand = SlowReads(self.demand, HOLD_SECONDS, ("increment",))
        return self


@pytest.mark.postgres
def test_concurrent_ingesters_lose_no_demand_and_count_a_repeated_message_once(
    postgres_engine: Engine,
) -> None:
    ctx = ServiceContext(
        lambda: _SlowUnitOfWork(postgres_engine), FixedClock(NOW), PlainPasswordHasher()
    )
    transfer.import_snapshot(ctx, small_snapshot())
    cafe = identity.authenticate_token(ctx, identity.login(ctx, "cafe@example.com", PASSWORD).token)

    def ingest(index: int) -> IngestResult:
        # even writers repeat one shared message; odd writers each send their own
        message_id = "shared" if index % 2 == 0 else f"own-{index}"
        record = SignalInput.from_mapping(
            {
                "site": "CAFE-1",
                "item": "LATTE",
                "quantity": 2.0 if index % 2 == 0 else float(index),
                "occurred_at": "2026-11-20T08:00:00Z",
                "message_id": message_id,
            }
        )
        return ingestion.ingest_records(ctx, cafe, [record], SignalSource.HTTP)

    outcomes = race_each(WRITERS, ingest)

    assert all(isinstance(o, IngestResult) for o in outcomes), outcomes
    assert sum(o.accepted for o in outcomes) == 1 + WRITERS // 2
    assert sum(o.duplicates for o in outcomes) == WRITERS // 2 - 1
    with SqlUnitOfWork(postgres_engine) as uow:
        (latte,) = uow.items.find(sku="LATTE")
        (point,) = uow.demand.find(item_id=latte.id)
        assert uow.signal_records.count() == 1 + WRITERS // 2
    assert (point.day, point.quantity) == (DAY, 2.0 + 1 + 3 + 5 + 7)
