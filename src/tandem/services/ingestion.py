"""Signal ingestion: consumption records from tills (HTTP, CSV) and devices (HTTP, MQTT) become
raw :class:`~tandem.domain.signals.SignalRecord` rows and, in the same transaction, daily demand.

One path for every source (:func:`ingest_records`):

1. every record is read and checked on its own; a bad one is *rejected* with its index, field
   and reason, and the batch goes on without it;
2. each sender numbers its messages; a message id already stored (or repeated in the batch) with
   the same content is a *duplicate*: counted once, never twice. A record sent without an id gets
   the SHA-256 of its content as id. Reusing an id for different content is rejected;
3. the new records are stored raw, then each is exploded through its recipe (the site owner's own
   bills of materials) and added to the demand of its ``(site, item, day)`` — late and
   out-of-order records land on their own day;
4. all of it commits at once, or nothing does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from tandem.domain.errors import ValidationFailed, Violation
from tandem.domain.identity import Principal, Scope
from tandem.domain.network import DemandPoint
from tandem.domain.sharing import DataCategory
from tandem.domain.signals import (
    Device,
    RecordRejected,
    Rejection,
    SignalRecord,
    SignalSource,
    derived_message_id,
    explode,
    read_message_id,
    read_quantity,
    read_timestamp,
)
from tandem.services import identity
from tandem.services.context import Page, PageRequest, ServiceContext
from tandem.services.ports import UnitOfWork
from tandem.services.sharing import read_scoped
from tandem.services.signal_input import MAX_BATCH, RecordLookup, SignalInput, read_signal_csv

__all__ = [
    "MAX_BATCH",
    "DayTotal",
    "Duplicate",
    "IngestResult",
    "SignalInput",
    "ingest_csv",
    "ingest_device_message",
    "ingest_records",
    "read_signals",
]

T = TypeVar("T")

UNKNOWN_DEVICE = "unknown device"
UNREADABLE = ("record", "row")  # problems that leave no fields to check


@dataclass(frozen=True)
class Duplicate:
    """Record ``index`` repeats message ``message_id``, already counted."""

    index: int
    message_id: str


@dataclass(frozen=True)
class DayTotal:
    """The demand of one item at one site on one day: what this batch ``added``, and the day's
    ``quantity`` after it."""

    site_id: int
    item_id: int
    day: date
    added: float
    quantity: float


@dataclass(frozen=True)
class IngestResult:
    """What became of a batch: ``received = accepted + duplicates + rejected`` records."""

    received: int
    accepted: int
    duplicates: int
    rejected: int
    rejections: tuple[Rejection, ...] = ()
    duplicate_records: tuple[Duplicate, ...] = ()
    days: tuple[DayTotal, ...] = ()


@dataclass(frozen=True)
class _Sender:
    """Who sends; ``label`` (``device:12``, ``api-key:3``, ``user:5``) owns its message ids."""

    label: str
    member_id: int
    network_id: int
    device: Device | None = None


def ingest_records(
    ctx: ServiceContext,
    principal: Principal,
    records: Sequence[SignalInput],
    source: SignalSource,
) -> IngestResult:
    """Ingest a batch sent by a person or an API key (a device's key reports for its device).

    Needs the ``ingest`` scope; records may only name the caller's own sites.
    """
    principal.require(Scope.INGEST)
    _check_size(records)
    with ctx.uow() as uow:
        device = _device_of(uow, principal)
        if device is not None:
            sender = _Sender(f"device:{device.id}", device.member_id, device.network_id, device)
        elif principal.api_key_id is not None:
            sender = _Sender(f"api-key:{principal.api_key_id}", *_member(principal))
        else:
            sender = _Sender(f"user:{principal.user_id}", *_member(principal))
        result = _ingest(uow, ctx.clock.now(), sender, records, source)
        uow.commit()
    return result


def ingest_device_message(
    ctx: ServiceContext, device_code: str, api_key: str, payload: Mapping[str, Any]
) -> IngestResult:
    """Ingest one device message (MQTT): ``{"message_id", "recipe" | "item", "quantity", "at"}``
    or ``{"records": [...]}`` of those; ``"network"``, when given (the subscriber passes the
    topic's network code), must be the key's network.

    ``api_key`` must be a valid key with the ``ingest`` scope (else AuthenticationFailed or
    Forbidden is raised). A device's own key publishes only as that device; another ingest key
    of the member (a gateway's) publishes as any active device of the member. A device that is
    unknown, inactive, of another member or network than the key, or not the key's own device,
    rejects every record with the reason ``"unknown device"`` (the sender learns nothing about
    other members' devices).
    """
    principal = identity.authenticate_api_key(ctx, api_key)
    principal.require(Scope.INGEST)
    raw = payload.get("records", [payload])
    if not isinstance(raw, list):
        rejection = Rejection(0, "records", "must be a list of records")
        return IngestResult(1, 0, 0, 1, (rejection,))
    records = [SignalInput.from_mapping(r, time_field="at") for r in raw]
    _check_size(records)
    with ctx.uow() as uow:
        found = uow.devices.find(network_id=principal.network_id, code=device_code)
        device = found[0] if found else None
        own = _device_of(uow, principal)
        if (
            device is None
            or not device.active
            or device.member_id != principal.member_id
            or (own is not None and own.id != device.id)
            or not _in_network(uow, principal, payload.get("network"))
        ):
            rejections = tuple(Rejection(i, "device", UNKNOWN_DEVICE) for i in range(len(raw)))
            return IngestResult(len(raw), 0, 0, len(raw), rejections)
        sender = _Sender(f"device:{device.id}", device.member_id, device.network_id, device)
        result = _ingest(uow, ctx.clock.now(), sender, records, SignalSource.MQTT)
        uow.commit()
    return result


def ingest_csv(ctx: ServiceContext, principal: Principal, text: str) -> IngestResult:
    """Ingest a CSV file with the header ``site,item,quantity,timestamp,message_id``.

    Wrong columns reject the whole file (ImportRejected naming the expected columns); bad rows
    are rejected one by one with their line number.
    """
    principal.require(Scope.INGEST)
    return ingest_records(ctx, principal, read_signal_csv(text), SignalSource.CSV)


def read_signals(
    ctx: ServiceContext,
    principal: Principal,
    page: PageRequest,
    site_id: int | None = None,
    item_id: int | None = None,
    device_id: int | None = None,
) -> Page[SignalRecord]:
    """Raw records, in arrival order: the caller's own and what ``demand_history`` grants
    show it (partner reads are audited)."""
    filters = {
        k: v
        for k, v in (("site_id", site_id), ("item_id", item_id), ("device_id", device_id))
        if v is not None
    }
    resource = "signals " + " ".join(f"{k}={v}" for k, v in filters.items())
    return read_scoped(
        ctx,
        principal,
        DataCategory.DEMAND_HISTORY,
        lambda u: u.signal_records,
        ("item_id", "site_id"),
        page,
        resource.strip(),
        **filters,
    )


# ---------------------------------------------------------------- the one path


def _member(principal: Principal) -> tuple[int, int]:
    return principal.member_id, principal.network_id


def _check_size(records: Sequence[object]) -> None:
    if len(records) > MAX_BATCH:
        raise ValidationFailed(
            f"a batch holds at most {MAX_BATCH} records (got {len(records)})",
            violations=[Violation("batch", f"at most {MAX_BATCH} records", "records")],
        )


def _in_network(uow: UnitOfWork, principal: Principal, network_code: object) -> bool:
    """Whether a topic's network code (``None``: none given) is the key's network."""
    if network_code is None:
        return True
    network = uow.networks.get(principal.network_id)
    return network is not None and network_code == network.code


def _device_of(uow: UnitOfWork, principal: Principal) -> Device | None:
    if principal.api_key_id is None:
        return None
    found = uow.devices.find(api_key_id=principal.api_key_id)
    return found[0] if found else None


def _ingest(
    uow: UnitOfWork,
    now: datetime,
    sender: _Sender,
    records: Sequence[SignalInput],
    source: SignalSource,
) -> IngestResult:
    # The device row first: two batches of one device queue here. Locking it only at the end
    # deadlocked on PostgreSQL (the record inserts take KEY SHARE locks on it, FOR UPDATE
    # then waited on the other batch, which waited on this one's demand rows).
    device = None if sender.device is None else uow.devices.get_for_update(sender.device.id)
    lookup = RecordLookup(uow, sender.member_id, sender.network_id, sender.device)
    rejections: list[Rejection] = []
    read: list[tuple[int, SignalRecord]] = []
    for index, raw in enumerate(records):
        problems, record = _read(raw, lookup, sender, source, now)
        rejections += [Rejection(index, p.field, p.reason, raw.line) for p in problems]
        if record is not None:
            read.append((index, record))

    duplicates: list[Duplicate] = []
    first: dict[str, tuple[int, SignalRecord]] = {}
    for index, record in read:
        earlier = first.get(record.message_id)
        if earlier is None:
            first[record.message_id] = (index, record)
        elif earlier[1].same_content(record):
            duplicates.append(Duplicate(index, record.message_id))
        else:
            reason = f"repeats the message id of record {earlier[0]} with different content"
            rejections.append(Rejection(index, "message_id", reason, records[index].line))
    fresh = _not_stored(uow, sender, first, duplicates, rejections, records)
    inserted = uow.signal_records.add_new([record for _, record in fresh])
    stored_ids = {r.message_id for r in inserted}
    raced = [(i, r) for i, r in fresh if r.message_id not in stored_ids]
    if raced:  # stored by a concurrent writer between our look-up and our insert
        again = {r.message_id: (i, r) for i, r in raced}
        _not_stored(uow, sender, again, duplicates, rejections, records)

    days = _aggregate(uow, lookup, sender, inserted)
    # read under the lock taken above: never undo a concurrent deactivation
    if device is not None and (device.last_seen_at is None or device.last_seen_at < now):
        uow.devices.update(replace(device, last_seen_at=now))
    return IngestResult(
        len(records),
        len(inserted),
        len(duplicates),
        len({r.index for r in rejections}),
        tuple(sorted(rejections, key=lambda r: r.index)),
        tuple(sorted(duplicates, key=lambda d: d.index)),
        days,
    )


def _not_stored(
    uow: UnitOfWork,
    sender: _Sender,
    candidates: dict[str, tuple[int, SignalRecord]],
    duplicates: list[Duplicate],
    rejections: list[Rejection],
    records: Sequence[SignalInput],
) -> list[tuple[int, SignalRecord]]:
    """The candidates whose message id is not stored yet; the others are sorted into
    duplicates (same content) and rejections (an id reused for something else)."""
    stored = {
        r.message_id: r for r in uow.signal_records.find_messages(sender.label, list(candidates))
    }
    fresh: list[tuple[int, SignalRecord]] = []
    for message_id, (index, record) in candidates.items():
        old = stored.get(message_id)
        if old is None:
            fresh.append((index, record))
        elif old.same_content(record):
            duplicates.append(Duplicate(index, message_id))
        else:
            reason = "was already used by this sender for a different record"
            rejections.append(Rejection(index, "message_id", reason, records[index].line))
    return fresh


def _aggregate(
    uow: UnitOfWork, lookup: RecordLookup, sender: _Sender, inserted: Sequence[SignalRecord]
) -> tuple[DayTotal, ...]:
    added: dict[tuple[int, int, date], float] = defaultdict(float)
    for record in inserted:
        for item_id, quantity in explode(
            record.item_id, record.quantity, lookup.recipes(record.site_id)
        ):
            added[(record.site_id, item_id, record.day)] += quantity
    points = [DemandPoint(0, sender.member_id, *key, q) for key, q in sorted(added.items())]
    stored = uow.demand.increment(points)
    return tuple(
        DayTotal(p.site_id, p.item_id, p.day, added[(p.site_id, p.item_id, p.day)], p.quantity)
        for p in stored
    )


def _read(
    raw: SignalInput, lookup: RecordLookup, sender: _Sender, source: SignalSource, now: datetime
) -> tuple[list[RecordRejected], SignalRecord | None]:
    """The record ``raw`` stands for, or every reason it cannot be used."""
    problems = [RecordRejected(field, reason) for field, reason in raw.problems]
    if any(field in UNREADABLE for field, _ in raw.problems):
        return problems, None
    site = _attempt(problems, lambda: lookup.site(raw))
    item = _attempt(problems, lambda: lookup.item(raw, site))
    quantity = _attempt(problems, lambda: read_quantity(raw.quantity))
    moment = _attempt(problems, lambda: read_timestamp(raw.occurred_at, now, raw.time_field))
    message_id = _attempt(problems, lambda: read_message_id(raw.message_id))
    if problems or site is None or item is None or quantity is None or moment is None:
        return problems, None
    device_id = sender.device.id if sender.device is not None else None
    return [], SignalRecord(
        0,
        sender.network_id,
        sender.member_id,
        source,
        sender.label,
        message_id or derived_message_id(site.id, item.id, quantity, moment),
        site.id,
        item.id,
        quantity,
        moment.astimezone(UTC),
        moment.date(),  # the sender's local day: the offset it gave
        now,
        device_id,
    )


def _attempt(problems: list[RecordRejected], read: Callable[[], T]) -> T | None:
    try:
        return read()
    except RecordRejected as problem:
        problems.append(problem)
        return None
