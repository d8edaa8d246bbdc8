"""Four people of one beer game ordering the same week at the same moment, on PostgreSQL (never
skipped: the ``postgres_url`` fixture fails without a server).

The race is made deterministic: during it, every read of a game waits a moment after it returns.
Players that read the game without locking would always overlap: each would see only its own
order, none would find the week complete, and the game would hang at week 1 for ever. With the
row lock of ``get_for_update`` they queue; the last one in sees all four orders and advances the
week, exactly once.
"""

from __future__ import annotations

from typing import Self

import pytest
from sqlalchemy.engine import Engine

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.beer_games import ROLES, GameStatus, Role
from tandem.services import beer_games, identity, transfer
from tandem.services.beer_games import CreateGame, GameView
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork
from tests.integration.race_support import SlowReads, race
from tests.support import PASSWORD, small_snapshot

pytestmark = pytest.mark.postgres


class _SlowUnitOfWork(SqlUnitOfWork):
    def __enter__(self) -> Self:
        super().__enter__()
        self.beer_games = SlowReads(self.beer_games)
        return self


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

    outcomes = race(
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
