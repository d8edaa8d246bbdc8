"""``tandem twin bullwhip`` and ``tandem twin beer-game``: the classic supply chain experiments.

Both commands parse their options, call the pure simulation engine
(:mod:`tandem.planning.simulation`) once and print the result: a Rich table, or with ``--json``
one JSON object on stdout (``json.dumps``, no markup) for scripts. Invalid options exit with
code 2 and name the option.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from tandem.cli.main import app, console
from tandem.planning.simulation import (
    AnchorAndAdjust,
    BaseStock,
    BeerGame,
    BeerGameBoard,
    BeerGameResult,
    BullwhipResult,
    Echelon,
    MovingAverage,
    Policy,
    Sharing,
    run_bullwhip,
    sterman_demand,
)

twin_app = typer.Typer(help="Digital twin: classic supply chain experiments.", no_args_is_help=True)
app.add_typer(twin_app, name="twin")

ECHELON_NAMES = tuple(e.name.lower() for e in Echelon)
STERMAN = AnchorAndAdjust.sterman_mean_estimates()
BOARD = BeerGameBoard()
STEP_WEEK = 5
DEFAULT_LEAD_TIME = 2
SPARK = "▁▂▃▄▅▆▇█"

# Typer keeps single line breaks inside later help paragraphs, so each paragraph is one string.
BULLWHIP_HELP = (
    "Bullwhip in a serial chain: Var(orders)/Var(demand) per stage against Chen et al. (2000)."
    "\n\n"
    "Every stage orders up to its moving-average forecast of lead-time demand plus z error "
    "deviations; orders may be negative; customer demand is AR(1) with mean 100 and innovations "
    "of standard deviation 10. The Chen, Drezner, Ryan & Simchi-Levi (2000) bound of a stage is "
    "their single-stage formula 1 + (2L/p + 2L²/p²)(1 - rho^p), multiplied over the stages "
    "without sharing (a lower bound, exact at the retailer when z = 0) or taken at the "
    "cumulative lead time with shared demand (exact when z = 0)."
    "\n\n"
    "JSON keys: variance_ratio, bound, bound_kind, exact (the z = 0 ratio), multiplicative_bound, "
    "additive_bound, stage_names (lists retailer first), and the inputs."
)
BEER_GAME_HELP = (
    "The MIT beer distribution game on Sterman's (1989) board."
    "\n\n"
    "Retailer, wholesaler, distributor and factory; 2-week order and shipping delays, a 1-week "
    "production request and a 2-week production delay at the factory; holding 0.50 and backlog "
    "1.00 per case per week; demand 4 a week, 8 from week 5; 36 weeks; 12 cases on hand and 4 "
    "in every delay slot. Deterministic: there is no randomness, hence no seed."
    "\n\n"
    "JSON keys: total_cost; stage_costs, order_variance and orders (one value per week, week 1 "
    "first) as objects keyed retailer, wholesaler, distributor, factory; demand; policy; "
    "parameters; weeks."
)


class ForecastMethod(StrEnum):
    """Forecast every stage of the bullwhip chain uses (the engine runs moving averages)."""

    MOVING_AVERAGE = "moving-average"


class BeerPolicy(StrEnum):
    """Ordering rule of the four echelons."""

    STERMAN = "sterman"
    BASE_STOCK = "base-stock"


def _emit_json(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, allow_nan=False))


def _numbers(text: str, option: str) -> list[float]:
    """Comma-separated numbers; a malformed item is a usage error on ``option``."""
    try:
        return [float(item) for item in text.split(",")]
    except ValueError:
        raise typer.BadParameter(
            f"expected comma-separated numbers, got {text!r}", param_hint=f"'{option}'"
        ) from None


def _require_finite(value: float | None, option: str) -> None:
    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not a finite number", param_hint=f"'{option}'")


def _lead_times(text: str) -> list[int]:
    values = _numbers(text, "--lead-times")
    if any(not math.isfinite(v) or v != int(v) or v < 1 for v in values):
        raise typer.BadParameter(
            f"lead times must be whole numbers of periods, at least 1; got {text!r}",
            param_hint="'--lead-times'",
        )
    return [int(v) for v in values]


# ---------------------------------------------------------------------------------------------
# tandem twin bullwhip


@twin_app.command("bullwhip", help=BULLWHIP_HELP)
def bullwhip(
    stages: int | None = typer.Option(
        None,
        "--stages",
        min=1,
        help="Stages in series, retailer first (default: the number of --lead-times).",
    ),
    lead_times: str | None = typer.Option(
        None,
        "--lead-times",
        metavar="L1,L2,...",
        help="Lead time of each stage in periods (whole, >= 1), retailer first; one per stage "
        "(default: 2 for every stage).",
    ),
    forecast: ForecastMethod = typer.Option(
        ForecastMethod.MOVING_AVERAGE, "--forecast", help="Forecast used by every stage."
    ),
    window: int = typer.Option(4, "--window", min=1, help="Moving-average window p (periods)."),
    rho: float = typer.Option(
        0.0, "--rho", help="Lag-one autocorrelation of the AR(1) customer demand, |rho| < 1."
    ),
    sharing: Sharing = typer.Option(
        Sharing.NONE,
        "--sharing",
        help="none: each stage forecasts the orders it receives; demand: every stage forecasts "
        "customer demand and orders against its echelon position.",
    ),
    safety_z: float = typer.Option(
        0.0, "--safety-z", min=0.0, help="Safety factor z of the order-up-to level (0: exact)."
    ),
    periods: int = typer.Option(
        2_000, "--periods", help="Periods per replication, warm-up (stages x window) included."
    ),
    replications: int = typer.Option(
        1, "--replications", min=1, help="Independent runs pooled into each ratio."
    ),
    seed: int = typer.Option(
        0, "--seed", min=0, help="Random seed; the same seed gives the same run."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
) -> None:
    """Simulate the bullwhip experiment of Chen et al. (2000) and print the ratios."""
    if lead_times is None:
        count = 1 if stages is None else stages
        leads = [DEFAULT_LEAD_TIME] * count
    else:
        leads = _lead_times(lead_times)
        count = len(leads) if stages is None else stages
    if len(leads) != count:
        raise typer.BadParameter(
            f"--stages {count} needs {count} lead times, got {len(leads)} ({lead_times!r})",
            param_hint="'--lead-times'",
        )
    _require_finite(safety_z, "--safety-z")
    if not -1.0 < rho < 1.0:
        raise typer.BadParameter(
            f"{rho} is not strictly between -1 and 1 (stationary AR(1) demand)",
            param_hint="'--rho'",
        )
    warmup = count * window
    if periods < warmup + 2:
        raise typer.BadParameter(
            f"{periods} leaves too few measured periods: the first stages x window = {warmup} "
            f"are warm-up, so give at least {warmup + 2}",
            param_hint="'--periods'",
        )
    result = run_bullwhip(
        count,
        leads,
        MovingAverage(window),
        rho=rho,
        sharing=sharing,
        safety_z=safety_z,
        periods=periods,
        seed=seed,
        replications=replications,
        warmup=warmup,
    )
    if as_json:
        _emit_json(
            {
                "variance_ratio": list(result.variance_ratio),
                "bound": list(result.lower_bound),
                "bound_kind": _bound_kind(sharing),
                "exact": list(result.exact_ratio),
                "multiplicative_bound": list(result.traditional_bound),
                "additive_bound": list(result.shared_bound),
                "stage_names": [s.name for s in result.simulation.stages],
                "stages": count,
                "lead_times": leads,
                "forecast": forecast.value,
                "window": window,
                "rho": rho,
                "sharing": sharing.value,
                "safety_z": safety_z,
                "periods": periods,
                "warmup": warmup,
                "replications": replications,
                "seed": seed,
            }
        )
        return
    _print_bullwhip(result, leads, window, rho, sharing, safety_z, periods, replications, seed)


def _bound_kind(sharing: Sharing) -> str:
    return "additive" if sharing is Sharing.DEMAND else "multiplicative"


def _print_bullwhip(
    result: BullwhipResult,
    leads: Sequence[int],
    window: int,
    rho: float,
    sharing: Sharing,
    safety_z: float,
    periods: int,
    replications: int,
    seed: int,
) -> None:
    table = Table(
        title=f"Bullwhip: moving average p={window}, rho={rho:g}, z={safety_z:g}, "
        f"sharing {sharing.value}",
        title_justify="left",
    )
    table.add_column("stage")
    table.add_column("lead time", justify="right")
    table.add_column("Var(q)/Var(D)", justify="right")
    table.add_column("Chen bound", justify="right")
    table.add_column("exact, z=0", justify="right")
    for stage, lead, ratio, bound, exact in zip(
        result.simulation.stages,
        leads,
        result.variance_ratio,
        result.lower_bound,
        result.exact_ratio,
        strict=True,
    ):
        table.add_row(stage.name, str(lead), f"{ratio:.4f}", f"{bound:.4f}", f"{exact:.4f}")
    console.print(table)
    if sharing is Sharing.DEMAND:
        note = (
            "Chen bound (additive): the single-stage formula at the cumulative lead time, "
            "shared customer demand; equal to the exact ratio when z = 0."
        )
    else:
        note = (
            "Chen bound (multiplicative): the product of the single-stage formulas, no sharing; "
            "exact at the retailer when z = 0, a lower bound upstream."
        )
    console.print(note, soft_wrap=True, markup=False, highlight=False)
    console.print(
        f"Chen, Drezner, Ryan & Simchi-Levi (2000). {periods:,} periods x {replications:,} "
        f"replication(s), first {result.simulation.warmup} left out; seed {seed}.",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )


# ---------------------------------------------------------------------------------------------
# tandem twin beer-game


@twin_app.command("beer-game", help=BEER_GAME_HELP)
def beer_game(
    policy: BeerPolicy = typer.Option(
        BeerPolicy.STERMAN, "--policy", help="Ordering rule of all four echelons."
    ),
    theta: float | None = typer.Option(
        None,
        "--theta",
        min=0.0,
        max=1.0,
        help=f"sterman: weight of the latest order in expected demand (default {STERMAN.theta}).",
    ),
    alpha: float | None = typer.Option(
        None,
        "--alpha",
        min=0.0,
        max=1.0,
        help="sterman: share of the stock gap corrected each week, alpha_S "
        f"(default {STERMAN.alpha_s}).",
    ),
    beta: float | None = typer.Option(
        None,
        "--beta",
        min=0.0,
        max=1.0,
        help=f"sterman: weight of the supply line (default {STERMAN.beta}).",
    ),
    target: float | None = typer.Option(
        None,
        "--target",
        help=f"sterman: desired stock S' of every echelon (default {STERMAN.desired_stock:g}).",
    ),
    levels: str | None = typer.Option(
        None,
        "--levels",
        metavar="A,B,C,D",
        help="base-stock: levels of retailer, wholesaler, distributor, factory "
        "(default 28,28,28,24, the equilibrium levels).",
    ),
    weeks: int = typer.Option(BOARD.weeks, "--weeks", min=1, help="Weeks played."),
    demand_step: float = typer.Option(
        8.0,
        "--demand-step",
        min=0.0,
        help=f"Customer demand per week from week {STEP_WEEK} on (4 before).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
) -> None:
    """Play the beer game on Sterman's board and print costs and orders."""
    sterman_options = {"--theta": theta, "--alpha": alpha, "--beta": beta, "--target": target}
    for option, value in (*sterman_options.items(), ("--demand-step", demand_step)):
        _require_finite(value, option)
    policies: list[Policy]
    parameters: dict[str, Any]
    if policy is BeerPolicy.STERMAN:
        if levels is not None:
            raise typer.BadParameter("applies only to --policy base-stock", param_hint="'--levels'")
        rule = AnchorAndAdjust(
            theta=STERMAN.theta if theta is None else theta,
            alpha_s=STERMAN.alpha_s if alpha is None else alpha,
            beta=STERMAN.beta if beta is None else beta,
            desired_stock=STERMAN.desired_stock if target is None else target,
        )
        policies = [rule] * len(Echelon)
        parameters = {
            "theta": rule.theta,
            "alpha": rule.alpha_s,
            "beta": rule.beta,
            "target": rule.desired_stock,
        }
    else:
        given = [name for name, value in sterman_options.items() if value is not None]
        if given:
            raise typer.BadParameter("applies only to --policy sterman", param_hint=f"'{given[0]}'")
        chosen = (
            list(BOARD.equilibrium_base_stock()) if levels is None else _numbers(levels, "--levels")
        )
        if len(chosen) != len(Echelon) or not all(math.isfinite(v) for v in chosen):
            raise typer.BadParameter(
                f"give four levels, retailer first (e.g. 28,28,28,24); got {levels!r}",
                param_hint="'--levels'",
            )
        policies = [BaseStock(level) for level in chosen]
        parameters = {"levels": dict(zip(ECHELON_NAMES, chosen, strict=True))}
    board = BeerGameBoard(weeks=weeks)
    demand = sterman_demand(weeks, after=demand_step, change_week=STEP_WEEK)
    result = BeerGame(policies, demand=demand, board=board).run()
    if as_json:
        _emit_json(
            {
                "total_cost": result.total_cost,
                "stage_costs": dict(zip(ECHELON_NAMES, result.echelon_cost, strict=True)),
                "orders": {
                    name: [float(v) for v in result.orders[k]]
                    for k, name in enumerate(ECHELON_NAMES)
                },
                "order_variance": dict(zip(ECHELON_NAMES, result.order_variance, strict=True)),
                "demand": [float(v) for v in result.demand],
                "policy": policy.value,
                "parameters": parameters,
                "weeks": weeks,
            }
        )
        return
    _print_beer_game(result, policy, parameters)


def _sparkline(values: Sequence[float], top: float) -> str:
    if top <= 0:
        return SPARK[0] * len(values)
    last = len(SPARK) - 1
    return "".join(SPARK[min(last, round(v / top * last))] for v in values)


def _print_beer_game(
    result: BeerGameResult, policy: BeerPolicy, parameters: dict[str, Any]
) -> None:
    if policy is BeerPolicy.STERMAN:
        described = (
            f"theta={parameters['theta']:g}, alpha={parameters['alpha']:g}, "
            f"beta={parameters['beta']:g}, S'={parameters['target']:g}"
        )
    else:
        described = "levels " + ", ".join(f"{v:g}" for v in parameters["levels"].values())
    weeks = result.orders.shape[1]
    console.print(
        f"Beer game (Sterman 1989), {weeks} weeks, {policy.value}: {described}",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )
    table = Table(show_footer=True)
    table.add_column("echelon", footer="team")
    table.add_column("cost", justify="right", footer=f"{result.total_cost:,.2f}")
    table.add_column("peak order", justify="right")
    table.add_column("order variance", justify="right")
    for k, name in enumerate(ECHELON_NAMES):
        table.add_row(
            name,
            f"{result.echelon_cost[k]:,.2f}",
            f"{float(result.orders[k].max()):.2f}",
            f"{result.order_variance[k]:.2f}",
        )
    console.print(table)
    top = max(float(result.orders.max()), float(result.demand.max()))
    console.print(
        f"Customer demand and weekly orders, week 1 to {weeks} (full bar = {top:.2f} cases):",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )
    width = max(len(name) for name in ("demand", *ECHELON_NAMES))
    rows = [("demand", result.demand)] + [
        (name, result.orders[k]) for k, name in enumerate(ECHELON_NAMES)
    ]
    for name, series in rows:
        console.print(
            f"  {name:<{width}}  {_sparkline([float(v) for v in series], top)}",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )
    console.print(
        "Use --json for the weekly values.", soft_wrap=True, markup=False, highlight=False
    )


from tandem.cli import twin_platform as _platform  # noqa: E402,F401  (run, report)
