"""Customers: private to the member that sells to them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.support import World

from tandem.domain.customers import Customer, ServiceClass
from tandem.domain.errors import DuplicateCode, Forbidden, NotFound, ValidationFailed
from tandem.domain.identity import Scope
from tandem.services import customers
from tandem.services.context import PageRequest
from tandem.services.customers import CustomerFields

OFFICE = CustomerFields(
    "C-OFFICE",
    "Office park canteen",
    segment="office",
    service_class=ServiceClass.PREMIUM,
    street="Dam 1",
    postal_code="1012 JS",
    city="Amsterdam",
    country="NL",
)


def test_member_adds_and_reads_back_a_customer(world: World) -> None:
    customer = customers.add_customer(world.ctx, world.roaster, replace(OFFICE, code=" C-OFFICE "))

    assert customer == Customer(
        customer.id,
        world.network_id,
        world.roaster.member_id,
        "C-OFFICE",
        "Office park canteen",
        "office",
        ServiceClass.PREMIUM,
        "Dam 1",
        "1012 JS",
        "Amsterdam",
        "NL",
    )
    assert customers.get_customer(world.ctx, world.roaster, customer.id) == customer


def test_list_shows_only_own_customers_filtered_by_segment(world: World) -> None:
    customers.add_customer(world.ctx, world.roaster, OFFICE)
    customers.add_customer(world.ctx, world.roaster, CustomerFields("C-HOME", "Home", "retail"))
    customers.add_customer(world.ctx, world.cafe, CustomerFields("C-OFFICE", "Cafe's", "office"))

    mine = customers.list_customers(world.ctx, world.roaster, PageRequest())
    offices = customers.list_customers(world.ctx, world.roaster, PageRequest(), segment="office")
    premium = customers.list_customers(
        world.ctx, world.cafe, PageRequest(), service_class=ServiceClass.PREMIUM
    )

    assert [c.code for c in mine.items] == ["C-OFFICE", "C-HOME"]
    assert mine.total == 2
    assert [c.name for c in offices.items] == ["Office park canteen"]
    assert (premium.items, premium.total) == ((), 0)


def test_member_updates_its_customer(world: World) -> None:
    customer = customers.add_customer(world.ctx, world.roaster, OFFICE)

    changed = customers.update_customer(
        world.ctx, world.roaster, customer.id, replace(OFFICE, service_class=ServiceClass.ECONOMY)
    )

    assert changed == replace(customer, service_class=ServiceClass.ECONOMY)
    assert customers.get_customer(world.ctx, world.roaster, customer.id) == changed


def test_another_member_cannot_see_or_change_a_customer(world: World) -> None:
    customer = customers.add_customer(world.ctx, world.roaster, OFFICE)

    with pytest.raises(NotFound, match=f"customer {customer.id} not found"):
        customers.get_customer(world.ctx, world.cafe, customer.id)
    with pytest.raises(NotFound):
        customers.update_customer(world.ctx, world.cafe, customer.id, OFFICE)
    assert customers.get_customer(world.ctx, world.roaster, customer.id) == customer


def test_code_is_unique_per_member_and_a_refused_write_changes_nothing(world: World) -> None:
    first = customers.add_customer(world.ctx, world.roaster, OFFICE)
    second = customers.add_customer(world.ctx, world.roaster, CustomerFields("C-2", "Two"))

    with pytest.raises(DuplicateCode):
        customers.add_customer(world.ctx, world.roaster, replace(OFFICE, name="Again"))
    with pytest.raises(DuplicateCode):
        customers.update_customer(world.ctx, world.roaster, second.id, replace(OFFICE, name="X"))

    listed = customers.list_customers(world.ctx, world.roaster, PageRequest()).items
    assert listed == (first, second)


def test_blank_code_and_name_are_refused_with_both_violations(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        customers.add_customer(world.ctx, world.roaster, CustomerFields("  ", ""))

    assert [(v.field, v.message) for v in refused.value.violations] == [
        ("code", "must have 1 to 64 characters"),
        ("name", "must have 1 to 200 characters"),
    ]
    assert customers.list_customers(world.ctx, world.roaster, PageRequest()).total == 0


def test_writing_needs_the_data_write_scope(world: World) -> None:
    reader = replace(world.roaster, scopes=frozenset({Scope.DATA_READ}))

    with pytest.raises(Forbidden):
        customers.add_customer(world.ctx, reader, OFFICE)
    assert customers.list_customers(world.ctx, reader, PageRequest()).total == 0
