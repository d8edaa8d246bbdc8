"""The network as a folder of CSV files, one per entity (``sites.csv``...), laid out by
:mod:`tabular`.

Files are UTF-8 with a header line; a byte-order mark, as Excel writes one, is accepted. Numbers
are written exactly (``repr``), dates as ``YYYY-MM-DD``, flags as ``true``/``false`` and blank
optional values as empty fields. Row numbers count records, the header being row 1, as a
spreadsheet shows the file.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from tandem.adapters.tabular import Progress, SheetUnreadable, Written, read_snapshot, tables
from tandem.domain.errors import ImportRejected, Violation
from tandem.domain.snapshot import NetworkSnapshot

SUFFIX = ".csv"


class _FolderSource:
    def __init__(self, folder: Path) -> None:
        self.files = {p.stem: p for p in sorted(folder.iterdir()) if p.suffix.lower() == SUFFIX}

    def sheet_names(self) -> list[str]:
        return list(self.files)

    def rows(self, name: str) -> Iterator[Sequence[object]]:
        try:
            with self.files[name].open(newline="", encoding="utf-8-sig") as file:
                yield from csv.reader(file, strict=True)
        except UnicodeDecodeError as error:
            raise SheetUnreadable(
                f"is not UTF-8 text ({error.reason} at byte {error.start})"
            ) from error
        except csv.Error as error:
            raise SheetUnreadable(f"is not valid CSV: {error}") from error


def read_csv_folder(folder: Path, progress: Progress | None = None) -> NetworkSnapshot:
    """The network in the CSV files of ``folder``; :class:`ImportRejected` lists every defect.

    ``progress(sheet, rows)`` follows a long read (see :func:`tabular.read_snapshot`).
    """
    if not folder.is_dir():
        raise ImportRejected(
            f"{folder.name} is not a folder of CSV files",
            violations=[Violation(folder.name, "is not a folder")],
        )
    return read_snapshot(_FolderSource(folder), folder.name, progress)


def write_csv_folder(snapshot: NetworkSnapshot, folder: Path) -> None:
    """Write one CSV file per sheet into ``folder`` (created if needed), replacing each whole."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables(snapshot):
        path = folder / f"{name}{SUFFIX}"
        partial = folder / f".{name}{SUFFIX}.partial"
        try:
            with partial.open("w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file, lineterminator="\n")
                writer.writerows([_text(v) for v in row] for row in rows)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)


def _text(value: Written) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
