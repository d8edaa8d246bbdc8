"""Customer orders of the caller's member: entry, promising from available-to-promise,
shipping and cancelling; and the ATP profile of an item at one of the member's sites."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.customers import (
    AtpOut,
    CustomerOrderIn,
    CustomerOrderOut,
    CustomerOrderSummaryOut,
    ShipIn,
)
from tandem.domain.customers import CustomerOrderStatus
from tandem.services import customer_orders

router = APIRouter(prefix="/customer-orders", tags=["customer orders"])


@router.get("", name="list_customer_orders")
def list_customer_orders(
    services: Services,
    caller: Caller,
    page: Paging,
    customer_id: Annotated[Id | None, Query(description="Only this customer's.")] = None,
    status: Annotated[CustomerOrderStatus | None, Query()] = None,
) -> PageOut[CustomerOrderSummaryOut]:
    found = customer_orders.list_orders(services, caller, page, customer_id, status)
    return PageOut[CustomerOrderSummaryOut].of(found)


@router.get("/atp", name="available_to_promise")
def available_to_promise(
    services: Services,
    caller: Caller,
    site_id: Annotated[Id, Query(description="One of your sites.")],
    item_id: Annotated[Id, Query()],
) -> AtpOut:
    """Cumulative available-to-promise with look-ahead, in dated buckets from today."""
    profile = customer_orders.available_to_promise(services, caller, site_id, item_id)
    return AtpOut.model_validate(profile)


@router.get("/{order_id}", name="get_customer_order")
def get_customer_order(services: Services, caller: Caller, order_id: Id) -> CustomerOrderOut:
    return CustomerOrderOut.of(customer_orders.get_order(services, caller, order_id))


@router.post("", name="create_customer_order", status_code=201)
def create_customer_order(
    services: Services,
    caller: Caller,
    body: CustomerOrderIn,
    request: Request,
    response: Response,
) -> CustomerOrderOut:
    """Enter an order (status ``open``); promise it with ``POST .../promise``."""
    view = customer_orders.create_order(services, caller, body.command())
    created(request, response, "get_customer_order", order_id=view.order.id)
    return CustomerOrderOut.of(view)


@router.post("/{order_id}/promise", name="promise_customer_order")
def promise_customer_order(services: Services, caller: Caller, order_id: Id) -> CustomerOrderOut:
    """Promise every open line from ATP at the ship-from site (on-hand first, then receipts),
    replacing earlier promises; the part from on-hand is allocated."""
    return CustomerOrderOut.of(customer_orders.promise_order(services, caller, order_id))


@router.post("/{order_id}/ship", name="ship_customer_order")
def ship_customer_order(
    services: Services, caller: Caller, order_id: Id, body: ShipIn | None = None
) -> CustomerOrderOut:
    """Ship per line, or everything open without ``lines``; more than open is
    ``over_shipment`` (409), more than the stock available is ``insufficient_stock`` (409)."""
    lines = None if body is None else body.ship_lines()
    return CustomerOrderOut.of(customer_orders.ship_order(services, caller, order_id, lines))


@router.post("/{order_id}/cancel", name="cancel_customer_order")
def cancel_customer_order(services: Services, caller: Caller, order_id: Id) -> CustomerOrderOut:
    """Cancel an open or promised order; its allocations are released."""
    return CustomerOrderOut.of(customer_orders.cancel_order(services, caller, order_id))
