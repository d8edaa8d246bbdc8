"""The exchange layout on disk: Excel workbook and CSV folder, written and read back.

Files are built cell by cell here (openpyxl, csv) so each test shows exactly what a planner's file
holds and exactly which sheet, row and column every complaint names.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tandem.adapters.csv_folder import read_csv_folder, write_csv_folder
from tandem.adapters.tabular import SHEETS, tables
from tandem.adapters.workbook import read_workbook, write_workbook
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

Rows = list[list[Any]]
Sheets = dict[str, Rows]


def full_snapshot() -> NetworkSnapshot:
    """Every column used, every optional column both filled and blank."""
    return NetworkSnapshot(
        "coffee",
        "Coffee chain",
        'Beans to cups, "fresh"\nsecond line: ünïcødé',
        members=(
            MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER}), "NL"),
            MemberRow("CAFE", "Café chain", frozenset({MemberRole.RETAILER, MemberRole.CARRIER})),
        ),
        users=(
            UserRow("rita@example.com", "ROAST", "Rita Roaster", None, True),
            UserRow("carl@example.com", "CAFE", "Carl Café"),
        ),
        sites=(
            SiteRow("PLANT", "ROAST", "Roastery", SiteKind.PLANT, 52.37, 4.9, "Amsterdam", "NL"),
            SiteRow("CAFE-1", "CAFE", "=Café one", SiteKind.STORE, -33.8688, -151.2093),
        ),
        items=(
            ItemRow("BLEND", "ROAST", "House blend", "kg", 12.5, "coffee"),
            ItemRow("1001", "CAFE", "Latte", "cup", 3.0),
        ),
        item_sites=(
            ItemSiteRow(
                "BLEND",
                "PLANT",
                PlanningParameters(0.95, 7, 10.5, 20, 40, 5, 2.5, 0.2, 1.5, 1.1, 0.03, 600),
            ),
            ItemSiteRow("1001", "CAFE-1"),
        ),
        bom=(BomRow("1001", "BLEND", 0.018, "CAFE-1"), BomRow("1001", "BLEND", 0.02)),
        lanes=(
            LaneRow("PLANT", "CAFE-1", TransportMode.VAN, 1.5, 0.25, 0.3, 800.0, "BLEND", 0.075),
            LaneRow("CAFE-1", "PLANT", TransportMode.LESS_THAN_TRUCKLOAD, 2, 0, 0.1),
        ),
        demand=(
            DemandRow("CAFE-1", "1001", date(2026, 1, 1), 40.0),
            DemandRow("CAFE-1", "1001", date(2026, 1, 2), 0.0),
        ),
    )


def without_rows(snapshot: NetworkSnapshot) -> NetworkSnapshot:
    """The snapshot with every row number reset, for comparing contents only."""
    sheets = [
        tuple(dataclasses.replace(r, row=0) for r in getattr(snapshot, s.name)) for s in SHEETS
    ]
    return NetworkSnapshot(snapshot.code, snapshot.name, snapshot.description, *sheets)


def sheets_of(snapshot: NetworkSnapshot) -> Sheets:
    return {name: [list(row) for row in rows] for name, rows in tables(snapshot)}


def save_xlsx(sheets: Sheets, path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(number, column, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text, as a planner types it, not a formula
    workbook.save(path)
    return path


def save_csv(sheets: Sheets, folder: Path) -> Path:
    folder.mkdir()
    for name, rows in sheets.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(rows)
    return folder


def rejection(read: Callable[[Path], NetworkSnapshot], path: Path) -> list[Violation]:
    with pytest.raises(ImportRejected) as caught:
        read(path)
    return caught.value.violations


# ---------------------------------------------------------------- layout and round trips


def test_sheets_follow_the_fields_of_the_snapshot() -> None:
    fields = [f.name for f in dataclasses.fields(NetworkSnapshot)]
    assert fields == ["code", "name", "description", *(s.name for s in SHEETS)]


def test_workbook_has_one_sheet_per_entity_with_the_documented_columns(tmp_path: Path) -> None:
    write_workbook(full_snapshot(), tmp_path / "net.xlsx")
    workbook = load_workbook(tmp_path / "net.xlsx", read_only=True)
    headers = {
        name: next(workbook[name].iter_rows(values_only=True)) for name in workbook.sheetnames
    }
    workbook.close()
    assert headers == {
        "network": ("key", "value"),
        "members": ("code", "name", "roles", "country"),
        "users": ("email", "member", "display_name", "is_network_admin"),
        "sites": ("code", "member", "name", "kind", "latitude", "longitude", "city", "country"),
        "items": (
            "sku",
            "member",
            "name",
            "unit",
            "unit_value",
            "family",
            "weight_kg",
            "volume_m3",
        ),
        "item_sites": (
            "item",
            "site",
            "target_service_level",
            "review_period_days",
            "safety_stock",
            "reorder_point",
            "order_up_to_level",
            "min_order_quantity",
            "order_multiple",
            "holding_cost_rate",
            "processing_days",
            "added_cost",
            "handling_cost",
            "order_quantity",
        ),
        "bom": ("parent", "component", "quantity_per", "site"),
        "lanes": (
            "from_site",
            "to_site",
            "mode",
            "lead_time_mean_days",
            "lead_time_std_days",
            "cost_per_unit",
            "capacity_per_day",
            "item",
            "duty_rate",
        ),
        "demand": ("site", "item", "day", "quantity"),
    }


def test_workbook_round_trip_gives_the_same_snapshot(tmp_path: Path) -> None:
    write_workbook(full_snapshot(), tmp_path / "net.xlsx")
    assert without_rows(read_workbook(tmp_path / "net.xlsx")) == full_snapshot()


def test_csv_folder_round_trip_gives_the_same_snapshot(tmp_path: Path) -> None:
    write_csv_folder(full_snapshot(), tmp_path / "net")
    assert sorted(p.name for p in (tmp_path / "net").iterdir()) == sorted(
        f"{name}.csv" for name in sheets_of(full_snapshot())
    )
    assert without_rows(read_csv_folder(tmp_path / "net")) == full_snapshot()


def test_written_cells_are_typed_and_text_is_never_a_formula(tmp_path: Path) -> None:
    write_workbook(full_snapshot(), tmp_path / "net.xlsx")
    workbook = load_workbook(tmp_path / "net.xlsx", read_only=True)
    sites = list(workbook["sites"].iter_rows(min_row=3, values_only=True))
    demand = list(workbook["demand"].iter_rows(min_row=2, max_row=2, values_only=True))
    members = list(workbook["members"].iter_rows(min_row=3, values_only=True))
    workbook.close()
    assert sites == [("CAFE-1", "CAFE", "=Café one", "store", -33.8688, -151.2093, None, None)]
    assert demand == [("CAFE-1", "1001", datetime(2026, 1, 1), 40)]
    assert members == [("CAFE", "Café chain", "carrier, retailer", None)]


def test_csv_files_hold_plain_text(tmp_path: Path) -> None:
    write_csv_folder(full_snapshot(), tmp_path / "net")
    assert (tmp_path / "net" / "lanes.csv").read_text(encoding="utf-8") == (
        "from_site,to_site,mode,lead_time_mean_days,lead_time_std_days,cost_per_unit,"
        "capacity_per_day,item,duty_rate\n"
        "PLANT,CAFE-1,van,1.5,0.25,0.3,800,BLEND,0.075\n"
        "CAFE-1,PLANT,less_than_truckload,2,0,0.1,,,0\n"
    )
    assert (tmp_path / "net" / "users.csv").read_text(encoding="utf-8") == (
        "email,member,display_name,is_network_admin\n"
        "rita@example.com,ROAST,Rita Roaster,true\n"
        "carl@example.com,CAFE,Carl Café,false\n"
    )


def test_numbers_keep_sixteen_digits_in_a_workbook_and_all_in_csv(tmp_path: Path) -> None:
    noisy = dataclasses.replace(
        full_snapshot(), demand=(DemandRow("CAFE-1", "1001", date(2026, 1, 1), 0.1 + 0.2),)
    )
    write_workbook(noisy, tmp_path / "net.xlsx")
    write_csv_folder(noisy, tmp_path / "net")
    assert read_workbook(tmp_path / "net.xlsx").demand[0].quantity == 0.3
    assert read_csv_folder(tmp_path / "net").demand[0].quantity == 0.30000000000000004


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    sheets["demand"].insert(2, [None, None, None, None])  # a blank line between the two rows
    read = read_workbook(save_xlsx(sheets, tmp_path / "net.xlsx"))
    assert [d.row for d in read.demand] == [2, 4]
    assert [s.row for s in read.sites] == [2, 3]
    sheets["demand"][2] = ["", "", "", ""]
    from_csv = read_csv_folder(save_csv(sheets, tmp_path / "net"))
    assert [d.row for d in from_csv.demand] == [2, 4]


# ---------------------------------------------------------------- what a planner may type


def test_reading_accepts_what_planners_type(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    sheets["sites"][0] = [
        "Code",
        " member",
        "NAME",
        "kind ",
        "latitude",
        "longitude",
        "city",
        "country",
    ]
    sheets["sites"][1][3:6] = [" Plant ", "52.37", 4.9]
    sheets["members"][2][2] = " Retailer ,carrier,"
    sheets["users"][1][3] = "yes"
    sheets["users"][2][3] = 0
    sheets["items"][2][0] = 1001  # a SKU typed as a number
    sheets["demand"][1][2] = "2026-01-01"
    sheets["demand"][2][2] = datetime(2026, 1, 2)
    read = read_workbook(save_xlsx(sheets, tmp_path / "net.xlsx"))
    assert without_rows(read) == full_snapshot()


def test_a_password_column_is_accepted_on_import(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    for row, password in zip(sheets["users"], ["password", " s3cret pass ", None], strict=True):
        row.insert(3, password)
    read = read_workbook(save_xlsx(sheets, tmp_path / "net.xlsx"))
    assert [(u.password, u.is_network_admin) for u in read.users] == [
        (" s3cret pass ", True),
        (None, False),
    ]


# ---------------------------------------------------------------- every defect, each located


def test_every_bad_cell_is_reported_with_sheet_row_and_column(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    sheets["members"][2][2] = "retailer, shop"
    sheets["users"][2][3] = "maybe"
    sheets["sites"][1][4] = "north"
    sheets["sites"][2][3] = "factory"
    sheets["sites"][2][1] = None
    sheets["items"][1][3] = "x" * 33
    sheets["item_sites"][1][2] = "95%"
    sheets["lanes"][1][6] = "lots"
    sheets["demand"][1][2] = "2026-13-01"
    sheets["demand"][2][3] = "  "
    expected = [
        Violation(
            "sheet members, row 3",
            "unknown value 'shop'; expected one of: supplier, manufacturer, distributor, "
            "retailer, carrier",
            "roles",
        ),
        Violation("sheet users, row 3", "expected true or false, got 'maybe'", "is_network_admin"),
        Violation("sheet sites, row 2", "expected a number, got 'north'", "latitude"),
        Violation("sheet sites, row 3", "a value is required", "member"),
        Violation(
            "sheet sites, row 3",
            "unknown value 'factory'; expected one of: plant, warehouse, distribution_centre, "
            "store, device, supplier_site, carrier_hub",
            "kind",
        ),
        Violation("sheet items, row 2", "must be at most 32 characters (got 33)", "unit"),
        Violation(
            "sheet item_sites, row 2", "expected a number, got '95%'", "target_service_level"
        ),
        Violation("sheet lanes, row 2", "expected a number, got 'lots'", "capacity_per_day"),
        Violation("sheet demand, row 2", "expected a date as YYYY-MM-DD, got '2026-13-01'", "day"),
        Violation("sheet demand, row 3", "a value is required", "quantity"),
    ]
    assert rejection(read_workbook, save_xlsx(sheets, tmp_path / "net.xlsx")) == expected
    assert rejection(read_csv_folder, save_csv(sheets, tmp_path / "net")) == expected


def test_workbook_only_defects_name_the_cell(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    sheets["sites"][1][5] = True
    sheets["demand"][1][2] = datetime(2026, 1, 1, 14, 30)
    sheets["demand"][2][3] = float("nan")  # openpyxl writes an empty cell for NaN
    assert rejection(read_workbook, save_xlsx(sheets, tmp_path / "net.xlsx")) == [
        Violation("sheet sites, row 2", "expected a number, got 'True'", "longitude"),
        Violation(
            "sheet demand, row 2",
            "expected a date without a time of day, got '2026-01-01 14:30:00'",
            "day",
        ),
        Violation("sheet demand, row 3", "a value is required", "quantity"),
    ]


def test_csv_rejects_infinite_numbers(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    sheets["lanes"][1][3] = "inf"
    assert rejection(read_csv_folder, save_csv(sheets, tmp_path / "net")) == [
        Violation(
            "sheet lanes, row 2", "expected a finite number, got 'inf'", "lead_time_mean_days"
        )
    ]


def test_headers_are_checked(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    sheets["sites"][0][6] = "town"  # city renamed
    sheets["items"][0].append("colour")
    sheets["bom"][0][3] = "component"
    for row in sheets["demand"]:
        del row[3]  # no quantity column
    expected = [
        Violation("sheet sites, row 1", "missing column", "city"),
        Violation("sheet sites, row 1", "unknown column", "town"),
        Violation("sheet items, row 1", "unknown column", "colour"),
        Violation("sheet bom, row 1", "duplicate column", "component"),
        Violation("sheet bom, row 1", "missing column", "site"),
        Violation("sheet demand, row 1", "missing column", "quantity"),
    ]
    assert rejection(read_workbook, save_xlsx(sheets, tmp_path / "net.xlsx")) == expected
    assert rejection(read_csv_folder, save_csv(sheets, tmp_path / "net")) == expected


def test_sheets_are_checked_and_the_model_rules_wait_for_them(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    del sheets["network"]
    del sheets["bom"]
    sheets["lanes"] = []
    sheets["Notes"] = [["anything"]]
    assert rejection(read_workbook, save_xlsx(sheets, tmp_path / "net.xlsx")) == [
        Violation("sheet network", "sheet is missing"),
        Violation("sheet bom", "sheet is missing"),
        Violation("sheet lanes, row 1", "the header row is missing"),
        Violation(
            "sheet Notes",
            "unknown sheet; expected: network, members, users, sites, items, item_sites, bom, "
            "lanes, demand",
        ),
    ]


def test_without_a_key_column_references_are_not_checked(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    for row in sheets["sites"]:
        del row[0]  # the code column: lanes, stocking points and demand refer to it
    sheets["items"][1][4] = "cheap"
    assert rejection(read_workbook, save_xlsx(sheets, tmp_path / "net.xlsx")) == [
        Violation("sheet sites, row 1", "missing column", "code"),
        Violation("sheet items, row 2", "expected a number, got 'cheap'", "unit_value"),
    ]


def test_network_sheet_is_checked_key_by_key(tmp_path: Path) -> None:
    sheets = sheets_of(full_snapshot())
    sheets["network"] = [["key", "value"], ["Code", ""], ["colour", "brown"], ["code", "x"]]
    assert rejection(read_workbook, save_xlsx(sheets, tmp_path / "net.xlsx")) == [
        Violation("sheet network", "missing key", "name"),
        Violation("sheet network, row 2", "a value is required", "code"),
        Violation(
            "sheet network, row 3", "unknown key; expected one of: code, name, description", "key"
        ),
        Violation("sheet network, row 4", "duplicate key 'code'", "key"),
    ]


def test_a_file_that_is_not_a_workbook_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "net.xlsx").write_text("code,name\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_workbook(tmp_path / "net.xlsx")
    assert caught.value.detail == "net.xlsx is not a readable Excel workbook"
    assert [v.location for v in caught.value.violations] == ["net.xlsx"]


def test_csv_may_start_with_a_byte_order_mark_but_must_be_utf8(tmp_path: Path) -> None:
    folder = save_csv(sheets_of(full_snapshot()), tmp_path / "net")
    users = folder / "users.csv"
    users.write_bytes(b"\xef\xbb\xbf" + users.read_bytes())
    assert without_rows(read_csv_folder(folder)) == full_snapshot()
    members = folder / "members.csv"
    members.write_bytes(members.read_bytes().replace("Café".encode(), "Café".encode("latin-1")))
    assert rejection(read_csv_folder, folder) == [
        Violation("sheet members", "is not UTF-8 text (invalid continuation byte at byte 64)")
    ]
