"""Coordinated inventory plans: compute the network optimum from the platform's data and put it
to the vote (reading, voting and withdrawing proposals live in ``proposals``)."""

from __future__ import annotations

from fastapi import APIRouter, status

from tandem.api.deps import Caller, Services
from tandem.api.schemas.inventory_plans import (
    CreatedProposalOut,
    InventoryPlanIn,
    InventoryPlanOut,
    InventoryProposalIn,
)
from tandem.services import inventory_plan

router = APIRouter(tags=["coordination"])


@router.post("/inventory-plans", name="run_inventory_plan")
def run_inventory_plan(
    services: Services, caller: Caller, body: InventoryPlanIn
) -> InventoryPlanOut:
    """Stages with service times, safety and base stock; (a)/(b)/(c) side by side; each
    member's change; landed cost per end point; fair shares; what was left out and why."""
    plan = inventory_plan.plan_inventory(services, caller, body.request())
    return InventoryPlanOut.model_validate(
        {**plan.__dict__, "service_level": plan.request.service_level}
    )


@router.post(
    "/inventory-proposals",
    name="propose_inventory_plan",
    status_code=status.HTTP_201_CREATED,
)
def propose_inventory_plan(
    services: Services, caller: Caller, body: InventoryProposalIn
) -> CreatedProposalOut:
    """Compute the plan and put its optimum to the network's vote."""
    proposal = inventory_plan.propose(
        services, caller, body.request(), body.title, body.transfer_rule
    )
    return CreatedProposalOut.model_validate(proposal)
