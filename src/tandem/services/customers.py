"""Use cases of a selling member's end customers: seen and changed by that member only.

Another member asking for a customer gets :class:`NotFound`, exactly as for one that does not
exist: customers are private to the member that sells to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.domain.customers import Customer, ServiceClass, customer_violations
from tandem.domain.errors import DuplicateCode, NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork


@dataclass(frozen=True)
class CustomerFields:
    code: str
    name: str
    segment: str = ""
    service_class: ServiceClass = ServiceClass.STANDARD
    street: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""


def own_customer(uow: UnitOfWork, principal: Principal, customer_id: int) -> Customer:
    """The caller's customer ``customer_id``; :class:`NotFound` if missing or another's."""
    customer = uow.customers.get(customer_id)
    if customer is None or customer.member_id != principal.member_id:
        raise NotFound(f"customer {customer_id} not found")
    return customer


def _checked(
    uow: UnitOfWork, principal: Principal, fields: CustomerFields, customer_id: int = 0
) -> Customer:
    code = fields.code.strip()
    found = customer_violations(code, fields.name)
    if found:
        raise ValidationFailed(
            "invalid customer: " + "; ".join(str(v) for v in found), violations=found
        )
    same_code = uow.customers.find(member_id=principal.member_id, code=code)
    if any(other.id != customer_id for other in same_code):
        raise DuplicateCode(
            f"customer code {code!r} is already used",
            violations=[Violation("customer", "already used", "code")],
        )
    values = {**fields.__dict__, "code": code}
    return Customer(customer_id, principal.network_id, principal.member_id, **values)


def add_customer(ctx: ServiceContext, principal: Principal, fields: CustomerFields) -> Customer:
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        customer = uow.customers.add(_checked(uow, principal, fields))
        uow.commit()
    return customer


def update_customer(
    ctx: ServiceContext, principal: Principal, customer_id: int, fields: CustomerFields
) -> Customer:
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        own_customer(uow, principal, customer_id)
        customer = _checked(uow, principal, fields, customer_id)
        uow.customers.update(customer)
        uow.commit()
    return customer


def get_customer(ctx: ServiceContext, principal: Principal, customer_id: int) -> Customer:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return own_customer(uow, principal, customer_id)


def list_customers(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    segment: str | None = None,
    service_class: ServiceClass | None = None,
) -> Page[Customer]:
    """The caller's customers in id order, optionally of one segment or service class."""
    principal.require(Scope.DATA_READ)
    pairs: tuple[tuple[str, Any], ...] = (("segment", segment), ("service_class", service_class))
    filters = {key: value for key, value in pairs if value is not None}
    with ctx.uow() as uow:
        rows = uow.customers.find(
            offset=page.offset, limit=page.limit, member_id=principal.member_id, **filters
        )
        total = uow.customers.count(member_id=principal.member_id, **filters)
    return Page(tuple(rows), total, page.offset, page.limit)
