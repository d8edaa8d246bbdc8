"""Publishing device messages (the demo simulator, benchmarks, tests)."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from tandem.adapters.mqtt.broker import (
    DEFAULT_TOPIC_PREFIX,
    QOS,
    BrokerUnavailable,
    consumption_topic,
    new_client,
    parse_broker_url,
)


class MqttPublisher:
    """Publishes device messages with QoS 1 (the demo simulator, benchmarks, tests)."""

    def __init__(
        self,
        url: str,
        *,
        client_id: str | None = None,
        topic_prefix: str = DEFAULT_TOPIC_PREFIX,
        max_inflight: int = 1000,
    ) -> None:
        self.url = url
        self._prefix = topic_prefix
        self._address = parse_broker_url(url)
        self._client = new_client(self._address, client_id or f"tandem-pub-{uuid.uuid4().hex[:12]}")
        self._client.max_inflight_messages_set(max_inflight)
        self._connected = threading.Event()
        self._lock = threading.Condition()
        self._sent = 0
        self._acknowledged = 0
        self._client.on_connect = self._on_connect
        self._client.on_publish = self._on_publish

    def connect(self, timeout: float = 10.0) -> None:
        self._client.connect_async(self._address.host, self._address.port, keepalive=30)
        self._client.loop_start()
        if not self._connected.wait(timeout):
            self.close()
            raise BrokerUnavailable(f"no broker answered at {self.url} within {timeout:g} s")

    def publish(
        self, network_code: str, device_code: str, key: str, payload: Mapping[str, Any]
    ) -> None:
        body = json.dumps({**payload, "key": key}, separators=(",", ":"))
        self.publish_raw(consumption_topic(network_code, device_code, self._prefix), body.encode())

    def publish_raw(self, topic: str, payload: bytes) -> None:
        """Publish bytes as they are (tests use it to send malformed messages)."""
        with self._lock:
            self._sent += 1
        self._client.publish(topic, payload, qos=QOS)

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until the broker acknowledged everything published so far."""
        with self._lock:
            return self._lock.wait_for(lambda: self._acknowledged >= self._sent, timeout=timeout)

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def _on_connect(self, *_: Any) -> None:
        self._connected.set()

    def _on_publish(self, *_: Any) -> None:
        with self._lock:
            self._acknowledged += 1
            self._lock.notify_all()
