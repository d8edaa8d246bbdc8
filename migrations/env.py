"""Alembic environment: runs on the connection handed over by tandem.adapters.migrations, or on
TANDEM_DATABASE_URL when called from the alembic command line."""

from __future__ import annotations

from alembic import context

from tandem.adapters.database import create_engine
from tandem.adapters.tables import metadata
from tandem.config import Settings

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(Settings().database_url)
    with engine.connect() as connection:
        _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: run against a database")
run_migrations_online()
