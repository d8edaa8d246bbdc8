"""``tandem inventory verify``: every member's ledger checked, a tampered position found."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from tests.support import PASSWORD, small_snapshot
from typer.testing import CliRunner

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.bootstrap import Container, bootstrap
from tandem.cli.main import app
from tandem.config import Settings
from tandem.domain.inventory import MovementKind
from tandem.services import identity, inventory, transfer
from tandem.services.inventory import RecordMovement

runner = CliRunner()


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Container:
    """A migrated database with the small network and two receipts at the café."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    c = bootstrap(Settings(database_url=url), clock=FixedClock(), passwords=PlainPasswordHasher())
    network_id = transfer.import_snapshot(c.services, small_snapshot()).network_id
    cafe = identity.authenticate_token(
        c.services, identity.login(c.services, "cafe@example.com", PASSWORD).token
    )
    with c.services.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
    for site in ("CAFE-1", "CAFE-2"):
        command = RecordMovement(sites[site], items["LATTE"], MovementKind.RECEIPT, Decimal("2"))
        inventory.record_movement(c.services, cafe, command)
    return c


def test_verify_reports_every_member_balanced(loaded: Container) -> None:
    result = runner.invoke(app, ["inventory", "verify"])

    assert result.exit_code == 0, result.output
    rows = [line.replace("│", " ").split() for line in result.output.splitlines()]
    assert [row for row in rows if row[:1] == ["coffee"]] == [
        ["coffee", "ROAST", "0", "0", "ok"],
        ["coffee", "CAFE", "2", "2", "ok"],
        ["coffee", "BEANS", "0", "0", "ok"],
    ]
    assert "ledger balanced for 3 members" in result.output
    loaded.engine.dispose()


def test_verify_names_a_position_that_disagrees_with_its_ledger_and_exits_1(
    loaded: Container,
) -> None:
    with loaded.services.uow() as uow:
        position = uow.stock_positions.find()[1]
        uow.stock_positions.update(replace(position, on_hand=Decimal("2.5")))
        uow.commit()

    result = runner.invoke(app, ["inventory", "verify"])

    assert result.exit_code == 1
    expected = (
        f"mismatch coffee/CAFE site {position.site_id} item {position.item_id}: "
        "on hand 2.500 vs ledger 2.000, allocated 0.000 vs 0.000"
    )
    assert expected in result.output
    assert "1 off" in result.output
    assert "ledger balanced" not in result.output
    loaded.engine.dispose()
