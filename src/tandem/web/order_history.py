"""An order's history as sentences: what each :class:`OrderEvent` changed, for both parties.

The events' details are the services' JSON (quantities as ``"12.500"``, money in minor units,
dates as ISO strings, line changes as ``[old, new]``); this module only words them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tandem.domain.orders import OrderEvent, OrderEventKind
from tandem.web.flows import Directory, money, qty

TITLES = {
    OrderEventKind.CREATED: "Created as a draft",
    OrderEventKind.EDITED: "Lines edited",
    OrderEventKind.SUBMITTED: "Submitted",
    OrderEventKind.ACKNOWLEDGED: "Acknowledged",
    OrderEventKind.CHANGE_REQUESTED: "Change requested",
    OrderEventKind.CHANGE_ACCEPTED: "Change accepted",
    OrderEventKind.CHANGE_REJECTED: "Change rejected",
    OrderEventKind.CHANGE_WITHDRAWN: "Change withdrawn",
    OrderEventKind.CANCELLED: "Cancelled",
    OrderEventKind.SHIPPED: "Shipped",
    OrderEventKind.RECEIVED: "Received",
    OrderEventKind.INVOICED: "Invoiced",
    OrderEventKind.CLOSED: "Closed",
}

FIELD_NAMES = {
    "quantity": "quantity",
    "unit_price_minor": "unit price",
    "requested_date": "requested date",
    "confirmed_quantity": "confirmed quantity",
    "confirmed_date": "confirmed date",
    "cancelled": "cancelled",
}


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    at: datetime
    kind: OrderEventKind
    title: str
    actor: str
    is_viewer: bool
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Wording:
    """What the sentences need: names, the currency, and line numbers of the order's lines
    (by order line id) and of its shipment lines (by shipment line id)."""

    directory: Directory
    line_no_of_order_line: Mapping[int, int]
    line_no_of_shipment_line: Mapping[int, int]

    def value(self, field: str, value: Any) -> str:
        if value is None:
            return "—"
        if field == "unit_price_minor":
            return money(int(value), self.directory.currency)
        if field in ("quantity", "confirmed_quantity", "received_quantity", "damaged_quantity"):
            return _quantity(value)
        if field == "cancelled":
            return "yes" if value else "no"
        return str(value)

    def diff(self, change: Mapping[str, Any]) -> str:
        parts = [
            f"{FIELD_NAMES[f]} {self.value(f, change[f][0])} → {self.value(f, change[f][1])}"
            for f in FIELD_NAMES
            if f in change
        ]
        return f"line {change.get('line_no', '?')}: " + ("; ".join(parts) or "unchanged")

    def snapshot(self, line: Mapping[str, Any]) -> str:
        item = self.directory.item_label(int(line.get("item_id", 0)))
        price = self.value("unit_price_minor", line.get("unit_price_minor"))
        return (
            f"line {line.get('line_no', '?')}: {_quantity(line.get('quantity'))} × {item} "
            f"at {price}, requested {line.get('requested_date', '—')}"
        )

    def proposal(self, line: Mapping[str, Any]) -> str:
        if line.get("cancel"):
            return f"line {line.get('line_no', '?')}: cancel"
        parts = [
            f"{FIELD_NAMES[f]} → {self.value(f, line[f])}"
            for f in ("quantity", "requested_date", "unit_price_minor")
            if f in line
        ]
        return f"line {line.get('line_no', '?')}: " + "; ".join(parts)

    def shipped(self, line: Mapping[str, Any]) -> str:
        number = self.line_no_of_order_line.get(int(line.get("order_line_id", 0)), "?")
        lot = f" (lot {line['lot']})" if line.get("lot") else ""
        return f"line {number}: {_quantity(line.get('quantity'))} shipped{lot}"

    def received(self, line: Mapping[str, Any]) -> str:
        number = self.line_no_of_shipment_line.get(int(line.get("shipment_line_id", 0)), "?")
        text = f"line {number}: {_quantity(line.get('received_quantity'))} received"
        damaged = _quantity(line.get("damaged_quantity"))
        if damaged != "0":
            text += f", {damaged} damaged"
        kind = line.get("discrepancy", "none")
        return text + ("" if kind == "none" else f" ({kind})")


def _quantity(value: Any) -> str:
    try:
        return qty(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def describe(event: OrderEvent, wording: Wording) -> tuple[str, ...]:
    """The sentences of one event: what changed, then the status change if any."""
    d, kind = event.detail, event.kind
    found: list[str] = []
    if kind in (OrderEventKind.CREATED,):
        found += [wording.snapshot(x) for x in d.get("lines", [])]
    elif kind is OrderEventKind.EDITED:
        found += [wording.snapshot(x) for x in d.get("after", [])]
    elif kind in (
        OrderEventKind.ACKNOWLEDGED,
        OrderEventKind.CHANGE_ACCEPTED,
        OrderEventKind.CLOSED,
    ):
        found += [wording.diff(x) for x in d.get("lines", [])]
        if d.get("ship_from_site_id"):
            found.append(f"ships from {wording.directory.site_label(d['ship_from_site_id'])}")
    elif kind is OrderEventKind.CHANGE_REQUESTED:
        what = "cancellation of the order" if d.get("kind") == "cancel" else "change of lines"
        found.append(f"asks for the {what}")
        found += [wording.proposal(x) for x in d.get("lines", [])]
    elif kind is OrderEventKind.SHIPPED:
        found.append(f"shipment {d.get('shipment_number', '?')}")
        found += [wording.shipped(x) for x in d.get("lines", [])]
    elif kind is OrderEventKind.RECEIVED:
        found.append(
            f"receipt {d.get('receipt_number', '?')} of shipment {d.get('shipment_number', '?')}"
        )
        found += [wording.received(x) for x in d.get("lines", [])]
    elif kind is OrderEventKind.INVOICED:
        total = wording.value("unit_price_minor", d.get("total_minor"))
        found.append(f"invoice {d.get('number', '?')} over {total}")
    for key in ("reason", "note"):
        if d.get(key):
            found.append(f"{key}: {d[key]}")
    if isinstance(d.get("status"), list) and len(d["status"]) == 2:
        old, new = (str(s).replace("_", " ") for s in d["status"])
        found.append(f"status {old} → {new}")
    return tuple(found)


def history(
    events: tuple[OrderEvent, ...], wording: Wording, viewer_member_id: int
) -> list[HistoryEntry]:
    """The entries of ``events``, newest first."""
    return [
        HistoryEntry(
            e.version,
            e.at,
            e.kind,
            TITLES.get(e.kind, e.kind.value),
            wording.directory.member_name(e.actor_member_id),
            e.actor_member_id == viewer_member_id,
            describe(e, wording),
        )
        for e in sorted(events, key=lambda e: e.version, reverse=True)
    ]
