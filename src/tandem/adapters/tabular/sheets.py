"""Sheets of the exchange layout: one per entity, its columns, and the rows it writes.

Each sheet is named like the field of :class:`NetworkSnapshot` it fills and lists its columns in
the order they are written. ``network`` is a sheet of ``key``/``value`` rows instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tandem.adapters.tabular.cells import (
    DAY,
    FLAG,
    NUMBER,
    ROLES,
    SECRET,
    Converter,
    Written,
    choice,
    text,
)
from tandem.domain.network import PlanningParameters, SiteKind, TransportMode
from tandem.domain.snapshot import (
    BomRow,
    DemandRow,
    ItemRow,
    ItemSiteRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)

R = TypeVar("R")


@dataclass(frozen=True)
class Column:
    name: str
    converter: Converter
    required: bool = True  # a blank cell is an error; otherwise a blank cell means ``default``
    default: Any = None
    exported: bool = True  # False: an optional import-only column (passwords)


def optional(name: str, converter: Converter, default: Any = None) -> Column:
    return Column(name, converter, required=False, default=default)


@dataclass(frozen=True)
class Sheet(Generic[R]):
    name: str
    columns: tuple[Column, ...]
    build: Callable[[dict[str, Any]], R]  # values by column name, plus ``row``
    values: Callable[[R], tuple[Any, ...]]  # the exported columns of one record

    @property
    def exported(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.exported)


def _sheet(name: str, cls: Callable[..., R], *columns: Column) -> Sheet[R]:
    names = [c.name for c in columns if c.exported]
    return Sheet(
        name,
        columns,
        lambda values: cls(**values),
        lambda record: tuple(getattr(record, n) for n in names),
    )


CODE = text(64)
REF = text()
PARAMETERS = tuple(PlanningParameters.__dataclass_fields__)

NETWORK_KEYS = (
    Column("code", CODE),
    Column("name", text(200)),
    optional("description", text(), ""),
)
# Without one of these columns no reference can be checked: the model rules are skipped.
KEY_COLUMNS = {
    ("network", "key"),
    ("network", "value"),
    ("members", "code"),
    ("sites", "code"),
    ("items", "sku"),
}

SHEETS: tuple[Sheet[Any], ...] = (
    _sheet(
        "members",
        MemberRow,
        Column("code", CODE),
        Column("name", text(200)),
        Column("roles", ROLES),
        optional("country", text(64), ""),
    ),
    _sheet(
        "users",
        UserRow,
        Column("email", text(320)),
        Column("member", REF),
        Column("display_name", text(200)),
        Column("password", SECRET, required=False, exported=False),
        optional("is_network_admin", FLAG, False),
    ),
    _sheet(
        "sites",
        SiteRow,
        Column("code", CODE),
        Column("member", REF),
        Column("name", text(200)),
        Column("kind", choice(SiteKind)),
        Column("latitude", NUMBER),
        Column("longitude", NUMBER),
        optional("city", text(120), ""),
        optional("country", text(64), ""),
    ),
    _sheet(
        "items",
        ItemRow,
        Column("sku", CODE),
        Column("member", REF),
        Column("name", text(200)),
        Column("unit", text(32)),
        Column("unit_value", NUMBER),
        optional("family", text(120), ""),
        optional("weight_kg", NUMBER),
        optional("volume_m3", NUMBER),
    ),
    Sheet(
        "item_sites",
        (Column("item", REF), Column("site", REF), *(optional(p, NUMBER) for p in PARAMETERS)),
        lambda v: ItemSiteRow(
            v["item"], v["site"], PlanningParameters(**{p: v[p] for p in PARAMETERS}), v["row"]
        ),
        lambda r: (r.item, r.site, *(getattr(r.parameters, p) for p in PARAMETERS)),
    ),
    _sheet(
        "bom",
        BomRow,
        Column("parent", REF),
        Column("component", REF),
        Column("quantity_per", NUMBER),
        optional("site", REF),
    ),
    _sheet(
        "lanes",
        LaneRow,
        Column("from_site", REF),
        Column("to_site", REF),
        Column("mode", choice(TransportMode)),
        Column("lead_time_mean_days", NUMBER),
        Column("lead_time_std_days", NUMBER),
        Column("cost_per_unit", NUMBER),
        optional("capacity_per_day", NUMBER),
        optional("item", REF),
        optional("duty_rate", NUMBER, 0.0),
    ),
    _sheet(
        "demand",
        DemandRow,
        Column("site", REF),
        Column("item", REF),
        Column("day", DAY),
        Column("quantity", NUMBER),
    ),
)
NETWORK_SHEET: Sheet[tuple[str, object, int]] = Sheet(
    "network",
    (Column("key", REF), optional("value", Converter(lambda cell: cell, str, None))),
    lambda v: (v["key"], v["value"], v["row"]),
    lambda record: record[:2],
)
SHEET_NAMES = ("network", *(s.name for s in SHEETS))


def tables(snapshot: NetworkSnapshot) -> Iterator[tuple[str, Iterator[list[Written]]]]:
    """Each sheet by name with its rows of cells, header first; rows are produced lazily."""
    network = (snapshot.code, snapshot.name, snapshot.description)
    pairs: list[list[Written]] = [[c.name, v] for c, v in zip(NETWORK_KEYS, network, strict=True)]
    yield "network", iter([["key", "value"], *pairs])
    for sheet in SHEETS:
        yield sheet.name, _sheet_rows(sheet, getattr(snapshot, sheet.name))


def _sheet_rows(sheet: Sheet[Any], records: Iterable[Any]) -> Iterator[list[Written]]:
    columns = sheet.exported
    yield [c.name for c in columns]
    for record in records:
        yield [
            None if v is None else c.converter.write(v)
            for c, v in zip(columns, sheet.values(record), strict=True)
        ]


def where(sheet: str, row: int | None = None) -> str:
    return f"sheet {sheet}" if row is None else f"sheet {sheet}, row {row}"
