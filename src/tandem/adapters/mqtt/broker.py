"""The broker: its address, topics, and paho clients speaking MQTT 5."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

DEFAULT_TOPIC_PREFIX = "tandem"
DEFAULT_CLIENT_ID = "tandem-ingest"
SESSION_EXPIRY_S = 7 * 24 * 3600  # the broker keeps the session and its messages a week
RECEIVE_MAXIMUM = 4000  # unacknowledged QoS 1 messages the broker may have in flight to us
QOS = 1


class BrokerUnavailable(ConnectionError):
    """No MQTT broker answered at the configured address."""


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool = False
    username: str | None = None
    password: str | None = None


def parse_broker_url(url: str) -> BrokerAddress:
    """``mqtt://[user:password@]host[:port]`` (1883) or ``mqtts://`` (TLS, 8883)."""
    parts = urlsplit(url)
    schemes = {"mqtt": False, "tcp": False, "mqtts": True, "ssl": True}
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"not an MQTT broker URL (mqtt://host:port or mqtts://...): {url!r}")
    tls = schemes[parts.scheme]
    return BrokerAddress(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def consumption_topic(
    network_code: str, device_code: str, prefix: str = DEFAULT_TOPIC_PREFIX
) -> str:
    return f"{prefix}/{network_code}/devices/{device_code}/consumption"


def load_status_topic(network_code: str, load_id: str, prefix: str = DEFAULT_TOPIC_PREFIX) -> str:
    """Where a carrier reports the status of one load (``+`` wildcards for the subscriber)."""
    return f"{prefix}/{network_code}/loads/{load_id}/status"


def broker_unavailable_reason(url: str, timeout: float = 1.0) -> str | None:
    """None when a broker accepts connections at ``url``, else why not (for one status line)."""
    try:
        address = parse_broker_url(url)
    except ValueError as error:
        return str(error)
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout):
            return None
    except OSError as error:
        return f"no broker answers at {address.host}:{address.port} ({error.strerror or error})"


def new_client(address: BrokerAddress, client_id: str, *, manual_ack: bool = False) -> paho.Client:
    client = paho.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=MQTTProtocolVersion.MQTTv5,
        manual_ack=manual_ack,
    )
    if address.username is not None:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set()
    client.reconnect_delay_set(1, 30)
    return client


def connect_properties(expiry_s: int, receive_maximum: int | None = None) -> Properties:
    properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    properties.SessionExpiryInterval = expiry_s
    if receive_maximum is not None:
        properties.ReceiveMaximum = receive_maximum
    return properties


def discard_session(url: str, client_id: str, timeout: float = 5.0) -> None:
    """End a persistent session and drop the messages the broker still holds for it."""
    client = new_client(parse_broker_url(url), client_id)
    done = threading.Event()
    client.on_connect = lambda *_: done.set()
    address = parse_broker_url(url)
    client.connect(address.host, address.port, clean_start=True, properties=connect_properties(0))
    client.loop_start()
    try:
        if not done.wait(timeout):
            raise BrokerUnavailable(f"no answer from the broker at {url} within {timeout} s")
    finally:
        client.disconnect()
        client.loop_stop()
