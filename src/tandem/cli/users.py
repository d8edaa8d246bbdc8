"""``tandem user add``."""

from __future__ import annotations

import typer

from tandem.cli.main import console, container, fail, user_app
from tandem.domain.errors import TandemError
from tandem.services import identity


@user_app.command("add")
def add(
    email: str = typer.Argument(..., help="Login e-mail."),
    member: str = typer.Option(..., "--member", help="Member code the user belongs to."),
    network: str = typer.Option(..., "--network", help="Network code."),
    name: str = typer.Option("", "--name", help="Display name."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
    ),
    admin: bool = typer.Option(False, "--admin", help="Network administrator."),
) -> None:
    """Add a person to a member of a network."""
    c = container()
    try:
        member_id = identity.member_id_by_code(c.services, network, member)
        user = identity.add_user(
            c.services,
            identity.AddUser(member_id, email, name or email, password, admin),
        )
    except TandemError as error:
        fail(error)
    console.print(f"added user [bold]{user.email}[/] (id {user.id}) to member {member}")
