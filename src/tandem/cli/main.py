"""``tandem``: database, server, demo, users, import/export."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console

from tandem.bootstrap import Container, bootstrap
from tandem.config import Settings
from tandem.domain.errors import TandemError

app = typer.Typer(
    name="tandem",
    help="Tandem: one shared platform for every member of a supply chain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="People who log in.", no_args_is_help=True)
import_app = typer.Typer(help="Import data from files.", no_args_is_help=True)
export_app = typer.Typer(help="Export data to files.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

console = Console()
errors = Console(stderr=True)


def container() -> Container:
    """Settings are read here, at command time, never at import."""
    return bootstrap(Settings())


def fail(error: TandemError) -> NoReturn:
    errors.print(f"[bold red]error[/] ({error.code}): {error.detail}", soft_wrap=True)
    for violation in error.violations[:50]:
        errors.print(f"  - {violation}", soft_wrap=True, markup=False)
    if len(error.violations) > 50:
        errors.print(f"  ... and {len(error.violations) - 50} more", soft_wrap=True)
    sys.exit(1)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Bring the database schema up to date (Alembic)."""
    from tandem.adapters.migrations import current_revision, upgrade

    c = container()
    upgrade(c.engine, revision)
    console.print(f"database at revision [bold]{current_revision(c.engine)}[/]")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Take the schema back to an earlier revision."""
    from tandem.adapters.migrations import current_revision, downgrade

    c = container()
    downgrade(c.engine, revision)
    console.print(f"database at revision [bold]{current_revision(c.engine)}[/]")


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Interface to bind (default from settings)."),
    port: int | None = typer.Option(None, help="Port (default from settings)."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes (each builds its own app from TANDEM_* settings)."
    ),
) -> None:
    """Serve the HTTP API (/api/v1, /docs) and the web UI; with TANDEM_MQTT_URL set, also
    ingest device telemetry from that broker (one subscriber, in this process)."""
    import uvicorn

    from tandem.api.app import create_app
    from tandem.cli.ingest import start_background_subscriber

    c = container()
    bind_host, bind_port = host or c.settings.host, port or c.settings.port
    subscriber = start_background_subscriber(c)  # here, not in each worker process
    try:
        if workers > 1:
            uvicorn.run(
                "tandem.api.asgi:build",
                factory=True,
                workers=workers,
                host=bind_host,
                port=bind_port,
                log_level="warning",
            )
            return
        uvicorn.run(create_app(c), host=bind_host, port=bind_port, log_level="info")
    finally:
        if subscriber is not None:
            subscriber.stop()


from tandem.cli import demo as _demo  # noqa: E402,F401  (registers `tandem demo`)
from tandem.cli import forecast as _forecast  # noqa: E402,F401  (registers `tandem forecast ...`)
from tandem.cli import ingest as _ingest  # noqa: E402,F401  (registers `tandem ingest ...`)
from tandem.cli import inventory as _inventory  # noqa: E402,F401  (`tandem inventory ...`)
from tandem.cli import logistics as _logistics  # noqa: E402,F401  (`tandem logistics ...`)
from tandem.cli import meio as _meio  # noqa: E402,F401  (registers `tandem meio ...`)
from tandem.cli import plan as _plan  # noqa: E402,F401  (registers `tandem plan ...`)
from tandem.cli import transfer as _transfer  # noqa: E402,F401  (registers import/export)
from tandem.cli import twin as _twin  # noqa: E402,F401  (registers `tandem twin ...`)
from tandem.cli import users as _users  # noqa: E402,F401  (registers `tandem user ...`)
