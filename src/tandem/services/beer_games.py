"""Interactive beer games (Sterman 1989): create, join, order week by week, read the result.

Only orders are stored; every use case recomputes the board from them with the pure engine
(:mod:`tandem.planning.simulation.beer_game_play`), so the browser game and ``tandem twin
beer-game`` keep the same books. Every move locks the game's row first (``get_for_update``):
four people ordering the same week at once are serialised, the last one in advances the week,
exactly once. Bots order as soon as their week opens.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from tandem.domain.beer_games import (
    ROLES,
    BotPolicy,
    Game,
    GameOrder,
    GameStatus,
    Role,
    check_order,
    check_quantity,
    new_seats,
    ready_status,
    take_seat,
    visible,
)
from tandem.domain.errors import Forbidden, NotFound
from tandem.domain.identity import Principal, Scope
from tandem.planning.simulation import (
    AnchorAndAdjust,
    BaseStock,
    BeerGameBoard,
    BeerGameResult,
    Echelon,
    Policy,
)
from tandem.planning.simulation.beer_game_play import (
    BeerGameState,
    Benchmark,
    PlayerView,
    advance,
    bot_order,
    coordinated_benchmark,
    game_result,
    observation,
    start,
)
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


@dataclass(frozen=True)
class CreateGame:
    """Which seats bots take (the others wait for people) and where the creator sits."""

    bots: Mapping[Role, BotPolicy]
    creator_role: Role | None = None


@dataclass(frozen=True)
class GameView:
    """A game as one person sees it: only their own seat's position while it is played; every
    echelon's trajectories and the coordinated benchmark once it is over."""

    game: Game
    my_role: Role | None
    position: PlayerView | None
    ordered: frozenset[Role]
    my_order: float | None
    names: Mapping[Role, str]
    result: BeerGameResult | None = None
    benchmark: Benchmark | None = None


def echelon_of(role: Role) -> Echelon:
    return Echelon(ROLES.index(role))


def bot_policy(bot: BotPolicy, role: Role, board: BeerGameBoard) -> Policy:
    """Sterman's mean estimates (``S' = 17`` at every seat, as ``tandem twin beer-game``), or
    the equilibrium base-stock level of the seat."""
    if bot is BotPolicy.STERMAN:
        return AnchorAndAdjust.sterman_mean_estimates()
    return BaseStock(board.equilibrium_base_stock()[ROLES.index(role)])


def _person(principal: Principal, scope: Scope) -> int:
    principal.require(scope)
    if principal.user_id is None:
        raise Forbidden("only a signed-in person can play the beer game")
    return principal.user_id


def _replay(game: Game, orders: Iterable[GameOrder]) -> BeerGameState:
    quantity = {(o.week, o.role): o.quantity for o in orders}
    state = start(BeerGameBoard(weeks=game.weeks))
    while state.week < game.week:
        state = advance(state, [quantity[(state.week, role)] for role in ROLES])
    return state


def _play_on(
    uow: UnitOfWork, game: Game, orders: list[GameOrder], now: datetime
) -> tuple[Game, BeerGameState]:
    """Bots order in every open week; each week whose four orders are in is played."""
    state = _replay(game, orders)
    placed = {(o.week, o.role): o for o in orders}
    while game.status is GameStatus.PLAYING:
        week = state.week
        for seat in game.seats:
            if seat.bot is not None and (week, seat.role) not in placed:
                policy = bot_policy(seat.bot, seat.role, state.board)
                quantity = bot_order(state, echelon_of(seat.role), policy)
                draft = GameOrder(0, game.id, week, seat.role, quantity, now)
                placed[(week, seat.role)] = uow.beer_game_orders.add(draft)
        if any((week, role) not in placed for role in ROLES):
            break
        state = advance(state, [placed[(week, role)].quantity for role in ROLES])
        over = state.finished
        game = replace(
            game,
            week=state.week,
            status=GameStatus.FINISHED if over else GameStatus.PLAYING,
            finished_at=now if over else None,
        )
    return game, state


def _names(uow: UnitOfWork, game: Game) -> dict[Role, str]:
    """Who sits where: a person's display name, or the bot's policy."""
    names = {}
    for seat in game.seats:
        user = None if seat.user_id is None else uow.users.get(seat.user_id)
        bot = None if seat.bot is None else f"{seat.bot.value.replace('_', '-')} bot"
        names[seat.role] = bot or (user.display_name if user else "open seat")
    return names


def _view(
    uow: UnitOfWork, game: Game, state: BeerGameState, orders: list[GameOrder], user_id: int
) -> GameView:
    names = _names(uow, game)
    seat = game.seat_of(user_id)
    role = None if seat is None else seat.role
    this_week = {o.role: o.quantity for o in orders if o.week == game.week}
    mine = None if role is None else this_week.get(role)
    position = None
    if role is not None and game.status is not GameStatus.WAITING:
        position = observation(state, echelon_of(role))
    if game.status is not GameStatus.FINISHED:
        return GameView(game, role, position, frozenset(this_week), mine, names)
    benchmark = coordinated_benchmark(state.board, state.demand)
    result = game_result(state)
    return GameView(game, role, position, frozenset(ROLES), None, names, result, benchmark)


def _orders(uow: UnitOfWork, game_id: int) -> list[GameOrder]:
    return list(uow.beer_game_orders.find(game_id=game_id))


def create_game(ctx: ServiceContext, principal: Principal, command: CreateGame) -> GameView:
    """A new game of the caller's network; a game of four bots is played to the end at once."""
    user_id = _person(principal, Scope.DATA_WRITE)
    seats = new_seats(command.bots, command.creator_role, user_id)
    now = ctx.clock.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    draft = Game(0, principal.network_id, code, user_id, ready_status(seats), seats, 1, now)
    with ctx.uow() as uow:
        game = uow.beer_games.add(draft)
        played, state = _play_on(uow, game, [], now)
        if played != game:
            uow.beer_games.update(played)
        view = _view(uow, played, state, _orders(uow, game.id), user_id)
        uow.commit()
    return view


def join_game(ctx: ServiceContext, principal: Principal, join_code: str, role: Role) -> GameView:
    """Take the open ``role`` seat of the game with ``join_code``; the last seat taken starts
    the game."""
    user_id = _person(principal, Scope.DATA_WRITE)
    code = join_code.strip().upper()
    now = ctx.clock.now()
    with ctx.uow() as uow:
        found = uow.beer_games.find(join_code=code, network_id=principal.network_id)
        if not found:
            raise NotFound(f"no beer game with the code {code!r}")
        game_id = found[0].id
        game = visible(uow.beer_games.get_for_update(game_id), principal.network_id, game_id)
        seated = take_seat(game, role, user_id)
        played, state = _play_on(uow, seated, _orders(uow, game.id), now)
        uow.beer_games.update(played)
        view = _view(uow, played, state, _orders(uow, game.id), user_id)
        uow.commit()
    return view


def submit_order(
    ctx: ServiceContext, principal: Principal, game_id: int, week: int, quantity: float
) -> GameView:
    """Place the caller's order for ``week``. The same order again is a no-op; a different one
    for a week already ordered is :class:`~tandem.domain.beer_games.OrderAlreadyPlaced`."""
    user_id = _person(principal, Scope.DATA_WRITE)
    quantity = check_quantity(quantity)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        game = visible(uow.beer_games.get_for_update(game_id), principal.network_id, game_id)
        seat = game.seat_of(user_id)
        if seat is None:
            raise Forbidden(f"you have no seat in beer game {game_id}")
        orders = _orders(uow, game_id)
        placed = next((o for o in orders if (o.week, o.role) == (week, seat.role)), None)
        if check_order(game, week, quantity, placed):
            order = GameOrder(0, game_id, week, seat.role, quantity, now, user_id)
            orders.append(uow.beer_game_orders.add(order))
            played, state = _play_on(uow, game, orders, now)
            if played != game:
                uow.beer_games.update(played)
            game, orders = played, _orders(uow, game_id)
        else:
            state = _replay(game, orders)
        view = _view(uow, game, state, orders, user_id)
        uow.commit()
    return view


def game_view(ctx: ServiceContext, principal: Principal, game_id: int) -> GameView:
    """The game as the caller sees it (see :class:`GameView`)."""
    user_id = _person(principal, Scope.DATA_READ)
    with ctx.uow() as uow:
        game = visible(uow.beer_games.get(game_id), principal.network_id, game_id)
        orders = _orders(uow, game_id)
        return _view(uow, game, _replay(game, orders), orders, user_id)


def list_games(ctx: ServiceContext, principal: Principal) -> list[Game]:
    """The games of the caller's network, newest first."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return list(uow.beer_games.find(network_id=principal.network_id, descending=True))
