"""Order intake through the HTTP API on PostgreSQL, next to pgbench's simple-insert TPS.

The server is `tandem serve --workers 2` (uvicorn, two processes) on a fresh PostgreSQL
database holding the demo network. For 1, 2 and 8 concurrent clients (TANDEM_BENCH_CLIENTS),
each client thread keeps one HTTP connection open and posts purchase orders (two lines, a fresh
Idempotency-Key each) as fast as the server answers, for SECONDS after a warm-up. Each request
is a whole write: authentication, claiming the idempotency key, the order with its lines and
first history event in one transaction, and storing the response for replays. The clients run
on the same 2-core machine as the server and PostgreSQL, as pgbench does.

Reference, measured in the same run on the same server: pgbench with the same number of clients
running a one-row INSERT into pgbench_history per transaction (the "simple insert").
The target of the issue: at least 30 % of pgbench's TPS and p99 below 50 ms.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from tandem.adapters.database import create_engine
from tandem.adapters.migrations import upgrade
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.services import transfer
from tandem.services.demo_network import build_demo_snapshot, demo_password

SERVER = os.environ.get(
    "TANDEM_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
CLIENTS = tuple(int(c) for c in os.environ.get("TANDEM_BENCH_CLIENTS", "1,2,8").split(","))
WARM_UP = 3.0
SECONDS = float(os.environ.get("TANDEM_BENCH_SECONDS", "15"))
BUYER, SELLER = "NORDLOG", "ELBE"


@dataclass(frozen=True)
class Intake:
    orders: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.orders / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _create_database(name: str) -> str:
    base = sa.make_url(SERVER)
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_database(name: str) -> None:
    admin = sa.create_engine(sa.make_url(SERVER), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _load_demo(url: str) -> None:
    engine = create_engine(url)
    upgrade(engine)
    # The normal import: users get real Argon2 hashes of the demo passwords.
    transfer.import_snapshot(bootstrap(Settings(), engine=engine).services, build_demo_snapshot())
    engine.dispose()


def _start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TANDEM_DATABASE_URL": url}
    tandem = str(Path(sys.executable).with_name("tandem"))
    command = [tandem, "serve", "--workers", "2", "--port", str(port)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _login(base: str, email: str, password: str) -> str:
    deadline = time.monotonic() + 60
    while True:
        try:
            reply = httpx.post(
                f"{base}/api/v1/auth/login", json={"email": email, "password": password}
            )
            reply.raise_for_status()
            return str(reply.json()["token"])
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _ids(base: str, token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers) as client:
        members = {
            m["code"]: m["id"] for m in client.get("/api/v1/members?limit=100").json()["items"]
        }
        sites = client.get("/api/v1/sites?limit=1000").json()["items"]
        items = client.get("/api/v1/items?limit=1000").json()["items"]
    ship_to = next(s["id"] for s in sites if s["member_id"] == members[BUYER])
    seller_items = [i["id"] for i in items if i["member_id"] == members[SELLER]][:2]
    return {"seller": members[SELLER], "ship_to": ship_to, "items": seller_items}


def _order_body(ids: dict[str, Any], n: int) -> dict[str, Any]:
    return {
        "seller_member_id": ids["seller"],
        "ship_to_site_id": ids["ship_to"],
        "buyer_reference": f"bench-{n}",
        "lines": [
            {
                "item_id": item,
                "quantity": "12.000",
                "unit_price_minor": 1250,
                "requested_date": date(2026, 12, 1).isoformat(),
            }
            for item in ids["items"]
        ],
    }


def _client(
    base: str, token: str, ids: dict[str, Any], start: float, stop: float, out: list[Any]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    orders = errors = 0
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        n = 0
        while (now := time.perf_counter()) < stop:
            n += 1
            began = time.perf_counter()
            reply = client.post(
                "/api/v1/purchase-orders",
                json=_order_body(ids, n),
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
            took = (time.perf_counter() - began) * 1000
            if now < start:
                continue
            if reply.status_code == 201:
                orders += 1
                latencies.append(took)
            else:
                errors += 1
    out.append((orders, errors, latencies))


def _intake(base: str, token: str, ids: dict[str, Any], clients: int) -> Intake:
    results: list[Any] = []
    begin = time.perf_counter()
    start, stop = begin + WARM_UP, begin + WARM_UP + SECONDS
    threads = [
        threading.Thread(target=_client, args=(base, token, ids, start, stop, results))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = [lat for _, _, lats in results for lat in lats]
    return Intake(sum(r[0] for r in results), sum(r[1] for r in results), SECONDS, latencies)


def _pgbench(name: str, clients: int) -> float:
    url = sa.make_url(SERVER)
    args = [
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
    ]
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise SystemExit("pgbench is not installed (Debian: postgresql-contrib / postgresql-15)")
    subprocess.run([pgbench, *args, "-i", "-q", "-s", "1", name], check=True, capture_output=True)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(
            "\\set aid random(1, 100000)\n"
            "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) "
            "VALUES (1, 1, :aid, 1, CURRENT_TIMESTAMP);\n"
        )
    run = subprocess.run(
        [
            pgbench,
            *args,
            "-n",
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(int(SECONDS)),
            "-f",
            script.name,
            name,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    Path(script.name).unlink()
    found = re.search(r"tps = ([0-9.]+)", run.stdout)
    assert found is not None, run.stdout
    return float(found.group(1))


def _measure(url: str, pg_db: str, clients: int) -> tuple[Intake, float]:
    server = _start_server(url, port := _free_port())
    try:
        base = f"http://127.0.0.1:{port}"
        token = _login(base, f"planner@{BUYER.lower()}.example", demo_password(BUYER))
        intake = _intake(base, token, _ids(base, token), clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return intake, _pgbench(pg_db, clients)


def main() -> None:
    suffix = uuid.uuid4().hex[:6]
    app_db, pg_db = f"tandem_bench_{suffix}", f"pgbench_{suffix}"
    url = _create_database(app_db)
    _create_database(pg_db)
    try:
        _load_demo(url)
        results = [(clients, *_measure(url, pg_db, clients)) for clients in CLIENTS]
    finally:
        _drop_database(app_db)
        _drop_database(pg_db)
    print(f"{SECONDS:.0f} s measured after {WARM_UP:.0f} s warm-up; server: 2 uvicorn workers")
    header = ("clients", "pgbench TPS", "orders/s", "ratio", "p50 ms", "p99 ms", "failed")
    print("".join(f"{h:>12}" for h in header))
    for clients, intake, tps in results:
        print(
            f"{clients:>12}{tps:>12.1f}{intake.per_second:>12.1f}{intake.per_second / tps:>11.1%} "
            f"{intake.percentile(0.50):>11.1f}{intake.percentile(0.99):>12.1f}{intake.errors:>12d}"
        )
    print("targets: ratio >= 30 % of pgbench, p99 < 50 ms")
