"""``tandem inventory verify``: the conservation check of every member's stock ledger."""

from __future__ import annotations

import typer
from rich.table import Table

from tandem.cli.main import app, console, container, errors
from tandem.services import inventory

inventory_app = typer.Typer(help="The inventory ledger.", no_args_is_help=True)
app.add_typer(inventory_app, name="inventory")


@inventory_app.command("verify")
def verify() -> None:
    """Check that every position's on hand equals the sum of its movements and its allocated
    stock the sum of its open allocations, for every member; exit 1 on any mismatch."""
    checks = inventory.verify_all_ledgers(container().services)
    table = Table("network", "member", "positions", "movements", "result")
    for found in checks:
        result = "ok" if not found.check.mismatches else f"{len(found.check.mismatches)} off"
        table.add_row(
            found.network_code,
            found.member_code,
            str(found.check.positions),
            str(found.check.movements),
            result,
        )
    console.print(table)
    mismatches = [
        f"{found.network_code}/{found.member_code} {line}"
        for found in checks
        for line in found.check.mismatches
    ]
    for line in mismatches:
        errors.print(f"[bold red]mismatch[/] {line}", soft_wrap=True, markup=True)
    if mismatches:
        raise typer.Exit(1)
    console.print(f"ledger balanced for {len(checks)} members")
