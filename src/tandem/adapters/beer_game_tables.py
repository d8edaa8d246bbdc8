"""Tables and row codecs of interactive beer games: ``beer_game`` and its ``beer_game_order``.

They share :data:`tandem.adapters.tables.metadata`; ``tandem.adapters`` imports this module so
the metadata is always complete. The four seats are a JSON list (read and written with the
game, whose row is the lock of every move); orders are one row per game, week and seat, unique,
so a lost update could never store two orders of one seat for one week.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tandem.adapters.codec import Codec, enum_codec
from tandem.adapters.tables import UtcDateTime, metadata
from tandem.domain.beer_games import BotPolicy, Game, GameOrder, GameStatus, Role, Seat

beer_game = sa.Table(
    "beer_game",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("network_id", sa.Integer, sa.ForeignKey("network.id"), nullable=False, index=True),
    sa.Column("join_code", sa.String(16), nullable=False, unique=True),
    sa.Column("created_by_user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("seats", sa.JSON, nullable=False),
    sa.Column("week", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("weeks", sa.Integer, nullable=False),
    sa.Column("finished_at", UtcDateTime, nullable=True),
)

beer_game_order = sa.Table(
    "beer_game_order",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("game_id", sa.Integer, sa.ForeignKey("beer_game.id"), nullable=False, index=True),
    sa.Column("week", sa.Integer, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("submitted_at", UtcDateTime, nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("app_user.id"), nullable=True),
    sa.UniqueConstraint("game_id", "week", "role"),
)


def _seats_out(seats: tuple[Seat, ...]) -> list[dict[str, Any]]:
    return [
        {"role": s.role.value, "bot": None if s.bot is None else s.bot.value, "user_id": s.user_id}
        for s in seats
    ]


def _seats_in(value: list[dict[str, Any]]) -> tuple[Seat, ...]:
    return tuple(
        Seat(
            Role(s["role"]),
            None if s["bot"] is None else BotPolicy(s["bot"]),
            None if s["user_id"] is None else int(s["user_id"]),
        )
        for s in value
    )


BEER_GAME_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "beer_games": (
        beer_game,
        Codec(
            Game,
            {"status": lambda v: v.value, "seats": _seats_out},
            {"status": GameStatus, "seats": _seats_in},
        ),
    ),
    "beer_game_orders": (beer_game_order, enum_codec(GameOrder, role=Role)),
}

# Unique keys the in-memory twins honour like the tables above.
BEER_GAME_UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "beer_games": (("join_code",),),
    "beer_game_orders": (("game_id", "week", "role"),),
}
