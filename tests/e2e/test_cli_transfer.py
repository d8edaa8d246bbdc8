"""``tandem import network FILE`` and ``tandem export network FILE --network CODE``.

Each test runs the real command line on a SQLite file migrated with Alembic, the way an operator
would: settings come from TANDEM_DATABASE_URL.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from tandem.adapters.csv_folder import read_csv_folder, write_csv_folder
from tandem.adapters.database import create_engine
from tandem.adapters.migrations import upgrade
from tandem.adapters.workbook import read_workbook, write_workbook
from tandem.cli import main
from tandem.cli.main import app
from tandem.domain.network import MemberRole, SiteKind, TransportMode
from tandem.domain.snapshot import (
    DemandRow,
    ItemRow,
    LaneRow,
    MemberRow,
    NetworkSnapshot,
    SiteRow,
    UserRow,
)

COUNTS = (
    "┏━━━━━━━━━━━━┳━━━━━━┓\n"
    "┃ sheet      ┃ rows ┃\n"
    "┡━━━━━━━━━━━━╇━━━━━━┩\n"
    "│ members    │    2 │\n"
    "│ users      │    1 │\n"
    "│ sites      │    2 │\n"
    "│ items      │    1 │\n"
    "│ item_sites │    0 │\n"
    "│ bom        │    0 │\n"
    "│ lanes      │    1 │\n"
    "│ demand     │    2 │\n"
    "└────────────┴──────┘\n"
)


def network() -> NetworkSnapshot:
    return NetworkSnapshot(
        "coffee",
        "Coffee chain",
        members=(
            MemberRow("ROAST", "Roaster", frozenset({MemberRole.MANUFACTURER})),
            MemberRow("CAFE", "Cafe chain", frozenset({MemberRole.RETAILER})),
        ),
        users=(UserRow("rita@example.com", "ROAST", "Rita Roaster", None, True),),
        sites=(
            SiteRow("PLANT", "ROAST", "Roastery", SiteKind.PLANT, 52.37, 4.9),
            SiteRow("CAFE-1", "CAFE", "Cafe one", SiteKind.STORE, 52.36, 4.88),
        ),
        items=(ItemRow("LATTE", "CAFE", "Latte", "cup", 3.5),),
        lanes=(LaneRow("PLANT", "CAFE-1", TransportMode.VAN, 1.0, 0.2, 0.3),),
        demand=(
            DemandRow("CAFE-1", "LATTE", date(2026, 11, 1), 40.0),
            DemandRow("CAFE-1", "LATTE", date(2026, 11, 2), 42.0),
        ),
    )


@pytest.fixture
def database_file(tmp_path: Path) -> str:
    """A SQLite database at the schema head, as ``tandem db upgrade`` leaves it."""
    url = f"sqlite:///{tmp_path / 'tandem.db'}"
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps at the width it found at import (80 under pytest-xdist): make room."""
    monkeypatch.setattr(main.console, "width", 200)
    monkeypatch.setattr(main.errors, "width", 200)


def tandem(database: str, *args: str) -> Result:
    environment = {"TANDEM_DATABASE_URL": database, "COLUMNS": "200"}  # for Typer's usage errors
    return CliRunner().invoke(app, list(args), env=environment)


def networks_in(database: str) -> int:
    engine = sa.create_engine(database)
    with engine.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM network")).scalar_one()
    engine.dispose()
    return int(count)


def test_importing_a_workbook_prints_the_counts(database_file: str, tmp_path: Path) -> None:
    write_workbook(network(), tmp_path / "coffee.xlsx")
    result = tandem(database_file, "import", "network", str(tmp_path / "coffee.xlsx"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "imported network coffee (id 1) from coffee.xlsx\n" + COUNTS


def test_importing_a_csv_folder_prints_the_counts(database_file: str, tmp_path: Path) -> None:
    write_csv_folder(network(), tmp_path / "coffee")
    result = tandem(database_file, "import", "network", str(tmp_path / "coffee"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "imported network coffee (id 1) from coffee\n" + COUNTS


def test_a_rejected_import_lists_every_violation_and_exits_1(
    database_file: str, tmp_path: Path
) -> None:
    write_csv_folder(network(), tmp_path / "bad")
    sites = tmp_path / "bad" / "sites.csv"
    sites.write_text(
        sites.read_text(encoding="utf-8").replace("plant,52.37", "factory,north"), encoding="utf-8"
    )
    lanes = tmp_path / "bad" / "lanes.csv"
    lanes.write_text(lanes.read_text(encoding="utf-8").replace("CAFE-1", "CAFE-9"), "utf-8")
    result = tandem(database_file, "import", "network", str(tmp_path / "bad"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "  sheet sites, row 2, kind: unknown value 'factory'; expected one of: plant, warehouse, "
        "distribution_centre, store, device, supplier_site, carrier_hub\n"
        "  sheet sites, row 2, latitude: expected a number, got 'north'\n"
        "  sheet lanes, row 2, to_site: unknown to_site 'CAFE-9'\n"
        "error (import_rejected): bad rejected: 3 problems, nothing imported\n"
    )
    assert networks_in(database_file) == 0


def test_every_violation_is_printed_even_past_fifty(database_file: str, tmp_path: Path) -> None:
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(60)]
    demand = tuple(DemandRow("CAFE-1", "MOCHA", day, 1.0) for day in days)
    write_workbook(dataclasses.replace(network(), demand=demand), tmp_path / "m.xlsx")
    result = tandem(database_file, "import", "network", str(tmp_path / "m.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *(f"  sheet demand, row {n}, item: unknown item 'MOCHA'" for n in range(2, 62)),
        "error (import_rejected): network 'coffee' rejected: 60 problems, nothing imported",
    ]


def test_importing_the_same_network_twice_fails_the_second_time(
    database_file: str, tmp_path: Path
) -> None:
    write_workbook(network(), tmp_path / "coffee.xlsx")
    assert tandem(database_file, "import", "network", str(tmp_path / "coffee.xlsx")).exit_code == 0
    again = tandem(database_file, "import", "network", str(tmp_path / "coffee.xlsx"))
    assert (again.exit_code, again.stderr) == (
        1,
        "error (duplicate_code): network 'coffee' already exists\n",
    )


def test_a_file_that_is_neither_a_workbook_nor_a_folder_is_a_usage_error(
    database_file: str, tmp_path: Path
) -> None:
    (tmp_path / "coffee.json").write_text("{}", encoding="utf-8")
    result = tandem(database_file, "import", "network", str(tmp_path / "coffee.json"))
    assert result.exit_code == 2
    assert "is neither an .xlsx workbook nor a folder of CSV files" in result.stderr


def test_export_writes_a_workbook_or_a_csv_folder(database_file: str, tmp_path: Path) -> None:
    write_csv_folder(network(), tmp_path / "source")
    assert tandem(database_file, "import", "network", str(tmp_path / "source")).exit_code == 0
    workbook = tmp_path / "out" / "coffee.xlsx"
    workbook.parent.mkdir()

    to_xlsx = tandem(database_file, "export", "network", str(workbook), "--network", "coffee")
    to_csv = tandem(
        database_file, "export", "network", str(tmp_path / "csv"), "--network", "coffee"
    )

    assert (to_xlsx.exit_code, to_csv.exit_code) == (0, 0)
    assert to_xlsx.stdout == f"exported network coffee to {workbook}\n" + COUNTS
    assert to_csv.stdout == f"exported network coffee to {tmp_path / 'csv'}\n" + COUNTS
    assert read_workbook(workbook) == read_csv_folder(tmp_path / "csv")
    assert read_csv_folder(tmp_path / "csv") == read_csv_folder(tmp_path / "source")
    opened = load_workbook(workbook, read_only=True)
    assert opened.sheetnames == [
        "network",
        "members",
        "users",
        "sites",
        "items",
        "item_sites",
        "bom",
        "lanes",
        "demand",
    ]
    opened.close()


def test_exporting_an_unknown_network_exits_1(database_file: str, tmp_path: Path) -> None:
    result = tandem(
        database_file, "export", "network", str(tmp_path / "x.xlsx"), "--network", "tea"
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "error (not_found): network 'tea' does not exist\n"
    assert not (tmp_path / "x.xlsx").exists()


def test_update_reimports_into_the_existing_network_and_prints_what_changed(
    database_file: str, tmp_path: Path
) -> None:
    write_workbook(network(), tmp_path / "coffee.xlsx")
    assert tandem(database_file, "import", "network", str(tmp_path / "coffee.xlsx")).exit_code == 0
    more = dataclasses.replace(
        network(), demand=(*network().demand, DemandRow("CAFE-1", "LATTE", date(2026, 11, 3), 9.0))
    )
    write_workbook(more, tmp_path / "more.xlsx")
    result = tandem(database_file, "import", "network", str(tmp_path / "more.xlsx"), "--update")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "updated network coffee (id 1) from more.xlsx (nothing deleted)\n"
        "┏━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━┳━━━━━━━━━┓\n"
        "┃ sheet      ┃ rows ┃ inserted ┃ updated ┃\n"
        "┡━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━╇━━━━━━━━━┩\n"
        "│ members    │    2 │        0 │       0 │\n"
        "│ users      │    1 │        0 │       0 │\n"
        "│ sites      │    2 │        0 │       0 │\n"
        "│ items      │    1 │        0 │       0 │\n"
        "│ item_sites │    0 │        0 │       0 │\n"
        "│ bom        │    0 │        0 │       0 │\n"
        "│ lanes      │    1 │        0 │       0 │\n"
        "│ demand     │    3 │        1 │       0 │\n"
        "└────────────┴──────┴──────────┴─────────┘\n"
    )
    assert networks_in(database_file) == 1


def test_import_help_says_update_deletes_nothing(database_file: str) -> None:
    result = tandem(database_file, "import", "network", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.replace("│", " ").split())
    assert "--update" in text
    assert "Nothing is deleted: rows the file leaves out are kept." in text
