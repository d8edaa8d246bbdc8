"""Devices: smart machines that report what they make, each with an API key that may only
ingest. Registered and deactivated by the owning member's people; visible to the owner and to
partners holding a ``demand_history`` grant on the device's site."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tandem.domain.errors import DuplicateCode, Forbidden, NotFound, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import check_code, raise_if
from tandem.domain.sharing import AccessScope, DataCategory
from tandem.domain.signals import Device, DeviceKind, FeedbackSummary, SignalRecord
from tandem.services import identity
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.feedback import audit_partner_reads, summarise_in
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import scope_for

RECENT_SIGNALS = 20


@dataclass(frozen=True)
class RegisterDevice:
    site_id: int
    code: str
    name: str
    kind: DeviceKind = DeviceKind.COFFEE_MACHINE


@dataclass(frozen=True)
class RegisteredDevice:
    """The device and its full API key: shown this once, only its hash is stored."""

    device: Device
    api_key: str


@dataclass(frozen=True)
class DeviceOverview:
    """A device with its latest records (newest first) and the feedback given on it."""

    device: Device
    recent_signals: tuple[SignalRecord, ...]
    feedback: tuple[FeedbackSummary, ...]


def register_device(
    ctx: ServiceContext, principal: Principal, command: RegisterDevice
) -> RegisteredDevice:
    """Register a device at one of the caller's sites, with a new key scoped to ``ingest``."""
    principal.require(Scope.NETWORK_WRITE)
    if principal.api_key_id is not None:
        raise Forbidden("devices are registered by people, not by API keys")
    code, name = command.code.strip(), command.name.strip()
    found = check_code(code, "device")
    if not name or len(name) > 200:
        found.append(Violation("device", "must have 1 to 200 characters", "name"))
    with ctx.uow() as uow:
        site = uow.sites.get(command.site_id)
        if site is None or site.member_id != principal.member_id:
            found.append(Violation("device", "must be one of your sites", "site_id"))
        raise_if(found, "invalid device")
        assert site is not None
        if uow.devices.find(network_id=principal.network_id, code=code):
            raise DuplicateCode(
                f"a device with code {code} already exists",
                violations=[Violation("device", "already registered", "code")],
            )
        issued = identity.add_api_key(
            uow, principal.member_id, f"device:{code}", frozenset({Scope.INGEST})
        )
        device = uow.devices.add(
            Device(
                0,
                principal.network_id,
                principal.member_id,
                site.id,
                code,
                name,
                command.kind,
                issued.api_key.id,
                ctx.clock.now(),
            )
        )
        uow.commit()
    return RegisteredDevice(device, issued.key)


def list_devices(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    site_id: int | None = None,
) -> Page[Device]:
    """The caller's devices, and partners' devices at sites their grants cover, by id."""
    principal.require(Scope.NETWORK_READ)
    filters: dict[str, Any] = {"network_id": principal.network_id}
    if site_id is not None:
        filters["site_id"] = site_id
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, DataCategory.DEMAND_HISTORY, ctx.clock.now())
        owners = sorted(scope.owners)
        rows = [
            d
            for owner in owners
            for d in uow.devices.find(member_id=owner, **filters)
            if _visible(d, principal, scope)
        ]
    rows.sort(key=lambda d: d.id)
    chosen = rows[page.offset : page.offset + page.limit]
    return Page(tuple(chosen), len(rows), page.offset, page.limit)


def get_device(ctx: ServiceContext, principal: Principal, device_id: int) -> Device:
    principal.require(Scope.NETWORK_READ)
    with ctx.uow() as uow:
        return _visible_device(uow, principal, device_id, ctx.clock.now())[0]


def device_overview(
    ctx: ServiceContext, principal: Principal, device_id: int, recent: int = RECENT_SIGNALS
) -> DeviceOverview:
    """The device, its ``recent`` latest records the caller may read, and the feedback on it;
    partner rows are audited."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        device, scope = _visible_device(uow, principal, device_id, now)
        total = uow.signal_records.count_scoped(scope, device_id=device.id)
        rows = uow.signal_records.find_scoped(
            scope, offset=max(0, total - recent), device_id=device.id
        )
        audit_partner_reads(uow, principal, scope, rows, f"device {device.id} signals", now)
        feedback = summarise_in(uow, principal, now, device_id=device.id)
        uow.commit()
    return DeviceOverview(device, tuple(reversed(rows)), feedback)


def deactivate_device(ctx: ServiceContext, principal: Principal, device_id: int) -> Device:
    """Stop a device: it is kept with its records, its key is revoked. Doing it twice is fine."""
    principal.require(Scope.NETWORK_WRITE)
    with ctx.uow() as uow:
        device = uow.devices.get_for_update(device_id)
        if device is None or device.member_id != principal.member_id:
            raise NotFound(f"device {device_id} not found")
        if device.active:
            device = replace(device, active=False)
            uow.devices.update(device)
            key = uow.api_keys.get(device.api_key_id)
            if key is not None and not key.revoked:
                uow.api_keys.update(replace(key, revoked=True))
            uow.commit()
    return device


def _visible(device: Device, principal: Principal, scope: AccessScope) -> bool:
    if device.member_id == principal.member_id:
        return True
    return any(
        rule.owner_member_id == device.member_id
        and (rule.site_ids is None or device.site_id in rule.site_ids)
        for rule in scope.partner_rules
    )


def _visible_device(
    uow: UnitOfWork, principal: Principal, device_id: int, now: datetime
) -> tuple[Device, AccessScope]:
    scope = scope_for(uow, principal, DataCategory.DEMAND_HISTORY, now)
    device = uow.devices.get(device_id)
    if device is None or device.network_id != principal.network_id:
        raise NotFound(f"device {device_id} not found")
    if not _visible(device, principal, scope):  # not shared with the caller: indistinguishable
        raise NotFound(f"device {device_id} not found")
    return device, scope
