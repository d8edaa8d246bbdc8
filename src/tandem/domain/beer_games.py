"""Interactive beer games: four seats on Sterman's (1989) board, taken by people or bots.

Sterman, J. D. (1989), "Modeling managerial behavior: misperceptions of feedback in a dynamic
decision making experiment", Management Science 35(3), 321-339.

A :class:`Game` belongs to one network. Its creator chooses, seat by seat (retailer,
wholesaler, distributor, factory), a bot policy or a person; people join an open seat with the
game's join code. The game waits until every person's seat is taken, then plays week by week:
each seat places one :class:`GameOrder` per week, bots automatically, and the week advances when
all four orders are in. Only the orders are stored: the board (stock, backlog, slips, costs) is
recomputed from them by :mod:`tandem.planning.simulation.beer_game_play`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from tandem.domain.errors import Conflict, InvalidTransition, NotFound, ValidationFailed, Violation

MAX_ORDER = 1000.0
WEEKS = 36


class GameStatus(StrEnum):
    WAITING = "waiting"
    PLAYING = "playing"
    FINISHED = "finished"


class Role(StrEnum):
    """The four positions on the board, downstream first."""

    RETAILER = "retailer"
    WHOLESALER = "wholesaler"
    DISTRIBUTOR = "distributor"
    FACTORY = "factory"


ROLES = tuple(Role)


class BotPolicy(StrEnum):
    """How a bot orders: Sterman's mean anchoring-and-adjustment estimates, or the base-stock
    levels that hold the board in equilibrium (28, 28, 28, 24)."""

    STERMAN = "sterman"
    BASE_STOCK = "base_stock"


class SeatTaken(Conflict):
    code = "beer_game_seat_taken"
    title = "That seat is not open"


class OrderAlreadyPlaced(Conflict):
    code = "beer_game_order_conflict"
    title = "A different order was already placed for this week"


class WrongWeek(Conflict):
    code = "beer_game_wrong_week"
    title = "The game is not at that week"


@dataclass(frozen=True)
class Seat:
    """One position: a bot (``bot``) or a person's seat, open until ``user_id`` is set."""

    role: Role
    bot: BotPolicy | None = None
    user_id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.bot is None and self.user_id is None


@dataclass(frozen=True)
class Game:
    """One game; ``week`` is the week whose orders are awaited (``weeks + 1`` once over)."""

    id: int
    network_id: int
    join_code: str
    created_by_user_id: int
    status: GameStatus
    seats: tuple[Seat, ...]
    week: int
    created_at: datetime
    weeks: int = WEEKS
    finished_at: datetime | None = None

    def seat(self, role: Role) -> Seat:
        return self.seats[ROLES.index(role)]

    def seat_of(self, user_id: int | None) -> Seat | None:
        """The seat ``user_id`` holds, if any (one seat per person and game)."""
        if user_id is None:
            return None
        return next((s for s in self.seats if s.user_id == user_id), None)

    @property
    def people(self) -> tuple[Seat, ...]:
        return tuple(s for s in self.seats if s.bot is None)


@dataclass(frozen=True)
class GameOrder:
    """The order of one seat in one week (``user_id`` ``None`` for a bot)."""

    id: int
    game_id: int
    week: int
    role: Role
    quantity: float
    submitted_at: datetime
    user_id: int | None = None


def new_seats(
    bots: Mapping[Role, BotPolicy], creator_role: Role | None, user_id: int
) -> tuple[Seat, ...]:
    """The four seats of a new game: ``bots`` where given, the creator at ``creator_role``."""
    if creator_role is not None and creator_role in bots:
        found = [Violation("game", "the creator's seat cannot be a bot", "creator_role")]
        raise ValidationFailed("the creator's seat cannot be a bot", violations=found)
    return tuple(
        Seat(role, bots.get(role), user_id if role is creator_role else None) for role in ROLES
    )


def ready_status(seats: tuple[Seat, ...]) -> GameStatus:
    """A game plays once no person's seat is open."""
    return GameStatus.WAITING if any(s.is_open for s in seats) else GameStatus.PLAYING


def take_seat(game: Game, role: Role, user_id: int) -> Game:
    """``user_id`` sits at ``role``: the seat must be a person's, open, and the person seatless."""
    if game.status is not GameStatus.WAITING:
        raise InvalidTransition(f"game {game.id} is {game.status.value}: no seat to take")
    mine = game.seat_of(user_id)
    if mine is not None:
        raise SeatTaken(f"you already play the {mine.role.value}")
    if not game.seat(role).is_open:
        raise SeatTaken(f"the {role.value} seat is not open")
    seats = tuple(replace(s, user_id=user_id) if s.role is role else s for s in game.seats)
    return replace(game, seats=seats, status=ready_status(seats))


def check_quantity(quantity: float) -> float:
    """A person orders whole cases, from 0 to :data:`MAX_ORDER`."""
    if not math.isfinite(quantity) or quantity != int(quantity) or not 0 <= quantity <= MAX_ORDER:
        message = f"order a whole number of cases from 0 to {MAX_ORDER:.0f}"
        raise ValidationFailed(message, violations=[Violation("order", message, "quantity")])
    return float(quantity)


def check_order(game: Game, week: int, quantity: float, placed: GameOrder | None) -> bool:
    """Whether an order of ``quantity`` for ``week`` is new (``True``) or repeats ``placed``
    (``False``, nothing to do); a different order for a week already ordered, or an order for
    a week the game is not at, is a conflict."""
    if placed is not None:
        if placed.quantity == quantity:
            return False
        raise OrderAlreadyPlaced(
            f"the {placed.role.value} already ordered {placed.quantity:g} in week {week}"
        )
    if game.status is not GameStatus.PLAYING:
        raise InvalidTransition(f"game {game.id} is {game.status.value}: no orders now")
    if week != game.week:
        raise WrongWeek(f"game {game.id} is at week {game.week}, not {week}")
    return True


def visible(game: Game | None, network_id: int, game_id: int) -> Game:
    """The game if it is in the caller's network, else :class:`NotFound`."""
    if game is None or game.network_id != network_id:
        raise NotFound(f"beer game {game_id} not found")
    return game
