"""``tandem meio solve`` and ``tandem meio compare``: safety-stock placement in a
guaranteed-service network, and traditional against coordinated placement side by side.

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
from tandem.planning.meio.gsm import Policy
from tandem.services.meio_files import (
    MeioComparison,
    MeioProblem,
    MeioResult,
    SolveMethod,
    compare_problem,
    parse_network,
    solve_problem,
)

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


def _read_network(network_file: Path) -> MeioProblem:
    """Read and validate NETWORK.json; every problem is printed and the command exits 1."""
    try:
        return parse_network(network_file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        fail(ValidationFailed(f"{network_file}: not UTF-8 text ({exc.reason})"))
    except ValidationFailed as exc:
        fail(exc)


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
    problem = _read_network(network_file)
    try:
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


COMPARE_HELP = (
    "Traditional against coordinated safety-stock placement for the same end-customer service "
    "(the demand stages' z and max_service_time), costed like `tandem meio solve`: "
    "buffer_everywhere (every stage quotes outbound service time 0, a demand stage its customer "
    "service time min(max_service_time, SI + floor(T))), push_to_customer (every stage quotes "
    "the longest service time it can, min(max_service_time, SI + floor(T)), so the stock sits at "
    "the demand stages) and optimal (the guaranteed-service optimum, never dearer than either)."
    "\n\n"
    'NETWORK.json as for `tandem meio solve`; a stage may carry a "member" label (the '
    "company or site that owns it) to total costs per member; unlabelled stages then count "
    "under (unlabelled)."
    "\n\n"
    "JSON keys: optimal_proven, policies (buffer_everywhere, push_to_customer, optimal: each "
    "total_cost, safety_stock_value = sum of cumulative cost x safety_stock or null when a "
    "cumulative cost is unknown, holding_cost_per_unit = total_cost / end-customer demand_mean "
    "or null, stages by id: inbound_service_time, outbound_service_time, net_lead_time, "
    "safety_stock, holding_cost), changes (vs_buffer_everywhere, vs_push_to_customer: "
    "total_cost and stages, optimal minus the policy), members (only with labels: per member "
    "the holding cost under each policy and change_vs_buffer_everywhere, "
    "change_vs_push_to_customer)."
)

POLICY_LABELS = {
    Policy.BUFFER_EVERYWHERE: "buffer everywhere",
    Policy.PUSH_TO_CUSTOMER: "push to customer",
    Policy.OPTIMAL: "optimal",
}


@meio_app.command("compare", help=COMPARE_HELP)
def compare(
    network_file: Path = typer.Argument(
        ...,
        metavar="NETWORK.json",
        exists=True,
        dir_okay=False,
        readable=True,
        help="Network file (JSON).",
    ),
    method: SolveMethod = typer.Option(
        SolveMethod.AUTO, "--method", help="Algorithm for the optimum (see tandem meio solve)."
    ),
    time_limit: float = typer.Option(
        60.0, "--time-limit", min=0.1, help="Seconds for --method exact (HiGHS clock)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
) -> None:
    problem = _read_network(network_file)
    try:
        result = compare_problem(problem, method, time_limit=time_limit)
    except ValidationFailed as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(result.to_json(), allow_nan=False))
    else:
        _print_comparison(network_file.name, result)


def _print_comparison(title: str, result: MeioComparison) -> None:
    cmp = result.comparison
    a, b, c = cmp.results()
    table = Table(title=f"Safety-stock holding cost by stage: {title}", title_justify="left")
    table.add_column("stage")
    for policy in Policy:
        table.add_column(f"{POLICY_LABELS[policy]} (S)", justify="right")
    table.add_column("change vs buffer", justify="right")
    table.add_column("change vs push", justify="right")
    vs_a = cmp.stage_change(Policy.BUFFER_EVERYWHERE)
    vs_b = cmp.stage_change(Policy.PUSH_TO_CUSTOMER)
    for j, name in enumerate(c.stage_names):
        table.add_row(
            name,
            *(f"{r.holding_costs[j]:.4f} ({r.outbound_service_times[j]})" for r in (a, b, c)),
            f"{vs_a[name]:+.4f}",
            f"{vs_b[name]:+.4f}",
        )
    table.add_row(
        "total",
        *(f"{r.total_cost:.4f}" for r in (a, b, c)),
        f"{cmp.total_change(Policy.BUFFER_EVERYWHERE):+.4f}",
        f"{cmp.total_change(Policy.PUSH_TO_CUSTOMER):+.4f}",
    )
    console.print(table)
    members = result.members()
    if members:
        by_member = Table(title="Holding cost by member", title_justify="left")
        by_member.add_column("member")
        for policy in Policy:
            by_member.add_column(POLICY_LABELS[policy], justify="right")
        by_member.add_column("change vs buffer", justify="right")
        by_member.add_column("change vs push", justify="right")
        for member, costs in members.items():
            by_member.add_row(
                member,
                *(f"{costs[p]:.4f}" for p in Policy),
                f"{costs[Policy.OPTIMAL] - costs[Policy.BUFFER_EVERYWHERE]:+.4f}",
                f"{costs[Policy.OPTIMAL] - costs[Policy.PUSH_TO_CUSTOMER]:+.4f}",
            )
        console.print(by_member)
    status = "optimal" if cmp.optimal_proven else "optimum not proven"
    console.print(
        f"total cost: buffer everywhere {a.total_cost:.6f}, push to customer "
        f"{b.total_cost:.6f}, optimal {c.total_cost:.6f} ({status})",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )
