"""``tandem import network FILE`` and ``tandem export network FILE --network CODE``.

FILE is an Excel workbook (``.xlsx``) or a folder of CSV files, one sheet or file per entity.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from tandem.adapters import tabular
from tandem.adapters.csv_folder import read_csv_folder, write_csv_folder
from tandem.adapters.workbook import read_workbook, write_workbook
from tandem.cli.main import console, container, errors, export_app, fail, import_app
from tandem.domain.errors import ImportRejected, TandemError, Violation
from tandem.domain.snapshot import NetworkSnapshot
from tandem.services import transfer

WORKBOOK_SUFFIX = ".xlsx"
COUNT_FIELDS = (
    "members",
    "users",
    "sites",
    "items",
    "item_sites",
    "bom_lines",
    "lanes",
    "demand_points",
)


def read_network(path: Path, progress: tabular.Progress | None = None) -> NetworkSnapshot:
    """The snapshot in a workbook or a CSV folder; :class:`ImportRejected` lists every defect."""
    if path.is_dir():
        return read_csv_folder(path, progress)
    if path.suffix.lower() == WORKBOOK_SUFFIX:
        return read_workbook(path, progress)
    raise typer.BadParameter(
        f"{path} is neither an {WORKBOOK_SUFFIX} workbook nor a folder of CSV files",
        param_hint="FILE",
    )


def write_network(snapshot: NetworkSnapshot, path: Path) -> None:
    if path.suffix.lower() == WORKBOOK_SUFFIX:
        write_workbook(snapshot, path)
    else:
        write_csv_folder(snapshot, path)


@contextmanager
def _progress() -> Iterator[Progress]:
    """Progress bars on stderr, only on a terminal (never in logs or pipes)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    ) as progress:
        yield progress


def _stages(progress: Progress) -> transfer.Progress:
    tasks: dict[str, TaskID] = {}

    def report(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return report


def _counts(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("sheet")
    table.add_column("rows", justify="right")
    for sheet, count in counts.items():
        table.add_row(sheet, str(count))
    return table


def _line(violation: Violation) -> str:
    column = f", {violation.field}" if violation.field else ""
    return f"  {violation.location}{column}: {violation.message}"


def _reject(error: ImportRejected) -> NoReturn:
    """Every violation, one a line (never cut short), then the error itself."""
    for violation in error.violations:
        errors.print(_line(violation), markup=False, highlight=False, soft_wrap=True)
    fail(ImportRejected(error.detail))  # its violations are listed above


@import_app.command("network")
def import_network(
    file: Path = typer.Argument(
        ...,
        exists=True,
        metavar="FILE",
        help="An .xlsx workbook or a folder of CSV files, one per sheet.",
    ),
    update: bool = typer.Option(
        False,
        "--update",
        help=(
            "Upsert into the existing network of that code: rows are matched by code, SKU or "
            "their other natural key, inserted when new and updated when changed, all or "
            "nothing. Nothing is deleted: rows the file leaves out are kept."
        ),
    ),
) -> None:
    """Create a whole network from a file; a file with any defect is rejected whole.

    With --update, upsert into the existing network instead; nothing is deleted.
    """
    c = container()
    try:
        with _progress() as progress:
            reading = progress.add_task(f"reading {file.name}", total=None)

            def read(sheet: str, rows: int) -> None:
                progress.update(reading, description=f"reading {sheet}", completed=rows)

            snapshot = read_network(file, read)
            progress.update(reading, description=f"read {file.name}", total=1, completed=1)
            summary = transfer.import_snapshot(
                c.services, snapshot, _stages(progress), update=update
            )
    except ImportRejected as error:
        _reject(error)
    except TandemError as error:
        fail(error)
    counts = {
        "members": summary.members,
        "users": summary.users,
        "sites": summary.sites,
        "items": summary.items,
        "item_sites": summary.item_sites,
        "bom": summary.bom_lines,
        "lanes": summary.lanes,
        "demand": summary.demand_points,
    }
    if not update:
        title = f"imported network {snapshot.code} (id {summary.network_id}) from {file.name}"
        console.print(_counts(title, counts), soft_wrap=True)
        return
    table = Table(
        title=f"updated network {snapshot.code} (id {summary.network_id}) from {file.name}"
        " (nothing deleted)",
        title_justify="left",
    )
    for column in ("sheet", "rows", "inserted", "updated"):
        table.add_column(column, justify="left" if column == "sheet" else "right")
    for (sheet, count), field in zip(counts.items(), COUNT_FIELDS, strict=True):
        inserted, changed = getattr(summary.inserted, field), getattr(summary.updated, field)
        table.add_row(sheet, str(count), str(inserted), str(changed))
    console.print(table, soft_wrap=True)


@export_app.command("network")
def export_network(
    file: Path = typer.Argument(
        ...,
        metavar="FILE",
        help="Ends in .xlsx: one workbook; otherwise a folder of CSV files (created).",
    ),
    network: str = typer.Option(..., "--network", help="Network code."),
) -> None:
    """Write a whole network (users without passwords) to a workbook or a CSV folder."""
    c = container()
    try:
        with _progress() as progress:
            progress.add_task(f"reading network {network}", total=None)
            snapshot = transfer.export_snapshot(c.services, network)
            progress.add_task(f"writing {file.name}", total=None)
            write_network(snapshot, file)
    except TandemError as error:
        fail(error)
    except OSError as error:
        fail(TandemError(f"cannot write {file}: {error.strerror or error}"))
    counts = {sheet.name: len(getattr(snapshot, sheet.name)) for sheet in tabular.SHEETS}
    console.print(_counts(f"exported network {snapshot.code} to {file}", counts), soft_wrap=True)
