"""Supplier scorecards and the viewer's cash-to-cash cycle, with the inputs of each figure.

Both are computed by :mod:`tandem.services.performance` from the recorded flows; a figure with
nothing to measure is shown as "—" (never as 0), with the reason where the engine gives one.
"""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from tandem.services import performance
from tandem.web.core import Viewer, Web, web_route_class
from tandem.web.flows import Fields, directory, install_filters

DEFAULT_DAYS = performance.DEFAULT_WINDOW_DAYS


def build_router(web: Web) -> APIRouter:
    router = APIRouter(route_class=web_route_class(web), include_in_schema=False)
    SignedIn = Annotated[Viewer, Depends(web.viewer)]  # noqa: N806 (a type alias)
    install_filters(web)

    @router.get("/scorecards", response_class=HTMLResponse)
    def scorecards_page(
        request: Request,
        viewer: SignedIn,
        since: Annotated[str, Query(max_length=20)] = "",
        until: Annotated[str, Query(max_length=20)] = "",
        days: Annotated[int, Query(ge=1, le=3660)] = DEFAULT_DAYS,
    ) -> HTMLResponse:
        ctx, principal = web.services, viewer.principal
        today = ctx.clock.now().date()
        f = Fields("query")
        first = f.optional_day(since, "since") or today - timedelta(days=DEFAULT_DAYS)
        end = f.optional_day(until, "until") or today + timedelta(days=1)
        f.raise_if_any("Invalid period")
        cards = performance.supplier_scorecards(ctx, principal, first, end)
        cycle = performance.cash_to_cash(ctx, principal, today, days)
        d = directory(web, viewer)
        return web.render(
            request,
            "scorecards.html",
            viewer,
            nav="scorecards",
            cards=cards,
            cycle=cycle,
            since=first,
            until=end,
            days=days,
            d=d,
            currency=d.currency,
        )

    return router
