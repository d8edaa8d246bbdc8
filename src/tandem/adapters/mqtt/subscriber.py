"""The ingestion subscriber: every device's consumption topic into the database."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from queue import Empty, Queue
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from sqlalchemy.exc import InterfaceError, OperationalError

from tandem.adapters.mqtt.broker import (
    DEFAULT_CLIENT_ID,
    DEFAULT_TOPIC_PREFIX,
    QOS,
    RECEIVE_MAXIMUM,
    SESSION_EXPIRY_S,
    BrokerUnavailable,
    connect_properties,
    consumption_topic,
    load_status_topic,
    new_client,
    parse_broker_url,
)
from tandem.adapters.mqtt.load_status import TrackFunction, settle_all
from tandem.adapters.mqtt.settle import IngestFunction, Received, Settled
from tandem.services.context import ServiceContext
from tandem.services.ingestion import ingest_device_message
from tandem.services.logistics.tracking import record_device_message

log = logging.getLogger("tandem.ingest.mqtt")


@dataclass(frozen=True)
class IngestionCounts:
    """Totals since start: messages settled, and what became of their records."""

    messages: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    malformed: int = 0
    failed: int = 0

    def line(self) -> str:
        return (
            f"{self.messages:,} messages: {self.accepted:,} records stored, "
            f"{self.duplicates:,} duplicates, {self.rejected:,} rejected, "
            f"{self.malformed:,} malformed, {self.failed:,} failed"
        )


@dataclass
class _State:
    counts: IngestionCounts = field(default_factory=IngestionCounts)
    generation: int = 0


class MqttSubscriber:
    """Subscribes to every device's consumption topic and ingests what arrives.

    ``start()`` connects (retrying in the background when the broker is down) and returns;
    ``stop()`` settles what was received, acknowledges it and disconnects, keeping the session.
    ``run_forever()`` does both in the foreground until SIGINT or SIGTERM.
    """

    def __init__(
        self,
        services: ServiceContext,
        url: str,
        *,
        ingest: IngestFunction | None = None,
        track: TrackFunction | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        topic_prefix: str = DEFAULT_TOPIC_PREFIX,
        batch_size: int = 2000,
        batch_window_s: float = 0.2,
    ) -> None:
        self.url = url
        self.topic_filter = consumption_topic("+", "+", topic_prefix)
        self.status_filter = load_status_topic("+", "+", topic_prefix)
        self._services = services
        self._ingest = ingest or ingest_device_message
        self._track = track or record_device_message
        self._prefix_parts = len(topic_prefix.split("/"))
        self._batch_size = batch_size
        self._batch_window_s = batch_window_s
        self._address = parse_broker_url(url)
        self._client = new_client(self._address, client_id, manual_ack=True)
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = self._on_subscribe
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_message
        self._inbox: Queue[Received] = Queue()
        self._state = _State()
        self._settled = threading.Condition()
        self._subscribed = threading.Event()
        self._stopping = threading.Event()
        self._worker = threading.Thread(target=self._work, name="mqtt-ingest", daemon=True)

    # ------------------------------------------------------------ lifecycle

    def start(self, timeout: float | None = 10.0) -> None:
        """Connect and subscribe; with a ``timeout``, raise BrokerUnavailable if that fails."""
        self._client.connect_async(
            self._address.host,
            self._address.port,
            keepalive=30,
            clean_start=False,
            properties=connect_properties(SESSION_EXPIRY_S, RECEIVE_MAXIMUM),
        )
        self._client.loop_start()
        self._worker.start()
        if timeout is not None and not self._subscribed.wait(timeout):
            self.stop()
            raise BrokerUnavailable(f"could not subscribe at {self.url} within {timeout:g} s")

    def stop(self) -> None:
        """Settle and acknowledge what was received, then disconnect (the session stays)."""
        self._stopping.set()
        if self._worker.is_alive():
            self._worker.join()
        self._client.disconnect()
        self._client.loop_stop()

    def run_forever(
        self, report: Callable[[IngestionCounts], None] | None = None, every_s: float = 10.0
    ) -> IngestionCounts:
        """Run in the foreground until SIGINT/SIGTERM; ``report`` the counts every ``every_s``."""
        done = threading.Event()
        previous = {
            sig: signal.signal(sig, lambda *_: done.set())
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            self.start()
            shown = self.counts
            while not done.wait(every_s):
                if report is not None and self.counts != shown:
                    shown = self.counts
                    report(shown)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return self.counts

    @property
    def counts(self) -> IngestionCounts:
        with self._settled:
            return self._state.counts

    @property
    def subscribed(self) -> bool:
        return self._subscribed.is_set()

    def wait_settled(self, messages: int, timeout: float) -> bool:
        """Wait until at least ``messages`` messages are settled since start."""
        with self._settled:
            return self._settled.wait_for(
                lambda: self._state.counts.messages >= messages, timeout=timeout
            )

    # ------------------------------------------------------------ paho callbacks (network thread)

    def _on_connect(
        self,
        client: paho.Client,
        _userdata: Any,
        flags: paho.ConnectFlags,
        reason: ReasonCode,
        _properties: Properties | None,
    ) -> None:
        if reason.is_failure:
            log.error("broker at %s refused the connection: %s", self.url, reason)
            return
        with self._settled:
            self._state.generation += 1
        log.info("connected to %s (session present: %s)", self.url, flags.session_present)
        client.subscribe([(self.topic_filter, QOS), (self.status_filter, QOS)])

    def _on_subscribe(
        self,
        _client: paho.Client,
        _userdata: Any,
        _mid: int,
        reasons: list[ReasonCode],
        _properties: Properties | None,
    ) -> None:
        if any(reason.is_failure for reason in reasons):
            log.error("broker refused the subscription to %s: %s", self.topic_filter, reasons)
            return
        log.info("subscribed to %s and %s", self.topic_filter, self.status_filter)
        self._subscribed.set()

    def _on_disconnect(
        self,
        _client: paho.Client,
        _userdata: Any,
        _flags: paho.DisconnectFlags,
        reason: ReasonCode,
        _properties: Properties | None,
    ) -> None:
        self._subscribed.clear()
        if not self._stopping.is_set():
            log.warning("disconnected from %s (%s); reconnecting", self.url, reason)

    def _on_message(self, _client: paho.Client, _userdata: Any, message: paho.MQTTMessage) -> None:
        self._inbox.put(
            Received(
                message.mid,
                message.qos,
                self._state.generation,
                message.topic,
                bytes(message.payload),
            )
        )

    # ------------------------------------------------------------ the worker

    def _work(self) -> None:
        while True:
            batch = self._next_batch()
            if batch:
                self._settle(batch)
            elif self._stopping.is_set():
                return

    def _next_batch(self) -> list[Received]:
        try:
            batch = [self._inbox.get(timeout=0.05)]
        except Empty:
            return []
        deadline = time.monotonic() + self._batch_window_s
        while len(batch) < self._batch_size:
            try:
                batch.append(self._inbox.get(timeout=max(0.0, deadline - time.monotonic())))
            except Empty:
                break
        return batch

    def _settle(self, batch: Sequence[Received]) -> None:
        delay = 0.5
        while True:
            try:
                outcome = settle_all(
                    self._services, self._ingest, self._track, batch, self._prefix_parts
                )
                break
            except (OperationalError, InterfaceError) as error:  # the database went away
                log.warning("database unavailable (%s); retrying in %.1f s", error, delay)
                if self._stopping.wait(delay):
                    return  # unacknowledged: the broker delivers these again next session
                delay = min(delay * 2, 30.0)
            except Exception:  # a bug, not bad input: report it, never stop the loop for it
                log.exception("%d messages dropped after an unexpected error", len(batch))
                outcome = Settled(failed=len(batch))
                break
        with self._settled:
            generation = self._state.generation
            self._state.counts = replace(
                self._state.counts,
                messages=self._state.counts.messages + len(batch),
                accepted=self._state.counts.accepted + outcome.accepted,
                duplicates=self._state.counts.duplicates + outcome.duplicates,
                rejected=self._state.counts.rejected + outcome.rejected,
                malformed=self._state.counts.malformed + outcome.malformed,
                failed=self._state.counts.failed + outcome.failed,
            )
        for message in batch:
            # A message id belongs to one connection: after a reconnect the broker redelivers
            # what we did not acknowledge, and an old id could name a different message.
            if message.generation == generation and message.qos > 0:
                self._client.ack(message.mid, message.qos)
        with self._settled:
            self._settled.notify_all()
