"""Reading the exchange layout into a :class:`NetworkSnapshot`, every defect reported at once.

Structural problems (a missing or unknown sheet, a missing, unknown or duplicate column) and cell
problems are all collected. When there is any, the model rules of :func:`validate_snapshot` run as
well on what could be read, a broken cell standing in as a filler whose own complaints are
dropped, so one rejection lists every defect of the file in the order a planner reads it. Those
rules are skipped only when a sheet or a key column (member code, site code, SKU) is missing,
since every reference would then look broken. A clean file yields a snapshot, and
:func:`import_snapshot` applies the model rules when it imports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from tandem.adapters.tabular.cells import CellError, as_text, blank
from tandem.adapters.tabular.sheets import (
    KEY_COLUMNS,
    NETWORK_KEYS,
    NETWORK_SHEET,
    SHEET_NAMES,
    SHEETS,
    Column,
    Sheet,
    where,
)
from tandem.domain.errors import ImportRejected, Violation
from tandem.domain.snapshot import NetworkSnapshot
from tandem.services.transfer import validate_snapshot

R = TypeVar("R")
Progress = Callable[[str, int], None]
PROGRESS_EVERY = 10_000


class SheetUnreadable(Exception):
    """A source could not deliver a sheet's rows (bad encoding, broken CSV quoting...)."""


class TableSource(Protocol):
    """Sheets by name; each yields its rows of cells, the header row first."""

    def sheet_names(self) -> list[str]: ...

    def rows(self, name: str) -> Iterable[Sequence[object]]: ...


def _header_name(cell: object) -> str:
    return "" if blank(cell) else as_text(cell).lower()


def read_snapshot(
    source: TableSource, label: str, progress: Progress | None = None
) -> NetworkSnapshot:
    """The snapshot in ``source``, or :class:`ImportRejected` listing every defect of it.

    ``progress(sheet, rows)`` is told the rows read so far, every :data:`PROGRESS_EVERY` rows.
    """
    return _Reader(source, progress or _quiet).read(label)


def _quiet(sheet: str, rows: int) -> None:
    pass


class _Reader:
    def __init__(self, source: TableSource, progress: Progress) -> None:
        self.source = source
        self.progress = progress
        self.found: list[Violation] = []
        self.muted: set[tuple[str, str | None]] = set()  # (location, field) of filled-in cells
        self.incomplete = False  # a sheet or a key column is missing: references cannot be checked
        self.names: dict[str, str] = {}  # sheet name in the layout -> name in the source
        self.unreadable: set[str] = set()

    def read(self, label: str) -> NetworkSnapshot:
        for name in self.source.sheet_names():
            key = _header_name(name)
            if key not in SHEET_NAMES or key in self.names:
                self.found.append(Violation(where(name), _unexpected_sheet(key in self.names)))
            else:
                self.names[key] = name
        network = self._network()
        records = [tuple(self._records(sheet)) for sheet in SHEETS]  # in the snapshot's order
        snapshot = NetworkSnapshot(
            network["code"], network["name"], network["description"], *records
        )
        if self.found:
            if not self.incomplete:
                self.found += [
                    v
                    for v in validate_snapshot(snapshot)
                    if (v.location, v.field) not in self.muted
                ]
            raise ImportRejected(
                f"{label} rejected: {len(self.found)} problems, nothing imported",
                violations=sorted(self.found, key=_order),
            )
        return snapshot

    def _rows(self, sheet: str) -> Iterator[tuple[int, Sequence[object]]]:
        """Numbered rows of ``sheet`` (header is row 1); nothing if the sheet is missing."""
        if sheet not in self.names:
            self.found.append(Violation(where(sheet), "sheet is missing"))
            self.incomplete = True
            return
        try:
            yield from enumerate(self.source.rows(self.names[sheet]), start=1)
        except SheetUnreadable as error:
            self.found.append(Violation(where(sheet), str(error)))
            self.incomplete = True
            self.unreadable.add(sheet)

    def _header(self, sheet: str, cells: Sequence[object], columns: Sequence[Column]) -> list[int]:
        """Position of each column in the row (-1: missing), reporting every header defect."""
        known = {c.name for c in columns}
        seen: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = _header_name(cell)
            if not name:
                continue
            if name not in known:
                self.found.append(Violation(where(sheet, 1), "unknown column", name))
            elif name in seen:
                self.found.append(Violation(where(sheet, 1), "duplicate column", name))
            else:
                seen[name] = index
        for column in columns:
            if column.name not in seen and column.exported:
                self.found.append(Violation(where(sheet, 1), "missing column", column.name))
                self.incomplete |= (sheet, column.name) in KEY_COLUMNS
        return [seen.get(c.name, -1) for c in columns]

    def _cell(self, location: str, column: Column, cells: Sequence[object], index: int) -> Any:
        if index < 0:  # a missing column is reported once, on the header
            if not column.exported:
                return column.default
            self.muted.add((location, column.name))
            return column.converter.filler
        cell = cells[index] if index < len(cells) else None
        if blank(cell):
            if not column.required:
                return column.default
            self.found.append(Violation(location, "a value is required", column.name))
            self.muted.add((location, column.name))
            return column.converter.filler
        try:
            return column.converter.parse(cell)
        except CellError as error:
            self.found.append(Violation(location, str(error), column.name))
            self.muted.add((location, column.name))
            return column.converter.filler

    def _records(self, sheet: Sheet[R]) -> Iterator[R]:
        positions: list[int] | None = None
        for number, cells in self._rows(sheet.name):
            if positions is None:
                positions = self._header(sheet.name, cells, sheet.columns)
                continue
            if number % PROGRESS_EVERY == 0:
                self.progress(sheet.name, number - 1)
            if all(blank(c) for c in cells):
                continue
            location = where(sheet.name, number)
            values = {
                c.name: self._cell(location, c, cells, i)
                for c, i in zip(sheet.columns, positions, strict=True)
            }
            values["row"] = number
            yield sheet.build(values)
        if positions is None and sheet.name in self.names and sheet.name not in self.unreadable:
            self.found.append(Violation(where(sheet.name, 1), "the header row is missing"))
            self.incomplete = True

    def _network(self) -> dict[str, Any]:
        values = {c.name: c.converter.filler if c.required else c.default for c in NETWORK_KEYS}
        pairs = list(self._records(NETWORK_SHEET))
        if self.incomplete:  # no usable network sheet, as reported
            return values
        rows: dict[str, int] = {}
        for key, value, number in pairs:
            if not key:  # reported: a value is required
                continue
            location = where("network", number)
            column = next((c for c in NETWORK_KEYS if c.name == key.lower()), None)
            if column is None:
                expected = ", ".join(c.name for c in NETWORK_KEYS)
                message = f"unknown key; expected one of: {expected}"
                self.found.append(Violation(location, message, "key"))
            elif column.name in rows:
                self.found.append(Violation(location, f"duplicate key {column.name!r}", "key"))
            else:
                rows[column.name] = number
                values[column.name] = self._cell(location, column, [value], 0)
                if (location, column.name) in self.muted:
                    self.muted.add(("network", column.name))
        for column in NETWORK_KEYS:
            if column.required and column.name not in rows:
                self.found.append(Violation(where("network"), "missing key", column.name))
                self.muted.add(("network", column.name))
        return values


def _unexpected_sheet(duplicate: bool) -> str:
    if duplicate:
        return "duplicate sheet"
    return "unknown sheet; expected: " + ", ".join(SHEET_NAMES)


_LOCATION = re.compile(r"^(?:sheet )?(\w+)(?:, row (\d+))?")


def _order(violation: Violation) -> tuple[int, int, int]:
    """Sheet order, then row, then column order: the order a planner reads the file in."""
    match = _LOCATION.match(violation.location)
    sheet = match.group(1) if match else ""
    row = int(match.group(2)) if match and match.group(2) else 0
    sheet_index = SHEET_NAMES.index(sheet) if sheet in SHEET_NAMES else len(SHEET_NAMES)
    names = [c.name for s in SHEETS if s.name == sheet for c in s.columns]
    names += [c.name for c in NETWORK_KEYS] if sheet == "network" else []
    column = names.index(violation.field) if violation.field in names else len(names)
    return (sheet_index, row, column)
