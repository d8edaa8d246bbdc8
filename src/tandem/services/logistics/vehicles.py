"""Vehicle types: a network-wide catalogue (kept by network administrators) and each member's
own (its fleet or contracted vehicles). Everybody in the network sees all of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.domain.identity import Principal, Scope
from tandem.domain.logistics import VehicleType, vehicle_type_violations
from tandem.domain.network import TransportMode, raise_if
from tandem.services.context import Page, PageRequest, ServiceContext


@dataclass(frozen=True)
class VehicleTypeFields:
    code: str
    name: str
    mode: TransportMode
    max_weight_kg: float
    max_volume_m3: float
    cost_per_km: float
    fixed_cost: float
    network_wide: bool = False


def add_vehicle_type(
    ctx: ServiceContext, principal: Principal, fields: VehicleTypeFields
) -> VehicleType:
    """A new vehicle type of the caller's member, or of the whole network (administrators)."""
    principal.require(Scope.NETWORK_WRITE)
    if fields.network_wide:
        principal.require_network_admin()
    vehicle = VehicleType(
        0,
        principal.network_id,
        fields.code.strip(),
        fields.name.strip(),
        fields.mode,
        fields.max_weight_kg,
        fields.max_volume_m3,
        fields.cost_per_km,
        fields.fixed_cost,
        None if fields.network_wide else principal.member_id,
    )
    raise_if(vehicle_type_violations(vehicle, "vehicle_type"), "invalid vehicle type")
    with ctx.uow() as uow:
        stored = uow.vehicle_types.add(vehicle)
        uow.commit()
    return stored


def list_vehicle_types(
    ctx: ServiceContext, principal: Principal, page: PageRequest
) -> Page[VehicleType]:
    """Every vehicle type of the network, in order of id."""
    principal.require(Scope.NETWORK_READ)
    mine: dict[str, Any] = {"network_id": principal.network_id}
    with ctx.uow() as uow:
        rows = uow.vehicle_types.find(offset=page.offset, limit=page.limit, **mine)
        return Page(tuple(rows), uow.vehicle_types.count(**mine), page.offset, page.limit)
