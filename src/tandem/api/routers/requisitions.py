"""Purchase requisitions of a live run, per supplier, and their conversion into draft purchase
orders (idempotent: converting the same lines again returns the same orders)."""

from __future__ import annotations

from fastapi import APIRouter

from tandem.api.deps import Caller, Services
from tandem.api.schemas.common import Id
from tandem.api.schemas.planning import ConversionOut, ConvertIn, RequisitionOut
from tandem.services.planning import procurement

router = APIRouter(prefix="/planning-runs", tags=["planning"])


@router.get("/{run_id}/requisitions", name="list_requisitions")
def list_requisitions(services: Services, caller: Caller, run_id: Id) -> list[RequisitionOut]:
    """The run's planned purchases grouped by supplier: quantities rounded to the best offer's
    MOQ and multiple, priced at the break reached, with order-by dates."""
    found = procurement.requisitions(services, caller, run_id)
    return [RequisitionOut.model_validate(r) for r in found]


@router.post("/{run_id}/requisitions/convert", name="convert_requisitions")
def convert_requisitions(
    services: Services, caller: Caller, run_id: Id, body: ConvertIn
) -> ConversionOut:
    """Turn a supplier's requisition lines into draft purchase orders (one per ship-to site)."""
    ids = None if body.planned_order_ids is None else tuple(body.planned_order_ids)
    found = procurement.convert_requisitions(services, caller, run_id, body.supplier_member_id, ids)
    return ConversionOut.model_validate(found)
