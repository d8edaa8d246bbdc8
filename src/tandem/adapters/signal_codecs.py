"""Row codecs of demand sensing (see :mod:`tandem.adapters.signal_tables`), and the two writes it
needs beyond plain repositories, as SQL statements safe under concurrent writers:

* :func:`insert_new_records` — ``INSERT … ON CONFLICT (sender, message_id) DO NOTHING RETURNING``:
  a message stored a moment ago by another writer is skipped, not an error;
* :func:`increment_demand` — ``INSERT … ON CONFLICT (site_id, item_id, day) DO UPDATE SET
  quantity = quantity + excluded.quantity``: the day's demand grows in SQL, in key order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from tandem.adapters import signal_tables as s
from tandem.adapters.codec import Codec, enum_codec
from tandem.domain.network import DemandPoint
from tandem.domain.signals import Device, DeviceKind, Feedback, SignalRecord, SignalSource

SIGNAL_CODECS: dict[str, tuple[sa.Table, Codec[Any]]] = {
    "devices": (s.device, enum_codec(Device, kind=DeviceKind)),
    "signal_records": (s.signal_record, enum_codec(SignalRecord, source=SignalSource)),
    "feedback": (s.feedback, Codec(Feedback)),
}

# Member-owned rows readable by partners only through ``demand_history`` grants.
SIGNAL_OWNED_FIELDS = {
    "signal_records": ("item_id", "site_id"),
    "feedback": ("item_id", "site_id"),
}

_CHUNK = 500  # keys per IN (...) list


def _insert(connection: Connection, table: sa.Table) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def find_messages(
    connection: Connection,
    table: sa.Table,
    codec: Codec[SignalRecord],
    sender: str,
    message_ids: Sequence[str],
) -> list[SignalRecord]:
    wanted = sorted(set(message_ids))
    found: list[SignalRecord] = []
    for start in range(0, len(wanted), _CHUNK):
        query = (
            sa.select(table)
            .where(table.c.sender == sender, table.c.message_id.in_(wanted[start : start + _CHUNK]))
            .order_by(table.c.id)
        )
        found += [codec.from_row(r) for r in connection.execute(query).mappings()]
    return found


def insert_new_records(
    connection: Connection,
    table: sa.Table,
    codec: Codec[SignalRecord],
    records: Sequence[SignalRecord],
) -> list[SignalRecord]:
    """Insert the records not stored yet (the first of repeats); the inserted ones come back
    with their ids."""
    first: dict[tuple[str, str], SignalRecord] = {}
    for record in records:
        first.setdefault((record.sender, record.message_id), record)
    records = list(first.values())
    if not records:
        return []
    statement = (
        _insert(connection, table)
        .on_conflict_do_nothing(index_elements=["sender", "message_id"])
        .returning(table.c.id, table.c.sender, table.c.message_id)
    )
    inserted = connection.execute(statement, [codec.to_row(r) for r in records]).all()
    ids = {(row.sender, row.message_id): int(row.id) for row in inserted}
    return [
        replace(r, id=ids[(r.sender, r.message_id)])
        for r in records
        if (r.sender, r.message_id) in ids
    ]


def increment_demand(
    connection: Connection,
    table: sa.Table,
    codec: Codec[DemandPoint],
    points: Sequence[DemandPoint],
) -> list[DemandPoint]:
    """Add to each ``(site_id, item_id, day)``; rows locked in key order (no deadlocks between
    two batches touching the same days)."""
    merged: dict[tuple[int, int, date], DemandPoint] = {}
    for point in points:
        key = (point.site_id, point.item_id, point.day)
        held = merged.get(key)
        merged[key] = (
            point if held is None else replace(held, quantity=held.quantity + point.quantity)
        )
    if not merged:
        return []
    insert = _insert(connection, table)
    statement = insert.on_conflict_do_update(
        index_elements=["site_id", "item_id", "day"],
        set_={"quantity": table.c.quantity + insert.excluded.quantity},
    ).returning(*table.c)
    rows = [codec.to_row(merged[key]) for key in sorted(merged)]
    stored = [codec.from_row(r) for r in connection.execute(statement, rows).mappings()]
    return sorted(stored, key=lambda p: (p.site_id, p.item_id, p.day))
