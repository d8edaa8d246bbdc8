"""``tandem meio solve``: safety-stock placement in a guaranteed-service network.

The command reads a JSON network file, validates it into engine objects
(:mod:`tandem.services.meio_files`), solves it with the guaranteed-service engine
(:mod:`tandem.planning.meio.gsm`) and prints a Rich table, or with ``--json`` one JSON object
on stdout for scripts. Invalid files exit with code 1 and one line per problem on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from tandem.cli.main import app, console, fail
from tandem.domain.errors import ValidationFailed
from tandem.services.meio_files import MeioResult, SolveMethod, parse_network, solve_problem

meio_app = typer.Typer(
    help="Multi-echelon inventory: guaranteed-service safety-stock placement.",
    no_args_is_help=True,
)
app.add_typer(meio_app, name="meio")

# Typer keeps single line breaks inside later help paragraphs, so each paragraph is one string.
SOLVE_HELP = (
    "Place safety stock in a supply network under the guaranteed-service model (Simpson 1958; "
    "Graves & Willems 2000): choose integer service times that minimise the total holding cost "
    "of safety stock, sum of h_j z sigma_j sqrt(net lead time_j)."
    "\n\n"
    'NETWORK.json: {"service_level": 0.95 (or "z": 1.645), "holding_rate": 0.3 (optional), '
    '"stages": [{"id", "processing_time", "added_cost", "holding_cost", "demand_mean", '
    '"demand_std", "max_service_time", "external_inbound_service_time", and optionally '
    '"service_level" or "z"}], "arcs": [{"from": supplier id, "to": customer id, "quantity": 1}]}. '
    "Only id and processing_time are required on a stage; unknown keys are rejected. See "
    "docs/examples/meio/."
    "\n\n"
    "Definitions. z = the stage's own z or Phi^-1(service_level), else the network's; a demand "
    "stage (demand_mean > 0 or demand_std > 0) needs one, and a max_service_time (the service "
    "time quoted to its customers). Holding cost h_j = the stage's holding_cost, else "
    "holding_rate x cumulative cost, where cumulative cost = added_cost + sum over supplier arcs "
    "of quantity x the supplier's cumulative cost. sigma_j and mu_j pool the demand stages k "
    "served: mu_j = sum_k phi_jk mu_k, z sigma_j = sqrt(sum_k (phi_jk z_k sigma_k)^2), phi_jk the "
    "units of j per unit of k over all paths. Net lead time = inbound + processing - outbound "
    "service time; safety_stock = z sigma_j sqrt(net lead time); base_stock = mu_j x net lead "
    "time + safety_stock; a stage's holding_cost = h_j x safety_stock; total_cost = their sum."
    "\n\n"
    "Methods. auto: the tree DP on spanning trees, otherwise the heuristic then branch and bound; "
    "tree-dp: the Graves & Willems DP (spanning trees only); exact: the MIP on HiGHS, optimal "
    "when its gap closes within --time-limit; heuristic: fast, with a proven gap. optimal is "
    "true when the lower bound certifies the cost (gap <= 1e-6)."
    "\n\n"
    "JSON keys: total_cost, optimal, gap, method (the algorithm that produced the solution: "
    "tree_dp, mip, heuristic or branch_and_bound), seconds, stages (by id: "
    "inbound_service_time, outbound_service_time, net_lead_time, safety_stock, base_stock, "
    "holding_cost)."
)


@meio_app.command("solve", help=SOLVE_HELP)
def solve(
    network_file: Path = typer.Argument(
        ...,
        metavar="NETWORK.json",
        exists=True,
        dir_okay=False,
        readable=True,
        help="Network file (JSON).",
    ),
    method: SolveMethod = typer.Option(SolveMethod.AUTO, "--method", help="Algorithm (see above)."),
    time_limit: float = typer.Option(
        60.0, "--time-limit", min=0.1, help="Seconds for --method exact (HiGHS clock)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
) -> None:
    try:
        text = network_file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        fail(ValidationFailed(f"{network_file}: not UTF-8 text ({exc.reason})"))
    try:
        problem = parse_network(text)
        result = solve_problem(problem, method, time_limit=time_limit)
    except ValidationFailed as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(result.to_json(), allow_nan=False))
    else:
        _print_table(network_file.name, result)


def _print_table(title: str, result: MeioResult) -> None:
    table = Table(title=f"Guaranteed-service solution: {title}", title_justify="left")
    for column in ("stage", "SI", "S", "net lead time", "safety stock", "base stock"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    table.add_column("holding cost", justify="right")
    for name, s in result.stages.items():
        table.add_row(
            name,
            str(s.inbound_service_time),
            str(s.outbound_service_time),
            f"{s.net_lead_time:g}",
            f"{s.safety_stock:.4f}",
            f"{s.base_stock:.4f}",
            f"{s.holding_cost:.4f}",
        )
    console.print(table)
    status = "optimal" if result.optimal else f"not proven optimal, gap {result.gap:.2%}"
    console.print(
        f"total cost {result.total_cost:.6f} ({status}); method {result.method}; "
        f"{result.seconds:.3f} s",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )
