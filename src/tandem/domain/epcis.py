"""GS1 EPCIS 2.0 events of shipments and receipts, as JSON-LD: a pure builder.

EPCIS 2.0 (GS1, 2022) with the Core Business Vocabulary 2.0 records each physical step as an
event that says *what* (quantities of a class of goods), *when* (``eventTime`` and its
``eventTimeZoneOffset``), *where* (``readPoint``, ``bizLocation``) and *why* (``bizStep``,
``disposition``, the business documents, the owning parties and locations at both ends).

A shipment is two events: an ``AggregationEvent`` (``ADD``, ``packing``) that puts the shipped
goods into the shipment's logistic unit, and an ``ObjectEvent`` (``OBSERVE``, ``shipping``,
``in_transit``). Its receipt is an ``AggregationEvent`` (``DELETE``, ``unpacking``) and one
``ObjectEvent`` (``OBSERVE``, ``receiving``) per disposition: ``in_progress`` for the accepted
goods, ``damaged`` for the damaged ones.

Tandem knows no GTINs or GLNs, so every identifier is a stable private URN,
``urn:tandem:<network>:<kind>:<code>`` (items at class level, ``...:lot:<lot>`` with a lot).
Event ids are name-based UUIDs (RFC 9562 version 5) of the step, so the same step of the same
shipment always has the same ``eventID``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import quote

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SCHEMA_VERSION = "2.0"

Event = dict[str, Any]


class EventType(StrEnum):
    OBJECT = "ObjectEvent"
    AGGREGATION = "AggregationEvent"


class Action(StrEnum):
    ADD = "ADD"
    OBSERVE = "OBSERVE"
    DELETE = "DELETE"


class BizStep(StrEnum):
    """CBV 2.0 business steps used by the flows."""

    PACKING = "packing"
    SHIPPING = "shipping"
    UNPACKING = "unpacking"
    RECEIVING = "receiving"


class Disposition(StrEnum):
    IN_PROGRESS = "in_progress"
    IN_TRANSIT = "in_transit"
    DAMAGED = "damaged"


class BizTransactionType(StrEnum):
    PO = "po"
    DESADV = "desadv"
    RECADV = "recadv"


class PartyType(StrEnum):
    """CBV 2.0 source and destination types."""

    OWNING_PARTY = "owning_party"
    LOCATION = "location"


# UN/ECE Recommendation 20 codes of the units the network uses.
UOM = {
    "kg": "KGM",
    "g": "GRM",
    "t": "TNE",
    "l": "LTR",
    "ml": "MLT",
    "m": "MTR",
    "pcs": "H87",
    "pc": "H87",
    "ea": "H87",
}
_UOM_CODE = re.compile(r"^[A-Z0-9]{2,3}$")


def uom_of(unit: str) -> str | None:
    """The UN/ECE Rec. 20 code of an item's unit (``kg`` → ``KGM``); a unit that already reads
    like such a code passes through; any other (``cup``) is ``None``: EPCIS then counts
    instances of the class, which is what such a unit means."""
    known = UOM.get(unit.strip().lower())
    if known is not None:
        return known
    return unit.strip() if _UOM_CODE.match(unit.strip()) else None


def _part(value: str) -> str:
    return quote(value, safe="-._~")


@dataclass(frozen=True)
class Urns:
    """The private URNs of one network's objects."""

    network_code: str

    def _urn(self, kind: str, code: str) -> str:
        return f"urn:tandem:{_part(self.network_code)}:{kind}:{_part(code)}"

    def item(self, sku: str, lot: str = "") -> str:
        base = self._urn("item", sku)
        return f"{base}:lot:{_part(lot)}" if lot else base

    def site(self, code: str) -> str:
        return self._urn("site", code)

    def member(self, code: str) -> str:
        return self._urn("member", code)

    def po(self, number: str) -> str:
        return self._urn("po", number)

    def desadv(self, number: str) -> str:
        return self._urn("desadv", number)

    def recadv(self, number: str) -> str:
        return self._urn("recadv", number)

    def shipment(self, number: str) -> str:
        """The shipment's logistic unit (the parent of its aggregation)."""
        return self._urn("shipment", number)


@dataclass(frozen=True)
class Consignment:
    """The documents, parties and places of one shipment, by their codes."""

    network_code: str
    order_number: str
    shipment_number: str
    shipper_code: str
    consignee_code: str
    from_site_code: str
    to_site_code: str


@dataclass(frozen=True)
class Goods:
    """A quantity of one item (and lot) in the item's unit."""

    sku: str
    unit: str
    quantity: Decimal
    lot: str = ""


def timestamp(at: datetime) -> str:
    """``2026-11-21T09:00:00.000Z``: UTC to the millisecond."""
    if at.tzinfo is None:
        raise ValueError("EPCIS times must be timezone-aware")
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def timezone_offset(at: datetime) -> str:
    """The offset of ``at``'s own time zone, ``+01:00``."""
    offset = at.utcoffset()
    if offset is None:
        raise ValueError("EPCIS times must be timezone-aware")
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def event_id(seed: str) -> str:
    """A name-based ``urn:uuid`` of ``seed``: the same step always gets the same id."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _number(quantity: Decimal) -> int | float:
    return int(quantity) if quantity == quantity.to_integral_value() else float(quantity)


def quantity_list(urns: Urns, goods: Iterable[Goods]) -> list[dict[str, Any]]:
    """One element per class (item and lot) in order of appearance; zero quantities left out."""
    totals: dict[str, Decimal] = {}
    units: dict[str, str | None] = {}
    for g in goods:
        key = urns.item(g.sku, g.lot)
        totals[key] = totals.get(key, Decimal(0)) + g.quantity
        units[key] = uom_of(g.unit)
    elements = []
    for epc_class, total in totals.items():
        if total == 0:
            continue
        element: dict[str, Any] = {"epcClass": epc_class, "quantity": _number(total)}
        if units[epc_class] is not None:
            element["uom"] = units[epc_class]
        elements.append(element)
    return elements


def _head(
    kind: EventType,
    at: datetime,
    seed: str,
    action: Action,
    step: BizStep,
    disposition: Disposition,
) -> Event:
    return {
        "type": kind.value,
        "eventTime": timestamp(at),
        "eventTimeZoneOffset": timezone_offset(at),
        "eventID": event_id(f"{seed}#{kind.value}/{step.value}/{disposition.value}"),
        "action": action.value,
        "bizStep": step.value,
        "disposition": disposition.value,
    }


def _transactions(urns: Urns, c: Consignment, receipt_number: str | None) -> list[dict[str, str]]:
    found = [
        {"type": BizTransactionType.PO.value, "bizTransaction": urns.po(c.order_number)},
        {"type": BizTransactionType.DESADV.value, "bizTransaction": urns.desadv(c.shipment_number)},
    ]
    if receipt_number is not None:
        found.append(
            {"type": BizTransactionType.RECADV.value, "bizTransaction": urns.recadv(receipt_number)}
        )
    return found


def _ends(urns: Urns, c: Consignment) -> dict[str, list[dict[str, str]]]:
    return {
        "sourceList": [
            {"type": PartyType.OWNING_PARTY.value, "source": urns.member(c.shipper_code)},
            {"type": PartyType.LOCATION.value, "source": urns.site(c.from_site_code)},
        ],
        "destinationList": [
            {"type": PartyType.OWNING_PARTY.value, "destination": urns.member(c.consignee_code)},
            {"type": PartyType.LOCATION.value, "destination": urns.site(c.to_site_code)},
        ],
    }


def shipping_events(c: Consignment, goods: Sequence[Goods], at: datetime) -> list[Event]:
    """Packing into the shipment's logistic unit, then shipping it (``in_transit``)."""
    urns = Urns(c.network_code)
    seed = urns.shipment(c.shipment_number)
    origin = {"id": urns.site(c.from_site_code)}
    quantities = quantity_list(urns, goods)
    packing = _head(
        EventType.AGGREGATION, at, seed, Action.ADD, BizStep.PACKING, Disposition.IN_PROGRESS
    )
    packing.update(
        parentID=seed,
        childQuantityList=quantities,
        readPoint=origin,
        bizLocation=origin,
        bizTransactionList=_transactions(urns, c, None),
    )
    shipping = _head(
        EventType.OBJECT, at, seed, Action.OBSERVE, BizStep.SHIPPING, Disposition.IN_TRANSIT
    )
    shipping.update(
        quantityList=quantities,
        readPoint=origin,
        bizTransactionList=_transactions(urns, c, None),
        **_ends(urns, c),
    )
    return [packing, shipping]


def receiving_events(
    c: Consignment,
    receipt_number: str,
    accepted: Sequence[Goods],
    damaged: Sequence[Goods],
    at: datetime,
) -> list[Event]:
    """Unpacking the logistic unit, then receiving the accepted goods (``in_progress``) and the
    damaged goods (``damaged``); a disposition without goods has no event."""
    urns = Urns(c.network_code)
    seed = urns.shipment(c.shipment_number)
    place = {"id": urns.site(c.to_site_code)}
    unpacking = _head(
        EventType.AGGREGATION, at, seed, Action.DELETE, BizStep.UNPACKING, Disposition.IN_PROGRESS
    )
    unpacking.update(
        parentID=seed,
        readPoint=place,
        bizLocation=place,
        bizTransactionList=_transactions(urns, c, receipt_number),
    )
    events = [unpacking]
    for disposition, goods in ((Disposition.IN_PROGRESS, accepted), (Disposition.DAMAGED, damaged)):
        quantities = quantity_list(urns, goods)
        if not quantities:
            continue
        event = _head(EventType.OBJECT, at, seed, Action.OBSERVE, BizStep.RECEIVING, disposition)
        event.update(
            quantityList=quantities,
            readPoint=place,
            bizLocation=place,
            bizTransactionList=_transactions(urns, c, receipt_number),
            **_ends(urns, c),
        )
        events.append(event)
    return events


def epcis_document(events: Iterable[Event], created_at: datetime) -> dict[str, Any]:
    """An ``EPCISDocument`` carrying ``events`` in the order given."""
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": SCHEMA_VERSION,
        "creationDate": timestamp(created_at),
        "epcisBody": {"eventList": list(events)},
    }
