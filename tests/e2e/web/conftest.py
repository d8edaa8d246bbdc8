"""Fixtures of the web UI tests: a live server on a SQLite file and a real Chromium.

One uvicorn server per test session (per xdist worker) serves the application of
:func:`tandem.api.app.create_app` (the API with the web UI mounted). Each test imports its own
small coffee network (codes and e-mails tagged per test), so tests never see each other's grants
or audit entries.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import BrowserContext, Page
from sqlalchemy.engine import Engine
from tests.e2e.web.web_support import (
    CHROMIUM_ARGS,
    PASSWORD,
    SECRET_KEY,
    LiveServer,
    WebNetwork,
    http_sign_in,
    sign_in,
    web_snapshot,
)

from tandem.adapters import migrations
from tandem.adapters.database import create_engine
from tandem.adapters.memory import PlainPasswordHasher
from tandem.api.app import create_app
from tandem.bootstrap import Container, bootstrap
from tandem.config import Settings
from tandem.services import identity, network, transfer
from tandem.services.context import PageRequest


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@pytest.fixture(scope="session")
def web_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("web") / "tandem.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def web_container(web_engine: Engine) -> Container:
    settings = Settings(
        mode="development",
        database_url=str(web_engine.url),
        secret_key=SECRET_KEY,
        cookie_secure=False,
        session_hours=2,
    )
    return bootstrap(settings, engine=web_engine, passwords=PlainPasswordHasher())


@pytest.fixture(scope="session")
def web_app(web_container: Container) -> FastAPI:
    """The application as deployed: the API factory, which mounts the web UI last."""
    return create_app(web_container)


@pytest.fixture(scope="session")
def live_server(web_app: FastAPI, web_container: Container) -> Iterator[LiveServer]:
    """The app served by uvicorn on 127.0.0.1 in a background thread."""
    sock = _free_socket()
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        web_app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        loop="asyncio",
        http="h11",
        ws="none",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", web_container)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _import_network(container: Container) -> WebNetwork:
    tag = uuid.uuid4().hex[:10]
    ctx = container.services
    transfer.import_snapshot(ctx, web_snapshot(tag))
    roaster = f"roaster-{tag}@example.com"
    principal = identity.authenticate_token(ctx, identity.login(ctx, roaster, PASSWORD).token)
    snapshot = network.network_map(ctx, principal)
    items = network.list_items(ctx, principal, PageRequest(0, 100)).items
    return WebNetwork(
        roaster,
        f"cafe-{tag}@example.com",
        f"beans-{tag}@example.com",
        {s.code: s.id for s in snapshot.sites},
        {i.sku: i.id for i in items},
        {m.code: m.id for m in snapshot.members},
    )


@pytest.fixture
def web_network(web_container: Container) -> WebNetwork:
    """A fresh network of this test's own (see :func:`web_support.web_snapshot`)."""
    return _import_network(web_container)


@pytest.fixture
def other_network(web_container: Container) -> WebNetwork:
    """A second, unrelated network in the same database."""
    return _import_network(web_container)


# ---------------------------------------------------------------- Playwright


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 860}}


@pytest.fixture
def signed_in(new_context: Callable[..., BrowserContext]) -> Callable[[str], Page]:
    """``signed_in(email)`` → a page in a fresh browser context, signed in as ``email``."""

    def open_as(email: str) -> Page:
        page = new_context().new_page()
        sign_in(page, email)
        return page

    return open_as


# ---------------------------------------------------------------- plain HTTP


@pytest.fixture
def http(live_server: LiveServer) -> Iterator[Callable[[str | None], httpx.Client]]:
    """``http(email)`` → an HTTP client of the live server, signed in as ``email`` (or not,
    for ``None``); redirects are not followed so tests can see them."""
    clients: list[httpx.Client] = []

    def open_as(email: str | None) -> httpx.Client:
        client = httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10)
        clients.append(client)
        if email is not None:
            assert http_sign_in(client, email).status_code == 303
        return client

    yield open_as
    for client in clients:
        client.close()
