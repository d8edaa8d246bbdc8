"""``tandem plan``: a run inline with its summary, a what-if from a scenario file, the
exceptions, and the Excel export checked cell by cell (numbers: tests/services/planning_world)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.services.planning_world import AS_OF, planning_snapshot
from typer.testing import CliRunner

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.bootstrap import bootstrap
from tandem.cli.main import app
from tandem.config import Settings
from tandem.domain.forecasts import ForecastPoint
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.domain.inventory import StockPosition
from tandem.domain.sourcing import PriceBreak, SupplierOffer
from tandem.services import sourcing, transfer

runner = CliRunner()
CREATED = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    c = bootstrap(Settings(database_url=url), clock=FixedClock(), passwords=PlainPasswordHasher())
    network_id = transfer.import_snapshot(c.services, planning_snapshot()).network_id
    with c.services.uow() as uow:
        ids = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
        plant = uow.sites.find(network_id=network_id, code="PLANT")[0].id
        for sku, on_hand in (("BLEND", "50"), ("GREEN", "40")):
            uow.stock_positions.add(
                StockPosition(0, network_id, ids["ROAST"], plant, items[sku], Decimal(on_hand))
            )
        for week in range(6):
            day = AS_OF.toordinal() + 7 * week
            uow.forecasts.add(
                ForecastPoint(0, ids["ROAST"], plant, items["BLEND"], AS_OF.fromordinal(day),
                              30.0, None, None, None, None, "test", CREATED)
            )  # fmt: skip
        uow.commit()
    roaster = Principal(ids["ROAST"], network_id, "test", ALL_SCOPES)
    offer = SupplierOffer(0, 0, 0, ids["BEANS"], items["GREEN"], 7.0, None, 100.0, 25.0,
                          (PriceBreak(0.0, 400), PriceBreak(200.0, 380)))  # fmt: skip
    sourcing.create_offer(c.services, roaster, offer)
    c.engine.dispose()


PLAN = ["plan", "run", "--member", "ROAST", "--horizon-weeks", "4", "--as-of", "2026-11-23"]


def test_plan_run_prints_its_summary(loaded: None) -> None:
    result = runner.invoke(app, PLAN)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "live run 1 as of 2026-11-23: 2 item-sites; planned orders: 3 production, 1 purchase; "
        "exceptions: none"
    )


def test_net_change_run_prints_what_it_re_planned(loaded: None) -> None:
    assert runner.invoke(app, PLAN).exit_code == 0
    url = os.environ["TANDEM_DATABASE_URL"]
    c = bootstrap(Settings(database_url=url), clock=FixedClock(), passwords=PlainPasswordHasher())
    with c.services.uow() as uow:  # GREEN's stock falls from 40 to 10
        green = uow.items.find(sku="GREEN")[0]
        (position,) = uow.stock_positions.find(item_id=green.id)
        uow.stock_positions.update(replace(position, on_hand=Decimal("10")))
        uow.commit()
    c.engine.dispose()
    result = runner.invoke(app, [*PLAN, "--net-change"])
    assert result.exit_code == 0, result.output
    # GREEN alone is re-planned: gross 36 in weeks 0..2 against 10 on hand -> 26 short in week
    # 0, the MOQ of 100 due in week 0, released past due (lead 7 days); PA 74, 38, 2, 2
    assert result.output.strip().splitlines() == [
        "live run 2 as of 2026-11-23: 2 item-sites; planned orders: 3 production, 1 purchase; "
        "exceptions: 1 release_past_due",
        "net change re-planned 1 of 2 item-sites; 2 item-sites, 4 planned orders, 1 exceptions",
    ]


def test_what_if_from_a_scenario_file_as_json(loaded: None, tmp_path: Path) -> None:
    scenario = tmp_path / "double.json"
    scenario.write_text(json.dumps([{"type": "demand_scale", "item": "BLEND", "factor": 2}]))
    result = runner.invoke(app, [*PLAN, "--scenario", str(scenario), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    # forecast 60 a week: BLEND needs 10 in week 0 (released past due; projected available 0
    # under its safety stock of 20 before the fence), then 80, 60, 60; GREEN needs (10 + 80) x
    # 1.2 - 40 on hand = 68 in week 0, also released past due (MOQ 100), then 100 and 100
    assert document == {
        "run_id": 1, "kind": "what_if", "status": "succeeded", "error": "",
        "as_of": "2026-11-23", "mode": "regeneration", "replanned_item_sites": 2,
        "message": "2 item-sites, 7 planned orders, 3 exceptions", "item_sites": 2,
        "planned_orders": {"production": 4, "purchase": 3},
        "exceptions": {"below_safety_stock": 1, "release_past_due": 2},
    }  # fmt: skip
    listed = runner.invoke(app, ["plan", "exceptions", "--run", "1", "--member", "ROAST", "--json"])
    assert listed.exit_code == 0, listed.output
    codes = [e["code"] for e in json.loads(listed.output)["exceptions"]]
    assert sorted(codes) == ["below_safety_stock", "release_past_due", "release_past_due"]


def test_export_writes_every_sheet_with_exact_cells(loaded: None, tmp_path: Path) -> None:
    assert runner.invoke(app, PLAN).exit_code == 0
    out = tmp_path / "plan.xlsx"
    result = runner.invoke(app, ["plan", "export", str(out), "--member", "ROAST"])
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    assert book.sheetnames == [
        "records", "planned orders", "pegging", "exceptions", "requisitions", "resource load",
    ]  # fmt: skip
    records = [list(r) for r in book["records"].iter_rows(values_only=True)]
    assert records[0] == ["item", "site", "row", *(datetime(2026, 11, d) for d in (23, 30)),
                          datetime(2026, 12, 7), datetime(2026, 12, 14)]  # fmt: skip
    assert records[1] == ["BLEND", "PLANT", "gross requirements", 30, 30, 30, 30]
    assert records[11] == ["GREEN", "PLANT", "planned receipts", 0, 100, 0, 0]
    assert records[9] == ["GREEN", "PLANT", "projected available", 4, 68, 32, 32]
    orders = [list(r) for r in book["planned orders"].iter_rows(values_only=True)]
    assert orders[4][:10] == ["GREEN@PLANT#1", "GREEN", "PLANT", "purchase", datetime(2026, 11, 23),
                              datetime(2026, 11, 30), 100, 100, False, "BEANS"]  # fmt: skip
    buying = [list(r) for r in book["requisitions"].iter_rows(values_only=True)]
    assert buying[1] == ["BEANS", "GREEN@PLANT#1", "GREEN", "PLANT", datetime(2026, 11, 30),
                         datetime(2026, 11, 23), 100, 100, 400, 40000, None]  # fmt: skip
    assert book["resource load"]["A1"].value.startswith("No resource or routing model exists yet")
    assert book["exceptions"].max_row == 1  # the header only: nothing to act on
