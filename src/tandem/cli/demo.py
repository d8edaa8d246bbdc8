"""``tandem demo``: load the sample coffee network into the database, generate months of flows
between its members through the services, and serve it."""

from __future__ import annotations

import time

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from tandem.cli.main import app, console, container, fail
from tandem.domain.errors import TandemError
from tandem.domain.snapshot import NetworkSnapshot
from tandem.services import transfer
from tandem.services.context import ServiceContext
from tandem.services.demo_calendars import seed_demo_calendars
from tandem.services.demo_flows import generate_demo_flows
from tandem.services.demo_logistics import seed_demo_logistics
from tandem.services.demo_network import build_demo_snapshot
from tandem.services.demo_production import seed_demo_production
from tandem.services.demo_showcase import seed_demo_showcase
from tandem.services.demo_sourcing import PLANNING_MEMBER, plan_demo, seed_demo_offers


@app.command()
def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve after loading."),
    reset: bool = typer.Option(False, "--reset", help="Drop and reload the demo network."),
    flows: bool = typer.Option(
        True,
        "--flows/--no-flows",
        help="After loading, generate months of orders, shipments, invoices and payments.",
    ),
    showcase: bool = typer.Option(
        True,
        "--showcase/--no-showcase",
        help="After the flows, share data between the members, forecast, propose a network "
        "inventory plan, record risks and save twin scenarios.",
    ),
    host: str | None = typer.Option(None, help="Interface to bind."),
    port: int | None = typer.Option(None, help="Port to serve on."),
) -> None:
    """Load the demo coffee supply chain (SQLite by default) with months of flows between its
    members, and serve it."""
    from tandem.adapters.migrations import downgrade, upgrade

    c = container()
    if reset:
        downgrade(c.engine, "base")
    upgrade(c.engine)
    started = time.perf_counter()
    snapshot = build_demo_snapshot()
    built = time.perf_counter() - started
    if transfer.network_exists(c.services, snapshot.code):
        console.print(
            f"demo network [bold]{snapshot.code}[/] already loaded (use --reset to reload)",
            soft_wrap=True,
        )
    else:
        try:
            summary = _load(c.services, snapshot)
        except TandemError as error:
            fail(error)
        console.print(
            f"loaded [bold]{snapshot.name}[/]: {summary.members} members, {summary.sites} sites, "
            f"{summary.items} items, {summary.bom_lines} BOM lines, {summary.lanes} lanes, "
            f"{summary.demand_points:,} days of demand history "
            f"(built in {built:.1f} s, loaded in {time.perf_counter() - started - built:.1f} s)",
            soft_wrap=True,
        )
        if flows:
            _generate_flows(c.services, snapshot.code)
            _plan(c.services, snapshot.code)
            if showcase:
                _showcase(c.services, snapshot.code)
            console.print(seed_demo_logistics(c.services, snapshot.code).line, soft_wrap=True)
    _print_logins(snapshot)
    bind_host = host or c.settings.host
    bind_port = port or c.settings.port
    console.print(
        f"\nopen [bold cyan]http://{bind_host}:{bind_port}/[/]  (API docs at /docs)", soft_wrap=True
    )
    if serve:
        import uvicorn

        from tandem.api.app import create_app
        from tandem.cli.ingest import start_demo_telemetry

        telemetry = start_demo_telemetry(c, snapshot)  # the café machines publish over MQTT
        try:
            uvicorn.run(create_app(c), host=bind_host, port=bind_port, log_level="info")
        finally:
            if telemetry is not None:
                telemetry.stop()


def _load(services: ServiceContext, snapshot: NetworkSnapshot) -> transfer.ImportSummary:
    with Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        return transfer.import_snapshot(services, snapshot, progress=report)


def _generate_flows(services: ServiceContext, network_code: str) -> None:
    """Months of flows between the members up to today, through the services."""
    started = time.perf_counter()
    try:
        with console.status("generating the flows between the members"):
            flows = generate_demo_flows(services, network_code, end=services.clock.now().date())
    except TandemError as error:
        fail(error)
    console.print(
        f"flows: {flows.purchase_orders} purchase orders, {flows.shipments} shipments, "
        f"{flows.invoices} invoices, {flows.payments} payments, "
        f"{flows.customer_orders} customer orders over {flows.days} days "
        f"({time.perf_counter() - started:.1f} s)",
        soft_wrap=True,
    )


def _plan(services: ServiceContext, network_code: str) -> None:
    """Supplier offers for every bought stocking point, then the roaster's first live plan."""
    started = time.perf_counter()
    try:
        offers = seed_demo_offers(services, network_code)
        seed_demo_production(services, network_code)  # lines and routings of the roaster
        seed_demo_calendars(services, network_code)  # Mon–Fri without Hamburg's holidays
        run = plan_demo(services, network_code, services.clock.now().date())
    except TandemError as error:
        fail(error)
    console.print(
        f"plan: {offers} supplier offers; {PLANNING_MEMBER} live run {run.id} "
        f"{run.status.value}: {run.message or run.error} ({time.perf_counter() - started:.1f} s)",
        soft_wrap=True,
    )


def _showcase(services: ServiceContext, network_code: str) -> None:
    """What the members share and do with it: one line per step."""
    try:
        with console.status("sharing, forecasting and proposing a network inventory plan"):
            steps = seed_demo_showcase(services, network_code)
    except TandemError as error:
        fail(error)
    for step in steps:
        console.print(f"{step.name}: {step.summary} ({step.seconds:.1f} s)", soft_wrap=True)


def _print_logins(snapshot: NetworkSnapshot) -> None:
    """One line per member, never wrapped, so a login can be copied whole."""
    members = {m.code: m for m in snapshot.members}
    rows = []
    for user in snapshot.users:
        member = members[user.member]
        roles = ",".join(sorted(r.value for r in member.roles))
        admin = " (network admin)" if user.is_network_admin else ""
        rows.append((f"{member.code} {roles}{admin}", user.email, user.password or ""))
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    console.print("\n[bold]Logins[/] (one per member)", soft_wrap=True)
    for who, email, password in rows:
        line = f"  {who:<{width[0]}}  {email:<{width[1]}}  {password}"
        console.print(line, soft_wrap=True, markup=False, highlight=False)
