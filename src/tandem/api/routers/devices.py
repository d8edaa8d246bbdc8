"""Devices: smart machines reporting consumption with an ingest-only API key."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from tandem.api.deps import Caller, Paging, Services
from tandem.api.routers import created
from tandem.api.schemas.common import Id, PageOut
from tandem.api.schemas.signals import (
    DeviceDetailOut,
    DeviceIn,
    DeviceOut,
    FeedbackSummaryOut,
    RegisteredDeviceOut,
)
from tandem.services import devices

router = APIRouter(prefix="/devices", tags=["devices"])


@router.post("", name="register_device", status_code=201)
def register_device(
    services: Services, caller: Caller, body: DeviceIn, request: Request, response: Response
) -> RegisteredDeviceOut:
    """Register a device at one of your sites. The response holds its API key, scoped to
    `ingest` only, this once: the device sends it as `X-API-Key` (or over MQTT)."""
    registered = devices.register_device(services, caller, body.command())
    created(request, response, "get_device", device_id=registered.device.id)
    return RegisteredDeviceOut.model_validate(
        {**registered.device.__dict__, "api_key": registered.api_key}
    )


@router.get("", name="list_devices")
def list_devices(
    services: Services,
    caller: Caller,
    page: Paging,
    site_id: Annotated[Id | None, Query()] = None,
) -> PageOut[DeviceOut]:
    """Your devices, and partners' at sites their `demand_history` grants cover."""
    return PageOut[DeviceOut].of(devices.list_devices(services, caller, page, site_id))


@router.get("/{device_id}", name="get_device")
def get_device(services: Services, caller: Caller, device_id: Id) -> DeviceDetailOut:
    """The device, its latest records (newest first) and the feedback given on it."""
    overview = devices.device_overview(services, caller, device_id)
    return DeviceDetailOut.model_validate(
        {
            **overview.device.__dict__,
            "recent_signals": list(overview.recent_signals),
            "feedback": [FeedbackSummaryOut.of(s) for s in overview.feedback],
        }
    )


@router.post("/{device_id}/deactivate", name="deactivate_device")
def deactivate_device(services: Services, caller: Caller, device_id: Id) -> DeviceOut:
    """Stop the device: its key is revoked, its records are kept."""
    return DeviceOut.model_validate(devices.deactivate_device(services, caller, device_id))
