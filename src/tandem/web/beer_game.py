"""The beer game pages (Sterman 1989): list, create and join games; play one seat week by week;
read the results against the coordinated benchmark, with the order waves drawn as SVG lines.

While a player waits (for seats to fill, or for the others to order) the board polls its own
fragment every second with htmx; the fragment that brings the order form (or the results) no
longer polls. Forms post normally (CSRF token in a hidden field) and come back to the game.
"""

# No ``from __future__ import annotations``: FastAPI resolves the routes' annotations, and the
# ``SignedIn`` alias is local to :func:`build_router`.
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from tandem.domain.beer_games import ROLES, BotPolicy, GameStatus, Role
from tandem.domain.errors import ValidationFailed, Violation
from tandem.services import beer_games
from tandem.services.beer_games import CreateGame, GameView
from tandem.web.core import Viewer, Web, web_route_class

PERSON = "person"
SEAT_CHOICES = {PERSON: "Person", "sterman": "Sterman bot", "base_stock": "Base-stock bot"}
COLOURS = {
    "demand": "#0f172a",
    Role.RETAILER: "#2563eb",
    Role.WHOLESALER: "#16a34a",
    Role.DISTRIBUTOR: "#d97706",
    Role.FACTORY: "#dc2626",
}
WIDTH, HEIGHT, PAD = 760, 280, 36


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    points: str
    peak: float


@dataclass(frozen=True)
class Chart:
    """The order waves: one polyline per echelon, and the customer demand."""

    lines: tuple[Line, ...]
    top: float
    weeks: int
    ticks: tuple[tuple[float, str], ...]


def order_waves(demand: list[float], orders: dict[Role, list[float]]) -> Chart:
    """Scale weekly orders (week 1 first) to the SVG box; ``top`` is a multiple of 4 cases."""
    weeks = len(demand)
    peak = max([*demand, *(q for series in orders.values() for q in series), 4.0])
    top = 4.0 * -(-peak // 4)

    def points(series: list[float]) -> str:
        step = (WIDTH - 2 * PAD) / max(weeks - 1, 1)
        return " ".join(
            f"{PAD + i * step:.1f},{HEIGHT - PAD - q / top * (HEIGHT - 2 * PAD):.1f}"
            for i, q in enumerate(series)
        )

    lines = [Line("Customer demand", COLOURS["demand"], points(demand), max(demand))]
    lines += [
        Line(role.value.title(), COLOURS[role], points(orders[role]), max(orders[role]))
        for role in ROLES
    ]
    ticks = tuple(
        (HEIGHT - PAD - f * (HEIGHT - 2 * PAD), f"{top * f:g}") for f in (0.0, 0.25, 0.5, 0.75, 1.0)
    )
    return Chart(tuple(lines), top, weeks, ticks)


def _seat_choice(text: str) -> BotPolicy | None:
    if text == PERSON:
        return None
    if text not in {b.value for b in BotPolicy}:
        found = [Violation("game", "choose a person or a bot", "seat")]
        raise ValidationFailed("choose a person or a bot for every seat", violations=found)
    return BotPolicy(text)


def _role(text: str, field: str) -> Role:
    if text not in {r.value for r in Role}:
        found = [Violation("game", "choose a seat", field)]
        raise ValidationFailed("choose a seat", violations=found)
    return Role(text)


def board_context(view: GameView) -> dict[str, Any]:
    """What the board fragment shows; ``polling`` while the viewer waits for others."""
    game = view.game
    waiting_for_seats = game.status is GameStatus.WAITING
    waiting_for_orders = game.status is GameStatus.PLAYING and (
        view.my_role is None or view.my_order is not None
    )
    context: dict[str, Any] = {
        "view": view,
        "game": game,
        "roles": ROLES,
        "polling": waiting_for_seats or waiting_for_orders,
        "waiting_for": [r for r in ROLES if r not in view.ordered],
        "chart": None,
    }
    if view.result is not None:
        demand = [float(d) for d in view.result.demand]
        orders = {r: [float(q) for q in view.result.orders[k]] for k, r in enumerate(ROLES)}
        context["chart"] = order_waves(demand, orders)
    return context


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    checked = [Depends(web.check_csrf)]

    @router.get("/twin/beer-game", response_class=HTMLResponse)
    def games_page(request: Request, viewer: SignedIn) -> HTMLResponse:
        games = beer_games.list_games(web.services, viewer.principal)
        user_id = viewer.principal.user_id
        return web.render(
            request,
            "beer_games.html",
            viewer,
            nav="twin",
            games=[(g, g.seat_of(user_id)) for g in games],
            roles=ROLES,
            choices=SEAT_CHOICES,
        )

    @router.post("/twin/beer-game", dependencies=checked)
    def create(
        viewer: SignedIn,
        retailer: Annotated[str, Form()] = PERSON,
        wholesaler: Annotated[str, Form()] = PERSON,
        distributor: Annotated[str, Form()] = PERSON,
        factory: Annotated[str, Form()] = PERSON,
        my_seat: Annotated[str, Form()] = "",
    ) -> Response:
        chosen = dict(zip(ROLES, (retailer, wholesaler, distributor, factory), strict=True))
        bots = {r: bot for r, text in chosen.items() if (bot := _seat_choice(text)) is not None}
        mine = _role(my_seat, "my_seat") if my_seat else None
        view = beer_games.create_game(web.services, viewer.principal, CreateGame(bots, mine))
        return RedirectResponse(f"/twin/beer-game/{view.game.id}", status_code=303)

    @router.post("/twin/beer-game/join", dependencies=checked)
    def join(
        viewer: SignedIn,
        code: Annotated[str, Form(max_length=16)] = "",
        seat: Annotated[str, Form()] = "",
    ) -> Response:
        view = beer_games.join_game(web.services, viewer.principal, code, _role(seat, "seat"))
        return RedirectResponse(f"/twin/beer-game/{view.game.id}", status_code=303)

    @router.get("/twin/beer-game/{game_id}", response_class=HTMLResponse)
    def game_page(request: Request, viewer: SignedIn, game_id: int) -> HTMLResponse:
        view = beer_games.game_view(web.services, viewer.principal, game_id)
        context = board_context(view)
        return web.render(request, "beer_game.html", viewer, nav="twin", **context)

    @router.get("/twin/beer-game/{game_id}/board", response_class=HTMLResponse)
    def board(request: Request, viewer: SignedIn, game_id: int) -> HTMLResponse:
        view = beer_games.game_view(web.services, viewer.principal, game_id)
        return web.render(request, "_beer_game_board.html", viewer, **board_context(view))

    @router.post("/twin/beer-game/{game_id}/orders", dependencies=checked)
    def place_order(
        viewer: SignedIn,
        game_id: int,
        week: Annotated[int, Form()],
        quantity: Annotated[float, Form()],
    ) -> Response:
        beer_games.submit_order(web.services, viewer.principal, game_id, week, quantity)
        return RedirectResponse(f"/twin/beer-game/{game_id}", status_code=303)

    return router
