"""``tandem logistics plan | routes`` on the hand-checked freight world
(``tests/services/logistics_world.py``; every number is worked out there and in
``tests/services/test_logistics_planning.py``)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from tests.services.logistics_world import MONDAY, freight_world, order
from typer.testing import CliRunner

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.bootstrap import bootstrap
from tandem.cli.main import app, console
from tandem.config import Settings

runner = CliRunner()


def _load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cost_per_km: float) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    # the shared console may have been built, and sized, by an earlier test in this process
    monkeypatch.setattr(console, "width", 200)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    c = bootstrap(Settings(database_url=url), clock=FixedClock(), passwords=PlainPasswordHasher())
    world = freight_world(c.services, cost_per_km)
    order(
        world,
        "DC",
        [
            ("BAG", 60, MONDAY + timedelta(days=2)),
            ("BAG", 50, MONDAY + timedelta(days=3)),
            ("BAG", 1500, MONDAY + timedelta(days=5)),
        ],
    )
    for shop, bags in (("SHOP-A", 50), ("SHOP-B", 60), ("SHOP-C", 30)):
        order(world, shop, [("BAG", bags, MONDAY + timedelta(days=7))], from_site="DEPOT")
    c.engine.dispose()


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _load(tmp_path, monkeypatch, 0.0)


@pytest.fixture
def loaded_per_km(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _load(tmp_path, monkeypatch, 1.0)


PLAN = ["logistics", "plan", "--from", "2026-11-23", "--to", "2026-11-27", "--window-days", "3"]


def test_plan_prints_the_loads_with_utilisation_and_cost(loaded: None) -> None:
    result = runner.invoke(app, PLAN)
    assert result.exit_code == 0, result.output
    rows = [line.split("│")[1:-1] for line in result.output.splitlines() if "LD-" in line]
    cells = [[cell.strip() for cell in row] for row in rows]
    # tests/services/test_logistics_planning.py: two vans' worth leave Monday (B by air), C
    # splits into two trucks on Tuesday; no cost per km, so 150 / 150 / 400 / 400.
    assert sorted((c[1], c[2], c[3], c[6], c[8], c[9], c[10]) for c in cells) == [
        ("PLANT → DC", "air", "tariff", "500", "—", "—", "150.00"),
        ("PLANT → DC", "full_truckload", "TRUCK", "10,000", "100%", "50%", "400.00"),
        ("PLANT → DC", "full_truckload", "TRUCK", "5,000", "50%", "25%", "400.00"),
        ("PLANT → DC", "full_truckload", "VAN", "600", "60%", "12%", "150.00"),
    ]
    assert result.output.strip().splitlines()[-1] == (
        "4 loads, cost 1,100.00; lower bound 3 loads (gap 1); 1 lines split; "
        "0 planned loads replaced"
    )


def test_plan_json_replaces_the_loads_of_the_window(loaded: None) -> None:
    assert runner.invoke(app, PLAN).exit_code == 0
    result = runner.invoke(app, [*PLAN, "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert (found["total_cost"], found["replaced_loads"], len(found["loads"])) == (1100.0, 4, 4)


def test_routes_print_the_stops_in_order_with_arrival_times(loaded_per_km: None) -> None:
    args = ["logistics", "routes", "--depot", "DEPOT", "--day", "2026-11-30", "--time-limit", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Two vans (tests/services/test_logistics_planning.py): {A} and {B, C}, 104.6 km. SHOP-A is
    # 14.455 km away (15 whole minutes at 60 km/h): leave 06:45 to arrive when it opens at
    # 07:00, 15 minutes' service, back at 07:30; 28.9 km, cost 150 + 28.91 = 178.91.
    title = next(x for x in lines if "500 kg" in x)
    assert title.strip().endswith("): 06:45–07:30, 28.9 km, 500 kg, cost 178.91")
    row = next(x for x in lines if "SHOP-A" in x)
    assert [c.strip() for c in row.split("│")[1:-1]] == [
        "1",
        "SHOP-A",
        "07:00",
        "07:00",
        "500",
        "14.5",
    ]
    assert lines[-1] == (
        "DEPOT 2026-11-30: 2 routes, 104.6 km, cost 404.60; nearest neighbour 75.7 km, cost 475.69"
    )
