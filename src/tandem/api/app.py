"""The FastAPI application factory: the API under ``/api/v1``, then the web UI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from tandem.api.errors import PROBLEM_RESPONSES, document_problems, install_error_handlers
from tandem.api.idempotency import IdempotencyMiddleware
from tandem.api.routers import (
    agreements,
    auth,
    bom,
    customer_orders,
    customers,
    demand,
    devices,
    epcis,
    feedback,
    finance,
    forecasts,
    inventory,
    inventory_plans,
    invoices,
    items,
    lanes,
    logistics,
    logistics_planning,
    members,
    network,
    payments,
    performance,
    planning_runs,
    production,
    proposals,
    purchase_orders,
    receipts,
    requisitions,
    risk_analyses,
    risks,
    shared_plans,
    sharing,
    shipments,
    signals,
    sites,
    sourcing,
    stocking,
    twin,
    working_calendars,
)
from tandem.bootstrap import Container
from tandem.web.app import mount_web

API_PREFIX = "/api/v1"
IDEMPOTENCY_EXEMPT = (f"{API_PREFIX}/auth/login",)

DESCRIPTION = """One shared supply network for every member of a supply chain.

Authenticate with `Authorization: Bearer <token>` (a session from `POST /api/v1/auth/login`) or
an API key (`Authorization: Bearer tdm_...` or `X-API-Key: tdm_...`). Every list is paged with
`offset` and `limit`. Every POST and PUT honours an `Idempotency-Key` header. Every error is an
RFC 9457 `application/problem+json` document with a stable `code`.
"""


def _operation_id(route: APIRoute) -> str:
    """Operation ids are the route names: ``list_sites``, ``grant_access``..."""
    return route.name


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Worker processes for planning runs live as long as the app (started on first use)."""
    yield
    pool = getattr(app.state, "planning_pool", None)
    if pool is not None:
        pool.shutdown()


def create_app(container: Container) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="Tandem",
        version="0.1.0",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.container = container
    install_error_handlers(app)
    for context in (
        auth,
        network,
        members,
        sites,
        items,
        lanes,
        stocking,
        bom,
        demand,
        forecasts,
        sharing,
        inventory,
        customers,
        customer_orders,
        purchase_orders,
        agreements,
        shipments,
        receipts,
        epcis,
        invoices,
        payments,
        finance,
        performance,
        signals,
        devices,
        feedback,
        proposals,
        inventory_plans,
        risks,
        risk_analyses,
        sourcing,
        planning_runs,
        working_calendars,
        requisitions,
        production,
        shared_plans,
        twin,
        logistics_planning,
        logistics,
    ):
        app.include_router(
            context.router,
            prefix=API_PREFIX,
            responses=PROBLEM_RESPONSES,
            generate_unique_id_function=_operation_id,
        )
    app.add_middleware(IdempotencyMiddleware, prefix=f"{API_PREFIX}/", exempt=IDEMPOTENCY_EXEMPT)
    _document_problems_in_openapi(app)
    mount_web(app, container)
    return app


def _document_problems_in_openapi(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
