"""Fixtures shared by every layer of the suite.

PostgreSQL is never skipped: the ``postgres_url`` fixture uses TANDEM_TEST_DATABASE_URL (set by
``make test``) or creates a database on the server at 127.0.0.1:5432, and *fails* if neither works.
Each pytest-xdist worker gets its own database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tandem.adapters.database import create_engine
from tandem.adapters.memory import (
    FixedClock,
    InMemoryStore,
    PlainPasswordHasher,
    in_memory_uow_factory,
)
from tandem.adapters.tables import metadata
from tandem.services.context import ServiceContext

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def ctx(store: InMemoryStore, clock: FixedClock) -> ServiceContext:
    """A service context on the in-memory twins: the default for service tests."""
    return ServiceContext(in_memory_uow_factory(store), clock, PlainPasswordHasher())


def _server_url() -> sa.URL:
    configured = os.environ.get("TANDEM_TEST_DATABASE_URL")
    return sa.make_url(configured or DEFAULT_SERVER)


@pytest.fixture(scope="session")
def postgres_url(worker_id: str) -> Iterator[str]:
    """A fresh PostgreSQL database for this test worker, dropped at the end of the session."""
    base = _server_url()
    name = f"{base.database}_{worker_id}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:  # pragma: no cover - environment failure
        pytest.fail(f"PostgreSQL is required and could not be reached at {base}: {error}")
    url = base.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Every integration test runs on both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tandem.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty schema (created from the table metadata)."""
    engine = create_engine(database_url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)
    engine.dispose()
