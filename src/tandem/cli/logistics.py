"""``tandem logistics plan | routes``: a shipper's loads for a window and a depot's routes.

Both act as a member (``--member`` code, default the network administrator's member) of a
network (``--network`` code, default the only one), store what they plan as planned loads and
print Rich tables (or one JSON object with ``--json``).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import typer
from rich.table import Table

from tandem.cli.main import app, console, container, fail
from tandem.domain.errors import TandemError
from tandem.services.logistics.planning import LoadPlanSummary, plan_loads
from tandem.services.logistics.routes import RoutePlan, RouteSettings, plan_routes, site_id_of
from tandem.services.planning.export import acting_member

logistics_app = typer.Typer(help="Load planning and delivery routes.", no_args_is_help=True)
app.add_typer(logistics_app, name="logistics")

MEMBER = typer.Option(None, "--member", help="Member code (default: the network admin's).")
NETWORK = typer.Option(None, "--network", help="Network code (default: the only network).")
JSON = typer.Option(False, "--json", help="Print one JSON object instead of tables.")
DAY = ["%Y-%m-%d"]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(x) for x in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def clock_time(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@logistics_app.command("plan")
def plan(
    member: str | None = MEMBER,
    network: str | None = NETWORK,
    from_day: datetime | None = typer.Option(None, "--from", formats=DAY, help="Default today."),
    to_day: datetime | None = typer.Option(None, "--to", formats=DAY, help="Default +6 days."),
    window_days: int = typer.Option(1, "--window-days", min=1, help="Consolidation window."),
    as_json: bool = JSON,
) -> None:
    """Consolidate open order lines and planned transfers into loads, choose each load's mode
    and store them as planned loads (re-planning the window replaces them)."""
    services = container().services
    first = from_day.date() if from_day else services.clock.now().date()
    last = to_day.date() if to_day else first + timedelta(days=6)
    try:
        principal = acting_member(services, network, member)
        summary = plan_loads(services, principal, first, last, window_days)
    except TandemError as error:
        fail(error)
    if as_json:
        console.print_json(json.dumps(_plain(summary)))
        return
    _print_plan(summary)


def _print_plan(summary: LoadPlanSummary) -> None:
    title = f"Loads {summary.from_day} – {summary.to_day}"
    columns = ("load", "lane", "mode", "vehicle", "leaves", "arrives", "kg", "m³", "weight")
    table = Table(*columns, "volume", "cost", title=title)
    for x in summary.loads:
        table.add_row(
            x.number, f"{x.origin} → {x.destination}", x.mode.value, x.vehicle or "tariff",
            x.departure.isoformat(), x.arrival.isoformat() + ("" if x.on_time else " late"),
            f"{x.weight_kg:,.0f}", f"{x.volume_m3:,.2f}", _percent(x.weight_utilisation),
            _percent(x.volume_utilisation), f"{x.cost:,.2f}",
        )  # fmt: skip
    console.print(table)
    for line in summary.unplanned:
        console.print(f"not planned: {line.key} ({line.quantity:g}): {line.reason}", soft_wrap=True)
    console.print(
        f"{len(summary.loads)} loads, cost {summary.total_cost:,.2f}; lower bound "
        f"{summary.lower_bound_loads} loads (gap {summary.gap_loads}); "
        f"{len(summary.split_line_keys)} lines split; {summary.replaced_loads} planned loads "
        "replaced",
        soft_wrap=True,
    )


@logistics_app.command("routes")
def routes(
    depot: str = typer.Option(..., "--depot", help="Depot site code."),
    day: datetime | None = typer.Option(None, "--day", formats=DAY, help="Default today."),
    time_limit: float = typer.Option(5.0, "--time-limit", min=0.1, max=300, help="Seconds."),
    member: str | None = MEMBER,
    network: str | None = NETWORK,
    as_json: bool = JSON,
) -> None:
    """Route the day's deliveries from a depot (OR-Tools, nearest neighbour alongside) and
    store one planned load per route."""
    services = container().services
    when = day.date() if day else services.clock.now().date()
    try:
        principal = acting_member(services, network, member)
        depot_id = site_id_of(services, principal, depot)
        found = plan_routes(services, principal, depot_id, when, RouteSettings(time_limit))
    except TandemError as error:
        fail(error)
    if as_json:
        console.print_json(json.dumps(_plain(found)))
        return
    _print_routes(found)


def _print_routes(found: RoutePlan) -> None:
    for route in found.routes:
        console.print(
            f"{route.vehicle} ({route.number}): {clock_time(route.start_minute)}–"
            f"{clock_time(route.end_minute)}, {route.distance_km:,.1f} km, "
            f"{route.load_kg:,.0f} kg, cost {route.cost:,.2f}",
            soft_wrap=True,
        )
        table = Table("#", "stop", "arrives", "service", "kg", "km")
        for k, s in enumerate(route.stops, start=1):
            table.add_row(
                str(k), s.code, clock_time(s.arrival_minute), clock_time(s.service_start_minute),
                f"{s.delivered_kg:,.0f}", f"{s.km_from_previous:,.1f}",
            )  # fmt: skip
        console.print(table)
    for stop in found.unrouted:
        console.print(f"not routed: {stop.code}: {stop.reason}", soft_wrap=True)
    console.print(
        f"{found.depot} {found.day}: {len(found.routes)} routes, {found.total_km:,.1f} km, "
        f"cost {found.total_cost:,.2f}; nearest neighbour {found.baseline_km:,.1f} km, "
        f"cost {found.baseline_cost:,.2f}",
        soft_wrap=True,
    )
