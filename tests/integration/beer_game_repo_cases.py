"""Round-trip cases of the beer game repositories (games and their weekly orders), run by
``test_repositories``: three entities each, with edge values (bots and open seats, a finished
game in CEST, fractional bot orders, orders without a person)."""

from __future__ import annotations

from dataclasses import replace

from tandem.adapters.sql import SqlUnitOfWork
from tandem.domain.beer_games import BotPolicy, Game, GameOrder, GameStatus, Role, Seat
from tandem.domain.identity import User
from tests.integration.flow_cases import CEST, NOW, Case
from tests.integration.network_seed import Seed


def _player(uow: SqlUnitOfWork, seed: Seed, email: str) -> User:
    return uow.users.add(User(0, seed.members[1].id, email, "Player", "plain$x"))


def _seats(user_id: int | None, bot: BotPolicy | None = None) -> tuple[Seat, ...]:
    return (
        Seat(Role.RETAILER, None, user_id),
        Seat(Role.WHOLESALER, bot),
        Seat(Role.DISTRIBUTOR, BotPolicy.STERMAN),
        Seat(Role.FACTORY, BotPolicy.BASE_STOCK),
    )


def _game(seed: Seed, network_id: int, code: str, user_id: int) -> Game:
    return Game(0, network_id, code, user_id, GameStatus.WAITING, _seats(user_id), 1, NOW)


def _games(uow: SqlUnitOfWork, seed: Seed) -> list[Game]:
    user = _player(uow, seed, "player@example.com")
    finished = replace(
        _game(seed, seed.network.id, "ZZZZZZZZZZZZZZZZ", user.id),
        status=GameStatus.FINISHED, seats=_seats(user.id, BotPolicy.STERMAN), week=21,
        weeks=20, created_at=NOW.astimezone(CEST), finished_at=NOW,
    )  # fmt: skip
    return [
        _game(seed, seed.network.id, "ABC234", user.id),
        finished,
        _game(seed, seed.other_network.id, "XYZ789", user.id),
    ]


def _orders(uow: SqlUnitOfWork, seed: Seed) -> list[GameOrder]:
    user = _player(uow, seed, "orderer@example.com")
    game = uow.beer_games.add(_game(seed, seed.network.id, "PARENT", user.id))
    return [
        GameOrder(0, game.id, 1, Role.RETAILER, 4.0, NOW, user.id),
        GameOrder(0, game.id, 1, Role.DISTRIBUTOR, 4.239200000000001, NOW.astimezone(CEST)),
        GameOrder(0, game.id, 2, Role.RETAILER, 0.0, NOW, user.id),
    ]


BEER_GAME_CASES = [
    Case(
        "beer_games",
        _games,
        lambda e, _s: replace(
            e, status=GameStatus.PLAYING, seats=_seats(None, BotPolicy.BASE_STOCK), week=2
        ),
        (("network_id",), ("join_code",), ("status", "week"), ("finished_at",)),
    ),
    Case(
        "beer_game_orders",
        _orders,
        lambda e, _s: replace(e, quantity=1e-9),
        (("game_id",), ("game_id", "week"), ("role",), ("user_id",)),
    ),
]
