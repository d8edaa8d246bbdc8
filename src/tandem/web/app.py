"""Mounts the server-rendered web UI (Jinja2 + htmx) onto the application.

The pages call the same services as the HTTP API: parse the input, call the service, render.
Their errors become readable pages through :class:`tandem.web.core.WebRoute`; the API's own
exception handlers are left untouched.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from tandem.bootstrap import Container
from tandem.web import (
    auth,
    beer_game,
    coordination,
    devices,
    finance,
    inventory,
    items,
    logistics,
    logistics_routes,
    network,
    network_inventory,
    order_actions,
    orders,
    planning,
    production,
    risks,
    scorecards,
    sharing,
    sites,
    twin,
)
from tandem.web.core import Web

STATIC = Path(__file__).parent / "static"


def mount_web(app: FastAPI, container: Container) -> None:
    """Add the pages and the static files (htmx, styles, map backdrop) to ``app``."""
    web = Web(container)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        auth,
        network,
        sites,
        items,
        sharing,
        orders,
        order_actions,
        inventory,
        finance,
        scorecards,
        devices,
        coordination,
        network_inventory,
        risks,
        planning,
        production,
        beer_game,
        twin,
        logistics,
        logistics_routes,
    ):
        app.include_router(module.build_router(web))
