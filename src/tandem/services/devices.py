"""Devices: smart machines that report what they make, each with an API key that may only
ingest. Registered and deactivated by the owning member's people; visible to the owner and to
partners holding a ``demand_history`` grant on the device's site."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from tandem.domain.errors import DuplicateCode, Forbidden, NotFound, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import check_code, raise_if
from tandem.domain.sharing import AccessScope, DataCategory
from tandem.domain.signals import (
    Device,
    DeviceKind,
    FeedbackSummary,
    Recipe,
    SignalRecord,
    explode,
    recipes_at,
)
from tandem.services import identity
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.feedback import audit_partner_reads, summarise_in
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import scope_for

RECENT_SIGNALS = 20
ACTIVITY_WINDOW = timedelta(hours=24)
CONSUMPTION_DAYS = 14


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


# ---------------------------------------------------------------- activity and consumption


@dataclass(frozen=True)
class DeviceActivity:
    """A line of the device list: the device, when it last reported, how many of its messages
    arrived in the last 24 hours, and the feedback on it (``mean_rating`` ``None``: none yet)."""

    device: Device
    last_message_at: datetime | None
    messages_24h: int
    feedback_count: int
    mean_rating: float | None


@dataclass(frozen=True)
class ItemConsumption:
    """What records consumed of one item: ``recorded`` as reported (the drink itself) and
    ``from_recipes`` through the bills of materials (the drink's beans, milk and cup)."""

    item_id: int
    recorded: float
    from_recipes: float

    @property
    def total(self) -> float:
        return self.recorded + self.from_recipes


@dataclass(frozen=True)
class DeviceTelemetry:
    """The device's ``recent_signals`` (newest first), what they consumed, and its message
    counts (all the caller may read, and those received in the last 24 hours)."""

    device: Device
    recent_signals: tuple[SignalRecord, ...]
    consumption: tuple[ItemConsumption, ...]
    messages_24h: int
    total_messages: int


@dataclass(frozen=True)
class DailyConsumption:
    """The consumption of one item on one business day (the records' ``day``)."""

    day: date
    consumption: ItemConsumption


def list_device_activity(
    ctx: ServiceContext, principal: Principal, page: PageRequest, site_id: int | None = None
) -> Page[DeviceActivity]:
    """:func:`list_devices`, each with its activity; partner feedback reads are audited."""
    listed = list_devices(ctx, principal, page, site_id)
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        scope = scope_for(uow, principal, DataCategory.DEMAND_HISTORY, now)
        lines = tuple(_activity(uow, principal, scope, d, now) for d in listed.items)
        uow.commit()
    return Page(lines, listed.total, listed.offset, listed.limit)


def device_telemetry(
    ctx: ServiceContext, principal: Principal, device_id: int, recent: int = RECENT_SIGNALS
) -> DeviceTelemetry:
    """The device's ``recent`` latest records the caller may read and the item consumption
    they stand for, exploded through the owner's current recipes at the device's site (a
    partner sees only the items its grants cover). Partner rows are audited."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        device, scope = _visible_device(uow, principal, device_id, now)
        total = uow.signal_records.count_scoped(scope, device_id=device.id)
        rows = uow.signal_records.find_scoped(
            scope, offset=max(0, total - recent), device_id=device.id
        )
        since = _first_received_since(uow, scope, device.id, now - ACTIVITY_WINDOW, total)
        audit_partner_reads(uow, principal, scope, rows, f"device {device.id} signals", now)
        used = consumption_of(rows, _recipes(uow, device), _permitted(scope, device))
        uow.commit()
    return DeviceTelemetry(device, tuple(reversed(rows)), used, total - since, total)


def device_daily_consumption(
    ctx: ServiceContext, principal: Principal, device_id: int, days: int = CONSUMPTION_DAYS
) -> tuple[DailyConsumption, ...]:
    """Per business day and item, the consumption of the device's records received in the
    last ``days`` days (by day, then item id), as :func:`device_telemetry` explodes them."""
    principal.require(Scope.DATA_READ)
    now = ctx.clock.now()
    with ctx.uow() as uow:
        device, scope = _visible_device(uow, principal, device_id, now)
        total = uow.signal_records.count_scoped(scope, device_id=device.id)
        start = _first_received_since(uow, scope, device.id, now - timedelta(days=days), total)
        rows = uow.signal_records.find_scoped(scope, offset=start, device_id=device.id)
        audit_partner_reads(uow, principal, scope, rows, f"device {device.id} signals", now)
        recipes, permitted = _recipes(uow, device), _permitted(scope, device)
        uow.commit()
    by_day: dict[date, list[SignalRecord]] = defaultdict(list)
    for row in rows:
        by_day[row.day].append(row)
    return tuple(
        DailyConsumption(day, used)
        for day in sorted(by_day)
        for used in consumption_of(by_day[day], recipes, permitted)
    )


def consumption_of(
    records: Iterable[SignalRecord],
    recipes: dict[int, Recipe],
    permitted: Callable[[int], bool] = lambda _: True,
) -> tuple[ItemConsumption, ...]:
    """The consumption ``records`` stand for, per item (in id order): each record's item as
    recorded, and through ``recipes`` every component (:func:`~tandem.domain.signals.explode`),
    for the items ``permitted`` allows."""
    recorded: dict[int, float] = defaultdict(float)
    derived: dict[int, float] = defaultdict(float)
    for record in records:
        for item_id, quantity in explode(record.item_id, record.quantity, recipes):
            target = recorded if item_id == record.item_id else derived
            target[item_id] += quantity
    return tuple(
        ItemConsumption(item_id, recorded.get(item_id, 0.0), derived.get(item_id, 0.0))
        for item_id in sorted({*recorded, *derived})
        if permitted(item_id)
    )


def _activity(
    uow: UnitOfWork, principal: Principal, scope: AccessScope, device: Device, now: datetime
) -> DeviceActivity:
    total = uow.signal_records.count_scoped(scope, device_id=device.id)
    since = _first_received_since(uow, scope, device.id, now - ACTIVITY_WINDOW, total)
    ratings = uow.feedback.find_scoped(scope, device_id=device.id)
    audit_partner_reads(uow, principal, scope, ratings, f"device {device.id} feedback", now)
    mean = sum(r.rating for r in ratings) / len(ratings) if ratings else None
    return DeviceActivity(device, device.last_seen_at, total - since, len(ratings), mean)


def _first_received_since(
    uow: UnitOfWork, scope: AccessScope, device_id: int, since: datetime, total: int
) -> int:
    """The position (in id order, of ``total``) of the device's first record received at or
    after ``since``, found by bisection in O(log n) reads of one row each.

    A device's records are stored in the order they arrive (its batches queue on its row
    lock), so ``received_at`` does not decrease along the ids; only two batches taking their
    clock reading in one order and the lock in the other can break that, by at most the
    records of the batches waiting at that moment.
    """
    low, high = 0, total
    while low < high:
        middle = (low + high) // 2
        probe = uow.signal_records.find_scoped(scope, offset=middle, limit=1, device_id=device_id)
        if probe and probe[0].received_at < since:
            low = middle + 1
        else:
            high = middle
    return low


def _recipes(uow: UnitOfWork, device: Device) -> dict[int, Recipe]:
    """The owner's own recipes at the device's site, as ingestion applies them."""
    return recipes_at(device.site_id, uow.bom_lines.find(owner_member_id=device.member_id))


def _permitted(scope: AccessScope, device: Device) -> Callable[[int], bool]:
    return lambda item_id: scope.permits(device.member_id, item_id, device.site_id)
