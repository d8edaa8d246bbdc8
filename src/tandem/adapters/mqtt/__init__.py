"""Device telemetry over MQTT (paho-mqtt 2, MQTT 5): the ingestion subscriber and a publisher.

Topic ``<prefix>/<network code>/devices/<device code>/consumption`` (prefix ``tandem``); the
payload is the JSON of one record (``message_id``, ``recipe`` or ``item``, ``quantity``, ``at``)
or of ``{"records": [...]}``, plus the device's ingest-only API key as ``"key"``. The same
subscriber takes carriers' load status reports on ``<prefix>/<network>/loads/<load id>/status``
(:mod:`.load_status`).

Delivery is at least once and its effect exactly once: QoS 1 both ways, a persistent session
(fixed client id, ``clean_start`` off, a session expiry), and each message acknowledged only
after the transaction holding its records committed. A message redelivered after a crash or a
reconnect is a duplicate by its ``message_id``, which the ingestion service ignores. Messages
published while the subscriber is down wait in the broker's session.

Broker configuration matters: Mosquitto holds at most ``max_queued_messages`` QoS 1 messages per
client beyond those in flight (1,000 by default) and *drops* the rest, for a connected client
too. One subscriber takes the messages of every device, so a burst faster than the database, or
an outage, would lose messages: give the broker ``max_queued_messages 0`` (no limit) or a bound
sized for the longest outage (``bench/bench_ingestion.py`` starts its broker that way).

Modules: :mod:`.broker` (addresses, topics, clients), :mod:`.subscriber`, :mod:`.publisher`,
:mod:`.settle` (decoding and ingesting a batch, free of paho).

Received messages are settled in batches (up to ``batch_size`` messages or ``batch_window_s``
seconds): the records of one device become one ``{"records": [...]}`` call of
:func:`tandem.services.ingestion.ingest_device_message`, i.e. one transaction. Undecodable
messages and rejections are logged with their reason and counted; a lost database connection
is retried with back-off without acknowledging, so nothing is lost; any other error drops only
the message that caused it (logged, counted as ``failed``). The loop never stops on bad input.
"""

from tandem.adapters.mqtt.broker import (
    DEFAULT_CLIENT_ID,
    DEFAULT_TOPIC_PREFIX,
    BrokerAddress,
    BrokerUnavailable,
    broker_unavailable_reason,
    consumption_topic,
    discard_session,
    load_status_topic,
    parse_broker_url,
)
from tandem.adapters.mqtt.publisher import MqttPublisher
from tandem.adapters.mqtt.subscriber import IngestionCounts, MqttSubscriber

__all__ = [
    "DEFAULT_CLIENT_ID",
    "DEFAULT_TOPIC_PREFIX",
    "BrokerAddress",
    "BrokerUnavailable",
    "IngestionCounts",
    "MqttPublisher",
    "MqttSubscriber",
    "broker_unavailable_reason",
    "consumption_topic",
    "discard_session",
    "load_status_topic",
    "parse_broker_url",
]
