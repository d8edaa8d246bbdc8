"""Purchase orders between members: the buyer's purchase order is the seller's sales order.

State-changing routes accept ``If-Match: <version>`` (the order's ``version``, quoted or not):
the step is refused with 409 ``stale_version`` when the order changed since.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.orders import (
    AcknowledgeIn,
    AwaitedOrderOut,
    CancelIn,
    ChangeOutcomeOut,
    ChangeRequestIn,
    ChangeRequestOut,
    DecisionIn,
    OrderEventOut,
    OrderLinesIn,
    OrderOut,
    PurchaseOrderIn,
    PurchaseOrderOut,
)
from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.orders import OrderStatus
from tandem.services import purchase_orders as po
from tandem.services.agreements import PartyRole

router = APIRouter(prefix="/purchase-orders", tags=["purchase orders"])

IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="The order version the change is based on"),
]


def expected_version(if_match: str | None) -> int | None:
    """The version of an ``If-Match`` header (``3``, ``"3"`` or ``W/"3"``)."""
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        violation = Violation("header", "must be an order version", "If-Match")
        raise ValidationFailed("If-Match must be an order version", violations=[violation])
    return int(text)


def _order(response: Response, view: po.OrderView) -> OrderOut:
    response.headers["ETag"] = f'"{view.order.version}"'
    return OrderOut.of(view)


@router.post("", name="create_purchase_order", status_code=201)
def create_purchase_order(
    services: Services, caller: Caller, body: PurchaseOrderIn, request: Request, response: Response
) -> OrderOut:
    """The caller's member (the buyer) drafts an order to a seller."""
    view = po.create_order(services, caller, body.command())
    created(request, response, "get_purchase_order", order_id=view.order.id)
    return _order(response, view)


@router.get("", name="list_purchase_orders")
def list_purchase_orders(
    services: Services,
    caller: Caller,
    page: Paging,
    role: Annotated[PartyRole | None, Query(description="Omitted: both sides")] = None,
    status: Annotated[OrderStatus | None, Query()] = None,
) -> PageOut[PurchaseOrderOut]:
    return PageOut[PurchaseOrderOut].of(po.list_orders(services, caller, page, role, status))


@router.get("/inbox", name="purchase_order_inbox")
def purchase_order_inbox(services: Services, caller: Caller) -> list[AwaitedOrderOut]:
    """Orders waiting for the caller: drafts to submit, orders to acknowledge, changes to decide."""
    return [AwaitedOrderOut.model_validate(a) for a in po.awaiting_action(services, caller)]


@router.get("/{order_id}", name="get_purchase_order")
def get_purchase_order(
    services: Services, caller: Caller, order_id: Id, response: Response
) -> OrderOut:
    return _order(response, po.get_order(services, caller, order_id))


@router.get("/{order_id}/history", name="purchase_order_history")
def purchase_order_history(services: Services, caller: Caller, order_id: Id) -> list[OrderEventOut]:
    return [OrderEventOut.model_validate(e) for e in po.order_history(services, caller, order_id)]


@router.put("/{order_id}/lines", name="replace_purchase_order_lines")
def replace_purchase_order_lines(
    services: Services,
    caller: Caller,
    order_id: Id,
    body: OrderLinesIn,
    response: Response,
    if_match: IfMatch = None,
) -> OrderOut:
    """The buyer replaces every line of a draft."""
    version = expected_version(if_match)
    return _order(response, po.replace_lines(services, caller, order_id, body.lines_in(), version))


@router.post("/{order_id}/submit", name="submit_purchase_order")
def submit_purchase_order(
    services: Services, caller: Caller, order_id: Id, response: Response, if_match: IfMatch = None
) -> OrderOut:
    view = po.submit_order(services, caller, order_id, expected_version(if_match))
    return _order(response, view)


@router.post("/{order_id}/acknowledge", name="acknowledge_purchase_order")
def acknowledge_purchase_order(
    services: Services,
    caller: Caller,
    order_id: Id,
    body: AcknowledgeIn,
    response: Response,
    if_match: IfMatch = None,
) -> OrderOut:
    """The seller confirms each line's quantity and date (unnamed lines: as ordered)."""
    command = body.command(expected_version(if_match))
    return _order(response, po.acknowledge_order(services, caller, order_id, command))


@router.post("/{order_id}/cancel", name="cancel_purchase_order")
def cancel_purchase_order(
    services: Services,
    caller: Caller,
    order_id: Id,
    response: Response,
    body: CancelIn | None = None,
    if_match: IfMatch = None,
) -> OrderOut:
    """The buyer cancels before acknowledgement; afterwards, request a cancellation."""
    reason = "" if body is None else body.reason
    version = expected_version(if_match)
    return _order(response, po.cancel_order(services, caller, order_id, reason, version))


@router.post("/{order_id}/close", name="close_purchase_order")
def close_purchase_order(
    services: Services, caller: Caller, order_id: Id, response: Response, if_match: IfMatch = None
) -> OrderOut:
    """The buyer closes a received order, or closes short an open one."""
    view = po.close_order(services, caller, order_id, expected_version(if_match))
    return _order(response, view)


@router.get("/{order_id}/change-requests", name="list_change_requests")
def list_change_requests(
    services: Services, caller: Caller, order_id: Id
) -> list[ChangeRequestOut]:
    found = po.list_change_requests(services, caller, order_id)
    return [ChangeRequestOut.model_validate(c) for c in found]


@router.get("/{order_id}/change-requests/{change_id}", name="get_change_request")
def get_change_request(
    services: Services, caller: Caller, order_id: Id, change_id: Id
) -> ChangeRequestOut:
    found = po.get_change_request(services, caller, order_id, change_id)
    return ChangeRequestOut.model_validate(found)


@router.post("/{order_id}/change-requests", name="request_change", status_code=201)
def request_change(
    services: Services,
    caller: Caller,
    order_id: Id,
    body: ChangeRequestIn,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> ChangeOutcomeOut:
    """Either party asks for a change or the cancellation; the other decides, unless the trade
    terms ask no acceptance (then it is applied at once)."""
    command = body.command(expected_version(if_match))
    outcome = po.request_change(services, caller, order_id, command)
    created(request, response, "get_change_request", order_id=order_id, change_id=outcome.change.id)
    return ChangeOutcomeOut.of(outcome)


@router.post("/{order_id}/change-requests/{change_id}/accept", name="accept_change")
def accept_change(
    services: Services,
    caller: Caller,
    order_id: Id,
    change_id: Id,
    body: DecisionIn | None = None,
    if_match: IfMatch = None,
) -> ChangeOutcomeOut:
    note = "" if body is None else body.note
    version = expected_version(if_match)
    return ChangeOutcomeOut.of(
        po.accept_change(services, caller, order_id, change_id, note, version)
    )


@router.post("/{order_id}/change-requests/{change_id}/reject", name="reject_change")
def reject_change(
    services: Services,
    caller: Caller,
    order_id: Id,
    change_id: Id,
    body: DecisionIn,
    if_match: IfMatch = None,
) -> ChangeOutcomeOut:
    version = expected_version(if_match)
    return ChangeOutcomeOut.of(
        po.reject_change(services, caller, order_id, change_id, body.note, version)
    )


@router.post("/{order_id}/change-requests/{change_id}/withdraw", name="withdraw_change")
def withdraw_change(
    services: Services, caller: Caller, order_id: Id, change_id: Id, if_match: IfMatch = None
) -> ChangeOutcomeOut:
    version = expected_version(if_match)
    return ChangeOutcomeOut.of(po.withdraw_change(services, caller, order_id, change_id, version))
