"""Sustained device messages per second into the database, through MQTT and through HTTP.

The data: the demo network (one day of history) with its 17 café machines registered as
devices, on a fresh SQLite file and on a fresh PostgreSQL database (``TANDEM_BENCH_POSTGRES``).
The messages: cups from the demo telemetry simulator, one cup per message with a fresh UUID as
message id, spread over the machines and the past day; ``TANDEM_BENCH_MESSAGES`` per run.

- **MQTT → database**: the ingestion subscriber (``tandem ingest mqtt``: batches of up to 2,000
  messages or 200 ms, one transaction per machine per batch, acknowledged after the commit) in
  this process; a second process publishes every message with QoS 1 as fast as the broker takes
  them. Rate: messages / (first publish → last message committed).
- **HTTP → database**: ``tandem serve --workers 2``; two client threads post the same kind of
  messages in batches of ``TANDEM_BENCH_HTTP_BATCH`` records to ``POST /api/v1/signals``, each
  batch with its machine's key; each machine posts its batches in turn (the clients share the
  machines, as senders that each wait for their previous answer).

References measured in the same run, on the same machine:

- **broker echo (C clients)**: ``mosquitto_pub -l`` → Mosquitto → ``mosquitto_sub``, QoS 1,
  the same payloads: what the broker itself sustains;
- **broker echo (subscriber, no database)**: the same publisher and subscriber as the MQTT
  path, with an ingest function that stores nothing: the transport's own ceiling;
- **raw INSERT**: the same rows inserted with ``executemany`` into a bare table shaped like
  ``signal_record`` in batches of 500, one transaction each: the database's own ceiling.

Every path asserts count in = count stored (or received). Rates are medians of
``TANDEM_BENCH_REPEATS`` runs.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bench.bench_order_intake import _free_port
from tandem.adapters.database import create_engine
from tandem.adapters.memory import InMemoryStore, PlainPasswordHasher, in_memory_uow_factory
from tandem.adapters.migrations import upgrade
from tandem.adapters.mqtt import (
    MqttPublisher,
    MqttSubscriber,
    broker_unavailable_reason,
    discard_session,
    parse_broker_url,
)
from tandem.adapters.signal_tables import signal_record
from tandem.bootstrap import SystemClock, bootstrap
from tandem.config import Settings
from tandem.services import devices, identity, transfer
from tandem.services.context import PageRequest, ServiceContext
from tandem.services.demo_catalogue import RETAILER
from tandem.services.demo_network import build_demo_snapshot
from tandem.services.devices import RegisterDevice
from tandem.services.ingestion import IngestResult
from tandem.services.telemetry_simulator import CupBrewed, TelemetrySimulator, demo_machines

CONFIGURED_BROKER = os.environ.get("TANDEM_BENCH_MQTT_URL")  # else a private, tuned Mosquitto
SERVER = os.environ.get(
    "TANDEM_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
MESSAGES = int(os.environ.get("TANDEM_BENCH_MESSAGES", "10000"))
REPEATS = int(os.environ.get("TANDEM_BENCH_REPEATS", "3"))
HTTP_BATCH = int(os.environ.get("TANDEM_BENCH_HTTP_BATCH", "500"))
INSERT_BATCH = 500
SETTLE_S = 600.0

Keys = dict[str, str]  # machine (device code) -> its ingest key
Messages = list[tuple[str, str]]  # (device code, JSON body with its key)


@dataclass(frozen=True)
class Measured:
    path: str
    backend: str
    rates: list[float]

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)


# ---------------------------------------------------------------- the data


def _cups(seed: int, count: int) -> list[CupBrewed]:
    """``count`` cups of the past day, in time order (the simulator, sped up to give them)."""
    now = SystemClock().now()
    simulator = TelemetrySimulator(seed=seed, speed=1.3 * count / 2865)
    cups = simulator.between(now - timedelta(days=1), now - timedelta(minutes=1))
    assert len(cups) >= count, "the simulator gave too few cups"
    return cups[:count]


def _prepare(url: str) -> tuple[ServiceContext, sa.Engine, Keys]:
    """The demo network on an empty database, its machines registered as devices."""
    engine = create_engine(url)
    upgrade(engine)
    services = bootstrap(Settings(database_url=url), engine=engine).services
    snapshot = build_demo_snapshot(days=1)
    transfer.import_snapshot(services, snapshot)
    user = next(u for u in snapshot.users if u.member == RETAILER)
    token = identity.login(services, user.email, user.password or "").token
    principal = identity.authenticate_token(services, token)
    with services.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=principal.network_id)}
    keys: Keys = {}
    for machine in demo_machines():
        command = RegisterDevice(sites[machine.device_code], machine.device_code, "bench")
        keys[machine.device_code] = devices.register_device(services, principal, command).api_key
    assert devices.list_devices(services, principal, PageRequest()).total == len(keys)
    return services, engine, keys


def _stored(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(sa.select(sa.func.count()).select_from(signal_record)) or 0)


# ---------------------------------------------------------------- MQTT


def _publish_all(url: str, prefix: str, messages: Messages, ready: Any, go: Any) -> None:
    """In a process of its own: connect, wait for the signal, publish every message (QoS 1)."""
    publisher = MqttPublisher(url, topic_prefix=prefix)
    publisher.connect()
    ready.set()
    go.wait()
    for device, body in messages:
        publisher.publish_raw(f"{prefix}/ELBE-COFFEE/devices/{device}/consumption", body.encode())
    assert publisher.flush(SETTLE_S)
    publisher.close()


def _bodies(cups: Sequence[CupBrewed], keys: Keys) -> Messages:
    return [(c.device_code, json.dumps({**c.payload(), "key": keys[c.device_code]})) for c in cups]


def _through_mqtt(
    broker: str,
    services: ServiceContext,
    messages: Messages,
    ingest: Callable[[ServiceContext, str, str, Mapping[str, Any]], IngestResult] | None = None,
) -> float:
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    client_id = f"{prefix}-ingest"
    subscriber = MqttSubscriber(
        services, broker, ingest=ingest, client_id=client_id, topic_prefix=prefix
    )
    subscriber.start()
    spawn = multiprocessing.get_context("spawn")
    ready, go = spawn.Event(), spawn.Event()
    process = spawn.Process(target=_publish_all, args=(broker, prefix, messages, ready, go))
    process.start()
    try:
        assert ready.wait(60), "the publisher did not connect"
        started = time.perf_counter()
        go.set()
        assert subscriber.wait_settled(len(messages), SETTLE_S), subscriber.counts
        took = time.perf_counter() - started
    finally:
        process.join(60)
        subscriber.stop()
        discard_session(broker, client_id)
    counts = subscriber.counts
    assert counts.messages == counts.accepted == len(messages), counts
    return len(messages) / took


def _store_nothing(
    _services: ServiceContext, _device: str, _key: str, payload: Mapping[str, Any]
) -> IngestResult:
    received = len(payload["records"])
    return IngestResult(received, received, 0, 0)


def _c_clients_echo(broker: str, messages: Messages) -> float | None:
    """``mosquitto_pub -l`` → broker → ``mosquitto_sub -C N``, both QoS 1."""
    pub, sub = shutil.which("mosquitto_pub"), shutil.which("mosquitto_sub")
    if pub is None or sub is None:
        return None
    address = parse_broker_url(broker)
    where = ["-h", address.host, "-p", str(address.port), "-q", "1"]
    topic = f"bench-{uuid.uuid4().hex[:8]}/echo"
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as lines:
        lines.writelines(body + "\n" for _, body in messages)
    count = str(len(messages))
    receiver = subprocess.Popen([sub, *where, "-t", topic, "-C", count], stdout=subprocess.DEVNULL)
    time.sleep(0.5)  # subscribed
    started = time.perf_counter()
    with open(lines.name, "rb") as source:
        subprocess.run([pub, *where, "-t", topic, "-l"], stdin=source, check=True)
    receiver.wait(SETTLE_S)
    took = time.perf_counter() - started
    Path(lines.name).unlink()
    assert receiver.returncode == 0, "mosquitto_sub did not receive every message"
    return len(messages) / took


# ---------------------------------------------------------------- HTTP


def _through_http(url: str, engine: sa.Engine, cups: Sequence[CupBrewed], keys: Keys) -> float:
    by_device: dict[str, list[dict[str, Any]]] = {}
    for cup in cups:
        by_device.setdefault(cup.device_code, []).append(cup.payload())
    # Each machine is one sender posting its batches in turn; the two clients share the machines.
    shares: list[list[tuple[str, list[dict[str, Any]]]]] = [[], []]
    for index, (device, records) in enumerate(sorted(by_device.items())):
        for start in range(0, len(records), HTTP_BATCH):
            shares[index % 2].append((device, records[start : start + HTTP_BATCH]))
    port = _free_port()
    env = {**os.environ, "TANDEM_DATABASE_URL": url}
    env.pop("TANDEM_MQTT_URL", None)
    tandem = str(Path(sys.executable).with_name("tandem"))
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, after the server stopped)
    server = subprocess.Popen(
        [tandem, "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    before = _stored(engine)
    try:
        _wait_for(base)
        failures: list[str] = []

        def client(share: list[tuple[str, list[dict[str, Any]]]]) -> None:
            with httpx.Client(base_url=base, timeout=120) as http:
                for device, records in share:
                    reply = http.post(
                        "/api/v1/signals",
                        json={"records": records},
                        headers={"X-API-Key": keys[device]},
                    )
                    if reply.status_code >= 300 or reply.json()["accepted"] != len(records):
                        failures.append(reply.text[:300])

        threads = [threading.Thread(target=client, args=(share,)) for share in shares]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        errors = log.read().decode(errors="replace")
        log.close()
    assert not failures, f"{failures[:3]}\nserver log (end):\n{errors[-4000:]}"
    assert _stored(engine) - before == len(cups)
    return len(cups) / took


def _wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/openapi.json").raise_for_status()
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


# ---------------------------------------------------------------- raw INSERT


def _raw_insert(url: str, cups: Sequence[CupBrewed]) -> float:
    engine = sa.create_engine(url)
    table = sa.Table(
        f"bench_raw_{uuid.uuid4().hex[:8]}",
        sa.MetaData(),
        *(sa.Column(c.name, c.type, primary_key=c.primary_key) for c in signal_record.columns),
        sa.UniqueConstraint("sender", "message_id"),
    )
    table.create(engine)
    now = SystemClock().now()
    rows = [
        {
            "network_id": 1,
            "owner_member_id": 1,
            "source": "mqtt",
            "sender": f"device:{cup.device_code}",
            "message_id": cup.message_id,
            "site_id": 1,
            "item_id": 1,
            "quantity": float(cup.quantity),
            "occurred_at": cup.at,
            "day": cup.at.date(),
            "received_at": now,
            "device_id": 1,
        }
        for cup in cups
    ]
    try:
        started = time.perf_counter()
        for start in range(0, len(rows), INSERT_BATCH):
            with engine.begin() as connection:
                connection.execute(table.insert(), rows[start : start + INSERT_BATCH])
        took = time.perf_counter() - started
        with engine.connect() as connection:
            assert connection.scalar(sa.select(sa.func.count()).select_from(table)) == len(rows)
    finally:
        table.drop(engine)
        engine.dispose()
    return len(rows) / took


# ---------------------------------------------------------------- the run


def _backends(folder: Path) -> list[tuple[str, str, Callable[[], None]]]:
    backends: list[tuple[str, str, Callable[[], None]]] = [
        ("SQLite", f"sqlite:///{folder / 'bench.db'}", lambda: None)
    ]
    name = f"tandem_bench_ingest_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(sa.make_url(SERVER), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL left out: {SERVER} does not answer ({error.orig})")
        return backends

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    url = sa.make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    backends.append(("PostgreSQL", url, drop))
    return backends


BROKER_CONFIG = """\
listener {port} 127.0.0.1
allow_anonymous true
persistence false
# Mosquitto drops QoS 1 messages beyond max_queued_messages per client (default 1,000), online
# clients included: one subscriber ingesting every device must have no such limit.
max_queued_messages 0
max_inflight_messages 0
"""


def _private_broker(folder: Path) -> tuple[str, subprocess.Popen[bytes] | None]:
    """A Mosquitto of this run's own, configured for ingestion, when one is installed."""
    mosquitto = shutil.which("mosquitto") or shutil.which("/usr/sbin/mosquitto")
    if CONFIGURED_BROKER or mosquitto is None:
        url = CONFIGURED_BROKER or "mqtt://127.0.0.1:1883"
        print(f"broker: {url}, with its own configuration")
        return url, None
    port = _free_port()
    config = folder / "mosquitto.conf"
    config.write_text(BROKER_CONFIG.format(port=port))
    process = subprocess.Popen([mosquitto, "-c", str(config)], stderr=subprocess.DEVNULL)
    url = f"mqtt://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while broker_unavailable_reason(url) is not None:
        assert time.monotonic() < deadline and process.poll() is None, "mosquitto did not start"
        time.sleep(0.05)
    print(f"broker: a private Mosquitto at {url} (max_queued_messages 0)")
    return url, process


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        broker, process = _private_broker(Path(folder))
        try:
            _print(_measure_all(broker, Path(folder)))
        finally:
            if process is not None:
                process.terminate()
                process.wait(10)


def _measure_all(broker: str, folder: Path) -> list[Measured]:
    runs = [_cups(seed, MESSAGES) for seed in range(REPEATS)]
    anyone = {machine.device_code: "key" for machine in demo_machines()}
    nowhere = ServiceContext(
        in_memory_uow_factory(InMemoryStore()), SystemClock(), PlainPasswordHasher()
    )
    results: list[Measured] = []
    echo = [_c_clients_echo(broker, _bodies(cups, anyone)) for cups in runs]
    if all(rate is not None for rate in echo):
        results.append(Measured("broker echo (C clients)", "-", [r for r in echo if r]))
    empty = [_through_mqtt(broker, nowhere, _bodies(cups, anyone), _store_nothing) for cups in runs]
    results.append(Measured("broker echo (subscriber, no database)", "-", empty))
    for backend, url, cleanup in _backends(folder):
        try:
            results += _measure(broker, backend, url, runs)
        finally:
            cleanup()
    return results


def _measure(broker: str, backend: str, url: str, runs: list[list[CupBrewed]]) -> list[Measured]:
    services, engine, keys = _prepare(url)
    raw = [_raw_insert(url, cups) for cups in runs]
    mqtt, http = [], []
    for run in range(len(runs)):  # fresh message ids for each path: nothing is a duplicate
        before = _stored(engine)
        mqtt.append(_through_mqtt(broker, services, _bodies(_cups(100 + run, MESSAGES), keys)))
        assert _stored(engine) - before == MESSAGES
        http.append(_through_http(url, engine, _cups(200 + run, MESSAGES), keys))
    engine.dispose()
    return [
        Measured("raw INSERT (executemany, 500 a batch)", backend, raw),
        Measured("MQTT -> database", backend, mqtt),
        Measured(f"HTTP -> database ({HTTP_BATCH} a request)", backend, http),
    ]


def _print(results: list[Measured]) -> None:
    """One row per path; ratios against the broker's own echo and the bare INSERT."""
    print(
        f"{MESSAGES:,} messages a run, median of {REPEATS} runs; count in = count stored "
        "asserted for every run"
    )
    broker = next(r.rate for r in results if r.path.startswith("broker echo"))
    header = ("path", "backend", "msg/s", "vs broker", "vs INSERT")
    print(f"{header[0]:<42}{header[1]:>11}{header[2]:>10}{header[3]:>11}{header[4]:>11}")
    for result in results:
        raw = next(
            (r.rate for r in results if r.backend == result.backend and r.path.startswith("raw")),
            None,
        )
        reference = result.path.startswith(("raw", "broker echo (C"))
        mqtt = result.path.startswith(("MQTT", "broker"))
        vs_broker = f"{result.rate / broker:.0%}" if mqtt and not reference else ""
        vs_raw = f"{result.rate / raw:.1%}" if raw is not None and not reference else ""
        print(
            f"{result.path:<42}{result.backend:>11}{result.rate:>10,.0f}{vs_broker:>11}{vs_raw:>11}"
        )
