"""Two concurrent writers on PostgreSQL: unique keys decide, exactly one wins, the other gets a
domain error (never a raw database error, never a second row)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.errors import DuplicateCode, IdempotencyInProgress
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.network import Site, SiteKind
from tandem.services import idempotency, network
from tandem.services.context import ServiceContext
from tests.integration.network_seed import seed_network

pytestmark = pytest.mark.postgres

ROUNDS = 4


class SlowClock(FixedClock):
    """Widens the gap between "is the key free?" and "insert it", so both claims see it free."""

    def now(self) -> datetime:
        time.sleep(0.05)
        return super().now()


def _services(url: str, engine: Engine, clock: FixedClock) -> ServiceContext:
    return bootstrap(
        Settings(database_url=url), engine=engine, clock=clock, passwords=PlainPasswordHasher()
    ).services


def _race(action: Callable[[], Any]) -> list[Any]:
    """Run ``action`` in two threads released together; return each result or exception."""
    barrier = threading.Barrier(2)
    outcomes: list[Any] = [None, None]

    def contender(index: int) -> None:
        barrier.wait(timeout=10)
        try:
            outcomes[index] = action()
        except Exception as error:  # the outcome under test
            outcomes[index] = error

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [thread.is_alive() for thread in threads] == [False, False]
    return outcomes


def test_two_concurrent_claims_of_one_idempotency_key_let_exactly_one_run(
    postgres_url: str, postgres_engine: Engine
) -> None:
    ctx = _services(postgres_url, postgres_engine, SlowClock(datetime(2026, 11, 21, tzinfo=UTC)))
    for round_ in range(ROUNDS):
        key = f"key-{round_}"

        outcomes = _race(lambda key=key: idempotency.claim(ctx, "user:7", key, "fp"))

        claimed = [o for o in outcomes if o is None]
        refused = [o for o in outcomes if isinstance(o, IdempotencyInProgress)]
        assert (len(claimed), len(refused)) == (1, 1), outcomes
        with SqlUnitOfWork(postgres_engine) as uow:
            records = uow.idempotency.find(principal="user:7", key=key)
        assert [(r.fingerprint, r.status_code, r.body) for r in records] == [("fp", None, None)]

    done = idempotency.StoredResponse(201, '{"id": 1}')
    idempotency.complete(ctx, "user:7", "key-0", done)
    assert idempotency.claim(ctx, "user:7", "key-0", "fp") == done
    with SqlUnitOfWork(postgres_engine) as uow:
        assert uow.idempotency.count() == ROUNDS


def test_two_concurrent_sites_with_one_code_let_exactly_one_in(
    postgres_url: str, postgres_engine: Engine
) -> None:
    seed = seed_network(postgres_engine)
    ctx = _services(postgres_url, postgres_engine, FixedClock())
    owner = seed.members[0]
    principal = Principal(owner.id, seed.network.id, "roaster@example.com", ALL_SCOPES)
    for round_ in range(ROUNDS):
        fields = network.SiteFields(f"DC-{round_}", "Hub", SiteKind.WAREHOUSE, 52.0, 4.0)

        outcomes = _race(lambda fields=fields: network.add_site(ctx, principal, fields))

        added = [o for o in outcomes if isinstance(o, Site)]
        refused = [o for o in outcomes if isinstance(o, DuplicateCode)]
        assert (len(added), len(refused)) == (1, 1), outcomes
        with SqlUnitOfWork(postgres_engine) as uow:
            assert uow.sites.find(network_id=seed.network.id, code=fields.code) == added
    with SqlUnitOfWork(postgres_engine) as uow:
        assert uow.sites.count(network_id=seed.network.id) == len(seed.sites) + ROUNDS
