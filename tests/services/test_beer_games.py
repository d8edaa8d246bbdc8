"""Interactive beer games on the in-memory twins: seats, weekly orders, the week advancing only
when every seat has ordered, idempotent re-submission, and the books of the batch engine
(Sterman 1989, Management Science 35(3), 321-339)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.support import PASSWORD, World

from tandem.domain.beer_games import (
    ROLES,
    BotPolicy,
    GameStatus,
    OrderAlreadyPlaced,
    Role,
    SeatTaken,
    WrongWeek,
)
from tandem.domain.errors import Forbidden, InvalidTransition, NotFound, ValidationFailed
from tandem.domain.identity import Principal, Scope
from tandem.planning.simulation import AnchorAndAdjust, BaseStock, BeerGame, BeerGameResult
from tandem.planning.simulation.beer_game_play import advance, bot_order, game_result, start
from tandem.services import beer_games, identity
from tandem.services.beer_games import CreateGame, echelon_of

THREE_BOTS: dict[Role, BotPolicy] = {
    r: BotPolicy.BASE_STOCK for r in ROLES if r is not Role.RETAILER
}


def _fourth_person(world: World) -> Principal:
    member_id = world.roaster.member_id
    identity.add_user(
        world.ctx, identity.AddUser(member_id, "rob@example.com", "Rob Roaster", PASSWORD)
    )
    return world.sign_in("rob@example.com")


def _order_count(world: World, game_id: int) -> int:
    with world.ctx.uow() as uow:
        return uow.beer_game_orders.count(game_id=game_id)


def _retailer_against_bots(retailer_orders: list[float]) -> BeerGameResult:
    """The pure engine with the retailer's typed orders and base-stock bots upstream."""
    state = start()
    for quantity in retailer_orders:
        levels = state.board.equilibrium_base_stock()
        bots = [bot_order(state, echelon_of(r), BaseStock(levels[k])) for k, r in enumerate(ROLES)]
        state = advance(state, [quantity, *bots[1:]])
    return game_result(state)


@pytest.mark.parametrize(
    ("bot", "policy"),
    [
        (BotPolicy.STERMAN, AnchorAndAdjust.sterman_mean_estimates()),
        (BotPolicy.BASE_STOCK, None),
    ],
)
def test_four_bots_play_the_whole_game_at_once_as_the_batch_engine(
    world: World, bot: BotPolicy, policy: AnchorAndAdjust | None
) -> None:
    view = beer_games.create_game(world.ctx, world.roaster, CreateGame(dict.fromkeys(ROLES, bot)))
    assert view.game.status is GameStatus.FINISHED
    assert view.game.week == 37
    assert _order_count(world, view.game.id) == 4 * 36
    levels = [BaseStock(s) for s in (28.0, 28.0, 28.0, 24.0)]
    batch = BeerGame(policy or levels).run()
    assert view.result is not None
    np.testing.assert_array_equal(view.result.orders, batch.orders)
    np.testing.assert_array_equal(view.result.weekly_cost, batch.weekly_cost)
    assert view.result.total_cost == batch.total_cost
    assert view.result.echelon_cost == batch.echelon_cost
    # the coordinated benchmark: base stock 32, 32, 32, 24 costs 180 (hand-derived in the
    # engine's tests); the equilibrium levels cost 792, Sterman's bots 2254.74
    assert view.benchmark is not None
    assert (view.benchmark.levels, view.benchmark.total_cost) == ((32, 32, 32, 24), 180.0)
    expected = 792.0 if bot is BotPolicy.BASE_STOCK else pytest.approx(2254.74, abs=0.005)
    assert view.result.total_cost == expected


def test_one_person_against_three_bots_keeps_the_engines_books(world: World) -> None:
    created = beer_games.create_game(
        world.ctx, world.cafe, CreateGame(THREE_BOTS, creator_role=Role.RETAILER)
    )
    game_id = created.game.id
    assert created.game.status is GameStatus.PLAYING
    # the bots ordered week 1 at once; the retailer sees its own position only
    assert created.ordered == {Role.WHOLESALER, Role.DISTRIBUTOR, Role.FACTORY}
    assert created.position is not None
    assert (created.position.inventory, created.position.incoming_order) == (12.0, 4.0)
    typed = [4.0] * 4 + [8.0, 12.0, 16.0, 10.0] + [8.0] * 28
    for week, quantity in enumerate(typed, start=1):
        view = beer_games.submit_order(world.ctx, world.cafe, game_id, week, quantity)
        assert view.game.week == week + 1
    assert view.game.status is GameStatus.FINISHED
    expected = _retailer_against_bots(typed)
    assert view.result is not None
    np.testing.assert_array_equal(view.result.orders, expected.orders)
    np.testing.assert_array_equal(view.result.inventory, expected.inventory)
    assert view.result.total_cost == expected.total_cost
    assert view.result.orders[0].tolist() == typed


def test_the_week_advances_only_when_every_person_has_ordered(world: World) -> None:
    bots: dict[Role, BotPolicy] = {
        Role.DISTRIBUTOR: BotPolicy.STERMAN,
        Role.FACTORY: BotPolicy.STERMAN,
    }
    created = beer_games.create_game(world.ctx, world.cafe, CreateGame(bots, Role.RETAILER))
    game = created.game
    assert game.status is GameStatus.WAITING
    with pytest.raises(InvalidTransition):
        beer_games.submit_order(world.ctx, world.cafe, game.id, 1, 4)
    assert _order_count(world, game.id) == 0  # bots wait for the people too
    joined = beer_games.join_game(world.ctx, world.roaster, game.join_code.lower(), Role.WHOLESALER)
    assert joined.game.status is GameStatus.PLAYING
    assert joined.ordered == {Role.DISTRIBUTOR, Role.FACTORY}
    assert [joined.names[r] for r in ROLES] == [
        "Carl Cafe", "Rita Roaster", "sterman bot", "sterman bot"
    ]  # fmt: skip

    first = beer_games.submit_order(world.ctx, world.cafe, game.id, 1, 5)
    assert (first.game.week, first.my_order) == (1, 5.0)
    assert first.ordered == {Role.RETAILER, Role.DISTRIBUTOR, Role.FACTORY}
    second = beer_games.submit_order(world.ctx, world.roaster, game.id, 1, 4)
    assert second.game.week == 2
    assert second.ordered == {Role.DISTRIBUTOR, Role.FACTORY}  # the bots of week 2
    assert second.position is not None
    assert second.position.my_orders == (4.0,)
    assert beer_games.game_view(world.ctx, world.cafe, game.id).position.my_orders == (5.0,)  # type: ignore[union-attr]


def test_an_order_sent_twice_counts_once_and_a_different_one_is_a_conflict(world: World) -> None:
    bots: dict[Role, BotPolicy] = {
        Role.DISTRIBUTOR: BotPolicy.STERMAN,
        Role.FACTORY: BotPolicy.STERMAN,
    }
    game = beer_games.create_game(world.ctx, world.cafe, CreateGame(bots, Role.RETAILER)).game
    beer_games.join_game(world.ctx, world.roaster, game.join_code, Role.WHOLESALER)
    beer_games.submit_order(world.ctx, world.cafe, game.id, 1, 6)
    count = _order_count(world, game.id)
    again = beer_games.submit_order(world.ctx, world.cafe, game.id, 1, 6)
    assert (again.game.week, _order_count(world, game.id)) == (1, count)
    with pytest.raises(OrderAlreadyPlaced) as conflict:
        beer_games.submit_order(world.ctx, world.cafe, game.id, 1, 7)
    assert conflict.value.code == "beer_game_order_conflict"
    beer_games.submit_order(world.ctx, world.roaster, game.id, 1, 4)  # week 2 now
    late = beer_games.submit_order(world.ctx, world.roaster, game.id, 1, 4)
    assert late.game.week == 2
    with pytest.raises(OrderAlreadyPlaced):
        beer_games.submit_order(world.ctx, world.roaster, game.id, 1, 3)
    with pytest.raises(WrongWeek) as wrong:
        beer_games.submit_order(world.ctx, world.roaster, game.id, 3, 4)
    assert wrong.value.code == "beer_game_wrong_week"


def test_seats_are_taken_once_by_one_person_each(world: World) -> None:
    game = beer_games.create_game(world.ctx, world.cafe, CreateGame({}, Role.RETAILER)).game
    beer_games.join_game(world.ctx, world.roaster, game.join_code, Role.FACTORY)
    with pytest.raises(SeatTaken):  # taken by someone else
        beer_games.join_game(world.ctx, world.beans, game.join_code, Role.FACTORY)
    with pytest.raises(SeatTaken):  # one seat per person
        beer_games.join_game(world.ctx, world.roaster, game.join_code, Role.DISTRIBUTOR)
    with pytest.raises(NotFound):
        beer_games.join_game(world.ctx, world.beans, "NOCODE", Role.DISTRIBUTOR)
    beer_games.join_game(world.ctx, world.beans, game.join_code, Role.DISTRIBUTOR)
    started = beer_games.join_game(
        world.ctx, _fourth_person(world), game.join_code, Role.WHOLESALER
    )
    assert started.game.status is GameStatus.PLAYING
    assert started.ordered == frozenset()  # four people, no bot
    with pytest.raises(InvalidTransition):
        beer_games.join_game(world.ctx, world.beans, game.join_code, Role.RETAILER)


def test_only_people_of_the_network_play(world: World) -> None:
    game = beer_games.create_game(world.ctx, world.cafe, CreateGame(THREE_BOTS, Role.RETAILER)).game
    stranger = Principal(world.cafe.member_id, world.network_id + 1, "other", world.cafe.scopes, 99)
    with pytest.raises(NotFound):
        beer_games.game_view(world.ctx, stranger, game.id)
    with pytest.raises(NotFound):
        beer_games.submit_order(world.ctx, stranger, game.id, 1, 4)
    robot = Principal(world.cafe.member_id, world.network_id, "key", frozenset(Scope))
    with pytest.raises(Forbidden):
        beer_games.submit_order(world.ctx, robot, game.id, 1, 4)
    with pytest.raises(Forbidden):  # a spectator has no seat to order for
        beer_games.submit_order(world.ctx, world.beans, game.id, 1, 4)
    spectator = beer_games.game_view(world.ctx, world.beans, game.id)
    assert (spectator.my_role, spectator.position, spectator.result) == (None, None, None)
    assert [g.id for g in beer_games.list_games(world.ctx, world.beans)] == [game.id]
    assert beer_games.list_games(world.ctx, stranger) == []


@pytest.mark.parametrize("quantity", [-1.0, 2.5, 1001.0, float("inf")])
def test_people_order_whole_cases(world: World, quantity: float) -> None:
    game = beer_games.create_game(world.ctx, world.cafe, CreateGame(THREE_BOTS, Role.RETAILER)).game
    with pytest.raises(ValidationFailed):
        beer_games.submit_order(world.ctx, world.cafe, game.id, 1, quantity)


def test_the_creator_cannot_sit_in_a_bots_seat(world: World) -> None:
    with pytest.raises(ValidationFailed):
        beer_games.create_game(world.ctx, world.cafe, CreateGame(THREE_BOTS, Role.FACTORY))
