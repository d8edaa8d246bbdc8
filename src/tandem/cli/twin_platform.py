"""``tandem twin run`` and ``tandem twin report``: the twin of a network on the platform.

``run SCENARIO.json`` runs a what-if scenario (``{"name", "deltas": [...], "compare": [more
scenarios]}``) against the base network side by side on common random numbers; ``report`` is
the traditional-versus-SCM report. Both act as a member (``--member``, default the network
administrator's) of a network (``--network``, default the only one) and print Rich tables, or
one JSON object with ``--json``. Invalid input exits with code 1 and one line per problem.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from tandem.cli.main import console, container, fail
from tandem.cli.twin import twin_app
from tandem.domain.errors import TandemError, ValidationFailed, Violation
from tandem.services.planning.export import acting_member
from tandem.services.twin import RunOptions, ScenarioSpec, compare_scenarios, traditional_vs_scm
from tandem.services.twin.runner import NETWORK_FIGURES
from tandem.services.twin.views import comparison_json, report_json

MEMBER = typer.Option(None, "--member", help="Member code (default: the network admin's).")
NETWORK = typer.Option(None, "--network", help="Network code (default: the only network).")
JSON = typer.Option(False, "--json", help="Print one JSON object instead of tables.")
PERIODS = typer.Option(120, "--periods", help="Days simulated per replication.")
REPLICATIONS = typer.Option(20, "--replications", help="Replications (rounded up to batches).")
BATCH = typer.Option(4, "--batch-size", help="Replications per batch (intervals over batches).")
WARMUP = typer.Option(14, "--warmup", help="Days not measured at the start.")
SEED = typer.Option(0, "--seed", help="Seed; every scenario uses the same random numbers.")
REPLAY = typer.Option(False, "--replay", help="Replay the recorded demand history.")

RUN_HELP = (
    "Run a what-if scenario against the base network on common random numbers."
    "\n\n"
    'SCENARIO.json: {"name": "...", "deltas": [{"type": ...}, ...], "compare": [{"name", '
    '"deltas"}, ...]}; delta types demand_scale, lead_time, capacity, node_down, lane_down, '
    "policy, sharing, safety_stock (docs/twin.md)."
    "\n\n"
    "JSON keys: options, scenarios (base first: name, figures, stages, difference to the base "
    "with its paired interval), warnings."
)
REPORT_HELP = (
    "Traditional versus SCM: the network under no sharing, under shared end-customer demand "
    "and echelon positions, and under the adopted inventory proposal, on the same random "
    "numbers, with 95 % intervals."
    "\n\n"
    "JSON keys: options, adopted, columns (mode, figures, landed_cost, bullwhip by stage, "
    "members with safety_stock and average_inventory), sharing_gain, warnings."
)


def _read(path: Path) -> list[ScenarioSpec]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        violation = Violation(str(path), f"cannot read the scenario: {error}")
        raise ValidationFailed(f"{path}: not a JSON scenario", violations=[violation]) from error
    entries = [raw, *raw.get("compare", [])] if isinstance(raw, dict) else [raw]
    specs = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("deltas"), list):
            at = "scenario" if i == 0 else f"compare[{i - 1}]"
            violation = Violation(at, "must be an object with a 'deltas' list")
            raise ValidationFailed(f"{path}: {violation}", violations=[violation])
        specs.append(
            ScenarioSpec(str(entry.get("name") or f"scenario {i + 1}"), tuple(entry["deltas"]))
        )
    return specs


def _cell(e: dict[str, Any]) -> str:
    value, half = e["value"], e["half_width"]
    if value is None:
        return "-"
    return f"{value:,.3f}" if half is None else f"{value:,.3f} ± {half:,.3f}"


@twin_app.command("run", help=RUN_HELP)
def run(
    scenario: Path = typer.Argument(..., metavar="SCENARIO.json", exists=True, dir_okay=False),
    member: str | None = MEMBER,
    network: str | None = NETWORK,
    periods: int = PERIODS,
    replications: int = REPLICATIONS,
    batch_size: int = BATCH,
    warmup: int = WARMUP,
    seed: int = SEED,
    replay: bool = REPLAY,
    as_json: bool = JSON,
) -> None:
    services = container().services
    try:
        specs = _read(scenario)
        options = RunOptions(periods, replications, batch_size, warmup, seed)
        principal = acting_member(services, network, member)
        payload = comparison_json(compare_scenarios(services, principal, specs, options, replay))
    except TandemError as error:
        fail(error)
    if as_json:
        typer.echo(json.dumps(payload, allow_nan=False))
        return
    table = Table(title="What-if scenarios (95 % intervals; differences paired)")
    table.add_column("figure")
    for s in payload["scenarios"]:
        table.add_column(s["name"], justify="right")
        if "difference" in s:
            table.add_column(f"{s['name']} − base", justify="right")
    for figure in NETWORK_FIGURES:
        row = [figure]
        for s in payload["scenarios"]:
            row.append(_cell(s["figures"][figure]))
            if "difference" in s:
                row.append(_cell(s["difference"][figure]))
        table.add_row(*row)
    console.print(table)


@twin_app.command("report", help=REPORT_HELP)
def report(
    member: str | None = MEMBER,
    network: str | None = NETWORK,
    periods: int = PERIODS,
    replications: int = REPLICATIONS,
    batch_size: int = BATCH,
    warmup: int = WARMUP,
    seed: int = SEED,
    replay: bool = REPLAY,
    as_json: bool = JSON,
) -> None:
    services = container().services
    try:
        options = RunOptions(periods, replications, batch_size, warmup, seed)
        principal = acting_member(services, network, member)
        payload = report_json(traditional_vs_scm(services, principal, options, replay))
    except TandemError as error:
        fail(error)
    if as_json:
        typer.echo(json.dumps(payload, allow_nan=False))
        return
    _print_report(payload)


def _print_report(payload: dict[str, Any]) -> None:
    columns = payload["columns"]
    table = Table(title=f"Traditional vs SCM (adopted: {payload['adopted']})")
    table.add_column("figure")
    for c in columns:
        table.add_column(c["mode"], justify="right")
    for figure in NETWORK_FIGURES:
        table.add_row(figure, *(_cell(c["figures"][figure]) for c in columns))
    table.add_row("landed_cost", *(_cell(c["landed_cost"]) for c in columns))
    for stage in columns[0]["bullwhip"]:
        table.add_row(f"bullwhip {stage}", *(_cell(c["bullwhip"][stage]) for c in columns))
    for i, m in enumerate(columns[0]["members"]):
        name = m["member"]
        table.add_row(
            f"safety stock {name}", *(_cell(c["members"][i]["safety_stock"]) for c in columns)
        )
        table.add_row(
            f"inventory {name}", *(_cell(c["members"][i]["average_inventory"]) for c in columns)
        )
    console.print(table)
