"""HTTP API fixtures (every name starts with ``api_``): the real app over SQLite and PostgreSQL.

The schema is built by the Alembic migrations: once per session into a SQLite template that each
SQLite test copies, and once per PostgreSQL database, emptied between tests (faster than
migrating again). The network is the shared small coffee network plus bills of materials, one more
café item and demand history, so every category of member-owned data has rows of two members.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from tests.support import PASSWORD, small_snapshot

from tandem.adapters.database import create_engine
from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.migrations import current_revision, upgrade
from tandem.adapters.tables import metadata
from tandem.api.app import create_app
from tandem.bootstrap import Container, bootstrap
from tandem.config import Settings
from tandem.domain.snapshot import BomRow, DemandRow, ItemRow, ItemSiteRow, NetworkSnapshot
from tandem.services import identity, transfer

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; plain httpx still works.
    warnings.filterwarnings("ignore", "Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = ["PASSWORD", "ApiWorld", "TestClient"]

USERS = {"ROAST": "roaster@example.com", "CAFE": "cafe@example.com", "BEANS": "beans@example.com"}
DAY = date(2026, 11, 1)


def api_snapshot() -> NetworkSnapshot:
    """The small network; the café owns rows of every category at both of its sites."""
    base = small_snapshot()
    return replace(
        base,
        items=(*base.items, ItemRow("MOCHA", "CAFE", "Mocha", "cup", 4.0)),
        item_sites=(*base.item_sites, ItemSiteRow("MOCHA", "CAFE-1")),
        bom=(
            BomRow("BLEND", "GREEN", 1.2),
            BomRow("LATTE", "BLEND", 0.018, "CAFE-1"),
            BomRow("MOCHA", "BLEND", 0.02, "CAFE-2"),
        ),
        demand=(
            DemandRow("PLANT", "BLEND", DAY, 5.0),
            DemandRow("CAFE-1", "LATTE", DAY, 40.0),
            DemandRow("CAFE-1", "LATTE", date(2026, 11, 2), 42.0),
            DemandRow("CAFE-2", "LATTE", DAY, 30.0),
            DemandRow("CAFE-1", "MOCHA", DAY, 12.0),
        ),
    )


@dataclass(frozen=True)
class ApiWorld:
    """A running app with the network loaded, and signed-in members by code."""

    client: TestClient
    container: Container
    clock: FixedClock
    members: dict[str, int]
    sites: dict[str, int]
    items: dict[str, int]
    tokens: dict[str, str]

    def auth(self, who: str | None) -> dict[str, str]:
        return {} if who is None else {"Authorization": f"Bearer {self.tokens[who]}"}

    def get(self, who: str | None, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params, headers=self.auth(who))

    def post(self, who: str | None, path: str, body: Any = None, **headers: str) -> httpx.Response:
        return self.client.post(path, json=body, headers={**self.auth(who), **headers})

    def put(self, who: str | None, path: str, body: Any, **headers: str) -> httpx.Response:
        return self.client.put(path, json=body, headers={**self.auth(who), **headers})

    def delete(self, who: str | None, path: str) -> httpx.Response:
        return self.client.delete(path, headers=self.auth(who))

    def rows(self, who: str, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every row of a list endpoint (one page of up to 1000)."""
        response = self.get(who, path, limit=1000, **params)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["items"]
        return rows


_MIGRATED: set[str] = set()


def _postgres_at_head(engine: Engine) -> bool:
    """True when this session migrated the database and no other test dropped tables since."""
    if engine.url.render_as_string() not in _MIGRATED or current_revision(engine) is None:
        return False
    return set(metadata.tables) <= set(sa.inspect(engine).get_table_names())


def _fresh_postgres(engine: Engine) -> None:
    if _postgres_at_head(engine):
        with engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())
        return
    metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(engine)
    _MIGRATED.add(engine.url.render_as_string())


@pytest.fixture(scope="session")
def api_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database migrated to head, copied by every SQLite test."""
    path = tmp_path_factory.mktemp("api-template") / "tandem.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _without_waiting_for_disk(engine: Engine) -> None:
    """Commits return before the disk confirms them: same semantics, no fsync per commit."""
    sqlite = engine.dialect.name == "sqlite"

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=NORMAL" if sqlite else "SET synchronous_commit TO off")
        cursor.close()
        if not sqlite:
            dbapi_connection.commit()


@pytest.fixture
def api_engine(database_url: str, api_sqlite_template: Path) -> Iterator[Engine]:
    url = sa.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        shutil.copyfile(api_sqlite_template, url.database)
    engine = create_engine(database_url)
    _without_waiting_for_disk(engine)
    if url.get_backend_name() != "sqlite":
        _fresh_postgres(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def api_clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def api_container(api_engine: Engine, api_clock: FixedClock) -> Container:
    settings = Settings(database_url=api_engine.url.render_as_string(hide_password=False))
    return bootstrap(settings, engine=api_engine, clock=api_clock, passwords=PlainPasswordHasher())


@pytest.fixture(scope="session")
def api_app() -> Iterator[tuple[FastAPI, TestClient]]:
    """One app and client for the session; each test points it at its own container.

    Building an app's routes costs about as much as a whole test. The API looks its container up
    on ``app.state`` per request, so after the swap a test talks to exactly the app that
    ``create_app`` makes for its own data.
    """
    idle = bootstrap(
        Settings(database_url="sqlite://"), clock=FixedClock(), passwords=PlainPasswordHasher()
    )
    app = create_app(idle)
    with TestClient(app) as client:
        yield app, client
    idle.engine.dispose()


@pytest.fixture
def api_world(
    api_app: tuple[FastAPI, TestClient], api_container: Container, api_clock: FixedClock
) -> Iterator[ApiWorld]:
    """The app over a loaded network, members signed in (``api_world.get("CAFE", path)``)."""
    services = api_container.services
    network_id = transfer.import_snapshot(services, api_snapshot()).network_id
    with services.uow() as uow:
        members = {m.code: m.id for m in uow.members.find(network_id=network_id)}
        sites = {s.code: s.id for s in uow.sites.find(network_id=network_id)}
        items = {i.sku: i.id for i in uow.items.find(network_id=network_id)}
    tokens = {
        code: identity.login(services, email, PASSWORD).token for code, email in USERS.items()
    }
    app, client = api_app
    idle = app.state.container
    app.state.container = api_container
    yield ApiWorld(client, api_container, api_clock, members, sites, items, tokens)
    app.state.container = idle


@pytest.fixture
def api_lenient_client(api_world: ApiWorld) -> Iterator[TestClient]:
    """A client of another app on the same data that answers 500 instead of raising."""
    with TestClient(create_app(api_world.container), raise_server_exceptions=False) as client:
        yield client
