"""Integration fixtures: a small committed network on the empty schema of ``engine``.

Every test here runs on SQLite and PostgreSQL through the root ``database_url``/``engine``
fixtures; PostgreSQL is never skipped (those fixtures fail when no server can be had).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tandem.adapters.database import create_engine
from tandem.adapters.migrations import upgrade
from tandem.adapters.tables import metadata
from tests.integration.network_seed import Seed, seed_network
from tests.integration.race_support import empty


@pytest.fixture
def seed(engine: Engine) -> Seed:
    return seed_network(engine)


@pytest.fixture
def observer(database_url: str) -> Iterator[Engine]:
    """A second, plain engine on the same database: sees only what was committed.

    Plain on purpose: the application's SQLite engine opens every transaction with
    ``BEGIN IMMEDIATE``, so a second application connection would wait for the writer.
    """
    engine = sa.create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    """The application's engine on this worker's PostgreSQL database, with an empty schema."""
    engine = create_engine(postgres_url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def migrated_engine(postgres_url: str) -> Iterator[Engine]:
    """The application's engine on this worker's PostgreSQL database, migrated to head by
    Alembic (the race tests)."""
    engine = create_engine(postgres_url)
    empty(engine)
    upgrade(engine)
    yield engine
    empty(engine)
    engine.dispose()
