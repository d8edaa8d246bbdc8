"""Device telemetry through a real Mosquitto broker into the database (SQLite and PostgreSQL).

The broker is the one at 127.0.0.1:1883 when it answers (or TANDEM_TEST_MQTT_URL); otherwise a
private ``mosquitto`` started for the session on a free port, installed with apt when missing.
If no broker can be had the tests fail, never skip. Each test uses its own topic prefix and
client ids, so parallel workers and a running demo never see each other's messages.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from queue import Queue
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from tandem.adapters.memory import FixedClock, PlainPasswordHasher
from tandem.adapters.mqtt import IngestionCounts, MqttPublisher, MqttSubscriber, discard_session
from tandem.adapters.signal_tables import signal_record
from tandem.bootstrap import Container, bootstrap
from tandem.config import Settings
from tandem.domain.network import SiteKind
from tandem.domain.signals import DeviceKind
from tandem.domain.snapshot import BomRow, ItemRow, ItemSiteRow, SiteRow
from tandem.services import identity, transfer
from tandem.services.context import ServiceContext
from tandem.services.devices import RegisterDevice, register_device
from tandem.services.ingestion import IngestResult, ingest_device_message
from tests.support import PASSWORD, small_snapshot

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))
SETTLE_S = 30.0


# ---------------------------------------------------------------- the broker


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _mosquitto_binary() -> str:
    found = shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto") if os.path.exists(p)),
        None,
    )
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "mosquitto"]):
        subprocess.run([*sudo, *command], check=False, capture_output=True, timeout=600)
    found = shutil.which("mosquitto") or (
        "/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None
    )
    if not found:
        pytest.fail("MQTT tests need Mosquitto: none answers on 127.0.0.1:1883 and apt failed")
    return found


@pytest.fixture(scope="session")
def mqtt_url() -> Iterator[str]:
    configured = os.environ.get("TANDEM_TEST_MQTT_URL")
    if configured:
        yield configured
        return
    if _answers("127.0.0.1", 1883):
        yield "mqtt://127.0.0.1:1883"
        return
    port = _free_port()
    broker = subprocess.Popen(
        [_mosquitto_binary(), "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while not _answers("127.0.0.1", port):
        if broker.poll() is not None or time.monotonic() > deadline:
            broker.kill()
            pytest.fail(f"a private mosquitto on port {port} did not start")
        time.sleep(0.05)
    yield f"mqtt://127.0.0.1:{port}"
    broker.terminate()
    broker.wait(timeout=10)


# ---------------------------------------------------------------- the world


@dataclass(frozen=True)
class Telemetry:
    container: Container
    engine: Engine
    url: str
    prefix: str
    client_id: str
    device_code: str
    key: str

    def subscriber(self) -> MqttSubscriber:
        return MqttSubscriber(
            self.container.services,
            self.url,
            client_id=self.client_id,
            topic_prefix=self.prefix,
            batch_window_s=0.05,
        )

    def publisher(self) -> MqttPublisher:
        publisher = MqttPublisher(self.url, topic_prefix=self.prefix)
        publisher.connect()
        return publisher

    def stored(self) -> list[tuple[str, float, datetime]]:
        query = sa.select(
            signal_record.c.message_id, signal_record.c.quantity, signal_record.c.occurred_at
        ).order_by(signal_record.c.message_id)
        with self.engine.connect() as connection:
            return [(row[0], row[1], row[2]) for row in connection.execute(query)]

    def demand(self) -> dict[tuple[str, date], float]:
        """Daily demand at the machine by item SKU."""
        with self.container.services.uow() as uow:
            site = uow.sites.find(code=self.device_code)[0]
            skus = {i.id: i.sku for i in uow.items.find()}
            points = uow.demand.find(site_id=site.id)
        return {(skus[p.item_id], p.day): p.quantity for p in points}


def cup(message_id: str, minutes_ago: int = 1, quantity: float = 1, **extra: Any) -> dict[str, Any]:
    """A latte brewed ``minutes_ago`` before NOW, stamped in the café's local time (+01:00)."""
    at = (NOW - timedelta(minutes=minutes_ago)).astimezone(CET)
    return {
        "message_id": message_id,
        "recipe": "LATTE",
        "quantity": quantity,
        "at": at.isoformat(),
        **extra,
    }


@pytest.fixture
def telemetry(engine: Engine, mqtt_url: str) -> Iterator[Telemetry]:
    """The small coffee network with one smart machine at the café, registered as a device."""
    base = small_snapshot()
    snapshot = replace(
        base,
        sites=(
            *base.sites,
            SiteRow("CAFE-1-M1", "CAFE", "Cafe one machine", SiteKind.DEVICE, 52.36, 4.88),
        ),
        items=(*base.items, ItemRow("CUP", "CAFE", "Paper cup", "pcs", 0.1)),
        item_sites=(*base.item_sites, ItemSiteRow("LATTE", "CAFE-1-M1")),
        bom=(BomRow("LATTE", "BLEND", 0.018), BomRow("LATTE", "CUP", 1.0)),
    )
    container = bootstrap(
        Settings(database_url=engine.url.render_as_string(hide_password=False)),
        engine=engine,
        clock=FixedClock(NOW),
        passwords=PlainPasswordHasher(),
    )
    services = container.services
    transfer.import_snapshot(services, snapshot)
    cafe = identity.authenticate_token(
        services, identity.login(services, "cafe@example.com", PASSWORD).token
    )
    with services.uow() as uow:
        site = uow.sites.find(code="CAFE-1-M1")[0]
    registered = register_device(
        services,
        cafe,
        RegisterDevice(site.id, "CAFE-1-M1", "Machine one", DeviceKind.COFFEE_MACHINE),
    )
    prefix = f"tandem-test-{uuid.uuid4().hex[:10]}"
    client_id = f"{prefix}-ingest"
    yield Telemetry(container, engine, mqtt_url, prefix, client_id, "CAFE-1-M1", registered.api_key)
    discard_session(mqtt_url, client_id)


# ---------------------------------------------------------------- through the broker


def test_every_published_message_is_stored_once_and_counted_as_demand(
    telemetry: Telemetry,
) -> None:
    # Even messages on the 21st at 09:30 local time, odd ones late on the 20th (22:20 local);
    # every third is a double.
    messages = [
        cup(f"m-{n:03d}", 30 if n % 2 == 0 else 700, 2 if n % 3 == 0 else 1) for n in range(240)
    ]
    subscriber = telemetry.subscriber()
    subscriber.start()
    publisher = telemetry.publisher()
    try:
        for message in messages:
            publisher.publish("coffee", telemetry.device_code, telemetry.key, message)
        assert publisher.flush()
        assert subscriber.wait_settled(240, SETTLE_S)
    finally:
        publisher.close()
        subscriber.stop()

    assert subscriber.counts == IngestionCounts(messages=240, accepted=240)
    stored = telemetry.stored()
    assert [row[0] for row in stored] == [f"m-{n:03d}" for n in range(240)]
    assert sum(row[1] for row in stored) == 320
    lattes = {date(2026, 11, 21): 160.0, date(2026, 11, 20): 160.0}
    assert telemetry.demand() == pytest.approx(
        {
            **{("LATTE", day): q for day, q in lattes.items()},
            **{("CUP", day): q for day, q in lattes.items()},
            **{("BLEND", day): q * 0.018 for day, q in lattes.items()},
        }
    )


def test_a_message_published_again_is_not_counted_twice(telemetry: Telemetry) -> None:
    subscriber = telemetry.subscriber()
    subscriber.start()
    publisher = telemetry.publisher()
    try:
        for n in range(50):
            publisher.publish("coffee", telemetry.device_code, telemetry.key, cup(f"d-{n}"))
        assert subscriber.wait_settled(50, SETTLE_S)
        for n in range(60):  # the same 50 again, and 10 new ones
            publisher.publish("coffee", telemetry.device_code, telemetry.key, cup(f"d-{n}"))
        assert subscriber.wait_settled(110, SETTLE_S)
    finally:
        publisher.close()
        subscriber.stop()

    assert subscriber.counts == IngestionCounts(messages=110, accepted=60, duplicates=50)
    assert len(telemetry.stored()) == 60
    assert telemetry.demand()[("LATTE", date(2026, 11, 21))] == 60.0


def test_bad_messages_are_rejected_with_their_reason_and_the_good_ones_still_stored(
    telemetry: Telemetry, caplog: pytest.LogCaptureFixture
) -> None:
    topic = f"{telemetry.prefix}/coffee/devices/{telemetry.device_code}/consumption"
    subscriber = telemetry.subscriber()
    subscriber.start()
    publisher = telemetry.publisher()
    try:
        with caplog.at_level(logging.WARNING, logger="tandem.ingest.mqtt"):
            publisher.publish_raw(topic, b'{"message_id": "x-1", "quantity": ')
            publisher.publish_raw(topic, b"[1, 2]")
            publisher.publish_raw(topic, json.dumps(cup("x-2")).encode())  # no key
            publisher.publish("coffee", "NO-SUCH-MACHINE", telemetry.key, cup("x-3"))
            publisher.publish("coffee", telemetry.device_code, "tdm_0123_wrong", cup("x-4"))
            publisher.publish(
                "coffee", telemetry.device_code, telemetry.key, cup("x-5", quantity=-3)
            )
            for n in range(5):
                publisher.publish("coffee", telemetry.device_code, telemetry.key, cup(f"g-{n}"))
            assert subscriber.wait_settled(11, SETTLE_S)
    finally:
        publisher.close()
        subscriber.stop()

    assert subscriber.counts == IngestionCounts(messages=11, accepted=5, rejected=3, malformed=3)
    assert [row[0] for row in telemetry.stored()] == ["g-0", "g-1", "g-2", "g-3", "g-4"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "payload is not JSON (Expecting value: line 1 column 35 (char 34))" in logged
    assert "payload is a JSON list, not an object" in logged
    assert 'payload has no device key ("key")' in logged
    assert "device NO-SUCH-MACHINE: 1 records rejected: record 0 device: unknown device" in logged
    assert "authentication_failed: invalid API key" in logged
    assert "quantity: must not be negative (got -3)" in logged


def test_messages_published_while_the_subscriber_is_down_arrive_when_it_restarts(
    telemetry: Telemetry,
) -> None:
    first = telemetry.subscriber()
    first.start()  # the broker now holds a session with the subscription
    first.stop()
    publisher = telemetry.publisher()
    try:
        for n in range(30):
            publisher.publish("coffee", telemetry.device_code, telemetry.key, cup(f"late-{n:02d}"))
        assert publisher.flush()
    finally:
        publisher.close()
    assert telemetry.stored() == []

    second = telemetry.subscriber()
    second.start()
    try:
        assert second.wait_settled(30, SETTLE_S)
    finally:
        second.stop()

    assert second.counts == IngestionCounts(messages=30, accepted=30)
    assert [row[0] for row in telemetry.stored()] == [f"late-{n:02d}" for n in range(30)]


def test_a_lost_database_connection_is_retried_and_nothing_is_lost(telemetry: Telemetry) -> None:
    batches: list[list[str]] = []

    def flaky(
        services: ServiceContext, device: str, key: str, payload: Mapping[str, Any]
    ) -> IngestResult:
        batches.append([record["message_id"] for record in payload["records"]])
        if len(batches) == 1:
            raise OperationalError("INSERT", {}, Exception("server closed the connection"))
        return ingest_device_message(services, device, key, payload)

    subscriber = MqttSubscriber(
        telemetry.container.services,
        telemetry.url,
        ingest=flaky,
        client_id=telemetry.client_id,
        topic_prefix=telemetry.prefix,
    )
    subscriber.start()
    publisher = telemetry.publisher()
    try:
        for n in range(10):
            publisher.publish("coffee", telemetry.device_code, telemetry.key, cup(f"r-{n}"))
        assert subscriber.wait_settled(10, SETTLE_S)
    finally:
        publisher.close()
        subscriber.stop()

    assert batches[1] == batches[0]  # the failed batch, again
    assert subscriber.counts == IngestionCounts(messages=10, accepted=10)
    assert [row[0] for row in telemetry.stored()] == [f"r-{n}" for n in range(10)]


def test_tandem_ingest_mqtt_stores_what_arrives_and_stops_cleanly_on_sigint(
    telemetry: Telemetry,
) -> None:
    env = {
        **os.environ,
        "TANDEM_DATABASE_URL": telemetry.engine.url.render_as_string(hide_password=False),
        "TANDEM_MQTT_URL": telemetry.url,
    }
    command = [str(Path(sys.executable).with_name("tandem")), "ingest", "mqtt", "--every", "0.2"]
    options = ["--client-id", telemetry.client_id, "--topic-prefix", telemetry.prefix]
    log: Queue[str] = Queue()
    printed: Queue[str] = Queue()
    with subprocess.Popen(
        [*command, *options], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        readers = [
            threading.Thread(target=lambda: [log.put(line) for line in process.stderr or ()]),
            threading.Thread(target=lambda: [printed.put(line) for line in process.stdout or ()]),
        ]
        for reader in readers:
            reader.start()
        try:
            while "subscribed to" not in log.get(timeout=60):
                pass
            publisher = telemetry.publisher()
            for message in (cup("c-1"), cup("c-2", quantity=2), cup("c-3", quantity=-1)):
                publisher.publish("coffee", telemetry.device_code, telemetry.key, message)
            assert publisher.flush()
            publisher.close()
            while not printed.get(timeout=SETTLE_S).startswith("3 messages:"):  # every 0.2 s
                pass
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
            for reader in readers:
                reader.join()

    lines = [printed.get_nowait() for _ in range(printed.qsize())]
    assert process.returncode == 0
    assert lines[-1].rstrip() == (
        "stopped after 3 messages: 2 records stored, 0 duplicates, 1 rejected, 0 malformed, "
        "0 failed"
    )
    assert [(row[0], row[1]) for row in telemetry.stored()] == [("c-1", 1.0), ("c-2", 2.0)]
