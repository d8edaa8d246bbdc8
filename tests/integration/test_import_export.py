"""Whole networks through files and the database, on SQLite and PostgreSQL.

A file is imported whole or not at all: every defect is reported with its sheet, row and column
and the database keeps not a single row of a rejected or interrupted import.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy.engine import Engine

from tandem.adapters.csv_folder import read_csv_folder, write_csv_folder
from tandem.adapters.memory import PlainPasswordHasher
from tandem.adapters.tables import metadata
from tandem.adapters.tabular import tables
from tandem.adapters.workbook import read_workbook, write_workbook
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.errors import ImportRejected, Violation
from tandem.domain.network import MemberRole, PlanningParameters, SiteKind, TransportMode
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
from tandem.services import transfer
from tandem.services.context import ServiceContext

PASSWORD = "correct-horse-battery"
DAY = date(2026, 11, 1)
Read = Callable[[Path], NetworkSnapshot]
Write = Callable[[NetworkSnapshot, Path], None]
FORMATS: dict[str, tuple[Read, Write, str]] = {
    "xlsx": (read_workbook, write_workbook, ".xlsx"),
    "csv": (read_csv_folder, write_csv_folder, ""),
}


def network() -> NetworkSnapshot:
    """A small coffee network, listed in the order an export lists it (by id, demand by day)."""
    return NetworkSnapshot(
        "coffee",
        "Coffee chain",
        "Beans to cups",
        members=(
            MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER}), "NL"),
            MemberRow("CAFE", "Cafe chain", frozenset({MemberRole.RETAILER})),
            MemberRow("BEANS", "Importer", frozenset({MemberRole.SUPPLIER, MemberRole.CARRIER})),
        ),
        users=(
            UserRow("rita@example.com", "ROAST", "Rita Roaster", PASSWORD, True),
            UserRow("carl@example.com", "CAFE", "Carl Cafe", PASSWORD),
            UserRow("bea@example.com", "BEANS", "Bea Beans"),
        ),
        sites=(
            SiteRow("PLANT", "ROAST", "Roastery", SiteKind.PLANT, 52.37, 4.9, "Amsterdam", "NL"),
            SiteRow("CAFE-1", "CAFE", "Cafe one", SiteKind.STORE, 52.36, 4.88),
            SiteRow("PORT", "BEANS", "Port warehouse", SiteKind.WAREHOUSE, 51.9, 4.48),
        ),
        items=(
            ItemRow("GREEN", "BEANS", "Green beans", "kg", 4.0, "raw"),
            ItemRow("BLEND", "ROAST", "House blend", "kg", 12.0),
            ItemRow("LATTE", "CAFE", "Latte", "cup", 3.5),
        ),
        item_sites=(
            ItemSiteRow(
                "BLEND",
                "PLANT",
                PlanningParameters(
                    0.95, 7.0, 120.5, holding_cost_rate=0.2, processing_days=1.0, added_cost=1.1
                ),
            ),
            ItemSiteRow("LATTE", "CAFE-1"),
        ),
        bom=(BomRow("BLEND", "GREEN", 1.19), BomRow("LATTE", "BLEND", 0.018, "CAFE-1")),
        lanes=(
            LaneRow(
                "PORT", "PLANT", TransportMode.FULL_TRUCKLOAD, 2.0, 0.5, 0.1, 5000.0, "GREEN", 0.075
            ),
            LaneRow("PLANT", "CAFE-1", TransportMode.VAN, 1.0, 0.2, 0.3),
        ),
        demand=(
            DemandRow("PLANT", "BLEND", DAY, 5.0),
            DemandRow("CAFE-1", "LATTE", DAY, 40.0),
            DemandRow("CAFE-1", "LATTE", DAY + timedelta(days=1), 42.5),
        ),
    )


@pytest.fixture
def services(engine: Engine, database_url: str) -> ServiceContext:
    settings = Settings(database_url=database_url)
    return bootstrap(settings, engine=engine, passwords=PlainPasswordHasher()).services


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
            for table in metadata.sorted_tables
        }


EMPTY = dict.fromkeys((t.name for t in metadata.sorted_tables), 0)


def save_xlsx(sheets: dict[str, list[list[Any]]], path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("kind", FORMATS)
def test_an_exported_network_reimports_into_a_fresh_database_with_an_identical_export(
    kind: str, services: ServiceContext, engine: Engine, tmp_path: Path
) -> None:
    read, write, suffix = FORMATS[kind]
    first_file, second_file = tmp_path / f"first{suffix}", tmp_path / f"second{suffix}"
    transfer.import_snapshot(services, network())
    first = transfer.export_snapshot(services, "coffee")
    write(first, first_file)
    metadata.drop_all(engine)
    metadata.create_all(engine)

    summary = transfer.import_snapshot(services, read(first_file))
    second = transfer.export_snapshot(services, "coffee")
    write(second, second_file)

    no_passwords = tuple(dataclasses.replace(u, password=None) for u in network().users)
    assert first == dataclasses.replace(network(), users=no_passwords)
    assert (summary.network_id, second) == (1, first)
    assert read(second_file) == read(first_file)
    if kind == "csv":
        assert folder_bytes(second_file) == folder_bytes(first_file)


def test_a_long_demand_history_from_csv_is_imported_in_batches(
    services: ServiceContext, engine: Engine, tmp_path: Path
) -> None:
    history = tuple(
        DemandRow(site, item, DAY + timedelta(days=n), float(n % 17))
        for site, item in (("CAFE-1", "LATTE"), ("PLANT", "BLEND"))
        for n in range(10_250)
    )
    write_csv_folder(dataclasses.replace(network(), demand=history), tmp_path / "net")
    stages: list[tuple[str, int, int]] = []
    transfer.import_snapshot(
        services, read_csv_folder(tmp_path / "net"), lambda *stage: stages.append(stage)
    )
    assert stages[-2:] == [("demand history", 20_000, 20_500), ("demand history", 20_500, 20_500)]
    assert row_counts(engine)["demand_point"] == 20_500
    exported = transfer.export_snapshot(services, "coffee").demand
    assert sorted(exported, key=lambda d: (d.site, d.day)) == sorted(
        history, key=lambda d: (d.site, d.day)
    )


# ---------------------------------------------------------------- rejected whole


def broken_sheets() -> dict[str, list[list[Any]]]:
    """The network with one defect of every kind, each in a known cell."""
    sheets = {name: [list(row) for row in rows] for name, rows in tables(network())}
    sheets["sites"][3][4] = "51,9"  # PORT: a decimal comma
    sheets["sites"][2][3] = "shop"  # CAFE-1: no such kind
    sheets["sites"].append(["PLANT", "ROAST", "Second roastery", "plant", 52.0, 4.0])  # row 5
    sheets["items"][3][1] = "CAFES"  # LATTE: no such member
    sheets["bom"].append(["GREEN", "LATTE", 0.001])  # row 4: GREEN > LATTE > BLEND > GREEN
    sheets["lanes"][1][3] = -2  # lead_time_mean_days
    sheets["lanes"][2][1] = "CAFE-9"  # to_site
    for row in sheets["demand"]:
        del row[3]  # the quantity column
    return sheets


MODEL_DEFECTS = [
    Violation("sheet sites, row 5", "duplicate 'PLANT'", "code"),
    Violation("sheet items, row 4", "unknown member 'CAFES'", "member"),
    Violation("sheet bom, row 2", "closes the cycle BLEND > GREEN > LATTE > BLEND", "component"),
    Violation("sheet lanes, row 2", "must not be negative (got -2)", "lead_time_mean_days"),
    Violation("sheet lanes, row 3", "unknown to_site 'CAFE-9'", "to_site"),
]


def test_a_broken_workbook_is_rejected_naming_every_defect_and_nothing_is_written(
    services: ServiceContext, engine: Engine, tmp_path: Path
) -> None:
    path = save_xlsx(broken_sheets(), tmp_path / "broken.xlsx")
    with pytest.raises(ImportRejected) as caught:
        transfer.import_snapshot(services, read_workbook(path))
    assert caught.value.detail == "broken.xlsx rejected: 8 problems, nothing imported"
    assert caught.value.violations == [
        Violation(
            "sheet sites, row 3",
            "unknown value 'shop'; expected one of: plant, warehouse, distribution_centre, "
            "store, device, supplier_site, carrier_hub",
            "kind",
        ),
        Violation("sheet sites, row 4", "expected a number, got '51,9'", "latitude"),
        MODEL_DEFECTS[0],
        MODEL_DEFECTS[1],
        MODEL_DEFECTS[2],
        MODEL_DEFECTS[3],
        MODEL_DEFECTS[4],
        Violation("sheet demand, row 1", "missing column", "quantity"),
    ]
    assert row_counts(engine) == EMPTY


def test_a_readable_file_breaking_model_rules_is_rejected_by_the_import_with_nothing_written(
    services: ServiceContext, engine: Engine, tmp_path: Path
) -> None:
    sheets = broken_sheets()
    sheets["sites"][3][4] = 51.9
    sheets["sites"][2][3] = "store"
    sheets["demand"] = [list(r) for r in dict(tables(network()))["demand"]]
    snapshot = read_workbook(save_xlsx(sheets, tmp_path / "rules.xlsx"))
    with pytest.raises(ImportRejected) as caught:
        transfer.import_snapshot(services, snapshot)
    assert caught.value.violations == MODEL_DEFECTS
    assert row_counts(engine) == EMPTY


def test_an_import_interrupted_while_writing_leaves_nothing_and_can_be_run_again(
    services: ServiceContext, engine: Engine, tmp_path: Path
) -> None:
    write_workbook(network(), tmp_path / "net.xlsx")
    snapshot = read_workbook(tmp_path / "net.xlsx")

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "demand history":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        transfer.import_snapshot(services, snapshot, interrupt)
    assert row_counts(engine) == EMPTY
    summary = transfer.import_snapshot(services, snapshot)
    assert (summary.sites, summary.demand_points) == (3, 3)


def test_an_exported_workbook_edited_by_hand_updates_the_network(
    services: ServiceContext, engine: Engine, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    transfer.import_snapshot(services, network())
    write_workbook(transfer.export_snapshot(services, "coffee"), tmp_path / "net.xlsx")
    counts = row_counts(engine)
    workbook = load_workbook(tmp_path / "net.xlsx")
    header = [cell.value for cell in workbook["lanes"][1]]
    workbook["lanes"].cell(2, header.index("lead_time_mean_days") + 1, 4.5)  # PORT > PLANT
    workbook.save(tmp_path / "net.xlsx")

    summary = transfer.import_snapshot(services, read_workbook(tmp_path / "net.xlsx"), update=True)

    assert summary.inserted == transfer.EntityCounts()
    assert summary.updated == transfer.EntityCounts(lanes=1)
    lanes = transfer.export_snapshot(services, "coffee").lanes
    assert [x.lead_time_mean_days for x in lanes] == [4.5, 1.0]
    assert row_counts(engine) == counts
