"""The `tandem` command line: database, demo and users (import/export: test_cli_transfer.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tandem.adapters.database import create_engine
from tandem.adapters.migrations import current_revision
from tandem.cli.main import app

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TANDEM_DATABASE_URL", url)
    monkeypatch.setenv("TANDEM_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("TANDEM_ARGON2_MEMORY_KIB", "1024")
    monkeypatch.setenv("COLUMNS", "200")
    return url


def _revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


def test_db_upgrade_and_downgrade(database: str) -> None:
    up = runner.invoke(app, ["db", "upgrade"])
    assert up.exit_code == 0, up.output
    assert _revision(database) == "0016"
    down = runner.invoke(app, ["db", "downgrade", "base"])
    assert down.exit_code == 0, down.output
    assert _revision(database) is None


def test_demo_loads_once_prints_logins_and_exits_without_serving(database: str) -> None:
    first = runner.invoke(app, ["demo", "--no-serve"])
    assert first.exit_code == 0, first.output
    assert re.search(
        r"loaded Elbe Coffee Network: 7 members, 43 sites, 60 items, 107 BOM lines, 47 lanes, "
        r"94,170 days of demand history",
        first.output,
    )
    for login in ("planner@bohne-milch.example", "tandem-demo-bohne", "tandem-demo-elbe"):
        assert login in first.output
    assert "open http://127.0.0.1:8000/" in first.output
    assert re.search(
        r"flows: \d+ purchase orders, \d+ shipments, \d+ invoices, \d+ payments", first.output
    )
    assert re.search(
        r"plan: \d+ supplier offers; ELBE live run 1 succeeded: 25 item-sites, \d+ planned orders",
        first.output,
    )
    assert "consent: 22 grants from 6 members" in first.output
    assert "forecasts: 44 series of BOHNE and NORDLOG, 28 days ahead (1,232 forecast days)" in (
        first.output
    )
    assert re.search(
        r"inventory: ELBE at 95% service \(heuristic, proven optimal\): 360 stocking points, "
        r"129 with demand; .*; proposal 1 open, approved by NORDLOG, 5 members still to vote",
        first.output,
    )
    assert "risks: 4 risks with 7 mitigations" in first.output
    assert "scenarios: 2 scenarios of ELBE: DC North down for 3 days; Café demand" in first.output
    again = runner.invoke(app, ["demo", "--no-serve"])
    assert again.exit_code == 0, again.output
    assert "demo network ELBE-COFFEE already loaded" in again.output


def test_demo_reset_drops_and_reloads_a_loaded_demo(database: str) -> None:
    """Regression: the downgrade of 0004 rebuilds ``site`` in SQLite batch mode, which failed
    with foreign keys on ("FOREIGN KEY constraint failed") once the demo was loaded."""
    assert runner.invoke(app, ["demo", "--no-serve", "--no-flows"]).exit_code == 0
    reset = runner.invoke(app, ["demo", "--no-serve", "--no-flows", "--reset"])
    assert reset.exit_code == 0, reset.output
    assert "loaded Elbe Coffee Network: 7 members" in reset.output


def test_user_add_creates_a_login_that_works(database: str) -> None:
    assert runner.invoke(app, ["demo", "--no-serve", "--no-flows"]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "user",
            "add",
            "buyer@bohne-milch.example",
            "--member",
            "BOHNE",
            "--network",
            "ELBE-COFFEE",
            "--name",
            "Buyer",
        ],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "added user buyer@bohne-milch.example" in result.output
    from tandem.bootstrap import bootstrap
    from tandem.config import Settings
    from tandem.services import identity

    container = bootstrap(Settings())
    try:
        principal = identity.authenticate_token(
            container.services,
            identity.login(
                container.services, "buyer@bohne-milch.example", "a-long-password"
            ).token,
        )
    finally:
        container.engine.dispose()
    assert principal.label == "buyer@bohne-milch.example (BOHNE)"


def test_user_add_to_an_unknown_member_fails_clearly(database: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(
        app,
        ["user", "add", "x@example.com", "--member", "NOPE", "--network", "none"],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 1
    assert "error (not_found): no member 'NOPE' in network 'none'" in result.stderr
