"""Two concurrent answers to one tender, and one tracking report delivered twice at the same
moment, on PostgreSQL: the load's row lock queues them, so exactly one acceptance wins (the
other gets ``invalid_state_transition``) and the report is stored, and the load shipped, once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.errors import InvalidTransition
from tandem.domain.logistics import LoadStatus, TenderStatus, TrackingStatus
from tandem.services.logistics import tenders
from tests.integration.test_shipments_concurrency_postgres import _race
from tests.services.carrier_world import accepted_load, at, build, new_load, offer, report

pytestmark = pytest.mark.postgres


def test_two_concurrent_accepts_of_one_tender_one_wins_one_conflicts(
    postgres_url: str, postgres_engine: Engine
) -> None:
    ctx = bootstrap(
        Settings(database_url=postgres_url), engine=postgres_engine, clock=FixedClock(),
        passwords=PlainPasswordHasher(),
    ).services  # fmt: skip
    haul = build(ctx)
    view = offer(haul, new_load(haul).load.id)

    outcomes = _race(lambda: tenders.accept_tender(ctx, haul.carrier, view.tender.id))

    won = [o for o in outcomes if isinstance(o, tenders.TenderView)]
    lost = [o for o in outcomes if isinstance(o, InvalidTransition)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    with SqlUnitOfWork(postgres_engine) as uow:
        load = uow.loads.get(view.load.id)
        tender = uow.tenders.get(view.tender.id)
        assert load is not None and tender is not None
        assert (load.status, load.version, tender.status) == (
            LoadStatus.ACCEPTED, 3, TenderStatus.ACCEPTED)  # fmt: skip
        assert uow.load_etas.count(load_id=load.id) == 1


def test_one_report_sent_twice_at_once_is_stored_and_shipped_once(
    postgres_url: str, postgres_engine: Engine
) -> None:
    ctx = bootstrap(
        Settings(database_url=postgres_url), engine=postgres_engine, clock=FixedClock(),
        passwords=PlainPasswordHasher(),
    ).services  # fmt: skip
    haul = build(ctx)
    load_id = accepted_load(haul)

    outcomes = _race(lambda: report(haul, load_id, "m-1", TrackingStatus.PICKED_UP, at(23, 9)))

    assert sorted(o.duplicate for o in outcomes) == [False, True], outcomes
    with SqlUnitOfWork(postgres_engine) as uow:
        assert uow.tracking_events.count(load_id=load_id) == 1
        assert uow.shipments.count() == 1
        (line,) = uow.purchase_order_lines.find(id=haul.order_line.id)
        assert line.shipped_quantity == Decimal("80.000")
