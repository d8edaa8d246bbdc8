"""The network as an Excel workbook (.xlsx): one sheet per entity, laid out by :mod:`tabular`.

Both directions stream (openpyxl ``read_only`` / ``write_only``) so a demand history of a few
hundred thousand rows neither loads the whole workbook object model nor builds one.

Numbers go through Excel's own precision: openpyxl writes 16 significant digits, so a float such
as ``0.1 + 0.2`` comes back as ``0.3``. Text that starts with ``=`` is written as text, never as a
formula.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tandem.adapters.tabular import Progress, SheetUnreadable, Written, read_snapshot, tables
from tandem.domain.errors import ImportRejected, Violation
from tandem.domain.snapshot import NetworkSnapshot


class _WorkbookSource:
    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def rows(self, name: str) -> Iterator[Sequence[object]]:
        sheet = self.workbook[name]
        if not isinstance(sheet, ReadOnlyWorksheet):
            raise SheetUnreadable("is not a worksheet")
        sheet.reset_dimensions()  # some writers record a wrong used range; read every row
        yield from sheet.iter_rows(values_only=True)


def read_workbook(path: Path, progress: Progress | None = None) -> NetworkSnapshot:
    """The network in the workbook at ``path``; :class:`ImportRejected` lists every defect.

    ``progress(sheet, rows)`` follows a long read (see :func:`tabular.read_snapshot`).
    """
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise ImportRejected(
            f"{path.name} is not a readable Excel workbook",
            violations=[Violation(path.name, f"cannot be opened as .xlsx: {error}")],
        ) from error
    try:
        return read_snapshot(_WorkbookSource(workbook), path.name, progress)
    finally:
        workbook.close()


def write_workbook(snapshot: NetworkSnapshot, path: Path) -> None:
    """Write ``snapshot`` to ``path``, replacing it only once the new file is complete."""
    workbook = Workbook(write_only=True)
    for name, rows in tables(snapshot):
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    partial = path.with_name(f".{path.name}.partial")
    try:
        workbook.save(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _cell(sheet: WriteOnlyWorksheet, value: Written) -> object:
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"  # text, not a formula
        return cell
    return value
