"""``tandem twin ...``: the digital-twin experiments (to be completed)."""

from __future__ import annotations

import typer

from tandem.cli.main import app

twin_app = typer.Typer(help="Digital twin: classic supply chain experiments.", no_args_is_help=True)
app.add_typer(twin_app, name="twin")
