"""``tandem plan run | exceptions | export``: MRP runs of one member from the command line.

The command acts as a member (``--member`` code, default the network administrator's member)
of a network (``--network`` code, default the only one). ``run`` plans inline with a progress
bar and prints a summary (or one JSON object with ``--json``); ``exceptions`` lists the action
messages of a run (default: the live plan); ``export`` writes the plan to an Excel workbook.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from tandem.cli.main import app, console, container, fail
from tandem.domain.errors import TandemError, ValidationFailed, Violation
from tandem.domain.planning_runs import PlanBucket, RunKind, RunMode, RunStatus
from tandem.services import planning
from tandem.services.planning import export as plan_export

plan_app = typer.Typer(help="Material requirements planning (MRP) runs.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")

MEMBER = typer.Option(None, "--member", help="Member code (default: the network admin's).")
NETWORK = typer.Option(None, "--network", help="Network code (default: the only network).")
RUN = typer.Option(None, "--run", help="Run id (default: the member's live plan).")
JSON = typer.Option(False, "--json", help="Print one JSON object instead of tables.")


def _scenario(path: Path | None) -> tuple[dict[str, Any], ...]:
    if path is None:
        return ()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        violation = Violation(str(path), f"cannot read the scenario: {error}")
        raise ValidationFailed(f"{path}: not a JSON scenario", violations=[violation]) from error
    if isinstance(raw, dict) and "deltas" in raw:
        raw = raw["deltas"]
    return tuple(raw) if isinstance(raw, list) else (raw,)


@plan_app.command("run")
def run(
    member: str | None = MEMBER,
    network: str | None = NETWORK,
    horizon_weeks: int = typer.Option(12, "--horizon-weeks", min=1, max=52, help="Horizon."),
    bucket: PlanBucket = typer.Option(PlanBucket.WEEK, "--bucket", help="Bucket size."),
    scenario: Path | None = typer.Option(
        None, "--scenario", help="What-if deltas (JSON list); the run is then what_if."
    ),
    as_of: datetime | None = typer.Option(
        None, "--as-of", formats=["%Y-%m-%d"], help="First day planned (default today)."
    ),
    net_change: bool = typer.Option(
        False, "--net-change", help="Re-plan only what changed since the live plan."
    ),
    as_json: bool = JSON,
) -> None:
    """Plan the member's material requirements now, in this process."""
    services = container().services
    try:
        principal = plan_export.acting_member(services, network, member)
        deltas = _scenario(scenario)
        kind = RunKind.WHAT_IF if scenario is not None else RunKind.LIVE
        buckets = horizon_weeks * (7 if bucket is PlanBucket.DAY else 1)
        day = as_of.date() if as_of else None
        mode = RunMode.NET_CHANGE if net_change else RunMode.REGENERATION
        command = planning.StartRun(kind, buckets, bucket, deltas, day, mode=mode)
        queued = planning.start_run(services, principal, command)
        with Progress(
            TextColumn("{task.description:<40}"), BarColumn(), console=console,
            transient=True, disable=as_json,
        ) as bar:  # fmt: skip
            task = bar.add_task("planning", total=1.0)

            def moved(fraction: float, message: str) -> None:
                bar.update(task, completed=fraction, description=message[:40])

            done = planning.execute_run(services, queued.id, on_progress=moved)
        summary = plan_export.run_summary(services, principal, done.id)
    except TandemError as error:
        fail(error)
    _print_summary(summary, as_json)
    if done.status is RunStatus.FAILED:
        raise typer.Exit(1)


def _print_summary(summary: plan_export.RunSummary, as_json: bool) -> None:
    run_ = summary.run
    if as_json:
        document = {
            "run_id": run_.id, "kind": run_.kind.value, "status": run_.status.value,
            "error": run_.error, "as_of": run_.as_of.isoformat(), "mode": run_.mode.value,
            "replanned_item_sites": run_.replanned_item_sites, "message": run_.message,
            "item_sites": summary.item_sites, "planned_orders": summary.orders_by_kind,
            "exceptions": summary.exceptions_by_code,
        }  # fmt: skip
        console.print_json(json.dumps(document))
        return
    if run_.status is RunStatus.FAILED:
        console.print(f"run {run_.id} [bold red]failed[/]: {run_.error}", soft_wrap=True)
        return
    orders = ", ".join(f"{n} {k}" for k, n in summary.orders_by_kind.items()) or "none"
    codes = ", ".join(f"{n} {c}" for c, n in summary.exceptions_by_code.items()) or "none"
    console.print(
        f"{run_.kind.value} run {run_.id} as of {run_.as_of}: {summary.item_sites} item-sites; "
        f"planned orders: {orders}; exceptions: {codes}",
        soft_wrap=True,
    )
    if run_.mode is RunMode.NET_CHANGE:
        console.print(run_.message, soft_wrap=True)


@plan_app.command("exceptions")
def exceptions(
    run_id: int | None = RUN,
    member: str | None = MEMBER,
    network: str | None = NETWORK,
    as_json: bool = JSON,
) -> None:
    """The action messages of a run: release now, expedite, defer, cancel, below safety stock."""
    services = container().services
    try:
        principal = plan_export.acting_member(services, network, member)
        found = plan_export.resolve_run(services, principal, run_id)
        rows = plan_export.plan_tables(services, principal, found.id)["exceptions"]
    except TandemError as error:
        fail(error)
    header, body = rows[0], rows[1:]
    if as_json:
        items = [{str(k): str(v) for k, v in zip(header, row, strict=True)} for row in body]
        console.print_json(json.dumps({"run_id": found.id, "exceptions": items}))
        return
    table = Table(*header, title=f"exceptions of run {found.id}")
    for row in body:
        table.add_row(*(str(v) for v in row))
    console.print(table)


@plan_app.command("export")
def export(
    out: Path = typer.Argument(..., help="The workbook to write (.xlsx)."),
    run_id: int | None = RUN,
    member: str | None = MEMBER,
    network: str | None = NETWORK,
) -> None:
    """Write a run (default: the live plan) to Excel: records, planned orders, pegging,
    exceptions, requisitions, resource load."""
    from openpyxl import Workbook

    services = container().services
    try:
        principal = plan_export.acting_member(services, network, member)
        found = plan_export.resolve_run(services, principal, run_id)
        tables = plan_export.plan_tables(services, principal, found.id)
    except TandemError as error:
        fail(error)
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2" if len(rows) > 1 else None
    book.save(out)
    console.print(f"wrote run {found.id} to {out} ({len(tables)} sheets)", soft_wrap=True)
