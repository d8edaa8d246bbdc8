"""Customers of the caller's member: seen and changed by that member only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.customers import CustomerIn, CustomerOut
from tandem.domain.customers import ServiceClass
from tandem.services import customers

router = APIRouter(prefix="/customers", tags=["customers"])


@router.get("", name="list_customers")
def list_customers(
    services: Services,
    caller: Caller,
    page: Paging,
    segment: Annotated[str | None, Query(max_length=64, description="Only this segment.")] = None,
    service_class: Annotated[ServiceClass | None, Query()] = None,
) -> PageOut[CustomerOut]:
    found = customers.list_customers(services, caller, page, segment, service_class)
    return PageOut[CustomerOut].of(found)


@router.get("/{customer_id}", name="get_customer")
def get_customer(services: Services, caller: Caller, customer_id: Id) -> CustomerOut:
    return CustomerOut.model_validate(customers.get_customer(services, caller, customer_id))


@router.post("", name="add_customer", status_code=201)
def add_customer(
    services: Services, caller: Caller, body: CustomerIn, request: Request, response: Response
) -> CustomerOut:
    customer = customers.add_customer(services, caller, body.fields())
    created(request, response, "get_customer", customer_id=customer.id)
    return CustomerOut.model_validate(customer)


@router.put("/{customer_id}", name="update_customer")
def update_customer(
    services: Services, caller: Caller, customer_id: Id, body: CustomerIn
) -> CustomerOut:
    changed = customers.update_customer(services, caller, customer_id, body.fields())
    return CustomerOut.model_validate(changed)
