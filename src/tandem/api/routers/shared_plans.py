"""The shared production plan: a supplier reads a buyer's planned purchases from it by week
(with the buyer's ``production_plans`` grant; every read is audited) and commits capacity; the
buyer reads the commitments against its plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tandem.api.deps import Caller, Services
from tandem.api.schemas.common import Id
from tandem.api.schemas.planning import CommitmentIn, CommitmentOut, SharedPlanOut
from tandem.services.planning import shared_plan

router = APIRouter(prefix="/shared-plans", tags=["planning"])


@router.get("", name="get_shared_plan")
def get_shared_plan(
    services: Services, caller: Caller, buyer_member_id: Annotated[Id, Query()]
) -> SharedPlanOut:
    """The buyer's live-plan purchases from your member, by item and week, with your
    commitments; ``not_found`` without the buyer's grant."""
    found = shared_plan.shared_plan(services, caller, buyer_member_id)
    return SharedPlanOut.model_validate(found)


@router.post("/commitments", name="commit_capacity")
def commit_capacity(services: Services, caller: Caller, body: CommitmentIn) -> CommitmentOut:
    """Commit (or change) the quantity your member will supply the buyer in one week."""
    command = shared_plan.CommitCapacity(
        body.buyer_member_id, body.item_id, body.week_start, body.quantity, body.note
    )
    return CommitmentOut.model_validate(shared_plan.commit_capacity(services, caller, command))


@router.get("/commitments", name="list_commitments_against_plan")
def list_commitments_against_plan(
    services: Services,
    caller: Caller,
    supplier_member_id: Annotated[Id | None, Query()] = None,
) -> SharedPlanOut:
    """Your own live plan's purchases by supplier, item and week, beside each commitment."""
    found = shared_plan.commitments_against_plan(services, caller, supplier_member_id)
    return SharedPlanOut.model_validate(found)
