"""The exchange layout shared by the Excel workbook and the CSV folder.

One sheet (or CSV file) per entity, named like the field of :class:`NetworkSnapshot` it fills:
``network`` (``key``/``value`` rows: code, name, description), ``members``, ``users``, ``sites``,
``items``, ``item_sites``, ``bom``, ``lanes``, ``demand``. Row 1 names the columns, in any order;
every column must be there except ``password`` (accepted on import, never exported). Each record
keeps the row number a planner sees: header row 1, first data row 2.

:mod:`.cells` reads and writes one cell, :mod:`.sheets` lays out the sheets and writes them,
:mod:`.reading` reads a whole source and reports every defect at once.
"""

from tandem.adapters.tabular.cells import CellError, Written
from tandem.adapters.tabular.reading import Progress, SheetUnreadable, TableSource, read_snapshot
from tandem.adapters.tabular.sheets import SHEET_NAMES, SHEETS, Column, Sheet, tables

__all__ = [
    "SHEETS",
    "SHEET_NAMES",
    "CellError",
    "Column",
    "Progress",
    "Sheet",
    "SheetUnreadable",
    "TableSource",
    "Written",
    "read_snapshot",
    "tables",
]
