"""``tandem ingest mqtt``: device telemetry from an MQTT broker into the database.

Also starts the same subscriber next to the web server: :func:`start_background_subscriber`
(``tandem serve`` with ``TANDEM_MQTT_URL``) and :func:`start_demo_telemetry` (``tandem demo``).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import typer

from tandem.adapters.mqtt import (
    DEFAULT_CLIENT_ID,
    DEFAULT_TOPIC_PREFIX,
    BrokerUnavailable,
    IngestionCounts,
    MqttPublisher,
    MqttSubscriber,
    broker_unavailable_reason,
)
from tandem.bootstrap import Container
from tandem.cli.main import app, console, container, errors
from tandem.domain.errors import TandemError
from tandem.domain.snapshot import NetworkSnapshot
from tandem.services import devices, identity
from tandem.services.context import PageRequest
from tandem.services.demo_catalogue import RETAILER
from tandem.services.devices import RegisterDevice
from tandem.services.telemetry_simulator import TelemetrySimulator, demo_machines

ingest_app = typer.Typer(help="Ingest demand signals from devices.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")

DEFAULT_MQTT_URL = "mqtt://127.0.0.1:1883"


def _log_to_stderr() -> None:
    """Rejections and connection trouble are logged; show them when nothing else does."""
    logger = logging.getLogger("tandem.ingest")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


@ingest_app.command("mqtt")
def ingest_mqtt(
    url: str | None = typer.Option(
        None, "--url", help=f"Broker URL (default TANDEM_MQTT_URL, else {DEFAULT_MQTT_URL})."
    ),
    client_id: str = typer.Option(
        DEFAULT_CLIENT_ID, help="MQTT client id; it names the persistent session at the broker."
    ),
    topic_prefix: str = typer.Option(
        DEFAULT_TOPIC_PREFIX, help="First topic level, before <network>/devices/<device>/..."
    ),
    every: float = typer.Option(10.0, min=0.1, help="Seconds between two lines of counts."),
) -> None:
    """Store what devices publish on tandem/<network>/devices/<device>/consumption until Ctrl-C.

    QoS 1 with a persistent session: messages published while this is stopped arrive when it
    starts again; each is acknowledged after it is stored, and a message sent twice counts once.
    """
    _log_to_stderr()
    c = container()
    broker = url or c.settings.mqtt_url or DEFAULT_MQTT_URL
    try:
        subscriber = MqttSubscriber(
            c.services, broker, client_id=client_id, topic_prefix=topic_prefix
        )
    except ValueError as error:
        errors.print(f"[bold red]error[/]: {error}", soft_wrap=True)
        raise typer.Exit(2) from None
    console.print(
        f"ingesting [bold]{subscriber.topic_filter}[/] from {broker} (Ctrl-C to stop)",
        soft_wrap=True,
    )

    def report(counts: IngestionCounts) -> None:
        console.print(counts.line(), soft_wrap=True, highlight=False)

    try:
        counts = subscriber.run_forever(report, every_s=every)
    except BrokerUnavailable as error:
        errors.print(f"[bold red]error[/]: {error}", soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(f"stopped after {counts.line()}", soft_wrap=True, highlight=False)


def start_background_subscriber(c: Container) -> MqttSubscriber | None:
    """With ``TANDEM_MQTT_URL`` set, ingest device telemetry in a thread of this process."""
    if not c.settings.mqtt_url:
        return None
    _log_to_stderr()
    subscriber = MqttSubscriber(c.services, c.settings.mqtt_url, client_id=SERVE_CLIENT_ID)
    subscriber.start(timeout=None)  # connects, and reconnects, in the background
    console.print(
        f"device telemetry: subscribing to {subscriber.topic_filter} at {c.settings.mqtt_url}",
        soft_wrap=True,
        highlight=False,
    )
    return subscriber


# ---------------------------------------------------------------- the demo's live telemetry

DEMO_SPEED = 60.0  # the demo machines brew 60 times as fast: about 2 messages a second
DEMO_CLIENT_ID = "tandem-demo-ingest"
SERVE_CLIENT_ID = "tandem-serve-ingest"
"""``tandem serve``'s own persistent session, so a ``tandem ingest mqtt`` beside it (client id
``tandem-ingest`` by default) does not take the broker session over, nor the other way round."""
KEY_FILE = Path("var") / "demo-device-keys.json"


@dataclass
class LiveTelemetry:
    """The demo's subscriber and the thread publishing its machines' cups."""

    subscriber: MqttSubscriber
    publisher: MqttPublisher
    thread: threading.Thread
    stopping: threading.Event

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()
        self.publisher.flush(timeout=5)
        self.publisher.close()
        self.subscriber.stop()


def start_demo_telemetry(c: Container, snapshot: NetworkSnapshot) -> LiveTelemetry | None:
    """Register the demo machines as devices and let them publish every cup they brew.

    The broker is ``TANDEM_MQTT_URL`` or ``mqtt://127.0.0.1:1883``. Prints one line saying
    whether live telemetry runs, and why not when it does not.
    """
    url = c.settings.mqtt_url or DEFAULT_MQTT_URL
    reason = broker_unavailable_reason(url)
    if reason is not None:
        console.print(
            f"live telemetry is off: {reason} (start Mosquitto or set TANDEM_MQTT_URL)",
            soft_wrap=True,
            highlight=False,
        )
        return None
    subscriber = MqttSubscriber(c.services, url, client_id=DEMO_CLIENT_ID)
    publisher = MqttPublisher(url)
    try:
        devices = _demo_devices(c, snapshot)
        subscriber.start(timeout=5)  # stops itself when it cannot subscribe
        publisher.connect(timeout=5)
    except (TandemError, BrokerUnavailable) as error:
        subscriber.stop()
        console.print(f"live telemetry is off: {error}", soft_wrap=True, highlight=False)
        return None
    machines = [m for m in demo_machines() if m.device_code in devices]
    simulator = TelemetrySimulator(
        machines, seed=time.time_ns(), speed=DEMO_SPEED, daily_curve=False
    )
    stopping = threading.Event()

    def publish() -> None:
        last = c.services.clock.now()
        while not stopping.wait(0.5):
            now = c.services.clock.now()
            for cup in simulator.between(last, now):
                code, key = devices[cup.device_code]
                publisher.publish(snapshot.code, code, key, cup.payload())
            last = now

    thread = threading.Thread(target=publish, name="demo-telemetry", daemon=True)
    thread.start()
    rate = simulator.messages_per_second(c.services.clock.now())
    console.print(
        f"live telemetry: {len(machines)} café machines publish every cup they brew to {url} "
        f"(about {rate:.1f} messages/s, {DEMO_SPEED:g}x a real day); the server stores them "
        "as demand",
        soft_wrap=True,
        highlight=False,
    )
    return LiveTelemetry(subscriber, publisher, thread, stopping)


def _demo_devices(c: Container, snapshot: NetworkSnapshot) -> dict[str, tuple[str, str]]:
    """Machine site code -> (device code, key), registering what is not registered yet.

    A device key is shown once, at registration, so the demo keeps its keys in
    ``var/demo-device-keys.json`` (per database and network). A registered machine whose key is
    not there (the file was removed) gets its device deactivated and a successor registered
    as ``<site code>.<n>``.
    """
    services = c.services
    user = next(u for u in snapshot.users if u.member == RETAILER)
    token = identity.login(services, user.email, user.password or "").token
    principal = identity.authenticate_token(services, token)
    store = json.loads(KEY_FILE.read_text()) if KEY_FILE.exists() else {}
    where = f"{c.engine.url.render_as_string(hide_password=True)} {snapshot.code}"
    known: dict[str, str] = store.get(where, {})
    with services.uow() as uow:
        sites = {s.code: s.id for s in uow.sites.find(network_id=principal.network_id)}
    existing = devices.list_devices(services, principal, PageRequest(0, 1000)).items
    active = {d.code: d for d in existing if d.active and d.member_id == principal.member_id}
    taken = {d.code for d in existing}
    chosen: dict[str, tuple[str, str]] = {}
    for machine in demo_machines():
        site_id = sites.get(machine.device_code)
        if site_id is None:
            continue
        mine = [d for d in active.values() if d.site_id == site_id]
        usable = [d for d in mine if d.code in known]
        if usable:
            chosen[machine.device_code] = (usable[0].code, known[usable[0].code])
            continue
        for device in mine:
            devices.deactivate_device(services, principal, device.id)
        code = machine.device_code
        suffix = 1
        while code in taken:
            suffix += 1
            code = f"{machine.device_code}.{suffix}"
        name = f"Smart coffee machine {machine.device_code}"
        issued = devices.register_device(services, principal, RegisterDevice(site_id, code, name))
        taken.add(code)
        known[code] = issued.api_key
        chosen[machine.device_code] = (code, issued.api_key)
    store[where] = known
    KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    KEY_FILE.write_text(json.dumps(store, indent=2, sort_keys=True))
    KEY_FILE.chmod(0o600)
    return chosen
