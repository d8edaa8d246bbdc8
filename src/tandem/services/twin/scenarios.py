"""Stored what-if scenarios: a member's named lists of deltas, private to that member.

A scenario is validated (:func:`tandem.domain.scenarios.parse_deltas`) when saved and stored as
given. Whether it fits the network (its codes name existing sites, lanes, items) is checked
when it runs, against the network as it is then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from tandem.domain.errors import NotFound, ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.scenarios import Scenario, parse_deltas
from tandem.services.context import ServiceContext
from tandem.services.ports import UnitOfWork

__all__ = [
    "create_scenario",
    "delete_scenario",
    "get_scenario",
    "list_scenarios",
    "update_scenario",
]

MAX_NAME = 200


def _check(name: str, deltas: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    if not name.strip() or len(name) > MAX_NAME:
        found.append(Violation("scenario", f"must hold 1 to {MAX_NAME} characters", "name"))
    try:
        parse_deltas(list(deltas))
    except ValidationFailed as error:
        found += error.violations
    if found:
        raise ValidationFailed("invalid scenario: " + "; ".join(map(str, found)), violations=found)
    return [dict(d) for d in deltas]


def _own(uow: UnitOfWork, principal: Principal, scenario_id: int) -> Scenario:
    found = uow.twin_scenarios.get(scenario_id)
    if found is None or found.owner_member_id != principal.member_id:
        raise NotFound(f"scenario {scenario_id} not found")
    return found


def create_scenario(
    ctx: ServiceContext, principal: Principal, name: str, deltas: Sequence[dict[str, Any]]
) -> Scenario:
    """Save a new scenario of the caller's member (names unique per member)."""
    principal.require(Scope.DATA_WRITE)
    stored = _check(name, deltas)
    with ctx.uow() as uow:
        scenario = uow.twin_scenarios.add(
            Scenario(
                0,
                principal.network_id,
                principal.member_id,
                name.strip(),
                stored,
                ctx.clock.now(),
                principal.user_id,
            )
        )
        uow.commit()
    return scenario


def list_scenarios(ctx: ServiceContext, principal: Principal) -> list[Scenario]:
    """The caller's member's scenarios, oldest first."""
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return uow.twin_scenarios.find(owner_member_id=principal.member_id)


def get_scenario(ctx: ServiceContext, principal: Principal, scenario_id: int) -> Scenario:
    principal.require(Scope.DATA_READ)
    with ctx.uow() as uow:
        return _own(uow, principal, scenario_id)


def update_scenario(
    ctx: ServiceContext,
    principal: Principal,
    scenario_id: int,
    name: str,
    deltas: Sequence[dict[str, Any]],
) -> Scenario:
    """Replace a scenario's name and deltas."""
    principal.require(Scope.DATA_WRITE)
    stored = _check(name, deltas)
    with ctx.uow() as uow:
        scenario = replace(_own(uow, principal, scenario_id), name=name.strip(), deltas=stored)
        uow.twin_scenarios.update(scenario)
        uow.commit()
    return scenario


def delete_scenario(ctx: ServiceContext, principal: Principal, scenario_id: int) -> None:
    principal.require(Scope.DATA_WRITE)
    with ctx.uow() as uow:
        _own(uow, principal, scenario_id)
        uow.twin_scenarios.delete(scenario_id)
        uow.commit()
