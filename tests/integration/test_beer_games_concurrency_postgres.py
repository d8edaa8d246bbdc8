"""Four people of one beer game ordering the same week at the same moment, on PostgreSQL (never
skipped: the ``postgres_url`` fixture fails without a server).

The race is made deterministic: during it, every read of a game waits a moment after it returns.
Players that read the game without locking would always overlap: each would see only its own
order, none would find the week complete, and the game would hang at week 1 for ever. With the
row lock of ``get_for_update`` they queue; the last one in sees all four orders and advances the
week, exactly once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Self

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.database import create_engine
from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.migrations import upgrade
from tandem.adapters.sql import SqlUnitOfWork
from tandem.adapters.tables import metadata
from tandem.domain.beer_games import ROLES, GameStatus, Role
from tandem.services import beer_games, identity, transfer
from tandem.services.beer_games import CreateGame, GameView
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tests.support import PASSWORD, small_snapshot

pytestmark = pytest.mark.postgres

PAUSE = 0.3  # seconds a read of a game waits during the race


@pytest.fixture
def migrated_engine(postgres_url: str) -> Iterator[Engine]:
    """The application's engine on this worker's database, migrated to head by Alembic."""
    engine = create_engine(postgres_url)
    _empty(engine)
    upgrade(engine)
    yield engine
    _empty(engine)
    engine.dispose()


def _empty(engine: Engine) -> None:
    metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


class _SlowReads:
    """A repository whose ``get`` and ``get_for_update`` pause after reading."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name not in ("get", "get_for_update"):
            return attribute

        def slow(*args: Any, **kwargs: Any) -> Any:
            found = attribute(*args, **kwargs)
            time.sleep(PAUSE)
            return found

        return slow


class _SlowUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> Self:
        super().__enter__()
        self.beer_games = _SlowReads(self.beer_games)
        return self


def _race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions in threads released together; return each result or exception."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def contender(index: int) -> None:
        barrier.wait(timeout=10)
        try:
            outcomes[index] = actions[index]()
        except Exception as error:  # the outcome under test
            outcomes[index] = error

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [thread.is_alive() for thread in threads] == [False] * len(actions)
    return outcomes


def test_four_orders_of_one_week_at_once_advance_the_week_exactly_once(
    migrated_engine: Engine,
) -> None:
    def plain() -> UnitOfWork:
        return SqlUnitOfWork(migrated_engine)  # type: ignore[return-value]

    def slow() -> UnitOfWork:
        return _SlowUnitOfWork(migrated_engine)  # type: ignore[return-value]

    clock, hasher = FixedClock(), PlainPasswordHasher()
    ctx, racing = ServiceContext(plain, clock, hasher), ServiceContext(slow, clock, hasher)
    transfer.import_snapshot(ctx, small_snapshot())
    with ctx.uow() as uow:
        roaster_member = uow.users.find(email="roaster@example.com")[0].member_id
    identity.add_user(
        ctx, identity.AddUser(roaster_member, "rob@example.com", "Rob Roaster", PASSWORD)
    )
    emails = ("cafe@example.com", "roaster@example.com", "beans@example.com", "rob@example.com")
    people = [
        identity.authenticate_token(ctx, identity.login(ctx, email, PASSWORD).token)
        for email in emails
    ]
    game = beer_games.create_game(ctx, people[0], CreateGame({}, Role.RETAILER)).game
    for person, role in zip(people[1:], ROLES[1:], strict=True):
        beer_games.join_game(ctx, person, game.join_code, role)

    outcomes = _race(
        *(
            lambda p=person, q=quantity: beer_games.submit_order(racing, p, game.id, 1, q)
            for person, quantity in zip(people, (5, 6, 7, 8), strict=True)
        )
    )

    assert all(isinstance(o, GameView) for o in outcomes), outcomes
    assert sorted(o.game.week for o in outcomes) == [1, 1, 1, 2]  # one saw the week close
    with ctx.uow() as uow:
        stored = uow.beer_games.get(game.id)
        orders = uow.beer_game_orders.find(game_id=game.id)
    assert stored is not None
    assert (stored.week, stored.status) == (2, GameStatus.PLAYING)
    assert sorted((o.week, o.role.value, o.quantity) for o in orders) == [
        (1, "distributor", 7.0),
        (1, "factory", 8.0),
        (1, "retailer", 5.0),
        (1, "wholesaler", 6.0),
    ]
    view = beer_games.game_view(ctx, people[0], game.id)
    assert view.position is not None
    assert view.position.my_orders == (5.0,)
