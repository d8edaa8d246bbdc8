"""``GET /network``: the whole map a member sees (network, members, sites, lanes)."""

from __future__ import annotations

from fastapi import APIRouter

from tandem.api.deps import Caller, Services
from tandem.api.schemas.network import NetworkMapOut
from tandem.services import network

router = APIRouter(tags=["network"])


@router.get("/network", name="get_network_map")
def get_network_map(services: Services, caller: Caller) -> NetworkMapOut:
    return NetworkMapOut.model_validate(network.network_map(services, caller))
